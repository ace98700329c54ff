package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecContextTest {
    private static final long TICK = 100_000;

    private static long string(SchedFixture f, String s) {
        long a = f.scratch(s.length() + 1);
        f.memory.write(a, (s + "\0").getBytes(StandardCharsets.ISO_8859_1));
        return a;
    }

    @Test
    void mightSleepReportsInAtomicContextAtMostOncePerHz() {
        SchedFixture f = new SchedFixture(1);
        long file = string(f, "include/linux/highmem-internal.h");
        f.run(0, Hypercall.MIGHT_SLEEP, file, 40);
        assertTrue(f.reports.findings().isEmpty(), "preemptible: silent");
        f.run(0, Hypercall.PREEMPT_DISABLE);
        f.run(0, Hypercall.MIGHT_SLEEP, file, 40);
        assertEquals(1, f.findings(Finding.Kind.SLEEP_IN_ATOMIC).size());
        String text = f.console.text();
        assertTrue(text.contains("BUG: sleeping function called from invalid context at "
                + "include/linux/highmem-internal.h:40"), text);
        assertTrue(text.contains("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: init"), text);
        assertTrue(text.contains("preempt_count: 1, expected: 0"), text);
        f.run(0, Hypercall.MIGHT_SLEEP, file, 40);
        assertEquals(1, f.findings(Finding.Kind.SLEEP_IN_ATOMIC).size(), "rate-limited");
        f.work(0, TICK * 250);
        f.run(0, Hypercall.MIGHT_SLEEP, file, 40);
        assertEquals(2, f.findings(Finding.Kind.SLEEP_IN_ATOMIC).size(), "HZ jiffies later");
    }

    @Test
    void mightSleepWithIrqsOffReports() {
        SchedFixture f = new SchedFixture(1);
        f.run(0, Hypercall.LOCAL_IRQ_DISABLE);
        f.run(0, Hypercall.MIGHT_SLEEP, string(f, "x.c"), 1);
        assertTrue(f.console.text().contains("in_atomic(): 0, irqs_disabled(): 1"));
    }

    @Test
    void pagefaultDisableNestsAndFaulthandlerDisabledSeesInAtomicToo() {
        SchedFixture f = new SchedFixture(1);
        assertFalse(f.sched.faulthandlerDisabled(0));
        f.run(0, Hypercall.PAGEFAULT_DISABLE);
        f.run(0, Hypercall.PAGEFAULT_DISABLE);
        assertEquals(1, f.call(0, Hypercall.PAGEFAULT_DISABLED).ret());
        assertEquals(0, f.call(0, Hypercall.IN_ATOMIC).ret(), "pagefault_disable does not touch preempt_count");
        assertTrue(f.sched.faulthandlerDisabled(0));
        f.run(0, Hypercall.PAGEFAULT_ENABLE);
        assertTrue(f.sched.faulthandlerDisabled(0));
        f.run(0, Hypercall.PAGEFAULT_ENABLE);
        assertFalse(f.sched.faulthandlerDisabled(0));
        f.run(0, Hypercall.PREEMPT_DISABLE);
        assertTrue(f.sched.faulthandlerDisabled(0));
    }

    @Test
    void preemptEnableWithoutDisableWarnsOnceAndStaysAtZero() {
        SchedFixture f = new SchedFixture(1);
        f.run(0, Hypercall.PREEMPT_ENABLE);
        f.run(0, Hypercall.PREEMPT_ENABLE);
        assertEquals(1, f.findings(Finding.Kind.WARN).size());
        assertEquals(0, f.call(0, Hypercall.PREEMPT_COUNT).ret());
    }

    @Test
    void sleepingWhileAtomicIsReportedAndPreemptCountReset() {
        SchedFixture f = new SchedFixture(1);
        long x = f.scratch(8);
        f.run(0, Hypercall.PREEMPT_DISABLE);
        assertTrue(f.run(0, Hypercall.WAIT_FOR_COMPLETION, x).restart());
        assertTrue(f.console.text().contains("BUG: scheduling while atomic: init/1/0x00000001"), f.console.text());
        assertEquals(0, f.sched.initTask().savedPreemptCount);
    }

    @Test
    void aTaskExitingWithLiveKmapLocalOrPagefaultDisabledIsReported() {
        SchedFixture f = new SchedFixture(2);
        Task k = f.kthread(0, "leaky", 1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        k.kmapCtrl.idx = 1;
        f.run(1, Hypercall.PAGEFAULT_DISABLE);
        f.run(1, Hypercall.PREEMPT_DISABLE);
        f.run(1, Hypercall.KTHREAD_EXIT, 0);
        String text = f.console.text();
        assertEquals(3, f.findings(Finding.Kind.LEAK).size() + f.findings(Finding.Kind.KMAP_LOCAL_LEAK).size(), text);
        assertEquals(1, f.findings(Finding.Kind.KMAP_LOCAL_LEAK).size(), text);
        assertTrue(text.contains("leaky/2 exited with 1 kmap_local slot(s) in use"), text);
        assertTrue(text.contains("note: leaky[2] exited with preempt_count 1"), text);
        assertEquals(0, f.sched.perCpu(1).preemptCount, "the idle CPU starts clean");
    }

    @Test
    void migrateEnableWithoutDisableWarnsOnce() {
        SchedFixture f = new SchedFixture(1);
        f.sched.migrateEnable(f.current(0));
        f.sched.migrateEnable(f.current(0));
        assertEquals(1, f.findings(Finding.Kind.WARN).size());
    }
}
