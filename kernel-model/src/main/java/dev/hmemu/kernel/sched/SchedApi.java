package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.HypercallTable;

/**
 * The scheduler and execution-context side of the kernel model (kernel/sched,
 * include/linux/preempt.h, uaccess.h), as the rest of the model sees it.
 */
public interface SchedApi {

    /** Registers the hypercalls of tasks, sync, workqueues and timers. */
    void register(HypercallTable table);

    /** Creates the init task (PID 1, "init") on CPU 0, running {@code entry} (main's caller). */
    void startInit(long entry);

    PerCpu perCpu(int cpu);

    /** The task running on {@code cpu}, or null when idle. */
    Task current(int cpu);

    // ---- include/linux/preempt.h and uaccess.h ----

    void preemptDisable(int cpu);

    /** preempt_enable(): may reschedule (then ends the slice through {@code call}). */
    void preemptEnable(int cpu, Hcall call);

    void pagefaultDisable(Task t);

    void pagefaultEnable(Task t);

    /** faulthandler_disabled() = pagefault_disabled() || in_atomic(). */
    boolean faulthandlerDisabled(int cpu);

    void migrateDisable(Task t);

    void migrateEnable(Task t);

    /** might_sleep() at file:line: the __might_resched splat when atomic. */
    void mightSleep(Hcall call, String file, int line);

    // ---- sleeping ----

    /**
     * Puts the current task of the call's CPU to sleep on {@code wq} (TASK_UNINTERRUPTIBLE)
     * and ends the slice. Returns {@link dev.hmemu.kernel.hcall.Hypercall#RESTART}, which
     * the handler returns, so the call is re-issued when the task runs again.
     */
    long sleepOn(Hcall call, WaitQueue wq);

    /** wake_up(): makes every task sleeping on {@code wq} runnable. */
    void wakeUp(WaitQueue wq, int fromCpu);

    // ---- run loop (GuestKernel) ----

    void sliceEnded(Cpu cpu, EngineExit exit);

    boolean runnable(Cpu cpu);

    long nextEventCycle();

    void idleUntil(long cycle);

    /** True once init has called exit and every kthread it started has exited. */
    boolean allDone();

    /** init's exit status (main's return value). */
    int exitStatus();
}
