package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wider Linux API (lists, locks, RCU, scatterlists, iov_iter, ...) used by real guests. */
class KernelApiTest {

    private static List<Finding.Kind> kinds(RunResult r) {
        return r.findings().stream().map(Finding::kind).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void ordinaryKernelCodeMixingListsAMutexAndMemcpyToPageRunsClean(int cpus) {
        RunResult r = Guests.run("ordinary_kernel", cpus);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(List.of(), r.findings());
        assertTrue(r.console().contains("ordinary_kernel: wrote 4096 bytes, 0 bad, list empty"), r.console());
    }

    @Test
    void headerOnlyApisBehaveAsInLinuxAndARefcountAdditionOnZeroSaturatesWithAWarning() {
        RunResult r = Guests.run("api_headers", 4);
        assertTrue(r.console().contains("api_headers: 0 failed checks"), Guests.why(r));
        // refcount_inc() on 0, then refcount_dec_and_test() on the saturated counter: two WARNs.
        assertEquals(List.of(Finding.Kind.WARN, Finding.Kind.WARN), kinds(r), Guests.why(r));
        assertTrue(r.console().contains("refcount_t: addition on 0; use-after-free."), r.console());
        assertTrue(r.console().contains("WARNING: CPU: 0 PID: 1 at lib/refcount.c:25 refcount_warn_saturate"),
                r.console());
        assertTrue(r.console().contains("at lib/refcount.c:28 refcount_warn_saturate"), r.console());
        assertEquals(3, r.exitStatus(), "findings make the exit status 3");
    }

    @Test
    void aMutexTakenInsideKmapAtomicIsReportedAsSleepingInAtomicContext() {
        RunResult r = Guests.run("mutex_atomic", 1);
        assertEquals(List.of(Finding.Kind.SLEEP_IN_ATOMIC), kinds(r), Guests.why(r));
        assertTrue(r.console().contains(
                "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283"), r.console());
        assertTrue(r.console().contains("preempt_count: 1, expected: 0"), r.console());
        assertTrue(r.console().contains("mutex_atomic: owner was current: yes, locked after unlock: 0"), r.console());
    }

    @Test
    void contendedMutexAndRwsemWaitersSleepAndAreHandedTheLock() {
        RunResult r = Guests.run("mutex_sleep", 2);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(List.of(), r.findings());
        // The mutex waiter slept on its completion (no spinning) until main unlocked.
        assertTrue(r.end().calls()[Hypercall.WAIT_FOR_COMPLETION.ordinal()] >= 3, Guests.why(r));
        assertTrue(r.console().contains("order 11 12 20 13, max readers 2: OK"), r.console());
    }

    @Test
    void synchronizeRcuWaitsForAReaderOnAnotherCpuAndCallbacksRunAfterAGracePeriod() {
        RunResult r = Guests.run("rcu_sync", 4);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(List.of(), r.findings());
        assertTrue(r.console().contains("reader left 1, synchronize_rcu returned 2, sum 28, callbacks 8: OK"),
                r.console());
    }

    @Test
    void synchronizeRcuInsideAReadSideSectionIsReported() {
        RunResult r = Guests.run("rcu_illegal", 1);
        String c = r.console();
        assertTrue(c.contains("WARNING: suspicious RCU usage"), c);
        assertTrue(c.contains("kernel/rcu/tree.c:3577 Illegal synchronize_rcu() in RCU read-side critical section!"),
                c);
        assertTrue(c.contains("1 lock held by init/1:"), c);
        assertTrue(c.contains("BUG: sleeping function called from invalid context at kernel/sched/completion.c:101"),
                c);
        assertTrue(kinds(r).contains(Finding.Kind.SLEEP_IN_ATOMIC), Guests.why(r));
        assertTrue(c.contains("rcu_illegal: read 1, now 2"), c);
    }

    @Test
    void sgMiterAtomicKeepsPreemptionDisabledBetweenNextAndStop() {
        RunResult r = Guests.run("sg_miter", 2);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(List.of(), r.findings());
        assertTrue(r.console().contains(
                "sg_miter: atomic preempt_count 1 pagefault_disabled 1, plain preempt_count 0: OK"), r.console());
        // 3 pages mapped by kmap_atomic, then 3 by kmap, in their phases.
        assertEquals(3, r.phase("miter_atomic").calls()[Hypercall.KMAP_ATOMIC.ordinal()]);
        assertEquals(3, r.phase("miter_plain").calls()[Hypercall.KMAP.ordinal()]);
    }
}
