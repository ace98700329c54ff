package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * vmap()/vunmap() with v6.1's lazy purge (mm/vmalloc.c): unmapping never flushes; a purge
 * flushes the union of the lazily freed ranges with one flush_tlb_kernel_range(), through
 * the same TLB-flush code as the pkmap wrap.
 */
class VmapPurgeTest {

    private static void assertFlush(RunResult r, String phase, long ipis, long received, long flushOne) {
        Snapshot d = r.phase(phase);
        String ctx = phase + " on " + r.machine().cpus() + " CPUs";
        assertEquals(ipis, Guests.ipis(d), ctx + ": IPIs");
        assertEquals(received, d.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED), ctx + ": nr_tlb_remote_flush_received");
        assertEquals(flushOne, d.total(Counter.NR_TLB_LOCAL_FLUSH_ONE), ctx + ": nr_tlb_local_flush_one");
        assertEquals(0, d.total(Counter.NR_TLB_REMOTE_FLUSH), ctx + ": flush_tlb_kernel_range counts no remote flush");
        assertEquals(0, d.total(Counter.NR_TLB_LOCAL_FLUSH_ALL), ctx + ": nr_tlb_local_flush_all");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void lazyVunmapFlushesOnlyWhenAPurgeRunsAndThenOnceForTheUnionRange(int n) {
        RunResult r = Guests.run("vmap_purge", n);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(List.of(), r.findings());
        long lazyMax = (32 - Integer.numberOfLeadingZeros(n)) * 8192L; // fls(n) * 32 MiB of pages
        assertTrue(r.console().contains("lazy_max_pages " + lazyMax), r.console());
        // Threshold not reached: 100 vunmaps of 16 (+1 guard) pages flush nothing.
        assertFlush(r, "below_threshold", 0, 0, 0);
        // vm_unmap_aliases(): the 1700-page union is over the 33-page ceiling: a full flush everywhere.
        assertFlush(r, "unmap_aliases", n - 1, n, 0);
        // A 5-page union is flushed page by page on every CPU.
        assertFlush(r, "small_purge", n - 1, 0, 5L * n);
        // Up to lazy_max_pages nothing is flushed ...
        assertFlush(r, "fill", 0, 0, 0);
        // ... one more vunmap crosses it: the drain work purges the union once.
        assertFlush(r, "cross", n - 1, n, 0);
    }

    @Test
    void theLazyPurgeAndTheRcuGracePeriodsAreDeterministic() {
        for (String image : List.of("vmap_purge", "rcu_sync")) {
            RunResult a = Guests.run(image, 4);
            RunResult b = Guests.run(image, 4);
            assertEquals(0, a.exitStatus(), Guests.why(a));
            assertEquals(a.console(), b.console(), image);
            for (Counter c : Counter.values()) {
                assertEquals(a.end().total(c), b.end().total(c), image + ": " + c);
            }
            assertEquals(Guests.ipis(a.end()), Guests.ipis(b.end()), image + ": IPIs");
            assertEquals(Guests.deterministicTlb(a.end()), Guests.deterministicTlb(b.end()), image + ": TLB");
        }
    }
}
