package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.stats.Counter;

/**
 * context_switch() with prepare_task_switch() and finish_task_switch(): saves the
 * outgoing task's registers and execution state, runs __kmap_local_sched_out() and
 * __kmap_local_sched_in() when the task has kmap_local mappings (kmap_ctrl.idx != 0), and
 * loads the incoming task. A null task is the CPU's idle loop.
 */
final class ContextSwitch {
    private final SchedEnv env;
    private final TaskTable tasks;

    ContextSwitch(SchedEnv env, TaskTable tasks) {
        this.env = env;
        this.tasks = tasks;
    }

    /**
     * Switches {@code c} from {@code prev} to {@code next}. A still-runnable {@code prev}
     * goes to the tail of the run queue (pick {@code next} first).
     *
     * @param preempt an involuntary switch (counted in {@link Counter#PREEMPTIONS})
     */
    void switchTo(Cpu c, PerCpu pc, Task prev, Task next, boolean preempt) {
        if (prev == next) {
            return;
        }
        int id = c.id();
        if (prev != null) {
            if (prev.state != TaskState.DEAD) {
                prev.context = c.saveContext();
            }
            prev.savedPreemptCount = pc.preemptCount;
            prev.savedIrqsDisabled = pc.irqsDisabled;
            if (prev.kmapCtrl.idx != 0) {
                env.kmapLocal().kmapLocalSchedOut(prev, id);
            }
            if (prev.state == TaskState.RUNNING) {
                pc.rq.enqueue(prev);
            }
        } else {
            leaveIdle(c, pc);
        }
        pc.setCurrent(next);
        pc.needResched = false;
        if (next != null) {
            if (next.cpu != id) {
                next.cpu = id;
                tasks.writeCpu(next);
            }
            c.restoreContext(next.context);
            pc.preemptCount = next.savedPreemptCount;
            pc.irqsDisabled = next.savedIrqsDisabled;
            if (next.kmapCtrl.idx != 0) {
                env.kmapLocal().kmapLocalSchedIn(next, id);
            }
        } else {
            pc.preemptCount = 0;
            pc.irqsDisabled = false;
        }
        env.stats().count(Counter.CONTEXT_SWITCHES, id);
        if (preempt) {
            env.stats().count(Counter.PREEMPTIONS, id);
        }
        c.charge(CycleCategory.KERNEL, env.costs().contextSwitch());
    }

    /** Leaving the idle loop: the tick, stopped while idle (NO_HZ), restarts from now. */
    void leaveIdle(Cpu c, PerCpu pc) {
        long tick = env.config().tickCycles();
        pc.nextTick = (c.cycles() / tick + 1) * tick;
    }
}
