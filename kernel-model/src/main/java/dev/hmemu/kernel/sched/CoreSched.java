package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.report.Reports;
import java.util.HashSet;
import java.util.Set;

/**
 * kernel/sched/core.c: the per-CPU state, try_to_wake_up() and select_task_rq(), the
 * sleeping half of __schedule(), the schedule point at the end of a slice, and the
 * task-level hypercalls (schedule, cond_resched, smp_processor_id, current).
 *
 * <p>Handlers run inside a CPU's slice, so they never switch registers: they change
 * states, note a {@link PerCpu.SwitchRequest} and end the slice; {@link #schedulePoint}
 * switches at the slice end. A task woken onto an idle CPU is switched in at once, after
 * that CPU's clock has caught up with the waker's.
 */
final class CoreSched {
    static final String CORE_C = "kernel/sched/core.c";

    private final SchedEnv env;
    private final PerCpu[] cpus;
    private final ContextSwitch cs;
    private final TaskTable tasks;
    private final Set<String> warned = new HashSet<>();

    CoreSched(SchedEnv env, TaskTable tasks) {
        this.env = env;
        this.tasks = tasks;
        this.cpus = env.rqs().all();
        this.cs = new ContextSwitch(env, tasks);
    }

    void register(HypercallTable t) {
        t.register(Hypercall.SCHEDULE, this::schedule);
        t.register(Hypercall.COND_RESCHED, this::condResched);
        t.register(Hypercall.SMP_PROCESSOR_ID, c -> c.cpuId());
        t.register(Hypercall.NUM_ONLINE_CPUS, c -> cpus.length);
        t.register(Hypercall.CURRENT, this::current);
    }

    SchedEnv env() {
        return env;
    }

    ContextSwitch contextSwitch() {
        return cs;
    }

    int nrCpus() {
        return cpus.length;
    }

    PerCpu perCpu(int cpu) {
        return cpus[cpu];
    }

    Cpu cpu(int id) {
        return env.machine().cpu(id);
    }

    /** The task running on {@code cpu} (the idle task while a softirq interrupts idle), or null. */
    Task current(int cpu) {
        return cpus[cpu].current();
    }

    Reports.Context ctx(int cpu) {
        return env.rqs().ctx(cpu);
    }

    /** A WARN_ON_ONCE of the model: printed the first time {@code site} fires. */
    void warnOnce(int cpu, String site, String where, String func, String message) {
        if (warned.add(site)) {
            env.reports().warn(ctx(cpu), where, func, message);
        }
    }

    /** The spin_lock() state of whatever runs on {@code cpu}: the softirq, or the task. */
    SpinWait spinWait(int cpu) {
        PerCpu pc = cpus[cpu];
        return pc.irq != null ? pc.irq.spin() : pc.current().spin;
    }

    // ---- hypercalls ----

    /** schedule() by a running task: a voluntary switch if another task is runnable here. */
    private long schedule(Hcall call) {
        PerCpu pc = cpus[call.cpuId()];
        if (pc.irq != null) {
            throw env.reports().bug(ctx(call.cpuId()), CORE_C, scheduleBugText(pc) + " (in interrupt)");
        }
        scheduleDebug(call.cpuId());
        if (!pc.rq.isEmpty()) {
            pc.request = PerCpu.SwitchRequest.SCHEDULE;
            call.endSlice();
        }
        return 0;
    }

    /** cond_resched(): reschedules (as a preemption) if need_resched and preemptible; 1 if it does. */
    private long condResched(Hcall call) {
        PerCpu pc = cpus[call.cpuId()];
        if (!pc.needResched || pc.preemptCount != 0 || pc.irqsDisabled || pc.rq.isEmpty()) {
            return 0;
        }
        pc.request = PerCpu.SwitchRequest.PREEMPT;
        call.endSlice();
        return 1;
    }

    private long current(Hcall call) {
        Task t = cpus[call.cpuId()].current();
        return t == null ? 0 : t.taskStruct;
    }

    // ---- sleeping ----

    /**
     * The sleeping half of __schedule(): the current task becomes TASK_UNINTERRUPTIBLE,
     * waits on {@code wq} (null: a timer or kthread_stop wakes it), and the slice ends.
     *
     * @return {@link Hypercall#RESTART}, for the handler to return
     */
    long sleepOn(Hcall call, WaitQueue wq) {
        int id = call.cpuId();
        PerCpu pc = cpus[id];
        Task t = pc.current();
        if (pc.irq != null || t == null || t.idle) {
            throw env.reports().bug(ctx(id), CORE_C, scheduleBugText(pc) + " (in interrupt)");
        }
        scheduleDebug(id);
        t.state = TaskState.UNINTERRUPTIBLE;
        if (wq != null) {
            wq.add(t);
        }
        call.endSlice();
        return Hypercall.RESTART;
    }

    /**
     * schedule_debug(): "BUG: scheduling while atomic" when preempt_count is raised; like
     * Linux it then resets preempt_count to what schedule() expects and goes on.
     */
    void scheduleDebug(int cpu) {
        PerCpu pc = cpus[cpu];
        if (pc.preemptCount != 0) {
            env.reports().warn(ctx(cpu), CORE_C, "__schedule_bug", scheduleBugText(pc));
            pc.preemptCount = 0;
        }
    }

    private String scheduleBugText(PerCpu pc) {
        Task t = pc.current();
        return String.format("BUG: scheduling while atomic: %s/%d/0x%08x", t == null ? "swapper/" + pc.cpu : t.comm,
                t == null ? 0 : t.pid, pc.preemptCount);
    }

    // ---- waking ----

    /** wake_up() for the current cycle of {@code fromCpu}: every waiter, FIFO. */
    void wakeUp(WaitQueue wq, int fromCpu) {
        long now = cpu(fromCpu).cycles();
        for (Task t : wq.drain()) {
            wakeUpTask(t, now);
        }
    }

    /** swake_up_one(): the first waiter that is really asleep (a running one re-checks anyway). */
    void wakeUpOne(WaitQueue wq, int fromCpu) {
        long now = cpu(fromCpu).cycles();
        for (Task t = wq.pollFirst(); t != null; t = wq.pollFirst()) {
            if (wakeUpTask(t, now)) {
                return;
            }
        }
    }

    /**
     * try_to_wake_up(): a NEW or sleeping task becomes TASK_RUNNING. A task still current
     * (it set its state but has not switched out yet) only changes state; any other goes
     * on the run queue of the CPU {@link #selectTaskRq} picks, at cycle {@code now}.
     *
     * @return true if the task was woken (false: already running, or dead)
     */
    boolean wakeUpTask(Task t, long now) {
        if (t.state == TaskState.RUNNING || t.state == TaskState.DEAD) {
            return false;
        }
        t.state = TaskState.RUNNING;
        if (cpus[t.cpu].current() == t) {
            return true;
        }
        activate(t, selectTaskRq(t), now);
        return true;
    }

    /**
     * select_task_rq(): a bound task goes to its CPU, a task with migration disabled or live
     * kmap_local mappings to the CPU it last ran on; any other to the least-loaded CPU
     * (ties: the CPU it last ran on, then the lowest id).
     */
    int selectTaskRq(Task t) {
        if (t.boundCpu >= 0) {
            return t.boundCpu;
        }
        if (t.migrationDisabled > 0 || t.kmapCtrl.idx != 0) {
            return t.cpu;
        }
        int best = t.cpu;
        int bestLoad = cpus[best].nrRunning();
        for (PerCpu pc : cpus) {
            int load = pc.nrRunning();
            if (load < bestLoad) {
                best = pc.cpu;
                bestLoad = load;
            }
        }
        return best;
    }

    /** activate_task(): queue {@code t} on {@code cpu}; an idle CPU wakes at {@code now} and runs it. */
    void activate(Task t, int cpu, long now) {
        PerCpu pc = cpus[cpu];
        if (t.cpu != cpu) {
            t.cpu = cpu;
            tasks.writeCpu(t);
        }
        pc.rq.enqueue(t);
        if (pc.isIdle()) {
            cpu(cpu).idleUntil(now);
            switchFromIdle(cpu);
        } else if (pc.current().idle) {
            pc.needResched = true; // a softirq interrupts idle: switch when it returns
        }
    }

    /** The idle loop found work: switch to the first queued task. */
    void switchFromIdle(int cpu) {
        PerCpu pc = cpus[cpu];
        if (pc.isIdle() && !pc.rq.isEmpty()) {
            cs.switchTo(cpu(cpu), pc, null, pc.rq.pickNext(), false);
        }
    }

    // ---- the schedule point ----

    /**
     * The end of a slice with no softirq in progress: switch away from a task that slept
     * or exited (voluntary), on a schedule() request (voluntary), or on cond_resched() or
     * need_resched with the task preemptible under CONFIG_PREEMPT (a preemption).
     */
    void schedulePoint(Cpu c) {
        PerCpu pc = cpus[c.id()];
        PerCpu.SwitchRequest req = pc.request;
        pc.request = null;
        Task prev = pc.current();
        if (prev == null) {
            switchFromIdle(c.id());
            return;
        }
        if (prev.state != TaskState.RUNNING) {
            cs.switchTo(c, pc, prev, pc.rq.pickNext(), false);
            return;
        }
        if (pc.rq.isEmpty()) {
            pc.needResched = false;
            return;
        }
        if (req == PerCpu.SwitchRequest.SCHEDULE) {
            cs.switchTo(c, pc, prev, pc.rq.pickNext(), false);
        } else if (req == PerCpu.SwitchRequest.PREEMPT
                || (pc.needResched && env.config().preempt() && pc.preemptible())) {
            cs.switchTo(c, pc, prev, pc.rq.pickNext(), true);
        }
    }

    /** scheduler_tick(): another task waits here, so the current one's slice is over. */
    void tick(int cpu) {
        PerCpu pc = cpus[cpu];
        if (pc.current() != null && !pc.rq.isEmpty()) {
            pc.needResched = true;
        }
    }

    /** The earliest clock among CPUs that run something, or -1 when all are idle. */
    long horizon() {
        long h = Long.MAX_VALUE;
        for (PerCpu pc : cpus) {
            if (!pc.isIdle()) {
                h = Math.min(h, cpu(pc.cpu).cycles());
            }
        }
        return h == Long.MAX_VALUE ? -1 : h;
    }
}
