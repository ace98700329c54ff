package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.elf.ElfSegment;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.ControlRegisters;
import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.PagingMode;
import dev.hmemu.mmu.PhysicalMemory;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Memory management of the model: boot-time layout and page tables (arch/x86/mm/init_32.c),
 * mem_map, the page allocator, kmalloc, and the guest's user regions.
 *
 * <p>Physical memory at boot: [0, 1 MiB) reserved; the kernel image from 1 MiB to its
 * physical end; then the boot allocations (PDPT, PMDs, PTE pages, mem_map). All of that
 * stays reserved (refcount 1, PG_reserved); everything else up to max_pfn is free.
 */
public final class Mm implements MmApi {
    /** First pfn above the low 1 MiB that is never handed out (BIOS/real-mode area). */
    static final long LOW_RESERVED_PFN = (1L << 20) >>> Layout.PAGE_SHIFT;
    /** CR0 of a running 32-bit kernel: PG|AM|WP|NE|ET|MP|PE. */
    static final long CR0_STATE = 0x80050033L;
    /** Where a bad __free_pages() is reported: bad_page() in mm/page_alloc.c (~v6.1 line, unverified). */
    static final String BAD_PAGE_SITE = "mm/page_alloc.c:640";
    /** Where a bad kfree() is reported: SLUB's naive double-free BUG_ON in set_freepointer() (~v6.1, unverified). */
    static final String BAD_KFREE_SITE = "mm/slub.c:379";

    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final Layout layout;
    private final PhysicalMemory phys;
    private final KernelPageTables tables;
    private final MemMap memMap;
    private final PageAllocator pages;
    private final Slab slab;
    private final UserSpace user;
    /** The first pfn of every block the guest holds from alloc_pages(). */
    private final BitSet guestBlocks = new BitSet();
    private long guestPages;

    private Mm(Reports reports, IntFunction<Reports.Context> ctx, PhysicalMemory phys, Layout layout,
               KernelPageTables tables, MemMap memMap, PageAllocator pages) {
        this.reports = reports;
        this.ctx = ctx;
        this.layout = layout;
        this.phys = phys;
        this.tables = tables;
        this.memMap = memMap;
        this.pages = pages;
        this.slab = new Slab(pages, memMap, phys);
        this.user = new UserSpace(tables, pages);
        tables.setPtePageAllocator(() -> {
            long pfn = pages.allocPages(PageAllocator.GFP_KERNEL | PageAllocator.__GFP_ZERO, 0);
            if (pfn < 0) {
                throw new IllegalStateException("out of lowmem for a user PTE page");
            }
            return pfn << Layout.PAGE_SHIFT;
        });
    }

    /**
     * setup_arch() + paging_init() + mem_init() for an image whose PT_LOAD segments are
     * {@code image} (already loaded into physical memory): computes the layout, builds
     * swapper_pg_dir and mem_map, frees the rest of memory into the page allocator, and
     * sets high_memory for guest accesses.
     *
     * @param memory  kernel-virtual access to guest memory (its high_memory is set here)
     * @param reports where a bad free is reported
     * @param ctx     report context (CPU, PID, comm) of whoever runs on a CPU
     */
    public static Mm boot(Machine machine, KernelConfig config, GuestMemory memory, Reports reports,
                          IntFunction<Reports.Context> ctx, List<ElfSegment> image) {
        long memBytes = machine.config().memoryBytes();
        PagingMode mode = machine.config().paging();
        Layout layout = Layout.compute(config, memBytes, machine.cpus().size(), mode);
        long imageEnd = image.stream().mapToLong(s -> s.paddr() + s.memSize()).max().orElse(1L << 20);
        long lowEnd = layout.maxLowPfn() << Layout.PAGE_SHIFT;
        if (imageEnd > lowEnd) {
            throw new IllegalArgumentException(String.format("kernel image ends at %#x, beyond lowmem (%#x)",
                    imageEnd, lowEnd));
        }
        PhysicalMemory phys = machine.memory();
        BootMem bootMem = new BootMem(phys, Math.max(imageEnd, 1L << 20), lowEnd);
        KernelPageTables tables = PagingInit.build(phys, layout, bootMem, image);
        // PageAllocator.init writes every struct page whole, but those of free highmem when first
        // used (MemMap.deferHighmemPages): those rely on fresh guest memory reading zero
        long memMapPa = bootMem.allocRaw(MemMap.bytesFor(layout.maxPfn()), Layout.PAGE_SIZE);
        MemMap memMap = new MemMap(phys, memMapPa, layout.maxPfn());
        PageAllocator pages = new PageAllocator(layout, memMap, phys);
        long imageFirstPfn = image.stream().mapToLong(ElfSegment::paddr).min().orElse(1L << 20) >>> Layout.PAGE_SHIFT;
        long bootEndPfn = bootMem.end() >>> Layout.PAGE_SHIFT;
        pages.init(List.of(new PfnRange(0, LOW_RESERVED_PFN),
                new PfnRange(imageFirstPfn, Math.max(imageFirstPfn, bootEndPfn))));
        memory.setHighMemory(layout.highMemory());
        return new Mm(reports, ctx, phys, layout, tables, memMap, pages);
    }

    @Override
    public Layout layout() {
        return layout;
    }

    @Override
    public KernelPageTables pageTables() {
        return tables;
    }

    /**
     * Paging on for {@code cpu} as the boot CPU path leaves it: EFER.NXE (PAE), CR4 =
     * PSE|PGE (|PAE), CR3 = swapper_pg_dir, CR0 = 0x80050033 (the PDPTEs load as PG turns
     * on), then a full flush.
     */
    @Override
    public void activate(Cpu cpu) {
        Mmu mmu = cpu.mmu();
        long cr4 = ControlRegisters.CR4_PSE | ControlRegisters.CR4_PGE;
        if (layout.pae()) {
            mmu.setEfer(mmu.cr().efer() | ControlRegisters.EFER_NXE);
            cr4 |= ControlRegisters.CR4_PAE;
        }
        mmu.writeCr4(cr4);
        mmu.loadCr3(tables.pgd());
        mmu.writeCr0(CR0_STATE);
        mmu.flushAll();
        cpu.syncEngineTlb();
    }

    @Override
    public void register(HypercallTable table) {
        table.register(Hypercall.ALLOC_PAGES, this::allocPagesCall);
        table.register(Hypercall.FREE_PAGES, this::freePagesCall);
        table.register(Hypercall.KMALLOC, c -> slab.kmalloc(c.arg(0), c.argInt(1)));
        table.register(Hypercall.KFREE, this::kfreeCall);
        table.register(Hypercall.USER_ALLOC, c -> user.userAlloc(c.arg(0)));
    }

    /** alloc_pages(gfp, order): the struct page of the first page, or 0 (NULL). */
    private long allocPagesCall(Hcall c) {
        int order = c.argInt(1);
        long pfn = pages.allocPages(c.argInt(0), order);
        if (pfn < 0) {
            return 0;
        }
        guestPages += 1L << order;
        guestBlocks.set(Math.toIntExact(pfn));
        return memMap.pfnToPage(pfn);
    }

    /** __free_pages(page, order); a bad free is a kernel BUG (bad_page). */
    private long freePagesCall(Hcall c) {
        long page = c.arg(0);
        long pfn = memMap.pageToPfn(page);
        int order = c.argInt(1);
        String bad = pages.freePages(pfn, order);
        if (bad != null) {
            Reports.Context who = ctx.apply(c.cpuId());
            throw reports.bug(who, BAD_PAGE_SITE, String.format(
                    "BUG: Bad page state in process %s  pfn:%05x%npage:%08x refcount:%d mapcount:%d pfn:%#x%n"
                            + "page dumped because: %s",
                    who.comm(), pfn, page, memMap.refcount(pfn), memMap.mapcount(pfn) + 1, pfn, bad));
        }
        // freed (freePages accepted the pfn as a block's first page) and held by the guest
        if (pages.orderOf(pfn) < 0 && guestBlocks.get(Math.toIntExact(pfn))) {
            guestBlocks.clear(Math.toIntExact(pfn));
            guestPages -= 1L << order;
        }
        return 0;
    }

    private long kfreeCall(Hcall c) {
        String bad = slab.kfree(c.arg(0));
        if (bad != null) {
            throw reports.bug(ctx.apply(c.cpuId()), BAD_KFREE_SITE, bad);
        }
        return 0;
    }

    @Override
    public long kmalloc(long size) {
        long va = slab.kmalloc(size, PageAllocator.GFP_KERNEL | PageAllocator.__GFP_ZERO);
        if (va == 0) {
            throw new IllegalStateException("kmalloc(" + size + "): out of lowmem");
        }
        return va;
    }

    @Override
    public void kfree(long va) {
        String bad = slab.kfree(va);
        if (bad != null) {
            throw new IllegalStateException(bad);
        }
    }

    /** A THREAD_SIZE-aligned, zeroed order-n block of lowmem. */
    @Override
    public long allocStack(int size) {
        int order = 0;
        while ((Layout.PAGE_SIZE << order) < size) {
            order++;
        }
        long pfn = pages.allocPages(PageAllocator.GFP_KERNEL | PageAllocator.__GFP_ZERO, order);
        if (pfn < 0) {
            throw new IllegalStateException("out of lowmem for a " + size + "-byte kernel stack");
        }
        return Layout.va(pfn << Layout.PAGE_SHIFT);
    }

    @Override
    public void freeStack(long va, int size) {
        int order = 0;
        while ((Layout.PAGE_SIZE << order) < size) {
            order++;
        }
        String bad = pages.freePages(Layout.pa(va) >>> Layout.PAGE_SHIFT, order);
        if (bad != null) {
            throw new IllegalStateException(String.format("freeing the kernel stack at %08x: %s", va, bad));
        }
    }

    @Override
    public long memMap() {
        return memMap.memMap();
    }

    @Override
    public int structPageSize() {
        return MemMap.STRUCT_PAGE_SIZE;
    }

    @Override
    public long pageToPfn(long page) {
        return memMap.pageToPfn(page);
    }

    @Override
    public long pfnToPage(long pfn) {
        return memMap.pfnToPage(pfn);
    }

    @Override
    public boolean pageHighMem(long page) {
        return memMap.pageToPfn(page) >= layout.maxLowPfn();
    }

    /** Blocks of free highmem whose struct pages are not initialised yet (tests). */
    long deferredStructPageBlocks() {
        return memMap.deferredBlocks();
    }

    /** page_ref_count(page), for tests and reports. */
    public int pageRefCount(long page) {
        return memMap.refcount(memMap.pageToPfn(page));
    }

    /** Free pages left in {@code zone}. */
    public long nrFreePages(Layout.Zone zone) {
        return pages.nrFree(zone);
    }

    @Override
    public boolean handleUserFault(long va, AccessType access) {
        return user.handleFault(va, access);
    }

    @Override
    public boolean isUserRegion(long va, long len) {
        return user.isUserRegion(va, len);
    }

    @Override
    public long readPte(long va) {
        return tables.lookup(va);
    }

    @Override
    public String dumpPagetable(long va) {
        return tables.dump(va);
    }

    /** Pages the guest holds from alloc_pages() (kmalloc and user pages not included). */
    @Override
    public long pagesInUse() {
        return guestPages;
    }
}
