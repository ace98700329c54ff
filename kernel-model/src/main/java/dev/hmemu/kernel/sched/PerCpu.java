package dev.hmemu.kernel.sched;

/** Per-CPU scheduler and execution-context state. */
public final class PerCpu {
    public static final int PREEMPT_MASK = 0x000000ff;
    public static final int SOFTIRQ_MASK = 0x0000ff00;
    public static final int HARDIRQ_MASK = 0x000f0000;
    public static final int NMI_MASK = 0x00f00000;
    public static final int PREEMPT_OFFSET = 1;
    public static final int SOFTIRQ_OFFSET = 0x100;
    public static final int SOFTIRQ_DISABLE_OFFSET = 0x200;
    public static final int HARDIRQ_OFFSET = 0x10000;

    public final int cpu;
    /** preempt_count() with Linux's layout (the x86 inverted NEED_RESCHED bit is kept apart). */
    public int preemptCount;
    public boolean needResched;
    public boolean irqsDisabled;
    /** The task running on this CPU, or null when idle. */
    public Task current;

    public PerCpu(int cpu) {
        this.cpu = cpu;
    }

    /** in_atomic(): preempt_count() != 0. */
    public boolean inAtomic() {
        return preemptCount != 0;
    }

    public boolean inHardirq() {
        return (preemptCount & HARDIRQ_MASK) != 0;
    }

    public boolean inServingSoftirq() {
        return (preemptCount & SOFTIRQ_OFFSET) != 0;
    }

    /** preemptible(): preempt_count() == 0 and IRQs on. */
    public boolean preemptible() {
        return preemptCount == 0 && !irqsDisabled;
    }
}
