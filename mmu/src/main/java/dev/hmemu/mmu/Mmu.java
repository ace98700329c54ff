package dev.hmemu.mmu;

/**
 * The MMU of one CPU: control registers, a page walker for the configured {@link PagingMode}
 * and a {@link Tlb}.
 *
 * <p>{@link #translate} is what the CPU does on every memory access: TLB lookup, page walk
 * on a miss, A/D updates, #PF on failure. {@link #debugTranslate} is what a debugger does:
 * a walk with no side effects. With CR0.PG=0 both are the identity.
 *
 * <p>The paging mode is fixed at construction and chooses the walker; the constructor sets
 * CR4.PAE to match, and the CR4.PAE bit is otherwise not consulted. Guest writes to control
 * registers should go through {@link #loadCr3}, {@link #writeCr0}, {@link #writeCr4} and
 * {@link #setEfer}, which apply the architectural side effects (PDPTE loads, TLB flushes).
 */
public final class Mmu {
    private static final long CR0_PDPTE_RELOAD = ControlRegisters.CR0_PG | ControlRegisters.CR0_CD
            | ControlRegisters.CR0_NW;
    private static final long CR4_PAGING_BITS = ControlRegisters.CR4_PAE | ControlRegisters.CR4_PGE
            | ControlRegisters.CR4_PSE | ControlRegisters.CR4_SMEP;

    private final PhysicalMemory mem;
    private final PagingMode mode;
    private final int maxPhysAddrBits;
    private final ControlRegisters cr = new ControlRegisters();
    private final PageWalker walker;
    private final Tlb tlb;

    /**
     * @param mem             physical memory holding the page tables
     * @param mode            PAE or legacy 32-bit paging
     * @param tlbConfig       TLB geometry
     * @param maxPhysAddrBits MAXPHYADDR, 32..52 (36 on classic PAE CPUs)
     */
    public Mmu(PhysicalMemory mem, PagingMode mode, TlbConfig tlbConfig, int maxPhysAddrBits) {
        this.mem = mem;
        this.mode = mode;
        this.maxPhysAddrBits = maxPhysAddrBits;
        this.walker = mode == PagingMode.PAE ? new PaeWalker(mem, maxPhysAddrBits)
                : new LegacyWalker(mem, maxPhysAddrBits);
        this.tlb = new Tlb(tlbConfig);
        if (mode == PagingMode.PAE) {
            cr.setCr4(ControlRegisters.CR4_PAE);
        }
    }

    /** The paging mode. */
    public PagingMode mode() {
        return mode;
    }

    /** The control registers (raw access; see the class comment). */
    public ControlRegisters cr() {
        return cr;
    }

    /** The TLB. */
    public Tlb tlb() {
        return tlb;
    }

    /** The page walker used on TLB misses. */
    public PageWalker walker() {
        return walker;
    }

    /** MAXPHYADDR. */
    public int maxPhysAddrBits() {
        return maxPhysAddrBits;
    }

    /**
     * Translates a CPU access as the hardware would.
     *
     * <p>On a TLB hit the access is checked against the cached entry. A write through an
     * entry whose dirty flag is clear re-walks the tables (setting D) and refreshes the entry.
     * An access the cached entry forbids re-walks the tables: if the walk faults, that precise
     * fault is returned and the stale entry dropped (a #PF invalidates the faulting address);
     * if the tables now allow it, the fresh translation is cached and returned. On a miss the
     * tables are walked (counted in {@link TlbStats}) and a success is cached, as global only
     * if CR4.PGE=1 and the leaf has G=1.
     *
     * @param linear linear address (low 32 bits used)
     * @param type   read, write or fetch
     * @param user   whether the access is from CPL 3
     */
    public WalkResult translate(long linear, AccessType type, boolean user) {
        linear &= 0xFFFF_FFFFL;
        if (!cr.pg()) {
            return identity(linear);
        }
        int h = tlb.probe(linear);
        if (h < 0) {
            return walkAndCache(linear, type, user);
        }
        int f = tlb.flags(h);
        if (!permitted(f, type, user)) {
            WalkResult r = walkAndCache(linear, type, user);
            if (r instanceof WalkResult.Fault) {
                tlb.dropPage(linear);
            }
            return r;
        }
        if (type == AccessType.WRITE && (f & TlbBank.F_DIRTY) == 0) {
            WalkResult r = walkAndCache(linear, type, user);
            if (r instanceof WalkResult.Fault) {
                tlb.dropPage(linear);
            }
            return r;
        }
        long size = tlb.pageSize(h);
        long base = tlb.physPage(h);
        return new WalkResult.Mapped(linear, base | (linear & (size - 1)), base, size,
                (f & TlbBank.F_WRITABLE) != 0, (f & TlbBank.F_USER) != 0, (f & TlbBank.F_EXECUTABLE) != 0,
                (f & TlbBank.F_GLOBAL) != 0, (f & TlbBank.F_DIRTY) != 0, size == PteBits.PAGE_SIZE ? 1 : 2);
    }

    /**
     * A debugger's translation: a supervisor READ walk that neither consults nor fills the
     * TLB and never writes A/D bits. Identity when paging is off.
     */
    public WalkResult debugTranslate(long linear) {
        linear &= 0xFFFF_FFFFL;
        if (!cr.pg()) {
            return identity(linear);
        }
        return walker.walk(cr, linear, AccessType.READ, false, false);
    }

    /**
     * MOV to CR3. Under PAE with paging on, loads the PDPTE registers from the new PDPT first;
     * then flushes the non-global TLB entries.
     *
     * @throws GeneralProtectionException if a present PDPTE has reserved bits; CR3, the
     *         PDPTE registers and the TLB are then unchanged
     */
    public void loadCr3(long value) {
        long old = cr.cr3();
        cr.setCr3(value);
        if (mode == PagingMode.PAE && cr.pg()) {
            try {
                cr.loadPdptes(mem, maxPhysAddrBits);
            } catch (RuntimeException e) {
                cr.setCr3(old);
                throw e;
            }
        }
        tlb.flushNonGlobal();
    }

    /**
     * MOV to CR0. Under PAE, a write that leaves paging on and changes PG, CD or NW reloads
     * the PDPTE registers (so enabling paging loads them). Changing PG flushes the whole TLB.
     * WP needs no flush: it is applied at every access, cached or not.
     *
     * @throws GeneralProtectionException if the PDPTE load fails; CR0 is then unchanged
     */
    public void writeCr0(long value) {
        value &= 0xFFFF_FFFFL;
        long changed = cr.cr0() ^ value;
        if (mode == PagingMode.PAE && (value & ControlRegisters.CR0_PG) != 0 && (changed & CR0_PDPTE_RELOAD) != 0) {
            cr.loadPdptes(mem, maxPhysAddrBits);
        }
        cr.setCr0(value);
        if ((changed & ControlRegisters.CR0_PG) != 0) {
            tlb.flushAll();
        }
        reportWriteProtect();
    }

    /**
     * MOV to CR4. Changing PGE, PAE, PSE or SMEP flushes the whole TLB, global entries
     * included, and under PAE with paging on reloads the PDPTE registers first.
     *
     * @throws GeneralProtectionException if the PDPTE load fails; CR4 is then unchanged
     */
    public void writeCr4(long value) {
        value &= 0xFFFF_FFFFL;
        long changed = cr.cr4() ^ value;
        boolean pagingBits = (changed & CR4_PAGING_BITS) != 0;
        if (mode == PagingMode.PAE && cr.pg() && pagingBits) {
            cr.loadPdptes(mem, maxPhysAddrBits);
        }
        cr.setCr4(value);
        if (pagingBits) {
            tlb.flushAll();
        }
    }

    /** WRMSR IA32_EFER. No flush: NXE is normally set once, before paging is enabled. */
    public void setEfer(long value) {
        cr.setEfer(value);
    }

    /**
     * Keeps {@code m} a copy of this MMU's TLB, told about CR0.WP (see {@link TlbMirror}).
     * Control registers must then change through {@link #writeCr0} (not {@code cr().setCr0}).
     */
    public void setTlbMirror(TlbMirror m) {
        tlb.setMirror(m);
        reportWriteProtect();
    }

    private void reportWriteProtect() {
        TlbMirror m = tlb.mirror();
        if (m != null) {
            m.writeProtect(cr.wp());
        }
    }

    /** INVLPG on this CPU. */
    public void invlpg(long linear) {
        tlb.invlpg(linear);
    }

    /** Drops every TLB entry, global ones included. */
    public void flushAll() {
        tlb.flushAll();
    }

    private WalkResult walkAndCache(long linear, AccessType type, boolean user) {
        tlb.stats().recordWalk();
        WalkResult r = walker.walk(cr, linear, type, user, true);
        if (r instanceof WalkResult.Mapped m) {
            int f = (m.writable() ? TlbBank.F_WRITABLE : 0) | (m.user() ? TlbBank.F_USER : 0)
                    | (m.executable() ? TlbBank.F_EXECUTABLE : 0) | (m.dirty() ? TlbBank.F_DIRTY : 0)
                    | (m.global() && cr.pge() ? TlbBank.F_GLOBAL : 0);
            tlb.insert(linear & -m.pageSize(), m.pageBase(), m.pageSize(), f);
        }
        return r;
    }

    /** Whether a cached entry with flags {@code f} allows the access under the current CR0.WP. */
    private boolean permitted(int f, AccessType type, boolean user) {
        if (user && (f & TlbBank.F_USER) == 0) {
            return false;
        }
        if (type == AccessType.WRITE && (f & TlbBank.F_WRITABLE) == 0 && (user || cr.wp())) {
            return false;
        }
        return type != AccessType.FETCH || (f & TlbBank.F_EXECUTABLE) != 0;
    }

    private static WalkResult identity(long linear) {
        long base = linear & ~0xFFFL;
        return new WalkResult.Mapped(linear, linear, base, PteBits.PAGE_SIZE, true, true, true, false, true, 0);
    }

    @Override
    public String toString() {
        return "Mmu[" + mode + ", " + cr + ", " + tlb + "]";
    }
}
