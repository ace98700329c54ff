package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.WaitQueue;
import dev.hmemu.kernel.smp.SmpTime;
import dev.hmemu.kernel.smp.TimedLock;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.tlb.TlbFlush;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Persistent kmaps: the CONFIG_HIGHMEM half of mm/highmem.c (x86: one colour, no
 * kmap_high_get, kmap_lock a plain spinlock).
 *
 * <p>pkmap_count[n] is not a pure count:
 * <ul>
 * <li>0: the slot is unmapped and has not been mapped since the last TLB flush: usable;
 * <li>1: no users, but mapped since the last flush: its PTE and page_address() entry
 *     stay until flush_all_zero_pkmaps() clears them at the next wrap;
 * <li>n &gt;= 2: mapped with n-1 users.
 * </ul>
 * A count-0 slot is TLB-clean, so mapping never flushes; only a wrap of last_pkmap_nr (or
 * kmap_flush_unused) that finds count-1 slots flushes, with flush_tlb_kernel_range over
 * the whole window: an IPI to every other CPU.
 *
 * <p>Line numbers in BUG sites are those of ~v6.1 mm/highmem.c as best known (unverified).
 */
final class Pkmap {
    static final String FLUSH_PTE_NONE_SITE = LinuxSite.FLUSH_ALL_ZERO_PKMAPS_PTE_NONE.where();
    static final String KMAP_HIGH_COUNT_SITE = LinuxSite.KMAP_HIGH_COUNT.where();
    static final String KUNMAP_HIGH_NOT_MAPPED_SITE = LinuxSite.KUNMAP_HIGH_NOT_MAPPED.where();
    static final String KUNMAP_HIGH_ZERO_SITE = LinuxSite.KUNMAP_HIGH_ZERO.where();
    static final String SET_PAGE_ADDRESS_SITE = LinuxSite.SET_PAGE_ADDRESS_LOWMEM.where();

    private final MmApi mm;
    private final SchedApi sched;
    private final KernelStats stats;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final KernelCosts costs;
    private final KernelPageTables pt;
    private final TlbFlush tlb;
    private final Layout layout;
    private final int LAST_PKMAP;
    /** pkmap_count[LAST_PKMAP]. */
    private final int[] pkmapCount;
    /** The function-static last_pkmap_nr of get_next_pkmap_nr(). */
    private int lastPkmapNr;
    /** kmap_lock, in time (contention counted in KMAP_LOCK_CONTENDED / _SPIN_CYCLES). */
    private final TimedLock kmapLock;
    private final SmpTime smp;
    /** pkmap_map_wait: kmap() callers waiting for a slot. */
    private final WaitQueue pkmapMapWait = new WaitQueue("pkmap_map_wait");
    /** pkmap_page_table: physical address of PTE 0 of the pkmap window. */
    private final long pkmapPageTable;
    private final PageAddressTable pageAddress;
    /** Tasks that slept in map_new_virtual and will re-issue their kmap. */
    private final Set<Task> sleepers = new HashSet<>();

    Pkmap(MmApi mm, TlbFlush tlb, SchedApi sched, KernelStats stats, Reports reports,
          IntFunction<Reports.Context> ctx, KernelCosts costs) {
        this.mm = mm;
        this.sched = sched;
        this.stats = stats;
        this.reports = reports;
        this.ctx = ctx;
        this.costs = costs;
        this.pt = mm.pageTables();
        this.tlb = tlb;
        this.layout = mm.layout();
        this.LAST_PKMAP = layout.lastPkmap();
        this.pkmapCount = new int[LAST_PKMAP];
        this.pkmapPageTable = pt.virtToKpte(layout.pkmapBase());
        if (pkmapPageTable < 0) {
            throw new IllegalStateException("no PTE page under PKMAP_BASE (permanent_kmaps_init missing)");
        }
        this.pageAddress = new PageAddressTable(LAST_PKMAP, layout.pkmapBase());
        this.smp = tlb.smp();
        this.kmapLock = new TimedLock("kmap_lock", (cpu, spin) -> {
            stats.count(Counter.KMAP_LOCK_CONTENDED, cpu);
            stats.add(Counter.KMAP_LOCK_SPIN_CYCLES, cpu, spin);
        });
    }

    /** Whether {@code cpu} was handed kmap_lock while spinning and re-issues its call now. */
    boolean lockHandedOver(int cpu) {
        return kmapLock.handedOverTo(cpu);
    }

    WaitQueue pkmapMapWait() {
        return pkmapMapWait;
    }

    /** A copy of pkmap_count[] (for a debugger's view). */
    int[] counts() {
        return pkmapCount.clone();
    }

    /** Tasks sleeping in pkmap_map_wait for a free slot. */
    int waiters() {
        return sleepers.size();
    }

    int lastPkmapNr() {
        return lastPkmapNr;
    }

    int count(int nr) {
        return pkmapCount[nr];
    }

    /** &pkmap_page_table[nr]. */
    long ptep(int nr) {
        return pkmapPageTable + (long) pt.pteSize() * nr;
    }

    /** get_next_pkmap_nr(): advance the cursor; the first slot ever handed out is 1. */
    private int getNextPkmapNr() {
        lastPkmapNr = (lastPkmapNr + 1) & layout.lastPkmapMask();
        return lastPkmapNr;
    }

    /** no_more_pkmaps(): the cursor wrapped to 0. */
    private static boolean noMorePkmaps(int pkmapNr) {
        return pkmapNr == 0;
    }

    /** page_address() of a highmem page (the hash lookup), 0 when it holds no slot. */
    long pageAddress(long page) {
        return pageAddress.get(page);
    }

    /** The kmap() half of __kmap_to_page(): the page a pkmap address maps (pte_page of its PTE). */
    long kmapToPage(long addr) {
        return mm.pfnToPage(pt.ptePfn(pt.ptepGet(ptep(layout.pkmapNr(addr)))));
    }

    /**
     * flush_all_zero_pkmaps() (kmap_lock held): every count-1 slot goes to 0, its PTE is
     * cleared and its page_address() entry removed; then, if any was, one
     * flush_tlb_kernel_range() over the whole window.
     */
    private void flushAllZeroPkmaps(Cpu cpu) {
        boolean needFlush = false;
        charge(cpu, costs.pkmapScanSlot(), LAST_PKMAP);
        for (int i = 0; i < LAST_PKMAP; i++) {
            if (pkmapCount[i] != 1) {
                continue; // 0: nothing to do; >1: still in use
            }
            pkmapCount[i] = 0;
            long pte = pt.ptepGet(ptep(i));
            if (KernelPageTables.pteNone(pte)) {
                throw reports.bug(ctx.apply(cpu.id()), FLUSH_PTE_NONE_SITE,
                        String.format("BUG_ON(pte_none(pkmap_page_table[%d]))", i));
            }
            long page = mm.pfnToPage(pt.ptePfn(pte));
            pt.pteClear(ptep(i));
            setPageAddress(cpu, page, 0);
            charge(cpu, costs.pkmapClearSlot(), 1);
            needFlush = true;
        }
        if (needFlush) {
            stats.count(Counter.PKMAP_FLUSHES, cpu.id());
            tlb.flushTlbKernelRange(cpu, layout.pkmapAddr(0), layout.pkmapAddr(LAST_PKMAP));
        }
    }

    /** __kmap_flush_unused(): flush_all_zero_pkmaps() under kmap_lock. */
    long kmapFlushUnused(Cpu cpu) {
        if (!lockKmap(cpu)) {
            return Hypercall.RESTART;
        }
        try {
            flushAllZeroPkmaps(cpu);
        } finally {
            unlockKmap(cpu);
        }
        return 0;
    }

    /**
     * map_new_virtual() (kmap_lock held): find a count-0 slot scanning from the cursor,
     * flushing at each wrap; when a full scan finds none, sleep on pkmap_map_wait and
     * return {@link Hypercall#RESTART} (the caller re-issues kmap and starts over, like
     * Linux's "goto start" after schedule()).
     */
    private long mapNewVirtual(Hcall call, Task t, long page, boolean restarted) {
        Cpu cpu = call.cpu();
        int count = LAST_PKMAP;
        int nr;
        for (;;) {
            nr = getNextPkmapNr();
            charge(cpu, costs.pkmapNextSlot(), 1);
            if (noMorePkmaps(nr)) {
                stats.count(Counter.PKMAP_WRAPS, cpu.id());
                flushAllZeroPkmaps(cpu);
                count = LAST_PKMAP;
            }
            if (pkmapCount[nr] == 0) {
                break; // found a usable entry
            }
            if (--count != 0) {
                continue;
            }
            // sleep for somebody else to unmap their entries
            unlockKmap(cpu);
            if (!restarted) {
                stats.count(Counter.KMAP_WAITS, cpu.id());
            }
            sleepers.add(t);
            return sched.sleepOn(call, pkmapMapWait);
        }
        long vaddr = layout.pkmapAddr(nr);
        pt.setPte(ptep(nr), pt.pfnPte(mm.pageToPfn(page), pt.pageKernel()));
        pkmapCount[nr] = 1;
        setPageAddress(cpu, page, vaddr);
        return vaddr;
    }

    /**
     * kmap_high(): the page's pkmap address with one more user; maps it first if it has
     * none. Returns {@link Hypercall#RESTART} when the task went to sleep for a slot.
     *
     * @param restarted the call is the re-issue of a kmap that slept (counted once in KMAP_WAITS)
     */
    long kmapHigh(Hcall call, Task t, long page, boolean restarted) {
        if (!lockKmap(call.cpu())) {
            call.endSlice();
            return Hypercall.RESTART; // spins until handed the lock, then issued again
        }
        long vaddr = pageAddress(page);
        if (vaddr == 0) {
            vaddr = mapNewVirtual(call, t, page, restarted);
            if (vaddr == Hypercall.RESTART) {
                return vaddr; // kmap_lock was dropped before sleeping
            }
        }
        int nr = layout.pkmapNr(vaddr);
        pkmapCount[nr]++;
        if (pkmapCount[nr] < 2) {
            unlockKmap(call.cpu());
            throw reports.bug(ctx.apply(call.cpuId()), KMAP_HIGH_COUNT_SITE,
                    String.format("BUG_ON(pkmap_count[%d] < 2)", nr));
        }
        unlockKmap(call.cpu());
        return vaddr;
    }

    /** Whether {@code t} is re-issuing a kmap after sleeping in map_new_virtual (consumes the mark). */
    boolean restartAfterSleep(Task t) {
        return sleepers.remove(t);
    }

    /**
     * kunmap_high(): one user less; the PTE stays. A count must never reach 0 without a
     * flush (BUG); reaching 1 wakes pkmap_map_wait if anybody waits.
     */
    long kunmapHigh(Hcall call, long page) {
        if (!lockKmap(call.cpu())) {
            call.endSlice();
            return Hypercall.RESTART;
        }
        long vaddr = pageAddress(page);
        if (vaddr == 0) {
            unlockKmap(call.cpu());
            throw reports.bug(ctx.apply(call.cpuId()), KUNMAP_HIGH_NOT_MAPPED_SITE,
                    String.format("BUG_ON(!vaddr): kunmap of page %08x that holds no pkmap slot", page));
        }
        int nr = layout.pkmapNr(vaddr);
        boolean needWakeup = false;
        switch (--pkmapCount[nr]) {
            case 0 -> {
                unlockKmap(call.cpu());
                throw reports.bug(ctx.apply(call.cpuId()), KUNMAP_HIGH_ZERO_SITE,
                        String.format("pkmap_count[%d] dropped to 0 without a TLB flush", nr));
            }
            case 1 -> needWakeup = pkmapMapWait.active(); // waitqueue_active()
            default -> { }
        }
        unlockKmap(call.cpu());
        if (needWakeup) {
            sched.wakeUp(pkmapMapWait, call.cpuId());
        }
        return 0;
    }

    /** set_page_address(): BUG_ON(!PageHighMem(page)), then add or remove the entry. */
    private void setPageAddress(Cpu cpu, long page, long virtual) {
        if (!mm.pageHighMem(page)) {
            throw reports.bug(ctx.apply(cpu.id()), SET_PAGE_ADDRESS_SITE, "BUG_ON(!PageHighMem(page))");
        }
        pageAddress.set(page, virtual);
    }

    /**
     * lock_kmap() = spin_lock(&kmap_lock), in time: taken at once, or after spinning until
     * the holder's release, or (held now) false: this CPU spins until handed the lock and
     * issues its call again.
     */
    private boolean lockKmap(Cpu cpu) {
        return smp.lock(kmapLock, cpu);
    }

    /** unlock_kmap(): at this CPU's clock (after its IPI wait, if it waits). */
    private void unlockKmap(Cpu cpu) {
        smp.unlock(kmapLock, cpu);
    }

    /** {@code n} times the kernel work {@code cost} on {@code cpu}. */
    private static void charge(Cpu cpu, long cost, long n) {
        if (n > 0) {
            cpu.charge(CycleCategory.KERNEL, cost * n);
        }
    }

    /** Slots with users (count >= 2): pages still kmap()ed. */
    int mappedCount() {
        int n = 0;
        for (int c : pkmapCount) {
            if (c >= 2) {
                n++;
            }
        }
        return n;
    }

    /** count >= 1 iff the PTE is present iff the slot has a page_address() entry for the PTE's page. */
    void checkInvariants() {
        if (kmapLock.owner() >= 0 && !smp.waitingForIpis(kmapLock.owner())
                && !kmapLock.handedOverTo(kmapLock.owner())) {
            throw new IllegalStateException("kmap_lock held between hypercalls");
        }
        int withEntry = 0;
        for (int i = 0; i < LAST_PKMAP; i++) {
            long pte = pt.ptepGet(ptep(i));
            boolean present = KernelPageTables.ptePresent(pte);
            long page = pageAddress.pageOfSlot(i);
            if (pkmapCount[i] < 0) {
                throw new IllegalStateException("pkmap_count[" + i + "] = " + pkmapCount[i]);
            }
            if ((pkmapCount[i] >= 1) != present || (pkmapCount[i] == 0 && !KernelPageTables.pteNone(pte))) {
                throw new IllegalStateException(String.format("pkmap slot %d: count %d but PTE %016x", i,
                        pkmapCount[i], pte));
            }
            if ((pkmapCount[i] >= 1) != (page != 0)) {
                throw new IllegalStateException(String.format("pkmap slot %d: count %d but page_address_maps page %08x",
                        i, pkmapCount[i], page));
            }
            if (page != 0) {
                withEntry++;
                if (mm.pageToPfn(page) != pt.ptePfn(pte) || pageAddress.get(page) != layout.pkmapAddr(i)) {
                    throw new IllegalStateException(String.format(
                            "pkmap slot %d: PTE %016x, page %08x, page_address %08x", i, pte, page,
                            pageAddress.get(page)));
                }
            }
        }
        if (pageAddress.size() != withEntry) {
            throw new IllegalStateException("page_address_htable has " + pageAddress.size() + " entries, "
                    + withEntry + " slots are mapped");
        }
    }
}
