package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.RegisterContext;

/**
 * A task (struct task_struct): the guest sees {@code taskStruct} (pid, comm, cpu, ...);
 * the model keeps the rest here.
 */
public final class Task {
    public final int pid;
    public final String comm;
    /** Guest address of this task's struct task_struct. */
    public final long taskStruct;
    /** Lowest address of the kernel stack, and its size. */
    public final long stackBase;
    public final int stackSize;
    /** The stack went back to the allocator (the task is dead). */
    boolean stackFreed;
    /** current->kmap_ctrl. */
    public final KmapCtrl kmapCtrl;
    /** current->pagefault_disabled. */
    public int pagefaultDisabled;
    /** current->migration_disabled. */
    public int migrationDisabled;
    /** The CPU it runs or last ran on. */
    public int cpu;
    /** CPU it is bound to (kthread_bind / kthread_run_on_cpu), or -1. */
    public int boundCpu = -1;
    public TaskState state = TaskState.NEW;
    /** Saved registers while not running. */
    public RegisterContext context;
    /** A kernel thread (not the init task running main). */
    public boolean kthread;
    /** A kworker of the model's workqueues (does not keep the run alive). */
    public boolean worker;
    public boolean shouldStop;
    public int exitCode;

    // ---- scheduler-private state ----

    /**
     * preempt_count and the IRQ flag while switched out (like the saved_preempt_count
     * that x86 kept in thread_info before v4.x); a correct task switches with both clear.
     */
    int savedPreemptCount;
    boolean savedIrqsDisabled;
    /** A CPU's idle task (swapper/N): current only while a softirq interrupts idle. */
    boolean idle;
    /** kthread->exited: kthread_stop() callers waiting for this task to exit. */
    final WaitQueue exitWaiters;
    /** msleep(): the cycle at which the sleep ends, or -1 when not in msleep. */
    long sleepUntil = -1;
    /** A spin_lock() in progress in this task's context (it spins across restarts). */
    final SpinWait spin = new SpinWait();

    public Task(int pid, String comm, long taskStruct, long stackBase, int stackSize, int kmMaxIdx) {
        this.pid = pid;
        this.comm = comm;
        this.taskStruct = taskStruct;
        this.stackBase = stackBase;
        this.stackSize = stackSize;
        this.kmapCtrl = new KmapCtrl(kmMaxIdx);
        this.exitWaiters = new WaitQueue("kthread_exited/" + pid);
    }

    /** Highest address (exclusive) of the kernel stack. */
    public long stackTop() {
        return stackBase + stackSize;
    }

    /** is_idle_task(). */
    public boolean isIdle() {
        return idle;
    }

    @Override
    public String toString() {
        return comm + "/" + pid;
    }
}
