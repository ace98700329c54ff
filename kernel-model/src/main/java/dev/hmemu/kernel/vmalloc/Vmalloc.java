package dev.hmemu.kernel.vmalloc;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.tlb.TlbFlush;
import java.util.function.IntFunction;

/**
 * The page-table half of mm/vmalloc.c (v6.1): vmap_pages_range() and
 * vunmap_range_noflush() on the vmalloc area, and flush_tlb_kernel_range() for the
 * guest's lazy purge. The guest runtime (runtime/lib/vmalloc.c) keeps the vmap_area
 * lists, the lazy counter and __purge_vmap_area_lazy(); unmapping here never flushes, as
 * upstream, so stale TLB entries of a freed area live until the purge's
 * flush_tlb_kernel_range(), which goes through the same {@link TlbFlush} as the pkmap
 * wrap (same counters, IPIs and cycle costs).
 */
public final class Vmalloc {
    static final String VMALLOC_C = "mm/vmalloc.c";
    /** WARN_ON(!pte_none(*pte)) in vmap_pages_pte_range(). */
    static final int PTE_NOT_NONE_LINE = 541;
    /** -EINVAL, -EBUSY. */
    static final int EINVAL = -22;
    static final int EBUSY = -16;

    private final GuestMemory memory;
    private final MmApi mm;
    private final KernelPageTables pt;
    private final TlbFlush tlb;
    private final Layout layout;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final long pteCost;

    /**
     * @param pteCost kernel.vmap.pte: cycles per PTE written or cleared
     */
    public Vmalloc(GuestMemory memory, MmApi mm, TlbFlush tlb, Reports reports, IntFunction<Reports.Context> ctx,
                   long pteCost) {
        this.memory = memory;
        this.mm = mm;
        this.pt = mm.pageTables();
        this.tlb = tlb;
        this.layout = mm.layout();
        this.reports = reports;
        this.ctx = ctx;
        this.pteCost = pteCost;
    }

    public void register(HypercallTable t) {
        t.register(Hypercall.VMALLOC_INFO, this::vmallocInfo);
        t.register(Hypercall.VMAP_PAGES_RANGE, this::vmapPagesRange);
        t.register(Hypercall.VUNMAP_RANGE_NOFLUSH, this::vunmapRangeNoflush);
        t.register(Hypercall.FLUSH_TLB_KERNEL_RANGE, this::flushTlbKernelRange);
    }

    /** HC_VMALLOC_INFO: writes VMALLOC_START and VMALLOC_END at a0. */
    private long vmallocInfo(Hcall c) {
        memory.writeU32(c.arg(0), layout.vmallocStart());
        memory.writeU32(c.arg(0) + 4, layout.vmallocEnd());
        return 0;
    }

    private boolean inVmallocArea(long start, long end) {
        return (start & (Layout.PAGE_SIZE - 1)) == 0 && start >= layout.vmallocStart() && end <= layout.vmallocEnd()
                && start < end;
    }

    private void warnOutside(Hcall c, String fn, long start, long end) {
        reports.warn(ctx.apply(c.cpuId()), VMALLOC_C, fn, String.format(
                "hmemu: %s(%08x, %08x) outside the vmalloc area [%08x, %08x)", fn, start, end,
                layout.vmallocStart(), layout.vmallocEnd()));
    }

    /**
     * vmap_pages_range(addr, addr + nr * PAGE_SIZE, PAGE_KERNEL, pages): one PTE per page,
     * allocating PTE pages as needed; a PTE that is not none WARNs and fails with -EBUSY.
     */
    private long vmapPagesRange(Hcall c) {
        long addr = c.arg(0);
        long pages = c.arg(1);
        long nr = c.arg(2);
        long end = addr + nr * Layout.PAGE_SIZE;
        if (nr == 0 || nr > (layout.vmallocEnd() - layout.vmallocStart()) >> Layout.PAGE_SHIFT
                || !inVmallocArea(addr, end)) {
            warnOutside(c, "vmap_pages_range", addr, end);
            return EINVAL;
        }
        long prot = pt.pageKernel();
        for (long i = 0; i < nr; i++) {
            long page = memory.readU32(pages + 4 * i);
            long pfn = mm.pageToPfn(page);
            long ptep = pt.kernelPtepAlloc(addr + i * Layout.PAGE_SIZE);
            if (!KernelPageTables.pteNone(pt.ptepGet(ptep))) {
                reports.warn(ctx.apply(c.cpuId()), VMALLOC_C + ":" + PTE_NOT_NONE_LINE, "vmap_pages_pte_range",
                        "!pte_none(*pte)");
                return EBUSY;
            }
            pt.setPte(ptep, pt.pfnPte(pfn, prot));
        }
        charge(c.cpu(), nr);
        return 0;
    }

    /** vunmap_range_noflush(addr, end): clears the PTEs; no TLB flush (the purge does it). */
    private long vunmapRangeNoflush(Hcall c) {
        long start = c.arg(0);
        long end = c.arg(1);
        if (!inVmallocArea(start, end)) {
            warnOutside(c, "vunmap_range_noflush", start, end);
            return EINVAL;
        }
        long cleared = 0;
        for (long va = start; va < end; va += Layout.PAGE_SIZE) {
            long ptep = pt.virtToKpte(va);
            if (ptep >= 0 && !KernelPageTables.pteNone(pt.ptepGet(ptep))) {
                pt.pteClear(ptep);
                cleared++;
            }
        }
        charge(c.cpu(), cleared);
        return 0;
    }

    /** flush_tlb_kernel_range(start, end) for the guest's __purge_vmap_area_lazy(). */
    private long flushTlbKernelRange(Hcall c) {
        long start = c.arg(0);
        long end = c.arg(1);
        Cpu cpu = c.cpu();
        if (end != Layout.TLB_FLUSH_ALL && !inVmallocArea(start & -Layout.PAGE_SIZE, end)) {
            warnOutside(c, "flush_tlb_kernel_range", start, end);
            return EINVAL;
        }
        tlb.flushTlbKernelRange(cpu, start, end);
        return 0;
    }

    private void charge(Cpu cpu, long ptes) {
        if (ptes > 0) {
            cpu.charge(CycleCategory.KERNEL, pteCost * ptes);
        }
    }
}
