package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.mmu.Tlb;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.KmapLocalSched;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.tlb.TlbFlush;
import java.util.function.IntFunction;

/**
 * The kmap_local fixmap slots (x86: one linear PTE array under FIX_KMAP_BEGIN..END) and
 * what a context switch does to them: __kmap_local_sched_out() clears the outgoing task's
 * live PTEs (INVLPG each), __kmap_local_sched_in() rewrites the incoming task's without a
 * flush. Built before the scheduler, which calls it at every switch of a task with
 * kmap_local mappings; {@link KmapLocal} maps and unmaps through it.
 *
 * <p>Position i of a task running on CPU c uses fixmap slot FIX_KMAP_BEGIN + i +
 * KM_MAX_IDX*c, whose PTE is {@code __kmap_pte - idx}.
 */
public final class KmapLocalSlots implements KmapLocalSched {
    static final String SCHED_OUT_GUARD_SITE = LinuxSite.SCHED_OUT_GUARD.where();
    static final String SCHED_OUT_NONE_SITE = LinuxSite.SCHED_OUT_NONE.where();
    static final String SCHED_IN_GUARD_SITE = LinuxSite.SCHED_IN_GUARD.where();
    static final String SCHED_IN_NONE_SITE = LinuxSite.SCHED_IN_NONE.where();

    private final Machine machine;
    /** Every CPU's TLB, by CPU id. */
    private final Tlb[] tlbs;
    private final KernelPageTables pt;
    private final TlbFlush tlb;
    private final Layout layout;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final int KM_MAX_IDX;
    private final boolean debugKmapLocal;
    private final int FIX_KMAP_BEGIN;
    private final int FIX_KMAP_END;
    /** __kmap_pte: PTE of FIX_KMAP_BEGIN (physical), cached on first use; -1 before. */
    private long kmapPte = -1;

    /**
     * @param ctx report context (CPU, PID, comm) of whoever runs on a CPU
     */
    public KmapLocalSlots(Machine machine, KernelConfig config, MmApi mm, TlbFlush tlb, Reports reports,
                          IntFunction<Reports.Context> ctx) {
        this.machine = machine;
        this.pt = mm.pageTables();
        this.tlb = tlb;
        this.layout = mm.layout();
        this.reports = reports;
        this.ctx = ctx;
        this.KM_MAX_IDX = layout.kmMaxIdx();
        this.debugKmapLocal = config.debugKmapLocal();
        this.FIX_KMAP_BEGIN = layout.fixKmapBegin();
        this.FIX_KMAP_END = layout.fixKmapEnd();
        long lo = layout.fixToVirt(FIX_KMAP_END);
        long hi = layout.fixToVirt(FIX_KMAP_BEGIN) + Layout.PAGE_SIZE;
        this.tlbs = new Tlb[machine.cpus().size()];
        for (Cpu c : machine.cpus()) {
            tlbs[c.id()] = c.mmu().tlb();
            tlbs[c.id()].trackPages(lo, hi); // pteWritten asks only the TLBs that cached a slot
        }
    }

    /** KM_MAX_IDX: positions per CPU. */
    int kmMaxIdx() {
        return KM_MAX_IDX;
    }

    /** kmap_local_calc_idx(): fixmap offset of position {@code idx} on {@code cpu}. */
    int kmapLocalCalcIdx(int idx, int cpu) {
        return idx + KM_MAX_IDX * cpu;
    }

    /** The virtual address of fixmap offset {@code idx} from FIX_KMAP_BEGIN. */
    long slotAddress(int idx) {
        return layout.fixToVirt(FIX_KMAP_BEGIN + idx);
    }

    /** FIX_KMAP_END - FIX_KMAP_BEGIN: the offset of the last slot of the last CPU. */
    int lastIdx() {
        return FIX_KMAP_END - FIX_KMAP_BEGIN;
    }

    /** Whether the page-aligned {@code addr} lies in the slots, FIX_KMAP_END..FIX_KMAP_BEGIN inclusive. */
    boolean inSlots(long addr) {
        return addr >= layout.fixToVirt(FIX_KMAP_END) && addr <= layout.fixToVirt(FIX_KMAP_BEGIN);
    }

    /** As {@link #inSlots} with the strict upper bound of __kmap_to_page(). */
    boolean inSlotsBelowBegin(long addr) {
        return addr >= layout.fixToVirt(FIX_KMAP_END) && addr < layout.fixToVirt(FIX_KMAP_BEGIN);
    }

    /** kmap_get_pte(): {@code __kmap_pte - idx}, with __kmap_pte = virt_to_kpte(__fix_to_virt(FIX_KMAP_BEGIN)). */
    long kmapGetPte(int idx) {
        if (kmapPte < 0) {
            kmapPte = pt.virtToKpte(layout.fixToVirt(FIX_KMAP_BEGIN));
            if (kmapPte < 0) {
                throw new IllegalStateException("no PTE page under the kmap_local fixmap slots");
            }
        }
        return kmapPte - (long) idx * pt.pteSize();
    }

    /**
     * hmemu (no Linux counterpart): the PTE of slot {@code idx} was just written. Any CPU's
     * TLB entry for the slot now may no longer match it; such entries leave the native TLB
     * mirror (they stay in the modelled TLB), so every refill through them reaches the model,
     * where stale and cross-CPU uses are reported. Correct code holds no such entry (a slot
     * is INVLPGed when unmapped, and only its own CPU uses it), so this costs it nothing.
     */
    void pteWritten(int idx) {
        long addr = slotAddress(idx);
        for (Tlb t : tlbs) {
            t.unmirror(addr);
        }
    }

    /**
     * __kmap_local_sched_out(): for the outgoing task, clear the PTE of each live position
     * and INVLPG its slot (debug guards are skipped; a none pteval warns and is skipped).
     */
    @Override
    public void kmapLocalSchedOut(Task t, int cpu) {
        if (t.kmapCtrl.idx == 0) {
            return;
        }
        Cpu c = machine.cpu(cpu);
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            long pteval = t.kmapCtrl.pteval[i];
            if (skip(i, pteval, cpu, SCHED_OUT_GUARD_SITE, SCHED_OUT_NONE_SITE, "__kmap_local_sched_out")) {
                continue;
            }
            int idx = kmapLocalCalcIdx(i, cpu);
            long addr = slotAddress(idx);
            pt.pteClear(kmapGetPte(idx));
            pteWritten(idx);
            tlb.flushTlbOneKernel(c, addr);
        }
    }

    /** __kmap_local_sched_in(): rewrite the incoming task's live PTEs; no flush. */
    @Override
    public void kmapLocalSchedIn(Task t, int cpu) {
        if (t.kmapCtrl.idx == 0) {
            return;
        }
        for (int i = 0; i < t.kmapCtrl.idx; i++) {
            long pteval = t.kmapCtrl.pteval[i];
            if (skip(i, pteval, cpu, SCHED_IN_GUARD_SITE, SCHED_IN_NONE_SITE, "__kmap_local_sched_in")) {
                continue;
            }
            int idx = kmapLocalCalcIdx(i, cpu);
            pt.setPte(kmapGetPte(idx), pteval);
            pteWritten(idx);
        }
    }

    /** The sched_out/in skip rules: debug guard positions, and positions with no pteval. */
    private boolean skip(int i, long pteval, int cpu, String guardSite, String noneSite, String func) {
        if (debugKmapLocal && (i & 1) == 0) {
            if (pteval != 0) {
                reports.warnOnce(ctx.apply(cpu), guardSite, guardSite, func);
            }
            return true;
        }
        if (KernelPageTables.pteNone(pteval)) {
            reports.warnOnce(ctx.apply(cpu), noneSite, noneSite, func);
            return true;
        }
        return false;
    }
}
