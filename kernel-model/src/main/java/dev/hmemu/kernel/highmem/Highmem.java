package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.CallSite;
import dev.hmemu.kernel.report.CallSites;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.WaitQueue;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.tlb.TlbFlush;
import dev.hmemu.mmu.WalkResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The highmem API the guest calls (include/linux/highmem-internal.h on a CONFIG_HIGHMEM
 * x86-32 kernel, !PREEMPT_RT), over {@link Pkmap} (kmap/kunmap) and {@link KmapLocal}
 * (kmap_local/kmap_atomic), plus page_address() and kmap_to_page() of mm/highmem.c.
 *
 * <p>kmap_prot is PAGE_KERNEL (P|RW|A|D|G|NX, as far as the CPU supports G and NX). kmap()
 * and kunmap() call might_sleep() unconditionally; kmap_atomic() raises preempt_count and
 * pagefault_disabled even for lowmem pages; kmap_local_page() of a lowmem page changes
 * nothing unless FORCE_MAP.
 */
public final class Highmem implements HighmemApi {
    static final String HIGHMEM_INTERNAL_H = LinuxSite.KMAP_MIGHT_SLEEP.file();
    /** Line of might_sleep() in kmap() (v6.1). */
    static final int KMAP_MIGHT_SLEEP_LINE = LinuxSite.KMAP_MIGHT_SLEEP.line();
    /** Line of might_sleep() in kunmap() (v6.1). */
    static final int KUNMAP_MIGHT_SLEEP_LINE = LinuxSite.KUNMAP_MIGHT_SLEEP.line();

    private final MmApi mm;
    private final SchedApi sched;
    private final KernelStats stats;
    private final KmapLocalSlots slots;
    private final Layout layout;
    private final Pkmap pkmap;
    private final KmapLocal local;
    private final long kmapProt;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final HighmemSites sites = new HighmemSites();
    /** Findings already made for one slot mapping and accessor (each hand-off or stale use reported once). */
    private final Set<String> reportedAccess = new HashSet<>();

    /**
     * @param slots the kmap_local slots, built before the scheduler (which switches them)
     * @param ctx   report context (CPU, PID, comm) of whoever runs on a CPU
     */
    public Highmem(Machine machine, KernelConfig config, KernelCosts costs, MmApi mm, TlbFlush tlb,
                   KmapLocalSlots slots, SchedApi sched, KernelStats stats, Reports reports,
                   IntFunction<Reports.Context> ctx) {
        this.mm = mm;
        this.sched = sched;
        this.stats = stats;
        this.slots = slots;
        this.layout = mm.layout();
        this.pkmap = new Pkmap(mm, tlb, sched, stats, reports, ctx, costs);
        this.local = new KmapLocal(machine, config, mm, tlb, slots, sched, stats, reports, ctx, sites);
        this.reports = reports;
        this.ctx = ctx;
        this.kmapProt = mm.pageTables().pageKernel();
    }

    @Override
    public void register(HypercallTable t) {
        t.register(Hypercall.KMAP, c -> kmap(c, c.arg(0)));
        t.register(Hypercall.KUNMAP, c -> kunmap(c, c.arg(0)));
        t.register(Hypercall.KMAP_LOCAL_PAGE, c -> kmapLocalPage(c, c.arg(0)));
        t.register(Hypercall.KUNMAP_LOCAL, c -> kunmapLocal(c, c.arg(0)));
        t.register(Hypercall.KMAP_ATOMIC, c -> kmapAtomic(c, c.arg(0)));
        t.register(Hypercall.KUNMAP_ATOMIC, c -> kunmapAtomic(c, c.arg(0)));
        t.register(Hypercall.KMAP_FLUSH_UNUSED, this::kmapFlushUnused);
        t.register(Hypercall.KMAP_TO_PAGE, c -> kmapToPage(c, c.arg(0)));
        t.register(Hypercall.PAGE_ADDRESS, c -> pageAddressCall(c, c.arg(0)));
    }

    /**
     * kmap(): might_sleep(); lowmem gives page_address(); highmem kmap_high(), which may
     * put the task to sleep on pkmap_map_wait and return {@link Hypercall#RESTART}. The
     * re-issued call resumes there (no second might_sleep or KMAP_CALLS).
     */
    public long kmap(Hcall call, long page) {
        Task t = current(call);
        boolean spun = pkmap.lockHandedOver(call.cpuId());
        boolean restarted = t != null && pkmap.restartAfterSleep(t) || spun;
        if (!restarted) {
            sched.mightSleep(call, HIGHMEM_INTERNAL_H, KMAP_MIGHT_SLEEP_LINE);
            stats.count(Counter.KMAP_CALLS, call.cpuId());
        }
        if (!mm.pageHighMem(page)) {
            return pageAddress(page);
        }
        long vaddr = pkmap.kmapHigh(call, t, page, restarted);
        if (vaddr != Hypercall.RESTART && t != null) {
            sites.kmapped(page, t.pid, t.comm, callSites().capture(call.cpu()));
        }
        return vaddr;
    }

    /** kunmap(): might_sleep(); nothing for lowmem; kunmap_high() for highmem. */
    public long kunmap(Hcall call, long page) {
        if (!pkmap.lockHandedOver(call.cpuId())) { // not the re-issue after spinning on kmap_lock
            sched.mightSleep(call, HIGHMEM_INTERNAL_H, KUNMAP_MIGHT_SLEEP_LINE);
            stats.count(Counter.KUNMAP_CALLS, call.cpuId());
        }
        if (mm.pageHighMem(page)) {
            long r = pkmap.kunmapHigh(call, page);
            if (r != Hypercall.RESTART) {
                Task t = current(call);
                sites.kunmapped(page, t == null ? 0 : t.pid);
            }
            return r;
        }
        return 0;
    }

    /** kmap_to_page() = __kmap_to_page(): pkmap PTE, then the current task's kmap_local stack, else virt_to_page. */
    public long kmapToPage(Hcall call, long vaddr) {
        vaddr &= 0xFFFFFFFFL;
        if (layout.inPkmap(vaddr)) {
            kmapToPageWarn(call, LinuxSite.KMAP_TO_PAGE_PKMAP, vaddr, "a kmap() (pkmap) address");
            return pkmap.kmapToPage(vaddr);
        }
        if (slots.inSlotsBelowBegin(vaddr & -Layout.PAGE_SIZE)) {
            kmapToPageWarn(call, LinuxSite.KMAP_TO_PAGE_LOCAL, vaddr, "a kmap_local_page()/kmap_atomic() address");
        }
        long page = local.kmapToPage(current(call), call.cpuId(), vaddr);
        if (page >= 0) {
            return page;
        }
        return (mm.memMap() + ((Layout.pa(vaddr) >>> Layout.PAGE_SHIFT) & 0xFFFFF) * mm.structPageSize())
                & 0xFFFFFFFFL; // virt_to_page(), meaningful for the direct map only
    }

    /** kmap_flush_unused() = __kmap_flush_unused(). */
    public long kmapFlushUnused(Hcall call) {
        return pkmap.kmapFlushUnused(call.cpu());
    }

    /** kmap_local_page() = __kmap_local_page_prot(page, kmap_prot). */
    public long kmapLocalPage(Hcall call, long page) {
        stats.count(Counter.KMAP_LOCAL_CALLS, call.cpuId());
        return local.kmapLocalPageProt(call, current(call), page, kmapProt);
    }

    /** kunmap_local(addr) = kunmap_local_indexed(addr). */
    public long kunmapLocal(Hcall call, long vaddr) {
        stats.count(Counter.KUNMAP_LOCAL_CALLS, call.cpuId());
        local.kunmapLocalIndexed(call, current(call), vaddr);
        return 0;
    }

    /** kmap_atomic() = kmap_atomic_prot(page, kmap_prot): preempt_disable, pagefault_disable, then kmap_local. */
    public long kmapAtomic(Hcall call, long page) {
        stats.count(Counter.KMAP_ATOMIC_CALLS, call.cpuId());
        Task t = current(call);
        sched.preemptDisable(call.cpuId());
        sched.pagefaultDisable(t);
        return local.kmapLocalPageProt(call, t, page, kmapProt);
    }

    /** kunmap_atomic(): kunmap_local_indexed, pagefault_enable, preempt_enable (may reschedule). */
    public long kunmapAtomic(Hcall call, long vaddr) {
        stats.count(Counter.KUNMAP_ATOMIC_CALLS, call.cpuId());
        Task t = current(call);
        local.kunmapLocalIndexed(call, t, vaddr);
        sched.pagefaultEnable(t);
        sched.preemptEnable(call.cpuId(), call);
        return 0;
    }

    /** v6.1's WARN_ON_ONCE in __kmap_to_page() for highmem mappings (kmap_to_page() is deprecated). */
    private void kmapToPageWarn(Hcall call, LinuxSite site, long vaddr, String what) {
        reports.warnOnce(ctx.apply(call.cpuId()), Finding.Kind.KMAP_TO_PAGE_DEPRECATED, site.where(), site.where(),
                site.function(), String.format("kmap_to_page(%08x) of %s", vaddr, what),
                new Reports.Detail(List.of(callSites().resolve("kmap_to_page", callSites().capture(call.cpu()))),
                        "kmap_to_page() of a highmem mapping is deprecated: v6.1 warns once (WARN_ON_ONCE in "
                        + "__kmap_to_page) and still returns the page. Keep the struct page you mapped instead of "
                        + "recovering it from the address."));
    }

    /** The PAGE_ADDRESS hypercall: page_address(), remembering a NULL for a highmem page (page_address_highmem). */
    private long pageAddressCall(Hcall call, long page) {
        long va = pageAddress(page);
        Task t = current(call);
        if (t != null) {
            if (va == 0 && mm.pageHighMem(page)) {
                sites.pageAddressNull(t.pid, page, callSites().capture(call.cpu()));
            } else {
                sites.pageAddressOk(t.pid);
            }
        }
        return va;
    }

    // ---- read-only views for a debugger (monitor kmap) ----

    /** A copy of pkmap_count[]. */
    public int[] pkmapCounts() {
        return pkmap.counts();
    }

    /** Tasks sleeping in pkmap_map_wait. */
    public int pkmapWaiters() {
        return pkmap.waiters();
    }

    /** page_address(): the direct map for lowmem; the pkmap address or 0 (NULL) for highmem. */
    public long pageAddress(long page) {
        long pfn = mm.pageToPfn(page);
        if (pfn < layout.maxLowPfn()) {
            return Layout.va(pfn << Layout.PAGE_SHIFT); // lowmem_page_address()
        }
        return pkmap.pageAddress(page);
    }

    @Override
    public void kmapLocalSchedOut(Task t, int cpu) {
        slots.kmapLocalSchedOut(t, cpu);
    }

    @Override
    public void kmapLocalSchedIn(Task t, int cpu) {
        slots.kmapLocalSchedIn(t, cpu);
    }

    @Override
    public void checkInvariants() {
        pkmap.checkInvariants();
        local.checkInvariants();
    }

    @Override
    public int pkmapMappedCount() {
        return pkmap.mappedCount();
    }

    /** pkmap_count[nr] (for tests and reports). */
    public int pkmapCount(int nr) {
        return pkmap.count(nr);
    }

    /** last_pkmap_nr, the allocation cursor. */
    public int lastPkmapNr() {
        return pkmap.lastPkmapNr();
    }

    /** pkmap_map_wait. */
    @Override
    public WaitQueue pkmapMapWait() {
        return pkmap.pkmapMapWait();
    }

    /** kmap_prot (PAGE_KERNEL as the CPU supports it). */
    public long kmapProt() {
        return kmapProt;
    }

    @Override
    public Reports.Detail nullDereferenceOrigin(Task t, long cr2) {
        HighmemSites.NullAddress n = t == null || cr2 >= Layout.PAGE_SIZE ? null : sites.lastNullAddress(t.pid);
        if (n == null) {
            return null;
        }
        List<CallSite> cs = new ArrayList<>();
        cs.add(callSites().resolve("page_address", n.site()));
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            if (t.kmapCtrl.pteval[i] != 0 && mm.pfnToPage(mm.pageTables().ptePfn(t.kmapCtrl.pteval[i])) == n.page()
                    && t.kmapCtrl.site[i] != null) {
                cs.add(callSites().resolve("kmap_local", t.kmapCtrl.site[i]));
            }
        }
        return new Reports.Detail(cs, String.format("page_address(%08x) returned NULL: the page is in highmem and holds "
                + "no kmap() slot (a kmap_local_page()/kmap_atomic() mapping is not recorded in page_address's "
                + "table), so the NULL was dereferenced at offset %#x. Linux oopses the same way. Use the address "
                + "kmap_local_page() returned instead of page_address().", n.page(), cr2));
    }

    @Override
    public List<Reports.Detail> leakedKmaps() {
        List<Reports.Detail> out = new ArrayList<>();
        for (HighmemSites.Holder h : sites.holders()) {
            out.add(new Reports.Detail(List.of(callSites().resolve("kmap", h.site())), String.format(
                    "page %08x: kmap() by %s/%d, never kunmap()ed", h.page(), h.comm(), h.pid())));
        }
        return out;
    }

    @Override
    public void tlbFilled(Cpu cpu, long vaddr, WalkResult r, boolean tlbHit) {
        long base = vaddr & -Layout.PAGE_SIZE & 0xFFFFFFFFL;
        boolean local = slots.inSlots(base);
        if (tlbHit && local) {
            WalkResult now = cpu.mmu().debugTranslate(base);
            boolean same = now instanceof WalkResult.Mapped m && r instanceof WalkResult.Mapped h
                    && m.pageBase() == h.pageBase();
            if (!same) {
                staleAccess(cpu, base, now);
                return;
            }
        }
        if (local && r instanceof WalkResult.Mapped) {
            crossContext(cpu, base);
        }
    }

    @Override
    public Reports.Detail kmapLocalFault(Cpu cpu, long vaddr) {
        long base = vaddr & -Layout.PAGE_SIZE & 0xFFFFFFFFL;
        if (!slots.inSlots(base)) {
            return null;
        }
        HighmemSites.SlotUse u = sites.slot(base);
        if (u == null) {
            return null;
        }
        List<CallSite> cs = new ArrayList<>();
        cs.add(callSites().resolve("kmap_local", u.mapSite()));
        if (u.unmapSite() != null) {
            cs.add(callSites().resolve("kunmap_local", u.unmapSite()));
        }
        Task cur = sched.current(cpu.id());
        boolean other = cur == null || cur.pid != u.pid() || cpu.id() != u.cpu();
        return new Reports.Detail(cs, other
                ? String.format("%08x is a kmap_local slot of CPU %d mapped by %s/%d; it was used by %s on CPU %d, "
                + "where the slot is not mapped. kmap_local_page()/kmap_atomic() addresses are valid only in the "
                + "task (and on the CPU) that mapped them: use kmap() for an address another task needs, or let "
                + "that task map the page itself.", base, u.cpu(), u.comm(), u.pid(),
                cur == null ? "an idle CPU" : cur.comm + "/" + cur.pid, cpu.id())
                : String.format("%08x was used after kunmap_local() unmapped it. Move the access before the "
                + "kunmap_local().", base));
    }

    /**
     * The access went through a TLB entry whose PTE no longer maps that page. Only kmap_local
     * slots are checked: the model's pkmap code never changes a PTE without the flush Linux
     * does, and a guest that rewrites page tables itself (an MMU test) means to see stale
     * entries.
     */
    private void staleAccess(Cpu cpu, long base, WalkResult now) {
        HighmemSites.SlotUse u = sites.slot(base);
        String key = "stale/" + base + "/" + (u == null ? 0 : u.seq()) + "/" + cpu.id();
        if (!reportedAccess.add(key)) {
            return;
        }
        List<CallSite> cs = new ArrayList<>();
        cs.add(callSites().resolve("access", callSites().capture(cpu)));
        if (u != null && u.unmapSite() != null) {
            cs.add(callSites().resolve("kunmap_local", u.unmapSite()));
        }
        if (u != null) {
            cs.add(callSites().resolve("kmap_local", u.mapSite()));
        }
        String pte = now instanceof WalkResult.Mapped m ? String.format("now maps %08x", m.pageBase())
                : "is now clear";
        reports.leak(ctx.apply(cpu.id()), Finding.Kind.STALE_TLB_ACCESS, String.format(
                "CPU %d accessed %08x through a stale TLB entry: its PTE %s", cpu.id(), base, pte),
                new Reports.Detail(cs, "The PTE was changed without flushing this CPU's TLB entry (after an "
                        + "out-of-order kunmap_local() Linux clears the top slot's PTE but INVLPGs the address "
                        + "passed). Real hardware silently reads the old page until the entry is evicted. Unmap "
                        + "kmap_local mappings in reverse order and do not use an address after unmapping it."));
    }

    /** A kmap_local slot used by a task or CPU that does not own it. */
    private void crossContext(Cpu cpu, long base) {
        int slot = (int) ((layout.fixToVirt(layout.fixKmapBegin()) - base) >>> Layout.PAGE_SHIFT);
        int ownerCpu = slot / layout.kmMaxIdx();
        int pos = slot % layout.kmMaxIdx();
        Task cur = sched.current(cpu.id());
        if (ownerCpu == cpu.id() && cur != null && pos < cur.kmapCtrl.idx && cur.kmapCtrl.pteval[pos] != 0) {
            return; // the mapping task on its own CPU
        }
        HighmemSites.SlotUse u = sites.slot(base);
        if (u == null) {
            return;
        }
        String key = "cross/" + base + "/" + u.seq() + "/" + (cur == null ? -1 : cur.pid) + "/" + cpu.id();
        if (!reportedAccess.add(key)) {
            return;
        }
        List<CallSite> cs = List.of(callSites().resolve("access", callSites().capture(cpu)),
                callSites().resolve("kmap_local", u.mapSite()));
        String who = cur == null ? "the idle task" : cur.comm + "/" + cur.pid;
        reports.leak(ctx.apply(cpu.id()), Finding.Kind.LOCAL_MAPPING_CROSS_CONTEXT, String.format(
                "%s on CPU %d used %08x, a kmap_local mapping made by %s/%d on CPU %d", who, cpu.id(), base,
                u.comm(), u.pid(), u.cpu()),
                new Reports.Detail(cs, "kmap_local_page()/kmap_atomic() addresses belong to the task that mapped "
                        + "them, on the CPU it ran on: another CPU's slot holds whatever that CPU maps there now "
                        + "(silent corruption) and another task on the same CPU finds the slot unmapped (oops). "
                        + "Pass the struct page and let the other context map it, or use kmap() for a global "
                        + "address."));
    }

    private CallSites callSites() {
        return reports.sites();
    }

    private Task current(Hcall call) {
        return sched.current(call.cpuId());
    }
}
