package dev.hmemu.kernel.sched;

/** Task states (a subset of Linux's __state values). */
public enum TaskState {
    /** TASK_RUNNING: running or on a run queue. */
    RUNNING,
    /** TASK_UNINTERRUPTIBLE: asleep on a wait queue or timer. */
    UNINTERRUPTIBLE,
    /** Created by kthread_create, not yet woken. */
    NEW,
    /** EXIT_DEAD. */
    DEAD
}
