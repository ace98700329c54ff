package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.Snapshot;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * SMP time on real guests: shared kernel state acted on in cycle order whatever the
 * quantum, IPIs that wait for the target's interrupts, the kmap_lock / IRQs-off hard
 * lockup, and a fair, accounted spinlock.
 */
class SmpTimeTest {
    private static final long[] QUANTA = {200, 2_000, 20_000, 200_000};

    private static RunResult run(String image, int cpus, long quantum) {
        return Guests.run(image, Guests.machine(cpus).withQuantum(quantum), KernelConfig.defaults(),
                new RunLimits(500_000_000L, 0, 300_000));
    }

    /** What the kernel and a user see: counters, clocks, IPIs, walks, where the cycles went. */
    private static String kernelVisible(RunResult r) {
        Snapshot s = r.end();
        return "stop=" + r.stop() + "\ncounters=" + Arrays.deepToString(s.counters())
                + "\nclocks=" + Arrays.toString(s.cycles()) + "\ninstructions=" + Arrays.toString(s.instructions())
                + "\nipis=" + Arrays.toString(s.ipisSent()) + Arrays.toString(s.ipisReceived())
                + "\ntlb=" + Guests.deterministicTlb(s) + "\ncalls=" + Arrays.toString(s.calls())
                + "\ncategories=" + Arrays.deepToString(r.cyclesByCategory()) + "\nconsole=" + r.console();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmap_vs_local", "kmap_contend"})
    void kernelVisibleResultsDoNotDependOnTheQuantumOn16Cpus(String image) {
        String first = null;
        for (long q : QUANTA) {
            RunResult r = run(image, 16, q);
            assertEquals(0, r.exitStatus(), Guests.why(r));
            String v = kernelVisible(r);
            if (first == null) {
                first = v;
                assertTrue(r.end().total(Counter.KMAP_LOCK_CONTENDED) > 0, "the CPUs do contend for kmap_lock");
                assertTrue(r.end().total(Counter.PKMAP_WRAPS) > 0, "the pool wraps");
            } else {
                assertEquals(first, v, image + " at --quantum " + q + " differs from --quantum " + QUANTA[0]);
            }
        }
    }

    /** Most modelled cycles between the guest's clock read and the flush IPI's send. */
    private static final long PRE_SEND_SLACK = 5_000;

    @Test
    void aFlushIpiToACpuWithInterruptsOffCompletesWhenItTurnsThemOn() {
        RunResult r = run("ipi_irqs_off", 2, 20_000);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        Matcher m = Pattern.compile("send (\\d+), cpu1 irqs on (\\d+), back (\\d+): OK").matcher(r.console());
        assertTrue(m.find(), r.console());
        long send = Long.parseLong(m.group(1));
        long irqsOn = Long.parseLong(m.group(2));
        long wait = r.cyclesByCategory()[0][CycleCategory.IPI_WAIT.ordinal()];
        assertTrue(irqsOn - send > 100_000, "CPU 1 kept interrupts off for a while after the send");
        long back = Long.parseLong(m.group(3));
        // the guest reads its clock before kmap_flush_unused(): the IPI leaves after lock_kmap() and
        // the pkmap PTE clears, a few thousand modelled cycles later (PRE_SEND_SLACK bounds them)
        assertTrue(wait >= irqsOn - send - PRE_SEND_SLACK, "CPU 0 waited " + wait + " cycles, CPU 1 had IRQs off for "
                + (irqsOn - send) + " after the send");
        assertTrue(wait <= back - send, "the wait is part of the flush call on CPU 0's clock");
        assertTrue(r.cyclesByCategory()[1][CycleCategory.IPI_RECEIVE.ordinal()] > 0, "CPU 1 ran the handler");
        assertEquals(1, r.end().counters()[Counter.NR_TLB_REMOTE_FLUSH_RECEIVED.ordinal()][1]);
    }

    @Test
    void kmapLockSpinWithInterruptsOffAgainstTheFlushIpiIsAHardLockup() {
        RunResult r = run("irqs_off_lockup", 2, 20_000);
        assertInstanceOf(StopReason.KernelBug.class, r.stop(), Guests.why(r));
        assertEquals(4, r.exitStatus());
        String c = r.console();
        assertTrue(c.contains("NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"), c);
        assertTrue(c.contains("NMI backtrace for cpu 0"), c);
        int cpu1 = c.indexOf("CPU: 1 PID:");
        int cpu0 = c.indexOf("CPU: 0 PID:");
        assertTrue(cpu1 >= 0 && cpu0 > cpu1, "both CPUs' states, the locked-up one first: " + c);
        assertTrue(c.substring(cpu1, cpu0).contains("cpu1_fn"), "CPU 1's call trace names its function: " + c);
        assertTrue(c.substring(cpu0).contains("main"), "CPU 0's call trace reaches main: " + c);
        assertTrue(c.contains("spinning on kmap_lock (held by CPU 0) with interrupts off"), c);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void contendingCpusTakeASpinlockInArrivalOrderAndTheirSpinIsTheirWait(int cpus) {
        RunResult r = run("spin_fair", cpus, 20_000);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        Matcher m = Pattern.compile("#(\\d+) cpu (\\d+) arrived (\\d+) acquired (\\d+) waited (\\d+)")
                .matcher(r.console());
        int n = 0;
        long[] waited = new long[cpus];
        long lastArrival = -1;
        int first = -1;
        while (m.find()) {
            long arrived = Long.parseLong(m.group(3));
            assertTrue(arrived > lastArrival, "acquired in the order of arrival (clock): " + r.console());
            lastArrival = arrived;
            int cpu = Integer.parseInt(m.group(2));
            waited[cpu] = Long.parseLong(m.group(5));
            if (first < 0) {
                first = cpu;
            }
            n++;
        }
        assertEquals(cpus, n, r.console());
        long callCost = 2_000; // the spin_lock call itself and the rdtsc reads around it
        for (int c = 0; c < cpus; c++) {
            long spin = r.cyclesByCategory()[c][CycleCategory.LOCK_SPIN.ordinal()];
            assertTrue(spin <= waited[c] && waited[c] - spin < callCost,
                    "CPU " + c + ": spun " + spin + " of its " + waited[c] + " cycles of waiting");
            assertEquals(c == first, spin == 0, "only the first to arrive takes it without spinning: CPU " + c);
        }
    }
}
