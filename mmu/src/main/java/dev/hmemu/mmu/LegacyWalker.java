package dev.hmemu.mmu;

import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_PSE;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

/**
 * Classic 32-bit page walk [SDM 4.3]: PDE at CR3[31:12] indexed by linear bits 31:22, then
 * a 4 MiB page (CR4.PSE=1 and PDE.PS=1) or a PTE indexed by bits 21:12. No NX, so fetches
 * are checked like reads and the INSTR error-code bit is never reported.
 *
 * <p>4 MiB pages use PSE-36: PDE bits (MAXPHYADDR-20):13 supply physical bits
 * (MAXPHYADDR-1):32, and bits 21:(MAXPHYADDR-19) are reserved (RSVD fault). MAXPHYADDR is
 * capped at 40 here, as the format allows.
 */
public final class LegacyWalker implements PageWalker {
    private static final long FRAME_MASK = 0xFFFF_F000L;
    private static final String PDE_NOT_PRESENT = "PDE not present";
    private static final String PTE_NOT_PRESENT = "PTE not present";
    private static final String PDE_RESERVED = "reserved bit set in 4 MiB PDE";

    private final PhysicalMemory mem;
    private final int maxPhysAddrBits;
    private final long largeHighMask;     // PDE bits (M-20):13
    private final long largeReservedMask; // PDE bits 21:(M-19)

    /** A walker with MAXPHYADDR = 36 (PSE-36). */
    public LegacyWalker(PhysicalMemory mem) {
        this(mem, PaeWalker.DEFAULT_MAX_PHYS_ADDR_BITS);
    }

    /**
     * @param mem             memory holding the page directory and tables
     * @param maxPhysAddrBits MAXPHYADDR, 32..52; values above 40 act as 40
     */
    public LegacyWalker(PhysicalMemory mem, int maxPhysAddrBits) {
        if (maxPhysAddrBits < 32 || maxPhysAddrBits > 52) {
            throw new IllegalArgumentException("maxPhysAddrBits " + maxPhysAddrBits + " not in 32..52");
        }
        this.mem = mem;
        this.maxPhysAddrBits = Math.min(maxPhysAddrBits, 40);
        int highBits = this.maxPhysAddrBits - 32;
        this.largeHighMask = ((1L << highBits) - 1) << 13;
        this.largeReservedMask = 0x3F_E000L & ~largeHighMask; // bits 21:13 minus the frame bits
    }

    @Override
    public WalkResult walk(ControlRegisters cr, long linear, AccessType type, boolean user,
                           boolean updateAccessedDirty) {
        linear &= 0xFFFF_FFFFL;
        int access = PageFaultCode.accessBits(type, user, false);
        boolean write = type == AccessType.WRITE;

        long pdeAddr = (cr.cr3() & FRAME_MASK) | ((linear >>> 20) & 0xFFC);
        long pde = mem.readInt(pdeAddr) & 0xFFFF_FFFFL;
        if ((pde & _PAGE_PRESENT) == 0) {
            return new WalkResult.Fault(linear, access, 2, PDE_NOT_PRESENT);
        }
        if ((pde & _PAGE_PSE) != 0 && cr.pse()) {
            if ((pde & largeReservedMask) != 0) {
                return new WalkResult.Fault(linear, access | PageFaultCode.PROT | PageFaultCode.RSVD, 2, PDE_RESERVED);
            }
            WalkResult.Fault denied = PermissionCheck.check(linear, access, type, user, cr.wp(), false, pde, 2, pde, 2);
            if (denied != null) {
                return denied;
            }
            long leaf = pde;
            if (updateAccessedDirty) {
                leaf = pde | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
                if (leaf != pde) {
                    mem.writeInt(pdeAddr, (int) leaf);
                }
            }
            long base = (pde & 0xFFC0_0000L) | ((pde & largeHighMask) << 19);
            return new WalkResult.Mapped(linear, base | (linear & 0x3F_FFFFL), base, PteBits.LEGACY_LARGE_SIZE,
                    (pde & _PAGE_RW) != 0, (pde & _PAGE_USER) != 0, true,
                    (pde & _PAGE_GLOBAL) != 0, (leaf & _PAGE_DIRTY) != 0, 2);
        }

        long pteAddr = (pde & FRAME_MASK) | ((linear >>> 10) & 0xFFC);
        long pte = mem.readInt(pteAddr) & 0xFFFF_FFFFL;
        if ((pte & _PAGE_PRESENT) == 0) {
            return new WalkResult.Fault(linear, access, 1, PTE_NOT_PRESENT);
        }
        WalkResult.Fault denied = PermissionCheck.check(linear, access, type, user, cr.wp(), false, pde, 2, pte, 1);
        if (denied != null) {
            return denied;
        }
        long leaf = pte;
        if (updateAccessedDirty) {
            if ((pde & _PAGE_ACCESSED) == 0) {
                mem.writeInt(pdeAddr, (int) (pde | _PAGE_ACCESSED));
            }
            leaf = pte | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
            if (leaf != pte) {
                mem.writeInt(pteAddr, (int) leaf);
            }
        }
        long base = pte & FRAME_MASK;
        return new WalkResult.Mapped(linear, base | (linear & 0xFFF), base, PteBits.PAGE_SIZE,
                (pde & pte & _PAGE_RW) != 0, (pde & pte & _PAGE_USER) != 0, true,
                (pte & _PAGE_GLOBAL) != 0, (leaf & _PAGE_DIRTY) != 0, 1);
    }

    @Override
    public String toString() {
        return "LegacyWalker[maxPhysAddrBits=" + maxPhysAddrBits + "]";
    }
}
