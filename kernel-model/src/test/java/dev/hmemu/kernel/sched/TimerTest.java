package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.Counter;
import org.junit.jupiter.api.Test;

class TimerTest {
    private static final long TICK = 100_000;

    private static long timer(SchedFixture f, long function) {
        long t = f.scratch(16);
        f.memory.writeU32(t + 8, function);
        return t;
    }

    @Test
    void msleepSleepsForTheCyclesOfItsMillisecondsAndThenReturns() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        long start = f.cycles(0);
        assertTrue(f.run(0, Hypercall.MSLEEP, 5).restart());
        assertNull(f.current(0));
        assertTrue(f.idle());
        assertSame(init, f.current(0));
        long perMs = TICK * 250 / 1000;
        assertTrue(f.cycles(0) >= start + 5 * perMs, "slept 5 ms: " + (f.cycles(0) - start));
        assertEquals(0, f.run(0, Hypercall.MSLEEP, 5).ret());
        assertEquals(1, f.sched.jiffies(), "5 ms at HZ=250 passes one tick");
    }

    @Test
    void anEarlyWakeUpDoesNotCutMsleepShort() {
        SchedFixture f = new SchedFixture(2);
        Task init = f.current(0);
        f.run(0, Hypercall.MSLEEP, 10);
        Task k = f.kthread(1, "k", 1);
        f.call(1, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        f.call(1, Hypercall.WAKE_UP_PROCESS, init.taskStruct);
        assertSame(init, f.current(0));
        assertTrue(f.run(0, Hypercall.MSLEEP, 10).restart(), "sleeps again until the deadline");
    }

    @Test
    void anExpiredTimerInterruptsTheTaskInSoftirqContextAndReturns() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        long t = timer(f, 0x7000);
        assertEquals(0, f.run(0, Hypercall.MOD_TIMER, t, 1).ret());
        assertEquals(1, f.run(0, Hypercall.MOD_TIMER, t, 1).ret(), "pending now");
        Cpu c0 = f.machine.cpu(0);
        c0.setReg(X86Reg.EAX, 0xabcd);
        c0.setEip(0x1077);
        f.work(0, TICK);

        assertTrue(f.sched.inSoftirq(0));
        assertSame(init, f.current(0), "the interrupted task stays current");
        assertEquals(SchedFixture.SOFTIRQ_ENTRY, c0.eip());
        long esp = c0.reg(X86Reg.ESP) & 0xffffffffL;
        assertEquals(t, f.memory.readU32(esp + 4));
        assertEquals(0x100, f.call(0, Hypercall.PREEMPT_COUNT).ret());
        assertEquals(1, f.call(0, Hypercall.IN_ATOMIC).ret());
        assertEquals(0, f.memory.readU32(t), "not pending while its callback runs");

        assertTrue(f.run(0, Hypercall.SOFTIRQ_RETURN).endSlice());
        assertFalse(f.sched.inSoftirq(0));
        assertEquals(0x1077, c0.eip());
        assertEquals(0xabcd, c0.reg(X86Reg.EAX));
        assertEquals(0, f.call(0, Hypercall.PREEMPT_COUNT).ret());
        assertTrue(f.reports.findings().isEmpty(), f.reports.findings().toString());
    }

    @Test
    void aTimerWaitsWhileIrqsAreOff() {
        SchedFixture f = new SchedFixture(1);
        long t = timer(f, 0x7000);
        f.run(0, Hypercall.MOD_TIMER, t, 1);
        f.run(0, Hypercall.LOCAL_IRQ_DISABLE);
        f.work(0, TICK);
        assertFalse(f.sched.inSoftirq(0));
        assertTrue(f.run(0, Hypercall.LOCAL_IRQ_ENABLE).endSlice());
        assertTrue(f.sched.inSoftirq(0));
    }

    @Test
    void delTimerSyncDeactivatesAPendingTimer() {
        SchedFixture f = new SchedFixture(1);
        long t = timer(f, 0x7000);
        f.run(0, Hypercall.MOD_TIMER, t, 1);
        assertEquals(1, f.run(0, Hypercall.DEL_TIMER_SYNC, t).ret());
        assertEquals(0, f.run(0, Hypercall.DEL_TIMER_SYNC, t).ret());
        f.work(0, TICK * 2);
        assertFalse(f.sched.inSoftirq(0));
    }

    @Test
    void delTimerSyncSpinsWhileTheCallbackRunsOnAnotherCpu() {
        SchedFixture f = new SchedFixture(2);
        long t = timer(f, 0x7000);
        Task k = f.kthread(0, "k", 1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        f.run(1, Hypercall.MOD_TIMER, t, 1);
        f.work(1, TICK);
        assertTrue(f.sched.inSoftirq(1));
        assertTrue(f.run(0, Hypercall.DEL_TIMER_SYNC, t).restart());
        f.run(1, Hypercall.SOFTIRQ_RETURN);
        assertEquals(0, f.run(0, Hypercall.DEL_TIMER_SYNC, t).ret());
    }

    @Test
    void aTimerOnAnIdleCpuWakesItAsTheIdleTask() {
        SchedFixture f = new SchedFixture(1);
        long t = timer(f, 0x7000);
        long x = f.scratch(8);
        f.run(0, Hypercall.MOD_TIMER, t, 3);
        f.run(0, Hypercall.WAIT_FOR_COMPLETION, x);
        assertNull(f.current(0));
        assertEquals(3 * TICK, f.sched.nextEventCycle());
        assertTrue(f.idle());
        assertTrue(f.sched.inSoftirq(0));
        Task idle = f.current(0);
        assertEquals(0, idle.pid);
        assertEquals("swapper/0", idle.comm);
        assertEquals(idle.taskStruct, f.call(0, Hypercall.CURRENT).ret());
        assertEquals(3, f.sched.jiffies());
        // the callback completes what init waits for: init runs once the softirq returns
        f.run(0, Hypercall.COMPLETE, x);
        assertTrue(f.sched.inSoftirq(0));
        f.run(0, Hypercall.SOFTIRQ_RETURN);
        assertSame(f.sched.initTask(), f.current(0));
        assertEquals(0, f.run(0, Hypercall.WAIT_FOR_COMPLETION, x).ret());
    }

    @Test
    void aSoftirqThatLeavesAKmapLocalMappingIsReported() {
        SchedFixture f = new SchedFixture(1);
        long t = timer(f, 0x7000);
        f.run(0, Hypercall.MOD_TIMER, t, 1);
        f.work(0, TICK);
        f.current(0).kmapCtrl.idx++; // the callback's kmap_local_page pushes on init's stack
        f.run(0, Hypercall.SOFTIRQ_RETURN);
        assertEquals(1, f.findings(Finding.Kind.LEAK).size());
    }

    @Test
    void sleepingInASoftirqIsABug() {
        SchedFixture f = new SchedFixture(1);
        long t = timer(f, 0x7000);
        f.run(0, Hypercall.MOD_TIMER, t, 1);
        f.work(0, TICK);
        var bug = SchedFixture.expectBug(() -> f.run(0, Hypercall.MSLEEP, 1));
        assertTrue(bug.report().contains("scheduling while atomic"), bug.report());
    }

    @Test
    void ticksStopWhileIdle() {
        SchedFixture f = new SchedFixture(1);
        f.run(0, Hypercall.MSLEEP, 100);
        assertTrue(f.idle());
        f.work(0, 10);
        assertEquals(0, f.total(Counter.TIMER_TICKS), "no ticks for the idle stretch");
        f.work(0, TICK);
        assertEquals(1, f.total(Counter.TIMER_TICKS));
    }
}
