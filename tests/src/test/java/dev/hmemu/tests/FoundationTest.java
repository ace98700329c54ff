package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.stats.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Guest ELF files built from C run on 1 and 4 CPUs with exact, repeatable counts. */
class FoundationTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void helloPrintsThroughPrintkAndExitsCleanly(int cpus) {
        RunResult r = Guests.run("hello", cpus);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains("hello from hmemu"), r.console());
        assertInstanceOf(StopReason.GuestExited.class, r.stop());
        assertTrue(Snapshot.sum(r.end().instructions()) > 0);
        assertTrue(r.end().tlb()[0].walks() > 0, "CPU 0 walked page tables");
    }

    @Test
    void mainsReturnValueIsTheExitStatus() {
        RunResult r = Guests.run("exit_code", 1);
        assertEquals(42, assertInstanceOf(StopReason.GuestExited.class, r.stop()).status(), Guests.why(r));
        assertEquals(1, r.exitStatus(), "hmemu run exits 1 when main returns non-zero");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLoopOfKnownLengthIsCountedExactly(int cpus) {
        RunResult r = Guests.run("counted_loop", cpus);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        long one = Snapshot.sum(r.phase("loop1").instructions());
        long thousandOne = Snapshot.sum(r.phase("loop1001").instructions());
        assertEquals(2000, thousandOne - one, "counted_loop(1001) runs exactly 2000 more instructions than (1)");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void twoRunsGiveIdenticalCounts(int cpus) {
        RunResult a = Guests.run("smp_hello", cpus);
        RunResult b = Guests.run("smp_hello", cpus);
        assertEquals(0, a.exitStatus(), Guests.why(a));
        assertEquals(a.console(), b.console());
        assertEquals(java.util.Arrays.toString(a.end().instructions()), java.util.Arrays.toString(b.end().instructions()));
        assertEquals(java.util.Arrays.toString(a.end().cycles()), java.util.Arrays.toString(b.end().cycles()));
        assertEquals(java.util.Arrays.deepToString(a.end().counters()), java.util.Arrays.deepToString(b.end().counters()));
        assertEquals(Guests.deterministicTlb(a.end()), Guests.deterministicTlb(b.end()),
                "misses, walks, evictions and flushes (hits count engine refills and are not compared)");
    }

    @Test
    void smpHelloRunsAKthreadOnEveryCpu() {
        RunResult r = Guests.run("smp_hello", 4);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        for (int c = 0; c < 4; c++) {
            assertTrue(r.end().instructions()[c] > 0, "CPU " + c + " ran guest code");
        }
    }
}
