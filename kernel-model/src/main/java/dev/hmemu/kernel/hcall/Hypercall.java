package dev.hmemu.kernel.hcall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hypercall numbers: the Java twin of {@code images/runtime/include/hmemu/hcall.h}
 * (enum hm_hcall_nr); a test checks that the two agree.
 */
public enum Hypercall {
    PRINTK(0),
    EXIT(1),
    BUG(2),
    BOOT_INFO(3),
    ALLOC_PAGES(10),
    FREE_PAGES(11),
    KMALLOC(12),
    KFREE(13),
    PAGE_ADDRESS(14),
    USER_ALLOC(15),
    KMAP(20),
    KUNMAP(21),
    KMAP_LOCAL_PAGE(22),
    KUNMAP_LOCAL(23),
    KMAP_ATOMIC(24),
    KUNMAP_ATOMIC(25),
    KMAP_FLUSH_UNUSED(26),
    KMAP_TO_PAGE(27),
    PREEMPT_DISABLE(30),
    PREEMPT_ENABLE(31),
    PAGEFAULT_DISABLE(32),
    PAGEFAULT_ENABLE(33),
    PAGEFAULT_DISABLED(34),
    IN_ATOMIC(35),
    LOCAL_IRQ_DISABLE(36),
    LOCAL_IRQ_ENABLE(37),
    IRQS_DISABLED(38),
    LOCAL_IRQ_SAVE(39),
    LOCAL_IRQ_RESTORE(40),
    SPIN_LOCK(41),
    SPIN_UNLOCK(42),
    SPIN_LOCK_IRQSAVE(43),
    SPIN_UNLOCK_IRQRESTORE(44),
    MIGHT_SLEEP(45),
    PREEMPT_COUNT(46),
    SPIN_LOCK_INIT(47),
    SCHEDULE(50),
    COND_RESCHED(51),
    MSLEEP(52),
    SMP_PROCESSOR_ID(53),
    NUM_ONLINE_CPUS(54),
    CURRENT(55),
    KTHREAD_CREATE(56),
    WAKE_UP_PROCESS(57),
    KTHREAD_STOP(58),
    KTHREAD_SHOULD_STOP(59),
    KTHREAD_EXIT(60),
    INIT_COMPLETION(61),
    COMPLETE(62),
    WAIT_FOR_COMPLETION(63),
    COMPLETE_ALL(64),
    QUEUE_WORK_ON(66),
    FLUSH_WORK(67),
    WORKER_NEXT(68),
    MOD_TIMER(69),
    DEL_TIMER_SYNC(70),
    SOFTIRQ_RETURN(71),
    WORK_DONE(72),
    COPY_FROM_USER(80),
    COPY_TO_USER(81),
    GET_USER(82),
    PUT_USER(83),
    COPY_FROM_USER_INATOMIC(84),
    MARK(90),
    VMALLOC_INFO(95),
    VMAP_PAGES_RANGE(96),
    VUNMAP_RANGE_NOFLUSH(97),
    FLUSH_TLB_KERNEL_RANGE(98);

    /** Value of {@code ret} that makes the guest issue the same hypercall again. */
    public static final int RESTART = -516;

    private static final Hypercall[] BY_NUMBER = new Hypercall[128];

    static {
        for (Hypercall h : values()) {
            BY_NUMBER[h.number] = h;
        }
    }

    private final int number;

    Hypercall(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The hypercall with this number, or null. */
    public static Hypercall of(long nr) {
        return nr >= 0 && nr < BY_NUMBER.length ? BY_NUMBER[(int) nr] : null;
    }

    /** Linux-style name for reports, e.g. {@code kmap_local_page}. */
    public String linuxName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every hypercall's {@link #linuxName}. */
    public static Set<String> linuxNames() {
        return Arrays.stream(values()).map(Hypercall::linuxName).collect(Collectors.toUnmodifiableSet());
    }
}
