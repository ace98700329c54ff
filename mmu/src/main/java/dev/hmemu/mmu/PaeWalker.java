package dev.hmemu.mmu;

import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_PSE;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

/**
 * PAE page walk [SDM 4.4]: PDPTE register (by linear bits 31:30), PDE (29:21), then either a
 * 2 MiB page (PDE.PS=1) or a PTE (20:12).
 *
 * <p>The top level comes from the PDPTE registers in {@link ControlRegisters}, never from
 * memory. Reserved bits: 62:MAXPHYADDR in every PDE/PTE, bit 63 unless EFER.NXE, and 20:13
 * in a 2 MiB PDE; a set reserved bit gives a #PF with P=1 and RSVD=1 at that level.
 * A and D are written back (low dword only) only when they change. The walk allocates
 * nothing but its result.
 */
public final class PaeWalker implements PageWalker {
    /** MAXPHYADDR of classic PAE CPUs. */
    public static final int DEFAULT_MAX_PHYS_ADDR_BITS = 36;

    private static final long LARGE_PDE_RESERVED = 0x1F_E000L; // bits 20:13
    private static final String PDPTE_NOT_PRESENT = "PDPTE not present";
    private static final String PDE_NOT_PRESENT = "PDE not present";
    private static final String PTE_NOT_PRESENT = "PTE not present";
    private static final String PDPTE_RESERVED = "reserved bit set in PDPTE register";
    private static final String PDE_RESERVED = "reserved bit set in PDE";
    private static final String PTE_RESERVED = "reserved bit set in PTE";

    private final PhysicalMemory mem;
    private final int maxPhysAddrBits;
    private final long frameMask;       // bits M-1:12
    private final long largeFrameMask;  // bits M-1:21
    private final long reservedHigh;    // bits 62:M

    /** A walker with MAXPHYADDR = 36. */
    public PaeWalker(PhysicalMemory mem) {
        this(mem, DEFAULT_MAX_PHYS_ADDR_BITS);
    }

    /**
     * @param mem             memory holding the page directories and tables
     * @param maxPhysAddrBits MAXPHYADDR, 32..52
     */
    public PaeWalker(PhysicalMemory mem, int maxPhysAddrBits) {
        if (maxPhysAddrBits < 32 || maxPhysAddrBits > 52) {
            throw new IllegalArgumentException("maxPhysAddrBits " + maxPhysAddrBits + " not in 32..52");
        }
        this.mem = mem;
        this.maxPhysAddrBits = maxPhysAddrBits;
        this.frameMask = ((1L << maxPhysAddrBits) - 1) & ~0xFFFL;
        this.largeFrameMask = frameMask & ~(PteBits.PMD_SIZE - 1);
        this.reservedHigh = bitsFrom(maxPhysAddrBits) & ~_PAGE_NX;
    }

    /** MAXPHYADDR this walker enforces. */
    public int maxPhysAddrBits() {
        return maxPhysAddrBits;
    }

    /** Mask of bits 63:{@code from}. */
    static long bitsFrom(int from) {
        return -1L << from;
    }

    @Override
    public WalkResult walk(ControlRegisters cr, long linear, AccessType type, boolean user,
                           boolean updateAccessedDirty) {
        linear &= 0xFFFF_FFFFL;
        boolean nxe = cr.nxe();
        int access = PageFaultCode.accessBits(type, user, nxe);
        long reserved = nxe ? reservedHigh : reservedHigh | _PAGE_NX;

        long pdpte = cr.pdpte((int) (linear >>> PteBits.PGDIR_SHIFT));
        if ((pdpte & _PAGE_PRESENT) == 0) {
            return new WalkResult.Fault(linear, access, 3, PDPTE_NOT_PRESENT);
        }
        if ((pdpte & (ControlRegisters.PDPTE_RESERVED_LOW | bitsFrom(maxPhysAddrBits))) != 0) {
            return reservedFault(linear, access, 3, PDPTE_RESERVED);
        }

        long pdeAddr = (pdpte & frameMask) | ((linear >>> 18) & 0xFF8);
        long pde = mem.readLong(pdeAddr);
        if ((pde & _PAGE_PRESENT) == 0) {
            return new WalkResult.Fault(linear, access, 2, PDE_NOT_PRESENT);
        }
        boolean write = type == AccessType.WRITE;
        if ((pde & _PAGE_PSE) != 0) {
            if ((pde & (reserved | LARGE_PDE_RESERVED)) != 0) {
                return reservedFault(linear, access, 2, PDE_RESERVED);
            }
            WalkResult.Fault denied = PermissionCheck.check(linear, access, type, user, cr.wp(), nxe, pde, 2, pde, 2);
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
            long base = pde & largeFrameMask;
            return new WalkResult.Mapped(linear, base | (linear & (PteBits.PMD_SIZE - 1)), base, PteBits.PMD_SIZE,
                    (pde & _PAGE_RW) != 0, (pde & _PAGE_USER) != 0, !nxe || (pde & _PAGE_NX) == 0,
                    (pde & _PAGE_GLOBAL) != 0, (leaf & _PAGE_DIRTY) != 0, 2);
        }
        if ((pde & reserved) != 0) {
            return reservedFault(linear, access, 2, PDE_RESERVED);
        }

        long pteAddr = (pde & frameMask) | ((linear >>> 9) & 0xFF8);
        long pte = mem.readLong(pteAddr);
        if ((pte & _PAGE_PRESENT) == 0) {
            return new WalkResult.Fault(linear, access, 1, PTE_NOT_PRESENT);
        }
        if ((pte & reserved) != 0) {
            return reservedFault(linear, access, 1, PTE_RESERVED);
        }
        WalkResult.Fault denied = PermissionCheck.check(linear, access, type, user, cr.wp(), nxe, pde, 2, pte, 1);
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
        long base = pte & frameMask;
        return new WalkResult.Mapped(linear, base | (linear & 0xFFF), base, PteBits.PAGE_SIZE,
                (pde & pte & _PAGE_RW) != 0, (pde & pte & _PAGE_USER) != 0, !nxe || ((pde | pte) & _PAGE_NX) == 0,
                (pte & _PAGE_GLOBAL) != 0, (leaf & _PAGE_DIRTY) != 0, 1);
    }

    private static WalkResult.Fault reservedFault(long linear, int access, int level, String reason) {
        return new WalkResult.Fault(linear, access | PageFaultCode.PROT | PageFaultCode.RSVD, level, reason);
    }

    @Override
    public String toString() {
        return "PaeWalker[maxPhysAddrBits=" + maxPhysAddrBits + "]";
    }
}
