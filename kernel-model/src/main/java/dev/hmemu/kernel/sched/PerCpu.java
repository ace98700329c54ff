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
    /** The task running on this CPU, or null when idle ({@link #setCurrent}: every write is counted). */
    private Task current;
    private final CurrentChanges changes;

    // ---- scheduler-private state ----

    /** This CPU's run queue: runnable tasks other than current, FIFO. */
    final RunQueue rq = new RunQueue();
    /** Cycle of this CPU's next timer tick (ticks stop while idle: NO_HZ). */
    long nextTick;
    /** The softirq being served (its interrupted context), or null. */
    IrqFrame irq;
    /** HC_SOFTIRQ_RETURN was issued: restore the interrupted context at the slice end. */
    boolean softirqReturn;
    /** A schedule() the current task asked for in a hypercall, done at the slice end. */
    SwitchRequest request;
    /** This CPU's idle task (swapper/N), made on first use; its per-CPU IRQ stack. */
    Task idleTask;
    long irqStack;

    /** A switch asked for by the running task. */
    enum SwitchRequest {
        /** schedule()/yield(): a voluntary switch if another task is runnable. */
        SCHEDULE,
        /** cond_resched() with need_resched: a preemption (Linux counts it in nivcsw). */
        PREEMPT
    }

    /**
     * How many times {@code current} was written on the CPUs that share it (a machine's
     * {@link Runqueues}): whether a CPU runs a task decides whether it may act on shared
     * state, so the kernel asks this before it trusts a bound it computed earlier.
     */
    public static final class CurrentChanges {
        private long count;

        public long count() {
            return count;
        }
    }

    /** A CPU of its own (its writes counted apart from any other CPU's). */
    public PerCpu(int cpu) {
        this(cpu, new CurrentChanges());
    }

    PerCpu(int cpu, CurrentChanges changes) {
        this.cpu = cpu;
        this.changes = changes;
    }

    /** The task running on this CPU, or null when idle. */
    public Task current() {
        return current;
    }

    public void setCurrent(Task t) {
        current = t;
        changes.count++;
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

    /** in_interrupt(): serving a hardirq, NMI or softirq, or with bottom halves disabled. */
    public boolean inInterrupt() {
        return (preemptCount & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0;
    }

    /** nr_running: the current task (not idle) plus the queued ones. */
    int nrRunning() {
        return rq.size() + (current != null && !current.idle ? 1 : 0);
    }

    /** No task and no softirq on this CPU. */
    boolean isIdle() {
        return current == null;
    }
}
