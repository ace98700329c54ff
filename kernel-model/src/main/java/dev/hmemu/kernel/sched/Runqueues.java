package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.smp.SmpTime;

/**
 * The per-CPU scheduler state (the {@code runqueues} per-CPU variable of
 * kernel/sched/core.c, with preempt_count and {@code current}): one {@link PerCpu} per
 * CPU. It is built before mm, so everything that reports a WARN/BUG can name the task
 * running on a CPU ({@link #ctx}) without reaching for the scheduler.
 */
public final class Runqueues {
    private final Machine machine;
    private final PerCpu[] cpus;
    private final PerCpu.CurrentChanges currentChanges = new PerCpu.CurrentChanges();

    /** Every CPU idle, its first tick due at {@code tickCycles}. */
    public Runqueues(Machine machine, long tickCycles) {
        this.machine = machine;
        int n = machine.cpus().size();
        this.cpus = new PerCpu[n];
        for (int i = 0; i < n; i++) {
            cpus[i] = new PerCpu(i, currentChanges);
            cpus[i].nextTick = tickCycles;
        }
    }

    /** Writes of any CPU's current task so far (see {@link PerCpu.CurrentChanges}). */
    public long currentChanges() {
        return currentChanges.count();
    }

    public PerCpu perCpu(int cpu) {
        return cpus[cpu];
    }

    /** The per-CPU states themselves, for the scheduler's loops. */
    PerCpu[] all() {
        return cpus;
    }

    /** What SMP time needs to know of each CPU: idle (no current task), interrupts off. */
    public SmpTime.CpuView cpuView() {
        return new SmpTime.CpuView() {
            @Override
            public boolean idle(int cpu) {
                return cpus[cpu].current() == null;
            }

            @Override
            public boolean irqsDisabled(int cpu) {
                return cpus[cpu].irqsDisabled;
            }
        };
    }

    public int nrCpus() {
        return cpus.length;
    }

    /** The task running on {@code cpu} (the idle task while a softirq interrupts idle), or null. */
    public Task current(int cpu) {
        return cpus[cpu].current();
    }

    /** Report context (CPU, PID, comm) of whoever runs on {@code cpu}: swapper/N when idle. */
    public Reports.Context ctx(int cpu) {
        Task t = cpus[cpu].current();
        return new Reports.Context(machine.cpu(cpu), t == null ? 0 : t.pid, t == null ? "swapper/" + cpu : t.comm);
    }
}
