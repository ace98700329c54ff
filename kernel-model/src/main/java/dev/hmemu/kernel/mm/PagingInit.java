package dev.hmemu.kernel.mm;

import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;

import dev.hmemu.emulator.elf.ElfSegment;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.PteBits;
import java.util.List;

/**
 * Builds swapper_pg_dir at boot (arch/x86/mm/init_32.c: native_pagetable_init,
 * kernel_physical_mapping_init, permanent_kmaps_init, early_ioremap_page_table_range_init;
 * arch/x86/mm/pgtable.c: preallocated PMDs).
 *
 * <p>Lowmem [PAGE_OFFSET, high_memory) is mapped with large pages (2 MiB PAE / 4 MiB
 * legacy, __PAGE_KERNEL_LARGE) except (a) the large-page regions overlapping the kernel
 * image, mapped with 4 KiB PTEs whose protections follow the ELF segments like
 * CONFIG_STRICT_KERNEL_RWX (text RX, rodata RO, data/bss RW, NX where supported), and
 * (b) a partial last region, mapped with 4 KiB PTEs up to high_memory (split_mem_range).
 * One PTE page covers the pkmap window and contiguous PTE pages cover the whole fixmap,
 * so the kmap_local PTEs form one linear array (__kmap_pte - idx).
 */
final class PagingInit {
    private final Layout layout;
    private final BootMem bootMem;
    private final List<ElfSegment> image;
    private final KernelPageTables tables;

    private PagingInit(PhysicalMemory phys, Layout layout, BootMem bootMem, List<ElfSegment> image) {
        this.layout = layout;
        this.bootMem = bootMem;
        this.image = image;
        long supported = ~0L;
        if (!layout.pae()) {
            supported &= ~_PAGE_NX; // no NX without PAE
        }
        long pgd = layout.pae() ? bootMem.alloc(32, 32) : bootMem.allocPages(1);
        this.tables = new KernelPageTables(phys, layout, pgd, supported);
    }

    /** paging_init(): the kernel page tables, every table page taken from {@code bootMem}. */
    static KernelPageTables build(PhysicalMemory phys, Layout layout, BootMem bootMem, List<ElfSegment> image) {
        PagingInit p = new PagingInit(phys, layout, bootMem, image);
        if (layout.pae()) {
            p.preallocatePmds();
        }
        p.kernelPhysicalMappingInit();
        p.permanentKmapsInit();
        p.fixmapInit();
        return p.tables;
    }

    /** PREALLOCATED_PMDS: all four PMD pages exist from the start, hooked with _PAGE_PRESENT only. */
    private void preallocatePmds() {
        long pmds = bootMem.allocPages(PteBits.PTRS_PER_PGD);
        for (int i = 0; i < PteBits.PTRS_PER_PGD; i++) {
            tables.setEntry(tables.pgd() + 8L * i, (pmds + i * Layout.PAGE_SIZE) | _PAGE_PRESENT);
        }
    }

    /** kernel_physical_mapping_init(): the lowmem direct map. */
    private void kernelPhysicalMappingInit() {
        long lowEnd = layout.maxLowPfn() << Layout.PAGE_SHIFT;
        long large = layout.pmdSize();
        for (long pa = 0; pa < lowEnd; pa += large) {
            long va = Layout.va(pa);
            long pmdp = tables.pmdEntryAddr(va);
            if (pa + large <= lowEnd && !overlapsImage(pa, pa + large)) {
                long prot = layout.pae() ? PteBits.__PAGE_KERNEL_LARGE : PteBits.__PAGE_KERNEL_LARGE & 0xFFF;
                tables.setEntry(pmdp, pa | (prot & tables.supportedPteMask()));
                continue;
            }
            long pte = newPteTable(va);
            long end = Math.min(pa + large, lowEnd);
            // the page's PTEs built in order, then written with one bulk write
            long[] entries = new long[(int) ((end - pa) >>> Layout.PAGE_SHIFT)];
            for (int i = 0; i < entries.length; i++) {
                long p = pa + ((long) i << Layout.PAGE_SHIFT);
                entries[i] = tables.pfnPte(p >>> Layout.PAGE_SHIFT, protFor(p));
            }
            tables.setPtes(pte, entries);
        }
    }

    /** permanent_kmaps_init(): one PTE page for [PKMAP_BASE, PKMAP_BASE + PMD_SIZE), all none. */
    private void permanentKmapsInit() {
        newPteTable(layout.pkmapBase());
    }

    /**
     * early_ioremap_page_table_range_init(): PTE pages for the whole fixmap, from the PMD
     * holding FIXADDR_TOT_START to the top of the address space, allocated in one
     * physically contiguous run in ascending address order.
     */
    private void fixmapInit() {
        long first = layout.fixaddrTotStart() & layout.pmdMask();
        long n = ((1L << 32) - first) / layout.pmdSize();
        long pages = bootMem.allocPages(n);
        for (long i = 0; i < n; i++) {
            long va = first + i * layout.pmdSize();
            tables.setEntry(tables.pmdEntryAddr(va), (pages + i * Layout.PAGE_SIZE) | PteBits._KERNPG_TABLE);
        }
    }

    /** A fresh, empty PTE page hooked under {@code va}'s PMD with _KERNPG_TABLE. */
    private long newPteTable(long va) {
        long pmdp = tables.pmdEntryAddr(va);
        if (KernelPageTables.ptePresent(tables.ptepGet(pmdp))) {
            throw new IllegalStateException(String.format("PMD for %08x populated twice", va));
        }
        long pte = bootMem.allocPages(1);
        tables.setEntry(pmdp, pte | PteBits._KERNPG_TABLE);
        return pte;
    }

    private boolean overlapsImage(long from, long to) {
        for (ElfSegment s : image) {
            if (s.paddr() < to && s.paddr() + s.memSize() > from) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protection of lowmem page {@code pa}: by its ELF segment inside the image
     * (text __PAGE_KERNEL_RX, rodata __PAGE_KERNEL_RO, data __PAGE_KERNEL), else __PAGE_KERNEL.
     */
    private long protFor(long pa) {
        for (ElfSegment s : image) {
            long end = BootMem.align(s.paddr() + s.memSize(), Layout.PAGE_SIZE);
            if (pa >= (s.paddr() & -Layout.PAGE_SIZE) && pa < end) {
                if (s.writable()) {
                    return s.executable() ? PteBits.__PAGE_KERNEL & ~_PAGE_NX : PteBits.__PAGE_KERNEL;
                }
                return s.executable() ? KernelPageTables.__PAGE_KERNEL_RX : KernelPageTables.__PAGE_KERNEL_RO;
            }
        }
        return PteBits.__PAGE_KERNEL | _PAGE_GLOBAL;
    }
}
