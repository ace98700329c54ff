package dev.hmemu.mmu;

/** Walks the guest's paging structures for one linear address. */
public interface PageWalker {

    /**
     * Translates {@code linear} (only its low 32 bits are used) as the hardware page walker
     * would, assuming paging is enabled.
     *
     * @param cr                 the CPU's control registers (CR0.WP, CR3, EFER.NXE, PDPTEs)
     * @param linear             the linear address
     * @param type               read, write or instruction fetch
     * @param user               whether the access is a user-mode (CPL 3) access
     * @param updateAccessedDirty true to set A in every entry used and D in the leaf on a write,
     *                           as the CPU does, for a successful translation; false to leave
     *                           memory untouched (debugger translations)
     * @return the translation or the page fault it raises
     */
    WalkResult walk(ControlRegisters cr, long linear, AccessType type, boolean user, boolean updateAccessedDirty);
}
