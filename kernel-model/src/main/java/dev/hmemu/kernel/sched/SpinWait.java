package dev.hmemu.kernel.sched;

/**
 * A contended spin_lock() of one execution context (a task, or a softirq frame): set on
 * the first attempt, which did the preempt_disable() (and local_irq_save() for the
 * irqsave variant), and cleared when the lock is taken, so the restarted attempts do not
 * raise preempt_count again.
 */
final class SpinWait {
    /** Guest address of the lock being spun on, or 0. */
    long lock;
    /** The flags local_irq_save() returned on the first attempt (irqsave variant). */
    long flags;

    boolean spinningOn(long addr) {
        return lock == addr;
    }

    void start(long addr, long savedFlags) {
        lock = addr;
        flags = savedFlags;
    }

    void clear() {
        lock = 0;
        flags = 0;
    }
}
