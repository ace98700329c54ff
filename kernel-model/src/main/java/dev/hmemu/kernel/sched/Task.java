package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.RegisterContext;
import dev.hmemu.kernel.highmem.KmapCtrl;

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

    public Task(int pid, String comm, long taskStruct, long stackBase, int stackSize, int kmMaxIdx) {
        this.pid = pid;
        this.comm = comm;
        this.taskStruct = taskStruct;
        this.stackBase = stackBase;
        this.stackSize = stackSize;
        this.kmapCtrl = new KmapCtrl(kmMaxIdx);
    }

    @Override
    public String toString() {
        return comm + "/" + pid;
    }
}
