package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of mm/highmem.c and arch/x86/mm/tlb.c, checked on real guests. */
class HighmemRulesTest {

    /** The counters of docs/tlb-accounting.md's table for one phase. */
    private static void assertRow(RunResult r, String phase, long ipis, long remoteFlush, long received,
                                  long flushAll, long flushOneOnCpu0) {
        Snapshot d = r.phase(phase);
        String ctx = phase + " on " + r.machine().cpus() + " CPUs";
        assertEquals(ipis, Guests.ipis(d), ctx + ": IPIs");
        assertEquals(remoteFlush, d.total(Counter.NR_TLB_REMOTE_FLUSH), ctx + ": nr_tlb_remote_flush");
        assertEquals(received, d.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED), ctx + ": nr_tlb_remote_flush_received");
        assertEquals(flushAll, d.total(Counter.NR_TLB_LOCAL_FLUSH_ALL), ctx + ": nr_tlb_local_flush_all");
        assertEquals(flushOneOnCpu0, d.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, 0), ctx + ": nr_tlb_local_flush_one CPU0");
        assertEquals(flushOneOnCpu0, d.total(Counter.NR_TLB_LOCAL_FLUSH_ONE), ctx + ": flush_one elsewhere");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void everyRowOfTheTlbAccountingTableHasItsExactDeltas(int n) {
        RunResult r = Guests.run("tlb_rows", n);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertRow(r, "kmap_free", 0, 0, 0, 0, 0);
        assertRow(r, "kmap_reuse", 0, 0, 0, 0, 0);
        assertRow(r, "kunmap", 0, 0, 0, 0, 0);
        assertRow(r, "kmap_local_map", 0, 0, 0, 0, 0);
        assertRow(r, "kunmap_local", 0, 0, 0, 0, 1);
        assertRow(r, "kmap_atomic_map", 0, 0, 0, 0, 0);
        assertRow(r, "kunmap_atomic", 0, 0, 0, 0, 1);
        assertRow(r, "lowmem_local", 0, 0, 0, 0, 0);
        assertRow(r, "switch_out", 0, 0, 0, 0, 2);
        assertRow(r, "switch_in", 0, 0, 0, 0, 0);
        assertRow(r, "wrap_flush", n - 1, 0, n, 0, 0);
        assertEquals(1, r.phase("wrap_flush").total(Counter.PKMAP_FLUSHES));
        assertEquals(1, r.phase("switch_out").total(Counter.CONTEXT_SWITCHES), "main switched out to the peer");
        assertTrue(r.phase("switch_in").total(Counter.CONTEXT_SWITCHES) >= 1, "main switched back in");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void firstWrapAfter511FreshKmapsFlushesOnceWithNMinusOneIpis(int n) {
        assertFirstWrap(Guests.run("pkmap_wrap", n), n, 512);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void legacyPagingWrapsAfter1023FreshKmaps(int n) {
        RunResult r = Guests.run("pkmap_wrap", Guests.machine(n).withPaging(dev.hmemu.mmu.PagingMode.LEGACY),
                dev.hmemu.kernel.base.KernelConfig.defaults(), new dev.hmemu.emulator.RunLimits(500_000_000L, 0, 120_000));
        assertFirstWrap(r, n, 1024);
    }

    private static void assertFirstWrap(RunResult r, int n, int lastPkmap) {
        assertEquals(0, r.exitStatus(), Guests.why(r));
        Snapshot fresh = r.phase("boot");
        assertEquals(lastPkmap - 1, fresh.total(Counter.KMAP_CALLS), "LAST_PKMAP-1 fresh kmaps before the wrap");
        assertEquals(0, fresh.total(Counter.PKMAP_WRAPS));
        assertEquals(0, Guests.ipis(fresh));
        Snapshot wrap = r.phase("before_wrap");
        assertEquals(1, wrap.total(Counter.KMAP_CALLS));
        assertEquals(1, wrap.total(Counter.PKMAP_WRAPS));
        assertEquals(1, wrap.total(Counter.PKMAP_FLUSHES));
        assertEquals(n - 1, Guests.ipis(wrap), "IPIs to every other CPU");
        assertEquals(n, wrap.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED), "every CPU, initiator included");
        assertEquals(0, wrap.total(Counter.NR_TLB_REMOTE_FLUSH), "flush_tlb_kernel_range does not count it");
        for (int c = 0; c < n; c++) {
            assertEquals(1, wrap.tlb()[c].fullFlushes(), "CPU " + c + " did a global flush");
        }
    }

    @Test
    void aFullPoolPutsTheNextKmapToSleepUntilAKunmapWakesIt() {
        RunResult r = Guests.run("pkmap_full", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(1, r.end().total(Counter.KMAP_WAITS), "exactly one kmap slept on pkmap_map_wait");
        assertEquals(1, r.phase("full").total(Counter.KMAP_WAITS), "it slept while the pool was full");
        assertEquals(0, r.phase("kunmap").total(Counter.KMAP_WAITS));
    }

    @Test
    void pageAddressIsNullForAHighmemPageMappedOnlyByKmapLocal() {
        RunResult r = Guests.run("page_address_local", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
    }

    @Test
    void kmapAtomicRaisesPreemptCountAndPagefaultDisabledEvenForLowmem() {
        RunResult r = Guests.run("kmap_atomic_state", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(2, r.end().total(Counter.KMAP_ATOMIC_CALLS), "one lowmem, one highmem");
        assertEquals(2, r.end().total(Counter.KUNMAP_ATOMIC_CALLS));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void outOfOrderKunmapLocalWarnsOnceClearsTheTopSlotAndFlushesThePassedAddress(int n) {
        RunResult r = Guests.run("kunmap_local_ooo", n);
        assertEquals(3, r.exitStatus(), "a WARN is a finding: " + Guests.why(r));
        long warns = r.findings().stream().filter(f -> f.kind().linuxReport().equals("WARN")).count();
        assertEquals(1, warns, "WARN_ON_ONCE prints once: " + r.findings());
        assertTrue(r.console().contains("WARNING: CPU: 0 PID: 1 at mm/highmem.c"), r.console());
        assertEquals(1, r.phase("unmap_A_first").total(Counter.NR_TLB_LOCAL_FLUSH_ONE),
                "one INVLPG, of the passed address");
    }

    @Test
    void kmapLocalMappingsAreRestoredAfterPreemption() {
        RunResult r = Guests.run("preempt_local", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        Snapshot spin = r.phase("spin");
        assertTrue(spin.total(Counter.PREEMPTIONS) > 0, "timer ticks preempted the spinning kthreads");
        assertEquals(spin.total(Counter.KUNMAP_LOCAL_CALLS) + 2 * spin.total(Counter.PREEMPTIONS),
                spin.total(Counter.NR_TLB_LOCAL_FLUSH_ONE),
                "one INVLPG per kunmap_local, plus both slots at every preemption of a task holding 2");
    }

    @Test
    void copyFromUserOnAnUntouchedPageFailsUnderPagefaultDisableAndSucceedsWithout() {
        RunResult r = Guests.run("uaccess_fault", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(3, r.end().total(Counter.UACCESS_FIXUPS),
                "copy_from_user, get_user and __copy_from_user_inatomic were fixed up under pagefault_disable");
        assertEquals(2, r.end().total(Counter.DEMAND_PAGED), "both user pages were demand-paged once allowed");
    }

    @Test
    void theSixteenthNestedKmapLocalIsAKernelBug() {
        RunResult r = Guests.run("kmap_local_overflow", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        StopReason.KernelBug b = assertInstanceOf(StopReason.KernelBug.class, r.stop());
        assertTrue(b.report().contains("kernel BUG at mm/highmem.c"), b.report());
        assertEquals(15, r.end().total(Counter.KMAP_LOCAL_MAX_DEPTH));
    }

    @Test
    void kmapInsideKmapAtomicReportsSleepingInAtomicContext() {
        RunResult r = Guests.run("might_sleep_atomic", 1);
        assertEquals(3, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains(
                "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h"), r.console());
        assertTrue(r.console().contains("in_atomic(): 1, irqs_disabled(): 0"), r.console());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void theDemoShowsShootdownsForKmapAndNoneForKmapLocal(int n) {
        RunResult r = Guests.run("kmap_vs_local", n);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        Snapshot kmap = r.phase("kmap");
        Snapshot local = r.phase("kmap_local");
        assertEquals(2048, kmap.total(Counter.KMAP_CALLS));
        assertEquals(2048, local.total(Counter.KMAP_LOCAL_CALLS));
        long flushes = kmap.total(Counter.PKMAP_FLUSHES);
        assertEquals(4, flushes, "2048 fresh kmaps wrap the 512-slot pool 4 times");
        assertEquals((n - 1) * flushes, Guests.ipis(kmap));
        assertEquals(n * flushes, kmap.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED));
        assertEquals(0, Guests.ipis(local));
        assertEquals(2048, local.total(Counter.NR_TLB_LOCAL_FLUSH_ONE), "one local INVLPG per kunmap_local");
        assertEquals(0, local.total(Counter.KMAP_LOCK_CONTENDED), "kmap_local takes no global lock");
        if (n == 1) {
            assertEquals(0, kmap.total(Counter.KMAP_LOCK_CONTENDED), "nobody to contend with on one CPU");
        }
    }

    @Test
    void allCountersAreDeterministic() {
        RunResult a = Guests.run("kmap_vs_local", 4);
        RunResult b = Guests.run("kmap_vs_local", 4);
        assertEquals(java.util.Arrays.deepToString(a.end().counters()), java.util.Arrays.deepToString(b.end().counters()));
        assertEquals(java.util.Arrays.toString(a.end().cycles()), java.util.Arrays.toString(b.end().cycles()));
        assertEquals(java.util.Arrays.toString(a.end().calls()), java.util.Arrays.toString(b.end().calls()));
        assertEquals(java.util.Arrays.toString(a.end().callCycles()), java.util.Arrays.toString(b.end().callCycles()));
        assertEquals(Guests.deterministicTlb(a.end()), Guests.deterministicTlb(b.end()),
                "misses, walks, evictions and flushes (hits count engine refills and are not compared)");
        assertEquals(java.util.Arrays.toString(a.end().ipisSent()), java.util.Arrays.toString(b.end().ipisSent()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aio_ring", "extent_decompress", "nested_local", "work_timer", "printk_format"})
    void shippedWorkloadsRunCleanlyOnFourCpus(String image) {
        RunResult r = Guests.run(image, 4);
        assertEquals(0, r.exitStatus(), Guests.why(r));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void withForceMapLowmemKmapLocalAlsoGoesThroughASlotAndFlushes(int n) {
        RunResult r = Guests.run("tlb_rows", Guests.machine(n), dev.hmemu.kernel.base.KernelConfig.defaults().withForceMap(true),
                new dev.hmemu.emulator.RunLimits(500_000_000L, 0, 120_000));
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertRow(r, "lowmem_local", 0, 0, 0, 0, 1);
        assertRow(r, "kunmap_local", 0, 0, 0, 0, 1);
        assertRow(r, "kunmap_atomic", 0, 0, 0, 0, 1);
        assertRow(r, "switch_out", 0, 0, 0, 0, 2);
        assertRow(r, "wrap_flush", n - 1, 0, n, 0, 0);
    }

    @Test
    void legacyTwoLevelPagingHasA1024SlotPool() {
        RunResult r = Guests.run("kmap_vs_local", Guests.machine(2).withPaging(dev.hmemu.mmu.PagingMode.LEGACY),
                dev.hmemu.kernel.base.KernelConfig.defaults(), new dev.hmemu.emulator.RunLimits(500_000_000L, 0, 120_000));
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(2, r.phase("kmap").total(Counter.PKMAP_FLUSHES), "2048 kmaps wrap a 1024-slot pool twice");
    }
}
