package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.GuestMemory;
import dev.hmemu.kernel.Kernel;
import dev.hmemu.kernel.KernelConfig;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.stats.KernelStats;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * What mm, tlb and highmem take from the kernel, bound once at construction. It exists so
 * those subsystems can be built without {@link Kernel#boot} (unit tests build one directly).
 * The scheduler is reached through a supplier because it is created after mm and highmem.
 *
 * @param machine the CPUs and physical memory
 * @param config  kernel build and boot options
 * @param memory  kernel-virtual access to guest memory
 * @param stats   the model's counters
 * @param reports WARN/BUG/oops reports
 * @param sched   the scheduler (late bound)
 * @param ctx     report context (CPU, PID, comm) of whoever runs on a CPU
 */
public record KernelServices(Machine machine, KernelConfig config, GuestMemory memory, KernelStats stats,
                             Reports reports, Supplier<SchedApi> sched, IntFunction<Reports.Context> ctx) {

    /** The services of a booting {@link Kernel}. */
    public static KernelServices of(Kernel k) {
        return new KernelServices(k.machine(), k.config(), k.memory(), k.stats(), k.reports(), k::sched, k::ctx);
    }

    /** The scheduler, once it exists. */
    public SchedApi scheduler() {
        return sched.get();
    }

    /** Report context for {@code cpu}. */
    public Reports.Context ctx(int cpu) {
        return ctx.apply(cpu);
    }

    /** A figure of the cycle model (kernel.* keys). */
    public long cost(String key) {
        return machine.config().costs().get(key);
    }

    /** Charges {@code n} times the cycle-model figure {@code key} to {@code cpu} as kernel work. */
    public void charge(Cpu cpu, String key, long n) {
        if (n > 0) {
            cpu.charge(CycleCategory.KERNEL, cost(key) * n);
        }
    }
}
