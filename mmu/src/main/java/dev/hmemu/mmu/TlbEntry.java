package dev.hmemu.mmu;

/**
 * One cached translation.
 *
 * @param linearPage linear base of the page (aligned to {@code pageSize})
 * @param physPage   physical base of the page
 * @param pageSize   4096, 2 MiB or 4 MiB
 * @param writable   R/W=1 at every level
 * @param user       U/S=1 at every level
 * @param executable not NX-protected
 * @param global     survives a CR3 reload (leaf G=1 and CR4.PGE=1 when inserted)
 * @param dirty      the leaf's D bit was set when cached; a write through a clean entry re-walks
 */
public record TlbEntry(long linearPage, long physPage, long pageSize, boolean writable, boolean user,
                       boolean executable, boolean global, boolean dirty) {

    /** @throws IllegalArgumentException for an unsupported page size or unaligned bases */
    public TlbEntry {
        if (pageSize != PteBits.PAGE_SIZE && pageSize != PteBits.PMD_SIZE && pageSize != PteBits.LEGACY_LARGE_SIZE) {
            throw new IllegalArgumentException("page size 0x" + Long.toHexString(pageSize) + " not supported");
        }
        if (((linearPage | physPage) & (pageSize - 1)) != 0 || linearPage < 0 || linearPage > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("linear 0x" + Long.toHexString(linearPage) + " / physical 0x"
                    + Long.toHexString(physPage) + " not a valid page base for size 0x" + Long.toHexString(pageSize));
        }
    }

    /** True if this entry translates {@code linear}. */
    public boolean covers(long linear) {
        return ((linear & 0xFFFF_FFFFL) & -pageSize) == linearPage;
    }

    /** Physical address of {@code linear} through this entry. */
    public long translate(long linear) {
        return physPage | (linear & (pageSize - 1));
    }

    @Override
    public String toString() {
        return "TlbEntry[0x" + Long.toHexString(linearPage) + " -> 0x" + Long.toHexString(physPage)
                + ", size=0x" + Long.toHexString(pageSize) + ", " + (writable ? "RW" : "RO") + (user ? " U" : " S")
                + (executable ? " X" : " NX") + (global ? " G" : "") + (dirty ? " D" : "") + "]";
    }
}
