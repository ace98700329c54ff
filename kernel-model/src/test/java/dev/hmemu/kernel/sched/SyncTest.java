package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import org.junit.jupiter.api.Test;

class SyncTest {

    /** A started kthread, bound to {@code cpu} or unbound (-1), current on an idle CPU. */
    private static Task running(SchedFixture f, String name, int cpu) {
        Task k = f.kthread(0, name, cpu);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        assertSame(k, f.current(k.cpu));
        return k;
    }

    // ---- completions ----

    @Test
    void completeBeforeWaitLetsTheWaitReturnAtOnce() {
        SchedFixture f = new SchedFixture(1);
        long x = f.scratch(8);
        f.run(0, Hypercall.INIT_COMPLETION, x);
        f.run(0, Hypercall.COMPLETE, x);
        assertEquals(1, f.memory.readU32(x));
        SchedFixture.Result r = f.run(0, Hypercall.WAIT_FOR_COMPLETION, x);
        assertEquals(0, r.ret());
        assertFalse(r.endSlice());
        assertEquals(0, f.memory.readU32(x));
    }

    @Test
    void completeWakesTheFirstWaiterOnlyAndCompleteAllTheRest() {
        SchedFixture f = new SchedFixture(3);
        long x = f.scratch(8);
        f.run(0, Hypercall.INIT_COMPLETION, x);
        Task a = running(f, "a", 1);
        Task b = running(f, "b", 2);
        assertTrue(f.run(1, Hypercall.WAIT_FOR_COMPLETION, x).restart());
        assertTrue(f.run(2, Hypercall.WAIT_FOR_COMPLETION, x).restart());
        assertNull(f.current(1));
        assertNull(f.current(2));

        f.run(0, Hypercall.COMPLETE, x);
        assertSame(a, f.current(1));
        assertNull(f.current(2));
        assertEquals(TaskState.UNINTERRUPTIBLE, b.state);
        assertEquals(0, f.run(1, Hypercall.WAIT_FOR_COMPLETION, x).ret());

        f.run(0, Hypercall.COMPLETE_ALL, x);
        assertSame(b, f.current(2));
        assertEquals(0, f.run(2, Hypercall.WAIT_FOR_COMPLETION, x).ret());
        assertEquals(0xffffffffL, f.memory.readU32(x), "complete_all leaves done at UINT_MAX");
        assertEquals(0, f.run(1, Hypercall.WAIT_FOR_COMPLETION, x).ret());
    }

    @Test
    void aWaitNobodyCompletesIsADeadlock() {
        SchedFixture f = new SchedFixture(2);
        long x = f.scratch(8);
        f.run(0, Hypercall.INIT_COMPLETION, x);
        f.run(0, Hypercall.WAIT_FOR_COMPLETION, x);
        assertFalse(f.sched.runnable(f.machine.cpu(0)));
        assertFalse(f.idle(), "nothing can wake it: nextEventCycle is -1");
    }

    // ---- kthreads ----

    @Test
    void kthreadStopWaitsForTheThreadAndReturnsItsExitCode() {
        SchedFixture f = new SchedFixture(2);
        Task init = f.current(0);
        Task k = running(f, "k", -1);
        assertEquals(0, f.run(1, Hypercall.KTHREAD_SHOULD_STOP).ret());
        assertTrue(f.run(0, Hypercall.KTHREAD_STOP, k.taskStruct).restart());
        assertNull(f.current(0));
        assertEquals(1, f.run(1, Hypercall.KTHREAD_SHOULD_STOP).ret());
        assertTrue(f.run(1, Hypercall.KTHREAD_EXIT, 42).endSlice());
        assertEquals(TaskState.DEAD, k.state);
        assertNull(f.current(1));
        assertSame(init, f.current(0));
        assertEquals(42, f.run(0, Hypercall.KTHREAD_STOP, k.taskStruct).ret());
        assertEquals(42, f.memory.readU32(k.taskStruct + 28), "task_struct.exit_code");
    }

    @Test
    void kthreadStopOfAThreadThatNeverRanReturnsEintr() {
        SchedFixture f = new SchedFixture(1);
        Task k = f.kthread(0, "never", -1);
        assertEquals(-4, f.run(0, Hypercall.KTHREAD_STOP, k.taskStruct).ret());
        assertEquals(TaskState.DEAD, k.state);
    }

    @Test
    void theRunEndsWhenInitAndEveryStartedKthreadHaveExited() {
        SchedFixture f = new SchedFixture(2);
        Task k = running(f, "k", -1);
        f.kthread(0, "never-started", -1);
        f.run(0, Hypercall.QUEUE_WORK_ON, 0, f.scratch(12)); // makes kworker/0:0
        assertTrue(f.run(0, Hypercall.EXIT, 3).endSlice());
        assertFalse(f.sched.allDone(), "k still runs");
        assertEquals(3, f.sched.exitStatus());
        f.run(1, Hypercall.KTHREAD_EXIT, 0);
        assertEquals(TaskState.DEAD, k.state);
        assertTrue(f.sched.allDone(), "kworkers and never-started threads do not keep the run alive");
    }

    @Test
    void aKthreadThatExecutesHltStopsAndReleasesItsStopper() {
        SchedFixture f = new SchedFixture(2);
        Task k = running(f, "k", 1);
        assertTrue(f.run(0, Hypercall.KTHREAD_STOP, k.taskStruct).restart());
        Cpu c1 = f.machine.cpu(1);
        f.sched.sliceEnded(c1, new EngineExit(
                EngineExit.Reason.HALT, c1.eip(), 0, null));
        assertEquals(TaskState.DEAD, k.state);
        assertNull(f.current(1));
        assertSame(f.sched.initTask(), f.current(0));
        f.sched.checkInvariants();
    }

    // ---- spinlocks ----

    @Test
    void spinLockRaisesPreemptCountAndAContendedLockSpinsWithRestart() {
        SchedFixture f = new SchedFixture(2);
        long lock = f.scratch(12);
        f.run(0, Hypercall.SPIN_LOCK_INIT, lock, 0);
        running(f, "k", 1);
        f.machine.cpu(0).charge(CycleCategory.KERNEL, 50_000);

        assertEquals(0, f.run(0, Hypercall.SPIN_LOCK, lock).ret());
        assertEquals(1, f.call(0, Hypercall.PREEMPT_COUNT).ret());
        assertEquals(1, f.memory.readU32(lock));
        assertEquals(0, f.memory.readU32(lock + 4), "owner: CPU 0");

        SchedFixture.Result r = f.run(1, Hypercall.SPIN_LOCK, lock);
        assertTrue(r.restart());
        assertTrue(r.endSlice());
        assertEquals(1, f.call(1, Hypercall.PREEMPT_COUNT).ret(), "preempt_disable before spinning");
        assertTrue(f.run(1, Hypercall.SPIN_LOCK, lock).restart());
        assertEquals(1, f.call(1, Hypercall.PREEMPT_COUNT).ret(), "only once per lock attempt");

        f.run(0, Hypercall.SPIN_UNLOCK, lock);
        long released = f.cycles(0);
        assertTrue(f.cycles(1) >= released, "the spinner spun until the owner's release");
        assertEquals(0, f.call(0, Hypercall.PREEMPT_COUNT).ret());
        assertEquals(0, f.run(1, Hypercall.SPIN_LOCK, lock).ret());
        assertEquals(1, f.call(1, Hypercall.PREEMPT_COUNT).ret());
        assertEquals(1, f.memory.readU32(lock + 4), "owner: CPU 1");
        f.run(1, Hypercall.SPIN_UNLOCK, lock);
        assertEquals(0, f.call(1, Hypercall.PREEMPT_COUNT).ret());
        assertTrue(f.reports.findings().isEmpty(), f.reports.findings().toString());
    }

    /**
     * The kernel keeps a CPU's park bound across calls until something decides otherwise
     * which CPUs may act: every such write must be counted, or a stale bound would let a
     * CPU act out of cycle order.
     */
    @Test
    void wakingATaskOntoAnIdleCpuAndASpinAndItsHandOverAreCountedAsChangesOfWhoMayAct() {
        SchedFixture f = new SchedFixture(2);
        long lock = f.scratch(12);
        f.run(0, Hypercall.SPIN_LOCK_INIT, lock, 0);
        long switches = f.rqs.currentChanges();
        running(f, "k", 1);
        assertTrue(f.rqs.currentChanges() > switches, "CPU 1 left idle inside CPU 0's wake_up_process");
        f.machine.cpu(0).charge(CycleCategory.KERNEL, 50_000);
        f.run(0, Hypercall.SPIN_LOCK, lock);

        long waits = f.smp.blockedChanges();
        assertTrue(f.run(1, Hypercall.SPIN_LOCK, lock).restart());
        assertTrue(f.smp.blocked(1));
        assertEquals(waits + 1, f.smp.blockedChanges(), "the spin began");
        f.run(0, Hypercall.SPIN_UNLOCK, lock);
        assertFalse(f.smp.blocked(1));
        assertEquals(waits + 2, f.smp.blockedChanges(), "CPU 0's unlock handed CPU 1 the lock");
    }

    @Test
    void spinLockIrqsaveReturnsTheFlagsAndRestoresThem() {
        SchedFixture f = new SchedFixture(1);
        long lock = f.scratch(12);
        long flags = f.run(0, Hypercall.SPIN_LOCK_IRQSAVE, lock).ret();
        assertEquals(0x200, flags & 0x200);
        assertEquals(1, f.call(0, Hypercall.IRQS_DISABLED).ret());
        f.run(0, Hypercall.SPIN_UNLOCK_IRQRESTORE, lock, flags);
        assertEquals(0, f.call(0, Hypercall.IRQS_DISABLED).ret());
        assertEquals(0, f.call(0, Hypercall.PREEMPT_COUNT).ret());
    }

    @Test
    void unlockingAnUnlockedLockWarns() {
        SchedFixture f = new SchedFixture(1);
        long lock = f.scratch(12);
        f.run(0, Hypercall.SPIN_UNLOCK, lock);
        assertEquals(2, f.findings(Finding.Kind.WARN).size(), "spin_bug, then the preempt_count underflow");
        assertTrue(f.console.text().contains("BUG: spinlock already unlocked on CPU#0, init/1"));
        assertEquals(0, f.call(0, Hypercall.PREEMPT_COUNT).ret());
    }

    @Test
    void takingALockTwiceInOneTaskIsABug() {
        SchedFixture f = new SchedFixture(1);
        long lock = f.scratch(12);
        f.run(0, Hypercall.SPIN_LOCK, lock);
        var bug = SchedFixture.expectBug(() -> f.run(0, Hypercall.SPIN_LOCK, lock));
        assertTrue(bug.report().contains("BUG: spinlock recursion on CPU#0, init/1"), bug.report());
    }
}
