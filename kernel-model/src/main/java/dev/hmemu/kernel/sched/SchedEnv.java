package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.smp.SmpTime;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The parts the scheduler is built from, each already built (see the boot order in
 * {@code dev.hmemu.kernel.Kernel}); unit tests pass their own (a fake mm, a recording
 * kmap_local hook).
 *
 * @param machine   the CPUs and their clocks
 * @param config    tick, HZ, PREEMPT, KM_MAX_IDX
 * @param costs     the kernel's cycle figures (context switch, spin, softirq)
 * @param memory    kernel-virtual access to guest memory (task_struct, locks, timers)
 * @param stats     the model's counters
 * @param reports   WARN/BUG reports
 * @param rqs       the per-CPU state ({@code current}, preempt_count, run queues)
 * @param mm        kernel stacks and task_structs
 * @param kmapLocal the kmap_local half of a context switch
 * @param image     the guest image (the runtime's trampolines, {@code jiffies})
 * @param stop      ends the run (a BUG found outside a hypercall)
 * @param smp       time on shared state: spinlocks in time
 */
public record SchedEnv(Machine machine, KernelConfig config, KernelCosts costs, GuestMemory memory,
                       KernelStats stats, Reports reports, Runqueues rqs, MmApi mm, KmapLocalSched kmapLocal,
                       ElfImage image, Consumer<StopReason> stop, SmpTime smp) {

    /** Address of a guest symbol. */
    public Optional<Long> symbol(String name) {
        return image.symbol(name);
    }

    /** Ends the run. */
    public void stop(StopReason reason) {
        stop.accept(reason);
    }
}
