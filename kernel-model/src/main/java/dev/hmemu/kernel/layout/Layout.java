package dev.hmemu.kernel.layout;

import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.mmu.PagingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The x86-32 kernel virtual address layout for the 3G/1G split
 * (arch/x86/include/asm/pgtable_32_areas.h, fixmap.h, asm/highmem.h, arch/x86/mm/init_32.c).
 *
 * <p>Top-down: fixmap [FIXADDR_START, FIXADDR_TOP], boot-time btmap slots down to
 * FIXADDR_TOT_START, the cpu_entry_area, the LDT remap PMD, the pkmap PMD, two guard
 * pages, vmalloc [VMALLOC_START, VMALLOC_END), the 8 MiB VMALLOC_OFFSET hole, and the
 * lowmem direct map [PAGE_OFFSET, high_memory).
 *
 * <p>Invariants: PKMAP_BASE is PMD aligned and the pkmap window is exactly one PTE page
 * (LAST_PKMAP * 4 KiB = PMD_SIZE); fixmap index {@code x} is at {@code FIXADDR_TOP - (x << 12)}
 * (indices grow downward in address); max_low_pfn never exceeds MAXMEM_PFN.
 *
 * <p>Only the configuration is stored; every other quantity is computed from it with the
 * kernel's formulas.
 *
 * @param pae          CONFIG_X86_PAE (3-level paging) or legacy 2-level paging
 * @param nrCpus       NR_CPUS as the fixmap sees it (the machine's CPU count)
 * @param kmMaxIdx     KM_MAX_IDX (16, or 33 with CONFIG_DEBUG_KMAP_LOCAL)
 * @param fixaddrTop   FIXADDR_TOP (__FIXADDR_TOP, 0xfffff000 by default)
 * @param fixKmapBegin FIX_KMAP_BEGIN in enum fixed_addresses
 * @param maxLowPfn    max_low_pfn: the first pfn that is not in the direct map
 * @param maxPfn       max_pfn: the number of page frames of RAM
 */
public record Layout(boolean pae, int nrCpus, int kmMaxIdx, long fixaddrTop, int fixKmapBegin, long maxLowPfn,
                     long maxPfn) {

    public static final long PAGE_OFFSET = 0xC0000000L;
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** __VMALLOC_RESERVE default (arch/x86/mm/pgtable_32.c): 128 MiB. */
    public static final long VMALLOC_RESERVE = 128L << 20;
    /** VMALLOC_OFFSET: the guard hole between high_memory and VMALLOC_START. */
    public static final long VMALLOC_OFFSET = 8L << 20;
    /** Boot-time fixmap slots (NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS = 64 * 8). */
    public static final int TOTAL_FIX_BTMAPS = 512;
    /** First pfn above ZONE_DMA (16 MiB). */
    public static final long MAX_DMA_PFN = (16L << 20) >> PAGE_SHIFT;
    /**
     * Pages of one struct cpu_entry_area on x86-32: an explicit approximation. Counted as
     * GDT 1 + entry stack 1 + TSS with I/O bitmap 4 + debug store 1 + BTS/PEBS buffers 32
     * = 39; with NR_CPUS = 8 this gives the 1252 kB "cpu_entry" line of the reference's PAE
     * boot log (8 * 39 + 1 pages). The real size depends on the config.
     */
    public static final int CPU_ENTRY_AREA_PAGES_PER_CPU = 39;
    /** TLB_FLUSH_ALL (-1UL on 32-bit). */
    public static final long TLB_FLUSH_ALL = 0xFFFFFFFFL;

    public Layout {
        if (nrCpus < 1 || kmMaxIdx < 1 || fixKmapBegin < 1) {
            throw new IllegalArgumentException("bad layout parameters");
        }
        if (maxLowPfn > maxPfn || maxLowPfn < 1) {
            throw new IllegalArgumentException("max_low_pfn " + maxLowPfn + " not in 1..max_pfn " + maxPfn);
        }
    }

    /**
     * The layout for {@code memoryBytes} of RAM (init_32.c: find_low_pfn_range,
     * highmem_pfn_init/lowmem_pfn_init).
     *
     * @throws IllegalArgumentException if cfg.lowmemLimit() exceeds MAXMEM
     */
    public static Layout compute(KernelConfig cfg, long memoryBytes, int nrCpus, PagingMode mode) {
        long maxPfn = memoryBytes >>> PAGE_SHIFT;
        Layout probe = new Layout(mode == PagingMode.PAE, nrCpus, cfg.kmMaxIdx(), cfg.fixaddrTop(),
                cfg.fixKmapBegin(), 1, Math.max(1, maxPfn));
        long maxmemPfn = probe.maxmemPfn();
        long low;
        if (cfg.lowmemLimit() > 0) {
            if (cfg.lowmemLimit() > probe.maxmem()) {
                throw new IllegalArgumentException(String.format(
                        "lowmem limit %d MiB exceeds MAXMEM (%d MiB = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE)",
                        cfg.lowmemLimit() >> 20, probe.maxmem() >> 20));
            }
            low = Math.min(cfg.lowmemLimit() >>> PAGE_SHIFT, maxPfn);
        } else {
            low = Math.min(maxmemPfn, maxPfn);
        }
        return new Layout(probe.pae(), nrCpus, cfg.kmMaxIdx(), cfg.fixaddrTop(), cfg.fixKmapBegin(), low, maxPfn);
    }

    // ---- paging geometry ----

    /** PMD_SHIFT: 21 with PAE; 22 without (the PMD is folded into the PGD). */
    public int pmdShift() {
        return pae ? 21 : 22;
    }

    /** PMD_SIZE: 2 MiB with PAE, 4 MiB without. */
    public long pmdSize() {
        return 1L << pmdShift();
    }

    /** PMD_MASK (as a 32-bit value). */
    public long pmdMask() {
        return ~(pmdSize() - 1) & 0xFFFFFFFFL;
    }

    /** PTRS_PER_PTE: 512 with PAE, 1024 without. */
    public int ptrsPerPte() {
        return pae ? 512 : 1024;
    }

    // ---- fixmap (arch/x86/include/asm/fixmap.h) ----

    /** KM_MAX_IDX (include/asm-generic/kmap_size.h). */
    public int kmMaxIdx() {
        return kmMaxIdx;
    }

    /** FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * NR_CPUS - 1. */
    public int fixKmapEnd() {
        return fixKmapBegin + kmMaxIdx * nrCpus - 1;
    }

    /** __end_of_permanent_fixed_addresses (nothing configured after the kmap slots). */
    public int endOfPermanentFixedAddresses() {
        return fixKmapEnd() + 1;
    }

    /**
     * FIX_BTMAP_END: the 512 boot-time slots start at the next PTE-table boundary if they
     * would otherwise straddle one.
     */
    public int fixBtmapEnd() {
        int e = endOfPermanentFixedAddresses();
        boolean straddles = ((e ^ (e + TOTAL_FIX_BTMAPS - 1)) & -ptrsPerPte()) != 0;
        return straddles ? e + TOTAL_FIX_BTMAPS - (e & (TOTAL_FIX_BTMAPS - 1)) : e;
    }

    /** FIX_BTMAP_BEGIN. */
    public int fixBtmapBegin() {
        return fixBtmapEnd() + TOTAL_FIX_BTMAPS - 1;
    }

    /** FIX_WP_TEST (32-bit only). */
    public int fixWpTest() {
        return fixBtmapBegin() + 1;
    }

    /** __end_of_fixed_addresses. */
    public int endOfFixedAddresses() {
        return fixWpTest() + 1;
    }

    /** __fix_to_virt(idx) = FIXADDR_TOP - (idx << PAGE_SHIFT). */
    public long fixToVirt(int idx) {
        return fixaddrTop - ((long) idx << PAGE_SHIFT);
    }

    /** __virt_to_fix(va) = (FIXADDR_TOP - (va & PAGE_MASK)) >> PAGE_SHIFT. */
    public int virtToFix(long va) {
        return (int) ((fixaddrTop - (va & ~(PAGE_SIZE - 1))) >>> PAGE_SHIFT);
    }

    /** FIXADDR_START: lowest address of the permanent fixmap. */
    public long fixaddrStart() {
        return fixaddrTop - ((long) endOfPermanentFixedAddresses() << PAGE_SHIFT);
    }

    /** FIXADDR_TOT_START: lowest address of the whole fixmap, btmap slots included. */
    public long fixaddrTotStart() {
        return fixaddrTop - ((long) endOfFixedAddresses() << PAGE_SHIFT);
    }

    /** Address of kmap_local slot {@code i} (stack position) of {@code cpu}. */
    public long kmapLocalSlotAddr(int cpu, int i) {
        return fixToVirt(fixKmapBegin + kmMaxIdx * cpu + i);
    }

    // ---- cpu_entry_area, LDT, pkmap (pgtable_32_areas.h) ----

    /** CPU_ENTRY_AREA_PAGES = NR_CPUS * pages per struct cpu_entry_area (approximation, see above). */
    public long cpuEntryAreaPages() {
        return (long) nrCpus * CPU_ENTRY_AREA_PAGES_PER_CPU;
    }

    /** CPU_ENTRY_AREA_BASE = (FIXADDR_TOT_START - PAGE_SIZE * (CPU_ENTRY_AREA_PAGES + 1)) & PMD_MASK. */
    public long cpuEntryAreaBase() {
        return (fixaddrTotStart() - PAGE_SIZE * (cpuEntryAreaPages() + 1)) & pmdMask();
    }

    /** CPU_ENTRY_AREA_MAP_SIZE: the per-CPU areas plus the read-only IDT page. */
    public long cpuEntryAreaMapSize() {
        return PAGE_SIZE * (cpuEntryAreaPages() + 1);
    }

    /** LDT_BASE_ADDR = (CPU_ENTRY_AREA_BASE - PAGE_SIZE) & PMD_MASK. */
    public long ldtBaseAddr() {
        return (cpuEntryAreaBase() - PAGE_SIZE) & pmdMask();
    }

    /** LDT_END_ADDR = LDT_BASE_ADDR + PMD_SIZE. */
    public long ldtEndAddr() {
        return ldtBaseAddr() + pmdSize();
    }

    /** PKMAP_BASE = (LDT_BASE_ADDR - PAGE_SIZE) & PMD_MASK. */
    public long pkmapBase() {
        return (ldtBaseAddr() - PAGE_SIZE) & pmdMask();
    }

    /** LAST_PKMAP: 512 with PAE, 1024 without. */
    public int lastPkmap() {
        return pae ? 512 : 1024;
    }

    /** LAST_PKMAP_MASK. */
    public int lastPkmapMask() {
        return lastPkmap() - 1;
    }

    /** PKMAP_ADDR(nr) = PKMAP_BASE + (nr << PAGE_SHIFT). */
    public long pkmapAddr(int nr) {
        return pkmapBase() + ((long) nr << PAGE_SHIFT);
    }

    /** PKMAP_NR(va) = (va - PKMAP_BASE) >> PAGE_SHIFT. */
    public int pkmapNr(long va) {
        return (int) ((va - pkmapBase()) >> PAGE_SHIFT);
    }

    /** Whether {@code va} lies in [PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP)). */
    public boolean inPkmap(long va) {
        return va >= pkmapAddr(0) && va < pkmapAddr(lastPkmap());
    }

    // ---- vmalloc and lowmem ----

    /** VMALLOC_END = PKMAP_BASE - 2 * PAGE_SIZE (CONFIG_HIGHMEM). */
    public long vmallocEnd() {
        return pkmapBase() - 2 * PAGE_SIZE;
    }

    /** MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE. */
    public long maxmem() {
        return vmallocEnd() - PAGE_OFFSET - VMALLOC_RESERVE;
    }

    /** MAXMEM_PFN. */
    public long maxmemPfn() {
        return maxmem() >>> PAGE_SHIFT;
    }

    /** high_memory = __va(max_low_pfn * PAGE_SIZE - 1) + 1. */
    public long highMemory() {
        return PAGE_OFFSET + (maxLowPfn << PAGE_SHIFT);
    }

    /** VMALLOC_START = high_memory + VMALLOC_OFFSET. */
    public long vmallocStart() {
        return highMemory() + VMALLOC_OFFSET;
    }

    /** __va(pa) for a lowmem physical address. */
    public static long va(long pa) {
        return PAGE_OFFSET + pa;
    }

    /** __pa(va) for a direct-map address. */
    public static long pa(long va) {
        return va - PAGE_OFFSET;
    }

    // ---- zones ----

    /** The memory zones of this layout (ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM). */
    public enum Zone { DMA, NORMAL, HIGHMEM }

    /** First pfn of {@code z}. */
    public long zoneStartPfn(Zone z) {
        return switch (z) {
            case DMA -> 0;
            case NORMAL -> Math.min(MAX_DMA_PFN, maxLowPfn);
            case HIGHMEM -> maxLowPfn;
        };
    }

    /** One past the last pfn of {@code z}. */
    public long zoneEndPfn(Zone z) {
        return switch (z) {
            case DMA -> Math.min(MAX_DMA_PFN, maxLowPfn);
            case NORMAL -> maxLowPfn;
            case HIGHMEM -> maxPfn;
        };
    }

    /** page_zone(pfn_to_page(pfn)). */
    public Zone zoneOf(long pfn) {
        if (pfn < zoneEndPfn(Zone.DMA)) {
            return Zone.DMA;
        }
        return pfn < maxLowPfn ? Zone.NORMAL : Zone.HIGHMEM;
    }

    // ---- the printout ----

    /**
     * The boot-time "virtual kernel memory layout:" lines (mem_init, removed from x86-32
     * in ~v5.7), plus the kmap_local slot addresses, LAST_PKMAP, KM_MAX_IDX and the zones.
     */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add(String.format("%dMB HIGHMEM available.", ((maxPfn - maxLowPfn) << PAGE_SHIFT) >> 20));
        out.add(String.format("%dMB LOWMEM available.", (maxLowPfn << PAGE_SHIFT) >> 20));
        out.add("virtual kernel memory layout:");
        out.add(kb("    fixmap  ", fixaddrStart(), fixaddrTop));
        out.add(kb("  cpu_entry ", cpuEntryAreaBase(), cpuEntryAreaBase() + cpuEntryAreaMapSize()));
        out.add(kb("    pkmap   ", pkmapBase(), pkmapAddr(lastPkmap())));
        out.add(mb("    vmalloc ", vmallocStart(), vmallocEnd()));
        out.add(mb("    lowmem  ", PAGE_OFFSET, highMemory()));
        out.add(String.format("%s (%s paging), NR_CPUS %d", pae ? "PAE" : "non-PAE", pae ? "3-level" : "2-level",
                nrCpus));
        out.add(String.format("FIXADDR_TOP 0x%08x  FIXADDR_START 0x%08x  FIXADDR_TOT_START 0x%08x", fixaddrTop,
                fixaddrStart(), fixaddrTotStart()));
        out.add(String.format("FIX_KMAP_BEGIN %d -> 0x%08x  FIX_KMAP_END %d -> 0x%08x", fixKmapBegin,
                fixToVirt(fixKmapBegin), fixKmapEnd(), fixToVirt(fixKmapEnd())));
        out.add(String.format("__end_of_permanent_fixed_addresses %d  __end_of_fixed_addresses %d",
                endOfPermanentFixedAddresses(), endOfFixedAddresses()));
        out.add(String.format("KM_MAX_IDX %d: cpu c slot i at FIXADDR_TOP - ((%d + %d*c + i) << 12)", kmMaxIdx,
                fixKmapBegin, kmMaxIdx));
        for (int c = 0; c < nrCpus; c++) {
            out.add(String.format("  cpu%-2d kmap_local slots 0x%08x (i=0) .. 0x%08x (i=%d)", c,
                    kmapLocalSlotAddr(c, 0), kmapLocalSlotAddr(c, kmMaxIdx - 1), kmMaxIdx - 1));
        }
        out.add(String.format("LAST_PKMAP %d  PKMAP_BASE 0x%08x  LDT_BASE_ADDR 0x%08x  VMALLOC_END 0x%08x",
                lastPkmap(), pkmapBase(), ldtBaseAddr(), vmallocEnd()));
        out.add(String.format("MAXMEM 0x%08x (%d MiB)  high_memory 0x%08x  max_low_pfn 0x%x  max_pfn 0x%x", maxmem(),
                maxmem() >> 20, highMemory(), maxLowPfn, maxPfn));
        for (Zone z : Zone.values()) {
            out.add(String.format("  %-7s pfn 0x%06x - 0x%06x (%d MiB)", z, zoneStartPfn(z), zoneEndPfn(z),
                    ((zoneEndPfn(z) - zoneStartPfn(z)) << PAGE_SHIFT) >> 20));
        }
        return out;
    }

    private static String kb(String label, long from, long to) {
        return String.format("%s: 0x%08x - 0x%08x   (%4d kB)", label, from, to, (to - from) >> 10);
    }

    private static String mb(String label, long from, long to) {
        return String.format("%s: 0x%08x - 0x%08x   (%4d MB)", label, from, to, (to - from) >> 20);
    }
}
