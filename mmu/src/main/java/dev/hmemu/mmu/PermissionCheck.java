package dev.hmemu.mmu;

import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

/**
 * The U/S, R/W and NX rules applied to the two entries of a walk (upper = PDE, leaf = PTE;
 * for a large page both are the PDE). Shared by the walkers; no SMEP/SMAP.
 */
final class PermissionCheck {
    static final String USER_TO_SUPERVISOR = "user access to supervisor page";
    static final String WRITE_TO_READ_ONLY = "write to read-only page";
    static final String FETCH_FROM_NX = "instruction fetch from NX page";

    private PermissionCheck() {
    }

    /**
     * Returns null if the access is allowed, otherwise the fault.
     *
     * @param accessBits error-code bits of the access (WRITE/USER/INSTR)
     * @param nx         whether NX bits are honoured (PAE with EFER.NXE)
     */
    static WalkResult.Fault check(long linear, int accessBits, AccessType type, boolean user, boolean wp, boolean nx,
                                  long upper, int upperLevel, long leaf, int leafLevel) {
        if (user) {
            if ((upper & _PAGE_USER) == 0) {
                return fault(linear, accessBits, upperLevel, USER_TO_SUPERVISOR);
            }
            if ((leaf & _PAGE_USER) == 0) {
                return fault(linear, accessBits, leafLevel, USER_TO_SUPERVISOR);
            }
        }
        if (type == AccessType.WRITE && (user || wp)) {
            if ((upper & _PAGE_RW) == 0) {
                return fault(linear, accessBits, upperLevel, WRITE_TO_READ_ONLY);
            }
            if ((leaf & _PAGE_RW) == 0) {
                return fault(linear, accessBits, leafLevel, WRITE_TO_READ_ONLY);
            }
        }
        if (type == AccessType.FETCH && nx) {
            if ((upper & _PAGE_NX) != 0) {
                return fault(linear, accessBits, upperLevel, FETCH_FROM_NX);
            }
            if ((leaf & _PAGE_NX) != 0) {
                return fault(linear, accessBits, leafLevel, FETCH_FROM_NX);
            }
        }
        return null;
    }

    private static WalkResult.Fault fault(long linear, int accessBits, int level, String reason) {
        return new WalkResult.Fault(linear, accessBits | PageFaultCode.PROT, level, reason);
    }
}
