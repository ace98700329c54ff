package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.GuestMemory;
import dev.hmemu.kernel.Kernel;
import dev.hmemu.kernel.KernelConfig;
import dev.hmemu.kernel.highmem.HighmemApi;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.stats.KernelStats;
import java.util.Optional;

/**
 * What the scheduler and uaccess need from the rest of the kernel model: the
 * {@link Kernel} in a run, a small fixture in unit tests. Every getter is read when used,
 * so subsystems the kernel wires later (highmem) are seen.
 */
public interface SchedEnv {
    Machine machine();

    KernelConfig config();

    GuestMemory memory();

    KernelStats stats();

    Reports reports();

    MmApi mm();

    HighmemApi highmem();

    /** A figure of the cycle model, or {@code fallback} when the key has no default. */
    long cost(String key, long fallback);

    /** Address of a guest symbol (the runtime's trampolines, {@code jiffies}). */
    Optional<Long> symbol(String name);

    /** Ends the run (a BUG found outside a hypercall). */
    void stop(StopReason reason);

    /** The environment of a booted kernel. */
    static SchedEnv of(Kernel k) {
        return new SchedEnv() {
            @Override
            public Machine machine() {
                return k.machine();
            }

            @Override
            public KernelConfig config() {
                return k.config();
            }

            @Override
            public GuestMemory memory() {
                return k.memory();
            }

            @Override
            public KernelStats stats() {
                return k.stats();
            }

            @Override
            public Reports reports() {
                return k.reports();
            }

            @Override
            public MmApi mm() {
                return k.mm();
            }

            @Override
            public HighmemApi highmem() {
                return k.highmem();
            }

            @Override
            public long cost(String key, long fallback) {
                return k.machine().config().costs().asMap().getOrDefault(key, fallback);
            }

            @Override
            public Optional<Long> symbol(String name) {
                return k.image().symbol(name);
            }

            @Override
            public void stop(StopReason reason) {
                k.stop(reason);
            }
        };
    }
}
