package dev.hmemu.kernel.smp;

import dev.hmemu.kernel.hcall.Hypercall;
import java.util.EnumSet;
import java.util.Set;

/**
 * The hypercalls that read or write kernel state shared between CPUs: locks, the pkmap
 * pool and its wait queue, run queues and wake-ups, IPIs (through the interrupt flag),
 * completions, work, timers, the page allocator and the console. Only these wait for
 * their turn in cycle order; every other hypercall touches the calling CPU's or task's
 * own state and runs at once.
 */
public final class SharedState {
    private static final Set<Hypercall> SHARED = EnumSet.of(
            Hypercall.PRINTK, Hypercall.EXIT, Hypercall.BUG, Hypercall.MARK,
            Hypercall.ALLOC_PAGES, Hypercall.FREE_PAGES, Hypercall.KMALLOC, Hypercall.KFREE,
            Hypercall.PAGE_ADDRESS, Hypercall.USER_ALLOC,
            Hypercall.KMAP, Hypercall.KUNMAP, Hypercall.KMAP_FLUSH_UNUSED, Hypercall.KMAP_TO_PAGE,
            Hypercall.LOCAL_IRQ_DISABLE, Hypercall.LOCAL_IRQ_ENABLE, Hypercall.LOCAL_IRQ_SAVE,
            Hypercall.LOCAL_IRQ_RESTORE,
            Hypercall.SPIN_LOCK, Hypercall.SPIN_UNLOCK, Hypercall.SPIN_LOCK_IRQSAVE,
            Hypercall.SPIN_UNLOCK_IRQRESTORE, Hypercall.SPIN_LOCK_INIT,
            Hypercall.SCHEDULE, Hypercall.COND_RESCHED, Hypercall.MSLEEP,
            Hypercall.KTHREAD_CREATE, Hypercall.WAKE_UP_PROCESS, Hypercall.KTHREAD_STOP,
            Hypercall.KTHREAD_SHOULD_STOP, Hypercall.KTHREAD_EXIT,
            Hypercall.INIT_COMPLETION, Hypercall.COMPLETE, Hypercall.WAIT_FOR_COMPLETION,
            Hypercall.COMPLETE_ALL,
            Hypercall.QUEUE_WORK_ON, Hypercall.FLUSH_WORK, Hypercall.WORKER_NEXT, Hypercall.WORK_DONE,
            Hypercall.MOD_TIMER, Hypercall.DEL_TIMER_SYNC);

    private SharedState() {
    }

    public static boolean shared(Hypercall h) {
        return SHARED.contains(h);
    }

    /** The numbers of the shared-state hypercalls. */
    public static Set<Integer> numbers() {
        return SHARED.stream().map(Hypercall::number).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
