package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.stats.Counter;
import org.junit.jupiter.api.Test;

class PreemptionTest {
    private static final long TICK = 100_000;

    /** init on CPU 0 with a bound kthread queued behind it. */
    private static Task queueBehindInit(SchedFixture f) {
        Task k = f.kthread(0, "k", 0);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        return k;
    }

    @Test
    void aTickPreemptsAPreemptibleTaskWhenAnotherIsRunnable() {
        SchedFixture f = new SchedFixture(1);
        Task k = queueBehindInit(f);
        f.work(0, TICK / 2);
        assertEquals(0, f.total(Counter.TIMER_TICKS));
        f.work(0, TICK);
        assertEquals(1, f.total(Counter.TIMER_TICKS));
        assertSame(k, f.current(0));
        assertEquals(1, f.total(Counter.PREEMPTIONS));
        assertEquals(1, f.sched.jiffies());
        assertEquals(1, f.memory.readU32(SchedFixture.JIFFIES), "the guest's jiffies");
    }

    @Test
    void roundRobinAlternatesTasksOnEveryTick() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        Task k = queueBehindInit(f);
        f.work(0, TICK);
        assertSame(k, f.current(0));
        f.work(0, TICK);
        assertSame(init, f.current(0));
        assertEquals(2, f.total(Counter.PREEMPTIONS));
    }

    @Test
    void preemptDisableHoldsOffTheTickUntilPreemptEnable() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        Task k = queueBehindInit(f);
        f.run(0, Hypercall.PREEMPT_DISABLE);
        assertEquals(1, f.call(0, Hypercall.PREEMPT_COUNT).ret());
        assertEquals(1, f.call(0, Hypercall.IN_ATOMIC).ret());
        f.work(0, TICK);
        assertSame(init, f.current(0));
        assertTrue(f.sched.perCpu(0).needResched);
        assertTrue(f.run(0, Hypercall.PREEMPT_ENABLE).endSlice());
        assertSame(k, f.current(0));
        assertEquals(1, f.total(Counter.PREEMPTIONS));
    }

    @Test
    void irqsOffHoldOffTheTickUntilTheyAreOn() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        Task k = queueBehindInit(f);
        long flags = f.run(0, Hypercall.LOCAL_IRQ_SAVE).ret();
        assertEquals(0x200, flags & 0x200, "IF was set");
        assertEquals(1, f.call(0, Hypercall.IRQS_DISABLED).ret());
        f.work(0, TICK);
        assertSame(init, f.current(0));
        assertTrue(f.run(0, Hypercall.LOCAL_IRQ_RESTORE, flags).endSlice());
        assertSame(k, f.current(0));
    }

    @Test
    void withoutConfigPreemptOnlyCondReschedSwitches() {
        SchedFixture f = new SchedFixture(1, KernelConfig.defaults().withTickCycles(TICK).withPreempt(false));
        Task init = f.current(0);
        Task k = queueBehindInit(f);
        f.work(0, TICK);
        assertSame(init, f.current(0));
        assertEquals(1, f.run(0, Hypercall.COND_RESCHED).ret());
        assertSame(k, f.current(0));
        assertEquals(0, f.run(0, Hypercall.COND_RESCHED).ret(), "need_resched was cleared by the switch");
    }

    @Test
    void condReschedDoesNothingInAtomicContext() {
        SchedFixture f = new SchedFixture(1, KernelConfig.defaults().withTickCycles(TICK).withPreempt(false));
        queueBehindInit(f);
        f.work(0, TICK);
        f.run(0, Hypercall.PREEMPT_DISABLE);
        assertEquals(0, f.run(0, Hypercall.COND_RESCHED).ret());
    }

    @Test
    void migrationDisabledKeepsAWokenTaskOnItsCpu() {
        for (boolean pinned : new boolean[] {false, true}) {
            SchedFixture f = new SchedFixture(3);
            long x = f.scratch(8);
            f.run(0, Hypercall.INIT_COMPLETION, x);
            Task k = f.kthread(0, "k", -1);
            f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
            assertSame(k, f.current(1));
            Task b = f.kthread(0, "busy", 1);
            f.call(0, Hypercall.WAKE_UP_PROCESS, b.taskStruct);
            if (pinned) {
                f.sched.migrateDisable(k);
            }
            assertTrue(f.run(1, Hypercall.WAIT_FOR_COMPLETION, x).restart());
            assertSame(b, f.current(1));
            f.run(0, Hypercall.COMPLETE, x);
            if (pinned) {
                assertEquals(1, k.cpu);
                assertEquals(1, f.sched.queued(1));
                assertEquals(null, f.current(2));
            } else {
                assertSame(k, f.current(2), "an unpinned task goes to the idle CPU");
            }
        }
    }

    @Test
    void liveKmapLocalMappingsPinATaskLikeMigrateDisable() {
        SchedFixture f = new SchedFixture(3);
        long x = f.scratch(8);
        Task k = f.kthread(0, "k", -1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        Task b = f.kthread(0, "busy", 1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, b.taskStruct);
        k.kmapCtrl.idx = 1;
        f.run(1, Hypercall.WAIT_FOR_COMPLETION, x);
        f.run(0, Hypercall.COMPLETE, x);
        assertEquals(1, k.cpu);
        assertFalse(f.sched.runnable(f.machine.cpu(2)));
    }
}
