package dev.hmemu.kernel.tlb;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.CycleModel;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.smp.SmpTime;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Kernel TLB flushing (arch/x86/mm/tlb.c, ~v6.14, as built with CONFIG_DEBUG_TLBFLUSH on
 * 32-bit: no PCID, no INVLPGB, no PTI).
 *
 * <p>Counting rules (docs/tlb-accounting.md): flush_tlb_one_kernel counts NR_TLB_LOCAL_FLUSH_ONE on
 * the CPU that runs it; do_flush_tlb_all counts NR_TLB_REMOTE_FLUSH_RECEIVED on every CPU
 * that runs it, the initiator included; flush_tlb_all counts NR_TLB_REMOTE_FLUSH once per
 * call; flush_tlb_kernel_range counts nothing itself. on_each_cpu() runs the function on
 * the calling CPU and sends a function-call IPI to every other online CPU, then waits.
 */
public final class TlbFlush {
    private final CycleModel costs;
    private final KernelStats stats;
    private final SmpTime smp;
    private final int tlbSinglePageFlushCeiling;
    private final int nrCpus;
    private IntConsumer shootdownListener = cpu -> { };

    /**
     * Without a scheduler: IPIs are taken at once (see {@link SmpTime#immediate}).
     *
     * @param tlbSinglePageFlushCeiling tlb_single_page_flush_ceiling, in pages (33)
     */
    public TlbFlush(Machine machine, KernelStats stats, int tlbSinglePageFlushCeiling) {
        this(machine, stats, SmpTime.immediate(machine), tlbSinglePageFlushCeiling);
    }

    /**
     * @param smp the IPIs' timing (pending until the target's interrupts are on)
     * @param tlbSinglePageFlushCeiling tlb_single_page_flush_ceiling, in pages (33)
     */
    public TlbFlush(Machine machine, KernelStats stats, SmpTime smp, int tlbSinglePageFlushCeiling) {
        this.costs = machine.cycleModel();
        this.stats = stats;
        this.smp = smp;
        this.tlbSinglePageFlushCeiling = tlbSinglePageFlushCeiling;
        this.nrCpus = machine.cpus().size();
    }

    /** The SMP timing model the flushes' IPIs go through. */
    public SmpTime smp() {
        return smp;
    }

    /** Told (with the initiating CPU) before every TLB shootdown; for a debugger's break-on. */
    public void setShootdownListener(IntConsumer l) {
        this.shootdownListener = l == null ? cpu -> { } : l;
    }

    /** flush_tlb_one_kernel(addr): a local INVLPG (+1 NR_TLB_LOCAL_FLUSH_ONE on {@code cpu}). */
    public void flushTlbOneKernel(Cpu cpu, long addr) {
        stats.count(Counter.NR_TLB_LOCAL_FLUSH_ONE, cpu.id());
        cpu.invlpg(addr & 0xFFFFFFFFL);
    }

    /**
     * do_flush_tlb_all(): +1 NR_TLB_REMOTE_FLUSH_RECEIVED, then __flush_tlb_all() (global
     * flush; its cost now, its effect on the TLB through {@code mmu}).
     */
    private void doFlushTlbAll(Cpu cpu, Consumer<Runnable> mmu) {
        stats.count(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, cpu.id());
        cpu.charge(CycleCategory.FLUSH_ALL, costs.flushAll());
        mmu.accept(() -> {
            cpu.mmu().flushAll();
            cpu.syncEngineTlb();
        });
    }

    /** flush_tlb_all(): +1 NR_TLB_REMOTE_FLUSH, then do_flush_tlb_all on every online CPU. */
    public void flushTlbAll(Cpu cpu) {
        stats.count(Counter.NR_TLB_REMOTE_FLUSH, cpu.id());
        onEachCpu(cpu, this::doFlushTlbAll);
    }

    /** do_kernel_range_flush(): flush_tlb_one_kernel for every page of [start, end). */
    private void doKernelRangeFlush(Cpu cpu, long start, long end, Consumer<Runnable> mmu) {
        for (long addr = start & -Layout.PAGE_SIZE; addr < end; addr += Layout.PAGE_SIZE) {
            long a = addr & 0xFFFFFFFFL;
            stats.count(Counter.NR_TLB_LOCAL_FLUSH_ONE, cpu.id());
            cpu.charge(CycleCategory.INVLPG, costs.invlpg());
            mmu.accept(() -> {
                cpu.mmu().invlpg(a);
                cpu.syncEngineTlb();
            });
        }
    }

    /**
     * flush_tlb_kernel_range(start, end): a range over tlb_single_page_flush_ceiling pages
     * (or end == TLB_FLUSH_ALL) becomes do_flush_tlb_all on every CPU; a smaller one
     * do_kernel_range_flush on every CPU. Both reach the other CPUs by IPI.
     */
    public void flushTlbKernelRange(Cpu cpu, long start, long end) {
        if (end == Layout.TLB_FLUSH_ALL || (end - start) > ((long) tlbSinglePageFlushCeiling << Layout.PAGE_SHIFT)) {
            onEachCpu(cpu, this::doFlushTlbAll);
        } else {
            onEachCpu(cpu, (c, mmu) -> doKernelRangeFlush(c, start, end, mmu));
        }
    }

    /**
     * on_each_cpu(func, info, wait=1): {@code func} runs on the calling CPU and, through a
     * function-call IPI, on each other online CPU; the caller waits for all of them (in
     * time: see {@link SmpTime#onEachCpu}).
     */
    private void onEachCpu(Cpu self, SmpTime.IpiFunction func) {
        if (nrCpus > 1) {
            shootdownListener.accept(self.id()); // about to flush the other CPUs' TLBs
        }
        smp.onEachCpu(self, func);
    }
}
