package dev.hmemu.mmu;

/**
 * A copy of a {@link Tlb}'s contents kept elsewhere (e.g. in native memory, so the
 * execution engine's refills of entries the TLB holds are answered without calling into
 * Java). The TLB reports every slot it writes or invalidates, in both banks; the
 * {@link Mmu} reports CR0.WP, which decides the rights a read-only entry grants.
 */
public interface TlbMirror {
    /** Bank of 4 KiB entries. */
    int SMALL = 0;
    /** Bank of 2 MiB / 4 MiB entries. */
    int LARGE = 1;
    /** Flag bits of {@link #store}: R/W, U/S, executable, global, dirty. */
    int F_WRITABLE = TlbBank.F_WRITABLE;
    int F_USER = TlbBank.F_USER;
    int F_EXECUTABLE = TlbBank.F_EXECUTABLE;
    int F_GLOBAL = TlbBank.F_GLOBAL;
    int F_DIRTY = TlbBank.F_DIRTY;

    /** Slot {@code slot} of {@code bank} now holds this entry. */
    void store(int bank, int slot, long linearPage, long physPage, long pageSize, int flags);

    /** Slot {@code slot} of {@code bank} is now empty. */
    void invalidate(int bank, int slot);

    /** CR0.WP changed (or is being reported for the first time). */
    void writeProtect(boolean wp);
}
