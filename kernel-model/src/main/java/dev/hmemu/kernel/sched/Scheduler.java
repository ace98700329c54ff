package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.kernel.base.GuestAccessException;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.mmu.AccessType;
import java.util.List;

/**
 * The scheduler side of the kernel model, wired from small parts that each follow one
 * Linux file: {@link CoreSched} (kernel/sched/core.c), {@link ContextSwitch},
 * {@link ExecContext} (preempt.h, irqflags.h, might_sleep), {@link SpinLocks},
 * {@link Completions}, {@link Kthreads} (kthread.c, exit.c), {@link Workqueues},
 * {@link Timers} (timer.c and the tick) and {@link Softirq}.
 *
 * <p>Everything is deterministic: run queues are FIFO, ties go to the lowest CPU id, maps
 * that are iterated are sorted, and time is the CPUs' cycle clocks.
 */
public final class Scheduler implements SchedApi {
    /** The CPU whose event the model is handling (for a host-side fault's report). */
    private int eventCpu;
    private final SchedEnv env;
    private final TaskTable tasks;
    private final CoreSched core;
    private final Timers timers;
    private final ExecContext exec;
    private final SpinLocks locks;
    private final Kthreads kthreads;
    private final Completions completions;
    private final Workqueues workqueues;
    private final Softirq softirq;

    /** The scheduler over {@code env}; no task exists until {@link #startInit}. */
    public Scheduler(SchedEnv env) {
        this.env = env;
        this.tasks = new TaskTable(env);
        this.core = new CoreSched(env, tasks);
        this.timers = new Timers(core);
        this.exec = new ExecContext(core, timers);
        this.locks = new SpinLocks(core, exec);
        this.kthreads = new Kthreads(core, tasks, locks);
        this.completions = new Completions(core);
        this.workqueues = new Workqueues(core, kthreads);
        this.softirq = new Softirq(core, timers, tasks);
    }

    @Override
    public void register(HypercallTable table) {
        core.register(table);
        exec.register(table);
        locks.register(table);
        kthreads.register(table);
        completions.register(table);
        workqueues.register(table);
        timers.register(table);
        softirq.register(table);
    }

    @Override
    public void startInit(long entry) {
        kthreads.startInit(entry);
    }

    @Override
    public PerCpu perCpu(int cpu) {
        return core.perCpu(cpu);
    }

    @Override
    public Task current(int cpu) {
        return core.current(cpu);
    }

    /** Every task but the idle tasks, in creation order (read-only; for a debugger's views). */
    public List<Task> tasks() {
        return tasks.all();
    }

    // ---- preempt.h, uaccess.h ----

    @Override
    public void preemptDisable(int cpu) {
        exec.preemptDisable(cpu);
    }

    @Override
    public void preemptEnable(int cpu, Hcall call) {
        exec.preemptEnable(cpu, call);
    }

    @Override
    public void pagefaultDisable(Task t) {
        exec.pagefaultDisable(t);
    }

    @Override
    public void pagefaultEnable(Task t) {
        exec.pagefaultEnable(t);
    }

    @Override
    public boolean faulthandlerDisabled(int cpu) {
        return exec.faulthandlerDisabled(cpu);
    }

    @Override
    public void migrateDisable(Task t) {
        exec.migrateDisable(t);
    }

    @Override
    public void migrateEnable(Task t) {
        exec.migrateEnable(t);
    }

    @Override
    public void mightSleep(Hcall call, String file, int line) {
        exec.mightSleep(call, file, line);
    }

    // ---- sleeping ----

    @Override
    public long sleepOn(Hcall call, WaitQueue wq) {
        return core.sleepOn(call, wq);
    }

    @Override
    public void wakeUp(WaitQueue wq, int fromCpu) {
        core.wakeUp(wq, fromCpu);
    }

    // ---- run loop ----

    /**
     * The end of a slice of {@code cpu}: a returning softirq is unwound (or a halted task
     * stopped), ticks are taken, the schedule point switches tasks, an expired timer may
     * interrupt, and idle CPUs' timers and msleep wake-ups that every busy CPU has passed
     * are fired.
     */
    @Override
    public void sliceEnded(Cpu cpu, EngineExit exit) {
        eventCpu = cpu.id();
        try {
            endSlice(cpu, exit);
        } catch (KernelBugException e) {
            env.stop(new StopReason.KernelBug(e.report()));
        } catch (GuestAccessException e) {
            hostAccessFault(eventCpu, e);
        }
    }

    /**
     * The model, working for the guest on {@code cpu} outside a hypercall (timer expiry,
     * softirq entry, jiffies), touched an address with no mapping: the kernel page fault
     * that would be, as an oops on that CPU naming the task it interrupted.
     */
    private void hostAccessFault(int cpu, GuestAccessException e) {
        String text = env.reports().oops(core.ctx(cpu), new PageFault(e.address(), AccessType.READ, 0,
                core.cpu(cpu).eip(), false), "hmemu: kernel code run for the guest (timer, softirq, jiffies) "
                        + "followed a bad pointer: " + e.getMessage());
        env.stop(new StopReason.Oops(text));
    }

    private void endSlice(Cpu cpu, EngineExit exit) {
        PerCpu pc = core.perCpu(cpu.id());
        if (pc.softirqReturn) {
            softirq.leave(cpu);
        } else if (exit.reason() == EngineExit.Reason.HALT) {
            if (pc.irq != null) {
                softirq.abandon(cpu);
            } else {
                kthreads.halted(cpu);
            }
        }
        timers.tick(cpu);
        if (pc.irq == null) {
            core.schedulePoint(cpu);
            softirq.maybeRun(cpu);
        }
        long horizon = core.horizon();
        if (horizon >= 0) {
            runEvents(horizon);
        }
    }

    @Override
    public boolean runnable(Cpu cpu) {
        PerCpu pc = core.perCpu(cpu.id());
        if (pc.isIdle()) {
            core.switchFromIdle(cpu.id());
        }
        return !pc.isIdle();
    }

    @Override
    public long nextEventCycle() {
        long t = nextEvent();
        return t == Long.MAX_VALUE ? -1 : t;
    }

    /** Every CPU is idle: time jumps to {@code cycle}, and what is due then fires. */
    @Override
    public void idleUntil(long cycle) {
        eventCpu = 0;
        try {
            idleTo(cycle);
        } catch (KernelBugException e) {
            env.stop(new StopReason.KernelBug(e.report()));
        } catch (GuestAccessException e) {
            hostAccessFault(eventCpu, e);
        }
    }

    private void idleTo(long cycle) {
        for (int i = 0; i < core.nrCpus(); i++) {
            if (core.perCpu(i).isIdle()) {
                core.cpu(i).idleUntil(cycle);
            }
        }
        runEvents(cycle);
    }

    @Override
    public boolean allDone() {
        return kthreads.allDone();
    }

    @Override
    public int exitStatus() {
        return kthreads.exitStatus();
    }

    // ---- timed events of idle CPUs and sleepers ----

    private long nextEvent() {
        long t = timers.nextSleeperWake();
        for (int i = 0; i < core.nrCpus(); i++) {
            if (core.perCpu(i).isIdle()) {
                t = Math.min(t, timers.idleTimerEvent(i));
            }
        }
        return t;
    }

    /**
     * Fires, in time order, the msleep wake-ups and idle CPUs' timers due by
     * {@code horizon} (sleepers first on a tie, then the lowest CPU).
     */
    private void runEvents(long horizon) {
        while (true) {
            long sleeper = timers.nextSleeperWake();
            int cpu = -1;
            long timer = Long.MAX_VALUE;
            for (int i = 0; i < core.nrCpus(); i++) {
                if (core.perCpu(i).isIdle()) {
                    long e = timers.idleTimerEvent(i);
                    if (e < timer) {
                        timer = e;
                        cpu = i;
                    }
                }
            }
            long t = Math.min(sleeper, timer);
            if (t == Long.MAX_VALUE || t > horizon) {
                return;
            }
            timers.advanceTo(t);
            if (sleeper <= timer) {
                timers.wakeFirstSleeper(t);
            } else {
                Cpu c = core.cpu(cpu);
                eventCpu = cpu;
                c.idleUntil(t);
                softirq.maybeRun(c);
            }
        }
    }

    // ---- for tests and invariant checks ----

    /**
     * The run-queue invariants at a slice boundary; throws IllegalStateException when one
     * is broken: a RUNNING task is current on exactly one CPU or queued on exactly one run
     * queue (its own CPU's), a task in any other state is neither; a bound task sits on its
     * CPU; an idle CPU has an empty run queue; a CPU serving a softirq has SOFTIRQ_OFFSET in
     * preempt_count.
     */
    public void checkInvariants() {
        for (Task t : tasks.all()) {
            int places = 0;
            for (int i = 0; i < core.nrCpus(); i++) {
                PerCpu pc = core.perCpu(i);
                boolean here = pc.current() == t || pc.rq.contains(t);
                if (here) {
                    places++;
                    if (t.cpu != i) {
                        throw new IllegalStateException(t + " is on CPU " + i + " but records CPU " + t.cpu);
                    }
                }
            }
            int expected = t.state == TaskState.RUNNING ? 1 : 0;
            if (places != expected) {
                throw new IllegalStateException(t + " (" + t.state + ") is on " + places + " CPUs/run queues");
            }
            if (t.boundCpu >= 0 && t.cpu != t.boundCpu) {
                throw new IllegalStateException(t + " is bound to CPU " + t.boundCpu + " but on " + t.cpu);
            }
        }
        for (int i = 0; i < core.nrCpus(); i++) {
            PerCpu pc = core.perCpu(i);
            if (pc.isIdle() && !pc.rq.isEmpty()) {
                throw new IllegalStateException("CPU " + i + " is idle with " + pc.rq + " runnable");
            }
            if (pc.irq != null && (pc.preemptCount & PerCpu.SOFTIRQ_OFFSET) == 0) {
                throw new IllegalStateException("CPU " + i + " serves a softirq with preempt_count "
                        + Integer.toHexString(pc.preemptCount));
            }
        }
    }

    /** jiffies_64. */
    public long jiffies() {
        return timers.jiffies();
    }

    /** The init task (null before startInit). */
    public Task initTask() {
        return kthreads.init();
    }

    /** Tasks queued on {@code cpu}'s run queue (not counting current). */
    public int queued(int cpu) {
        return core.perCpu(cpu).rq.size();
    }

    /** Whether {@code cpu} is serving a softirq. */
    public boolean inSoftirq(int cpu) {
        return core.perCpu(cpu).irq != null;
    }

    /** The task whose task_struct is at {@code addr}, or null. */
    public Task task(long taskStruct) {
        return tasks.byStruct(taskStruct);
    }
}
