package dev.hmemu.kernel.mm;

import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;

/**
 * The boot-time allocator (memblock's role in mm/memblock.c): a bump pointer over physical
 * pages after the kernel image, used only while building page tables and mem_map. Every
 * page it hands out stays reserved for good.
 *
 * <p>Invariant: [start, next) is exactly the memory handed out, all of it below
 * max_low_pfn (reachable through the direct map).
 */
final class BootMem {
    private final PhysicalMemory phys;
    private final long start;
    private final long limit;
    private long next;

    /**
     * @param imageEnd physical end of the kernel image (exclusive)
     * @param limit    physical end of lowmem (max_low_pfn << PAGE_SHIFT)
     */
    BootMem(PhysicalMemory phys, long imageEnd, long limit) {
        this.phys = phys;
        this.start = align(imageEnd, Layout.PAGE_SIZE);
        this.limit = limit;
        this.next = start;
    }

    /** memblock_alloc(): {@code pages} zeroed, physically contiguous pages; their physical address. */
    long allocPages(long pages) {
        return alloc(pages * Layout.PAGE_SIZE, Layout.PAGE_SIZE);
    }

    /** Zeroed memory of {@code bytes}, aligned to {@code align} (a power of two). */
    long alloc(long bytes, long align) {
        long pa = reserve(bytes, align);
        phys.fill(pa, next - pa, (byte) 0);
        return pa;
    }

    /**
     * memblock_alloc_raw(): the same, but the {@code bytes} asked for are not zeroed (only the
     * rest of the last page is), for a caller that writes every one of them itself (mem_map,
     * whose struct pages are initialised whole; those of free highmem when first used, which
     * relies on guest memory being fresh: nothing was written there before).
     */
    long allocRaw(long bytes, long align) {
        long pa = reserve(bytes, align);
        phys.fill(pa + bytes, next - pa - bytes, (byte) 0);
        return pa;
    }

    private long reserve(long bytes, long align) {
        long pa = align(next, align);
        long end = align(pa + bytes, Layout.PAGE_SIZE);
        if (end > limit) {
            // a configuration error (lowmem too small for this much memory): the caller's usage error
            throw new IllegalArgumentException(String.format(
                    "boot memory exhausted: need %#x bytes at %#x, lowmem ends at %#x (raise --lowmem or lower --mem)",
                    bytes, pa, limit));
        }
        next = end;
        return pa;
    }

    /** First physical address handed out (page aligned). */
    long start() {
        return start;
    }

    /** End of what was handed out (page aligned, exclusive). */
    long end() {
        return next;
    }

    static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
