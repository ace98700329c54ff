package dev.hmemu.mmu;

/**
 * Outcome of translating one linear address: {@link Mapped} or {@link Fault}.
 *
 * <p>Level numbers: PAE 3 = PDPTE, 2 = PDE, 1 = PTE; legacy 2 = PDE, 1 = PTE; 0 means
 * paging is off (identity translation).
 */
public sealed interface WalkResult permits WalkResult.Mapped, WalkResult.Fault {

    /** The (32-bit) linear address that was translated. */
    long linear();

    /**
     * A successful translation.
     *
     * <p>The permission flags are those of the page-table entries (R/W and U/S combined over
     * all levels; executable is false only when NX applies), not of the access, so a
     * supervisor write with CR0.WP=0 may succeed on a page reported as not writable.
     *
     * @param linear     the translated linear address
     * @param physical   exact physical address of {@code linear}
     * @param pageBase   physical base of the page
     * @param pageSize   4096, 2 MiB or 4 MiB
     * @param writable   R/W=1 at every level
     * @param user       U/S=1 at every level
     * @param executable not NX-protected (always true without PAE+NXE)
     * @param global     the leaf's G bit as written (from a TLB hit: whether the entry is cached as global)
     * @param dirty      the leaf's D bit after this access
     * @param level      the leaf level (1 for 4 KiB pages, 2 for large pages, 0 without paging)
     */
    record Mapped(long linear, long physical, long pageBase, long pageSize, boolean writable, boolean user,
                  boolean executable, boolean global, boolean dirty, int level) implements WalkResult {

        @Override
        public String toString() {
            return "Mapped[linear=0x" + Long.toHexString(linear) + ", physical=0x" + Long.toHexString(physical)
                    + ", pageBase=0x" + Long.toHexString(pageBase) + ", pageSize=0x" + Long.toHexString(pageSize)
                    + ", " + (writable ? "RW" : "RO") + (user ? " U" : " S") + (executable ? " X" : " NX")
                    + (global ? " G" : "") + (dirty ? " D" : "") + ", level=" + level + "]";
        }
    }

    /**
     * A page fault.
     *
     * @param linear    the faulting linear address (what CR2 would receive)
     * @param errorCode #PF error code, see {@link PageFaultCode}
     * @param level     the level of the entry that caused the fault: the non-present entry,
     *                  the entry with reserved bits, or the highest entry that denied the access
     * @param reason    a short explanation for logs
     */
    record Fault(long linear, int errorCode, int level, String reason) implements WalkResult {

        /** True if the fault is for a not-present entry (error code bit 0 clear). */
        public boolean notPresent() {
            return (errorCode & PageFaultCode.PROT) == 0;
        }

        /** Linux's two-line description of the error code, see {@link PageFaultCode#describe}. */
        public String describe() {
            return PageFaultCode.describe(errorCode);
        }

        @Override
        public String toString() {
            return "Fault[linear=0x" + Long.toHexString(linear) + ", errorCode=" + String.format("0x%04x", errorCode)
                    + ", level=" + level + ", reason=" + reason + "]";
        }
    }
}
