package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Images;
import dev.hmemu.app.RunResult;
import dev.hmemu.app.Session;
import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.stats.Snapshot;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A CPU that reaches a shared-state hypercall while another CPU's clock is earlier parks
 * it. The engine does that by itself, without calling Java, while the kernel's bound says
 * the CPU is past its turn. The run must be exactly the one in which Java decides every
 * call: counts, clocks per category, lock spins, IPI waits, TLB figures, findings, console.
 */
class EngineParkingRunTest {
    private record Outcome(RunResult result, long engineParks) {
    }

    private static Outcome run(String image, int cpus, long quantum, Function<MachineConfig, Machine> machines) {
        Machine[] made = new Machine[1];
        RunResult r = Session.run(Images.load(image), Guests.machine(cpus).withQuantum(quantum),
                KernelConfig.defaults(), new RunLimits(500_000_000L, 0, 300_000), null,
                cfg -> made[0] = machines.apply(cfg));
        long parks = 0;
        for (Cpu c : made[0].cpus()) {
            parks += c.engineParks();
        }
        return new Outcome(r, parks);
    }

    /** Everything a report shows but the wall time and the host-side refill hits. */
    private static String fingerprint(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.stop()).append('\n').append(r.exitStatus()).append('\n').append(r.findings()).append('\n');
        b.append(r.console()).append('\n').append(Arrays.deepToString(r.cyclesByCategory())).append('\n');
        b.append(r.hypercalls()).append('\n').append(snapshot(r.end()));
        for (PhaseLog.Mark m : r.marks()) {
            b.append(m.label()).append(' ').append(m.cpu()).append(' ').append(snapshot(m.snapshot()));
        }
        var smp = r.smp();
        if (smp != null) {
            b.append(Arrays.toString(smp.ipiWait())).append(Arrays.toString(smp.ipiHandler()))
                    .append(Arrays.toString(smp.shootdownLatency()));
            smp.lockSpin().forEach((k, v) -> b.append(k).append(Arrays.toString(v)));
            smp.lockContended().forEach((k, v) -> b.append(k).append(Arrays.toString(v)));
        }
        return b.toString();
    }

    private static String snapshot(Snapshot s) {
        return Arrays.deepToString(s.counters()) + Arrays.toString(s.calls()) + Arrays.toString(s.callCycles())
                + Arrays.toString(s.instructions()) + Arrays.toString(s.cycles()) + Arrays.toString(s.idleCycles())
                + Guests.deterministicTlb(s) + Arrays.toString(s.ipisSent()) + Arrays.toString(s.ipisReceived())
                + s.maxClock() + '\n';
    }

    private static void assertSame(String image, int cpus, long quantum, boolean mustPark) {
        Outcome engine = run(image, cpus, quantum, Machine::create);
        Outcome java = run(image, cpus, quantum, Machine::createWithoutEngineParking);
        String what = image + " on " + cpus + " CPUs, quantum " + quantum;
        assertEquals(fingerprint(java.result()), fingerprint(engine.result()), what);
        if (mustPark) {
            assertTrue(engine.engineParks() > 0, what + ": no call was parked by the engine");
        }
    }

    @Test
    void pageAllocatorAndKmapWorkloadIsTheSame() {
        assertSame("alloc_stress", 4, 100_000, true);
        assertSame("alloc_stress", 3, 7, true); // tiny quanta: slices end between calls too
    }

    @Test
    void locksIpisAndSleepsAreTheSame() {
        for (String image : new String[] {"spin_fair", "kmap_contend", "kthread_churn", "work_timer", "smp_hello"}) {
            assertSame(image, 4, 100_000, false);
        }
    }

    /**
     * flush_tlb_kernel_range (vm_unmap_aliases, the lazy vmap purge) is a CPU-local call
     * whose IPIs charge the other CPUs: the kernel must set the bound again after it.
     */
    @Test
    void localCallsThatReachOtherCpusAreTheSame() {
        assertSame("vmap_purge", 2, 100_000, false);
        assertSame("vmap_purge", 4, 100_000, false);
    }

    @Test
    void runsThatEndInAReportAreTheSame() {
        assertSame("irqs_off_lockup", 2, 100_000, false); // a lockup of two CPUs
        assertSame("diag_cross_context", 2, 100_000, false); // an oops found on one CPU
        assertSame("ipi_irqs_off", 2, 100_000, false);
    }
}
