package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.report.RawSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import java.util.Arrays;

/**
 * Execution-context state: include/linux/preempt.h (preempt_count, in_atomic),
 * irqflags.h (local_irq_*), uaccess.h (pagefault_disable, faulthandler_disabled),
 * migrate_disable() and might_sleep()'s __might_resched() check.
 */
final class ExecContext {
    /** X86_EFLAGS_IF, and the reserved bit 1 that is always set in EFLAGS. */
    static final long X86_EFLAGS_IF = 0x200;
    static final long X86_EFLAGS_FIXED = 0x2;

    private final CoreSched core;
    private final Timers timers;
    /** __might_resched()'s static prev_jiffy, with "never reported" kept apart from jiffy 0. */
    private boolean mightSleepReported;
    /** Per CPU: the EIP at which preempt_count last left 0 (DEBUG_PREEMPT's preempt_disable_ip). */
    /** Per CPU, where preemption was last disabled from zero (CONFIG_DEBUG_PREEMPT's preempt_disable_ip); -1: never. */
    private long[] preemptDisableIp = new long[0];
    private long mightSleepPrevJiffy;

    ExecContext(CoreSched core, Timers timers) {
        this.core = core;
        this.timers = timers;
    }

    void register(HypercallTable t) {
        t.register(Hypercall.PREEMPT_DISABLE, c -> {
            preemptDisable(c.cpuId());
            return 0;
        });
        t.register(Hypercall.PREEMPT_ENABLE, c -> {
            preemptEnable(c.cpuId(), c);
            return 0;
        });
        t.register(Hypercall.PREEMPT_COUNT, c -> core.perCpu(c.cpuId()).preemptCount);
        t.register(Hypercall.IN_ATOMIC, c -> core.perCpu(c.cpuId()).inAtomic() ? 1 : 0);
        t.register(Hypercall.PAGEFAULT_DISABLE, c -> {
            pagefaultDisable(core.current(c.cpuId()));
            return 0;
        });
        t.register(Hypercall.PAGEFAULT_ENABLE, c -> {
            pagefaultEnable(core.current(c.cpuId()));
            return 0;
        });
        t.register(Hypercall.PAGEFAULT_DISABLED, c -> core.current(c.cpuId()).pagefaultDisabled != 0 ? 1 : 0);
        t.register(Hypercall.LOCAL_IRQ_DISABLE, c -> {
            core.perCpu(c.cpuId()).irqsDisabled = true;
            return 0;
        });
        t.register(Hypercall.LOCAL_IRQ_ENABLE, c -> {
            localIrqRestore(c.cpuId(), X86_EFLAGS_IF | X86_EFLAGS_FIXED, c);
            return 0;
        });
        t.register(Hypercall.IRQS_DISABLED, c -> core.perCpu(c.cpuId()).irqsDisabled ? 1 : 0);
        t.register(Hypercall.LOCAL_IRQ_SAVE, c -> localIrqSave(c.cpuId()));
        t.register(Hypercall.LOCAL_IRQ_RESTORE, c -> {
            localIrqRestore(c.cpuId(), c.arg(0), c);
            return 0;
        });
        t.register(Hypercall.MIGHT_SLEEP, c -> {
            mightSleep(c, core.env().memory().readCString(c.arg(0), 256), c.argInt(1));
            return 0;
        });
    }

    // ---- preempt.h ----

    /** preempt_disable(): preempt_count_add(1), with DEBUG_PREEMPT's overflow check. */
    void preemptDisable(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        if ((pc.preemptCount & PerCpu.PREEMPT_MASK) >= PerCpu.PREEMPT_MASK - 10) {
            core.warnOnce(cpu, "preempt_count_add", CoreSched.CORE_C, "preempt_count_add",
                    "DEBUG_LOCKS_WARN_ON((preempt_count() & PREEMPT_MASK) >= PREEMPT_MASK - 10)");
        }
        if (pc.preemptCount == 0) {
            if (cpu >= preemptDisableIp.length) {
                int old = preemptDisableIp.length;
                preemptDisableIp = Arrays.copyOf(preemptDisableIp, cpu + 1);
                Arrays.fill(preemptDisableIp, old, cpu + 1, -1);
            }
            preemptDisableIp[cpu] = core.cpu(cpu).reg(X86Reg.EIP) & 0xffffffffL; // CONFIG_DEBUG_PREEMPT
        }
        pc.preemptCount += PerCpu.PREEMPT_OFFSET;
    }

    /**
     * preempt_enable(): preempt_count_sub(1) (DEBUG_PREEMPT refuses an underflow); at zero
     * with need_resched set and IRQs on, a CONFIG_PREEMPT kernel reschedules
     * (__preempt_schedule), so the slice ends through {@code call} (null: no reschedule).
     */
    void preemptEnable(int cpu, Hcall call) {
        PerCpu pc = core.perCpu(cpu);
        if ((pc.preemptCount & PerCpu.PREEMPT_MASK) == 0) {
            core.warnOnce(cpu, "preempt_count_sub", CoreSched.CORE_C, "preempt_count_sub",
                    "DEBUG_LOCKS_WARN_ON(val > preempt_count())");
            return;
        }
        pc.preemptCount -= PerCpu.PREEMPT_OFFSET;
        maybeResched(pc, call);
    }

    private void maybeResched(PerCpu pc, Hcall call) {
        if (call != null && pc.needResched && pc.preemptible() && core.env().config().preempt()) {
            call.endSlice();
        }
    }

    // ---- irqflags.h ----

    /** arch_local_irq_save(): the EFLAGS image (IF set when IRQs were on), then IRQs off. */
    long localIrqSave(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        long flags = X86_EFLAGS_FIXED | (pc.irqsDisabled ? 0 : X86_EFLAGS_IF);
        pc.irqsDisabled = true;
        return flags;
    }

    /**
     * arch_local_irq_restore(): IRQs on iff {@code flags} has IF. Turning them on delivers
     * the tick that was held back, which may preempt (so the slice ends on need_resched).
     */
    void localIrqRestore(int cpu, long flags, Hcall call) {
        PerCpu pc = core.perCpu(cpu);
        boolean wasDisabled = pc.irqsDisabled;
        pc.irqsDisabled = (flags & X86_EFLAGS_IF) == 0;
        if (wasDisabled && !pc.irqsDisabled) {
            maybeResched(pc, call);
            if (call != null && timers.hasDue(cpu)) {
                call.endSlice(); // a pending timer softirq runs once IRQs are on
            }
        }
    }

    // ---- uaccess.h and migrate_disable ----

    /** pagefault_disable(): current->pagefault_disabled++. */
    void pagefaultDisable(Task t) {
        t.pagefaultDisabled++;
    }

    /** pagefault_enable(): the reverse; the model refuses to go below zero. */
    void pagefaultEnable(Task t) {
        if (t.pagefaultDisabled == 0) {
            core.warnOnce(t.cpu, "pagefault_enable", "include/linux/uaccess.h", "pagefault_enable",
                    "pagefault_enable() without pagefault_disable()");
            return;
        }
        t.pagefaultDisabled--;
    }

    /** faulthandler_disabled() = pagefault_disabled() || in_atomic(). */
    boolean faulthandlerDisabled(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        Task t = pc.current();
        return pc.inAtomic() || (t != null && t.pagefaultDisabled != 0);
    }

    /** migrate_disable(): the task stays on its CPU until the matching migrate_enable(). */
    void migrateDisable(Task t) {
        t.migrationDisabled++;
    }

    /** migrate_enable(): WARN_ON_ONCE(!p->migration_disabled). */
    void migrateEnable(Task t) {
        if (t.migrationDisabled <= 0) {
            core.warnOnce(t.cpu, "migrate_enable", CoreSched.CORE_C, "migrate_enable", null);
            return;
        }
        t.migrationDisabled--;
    }

    // ---- might_sleep ----

    /**
     * __might_resched(file, line, 0): silent when preempt_count is 0, IRQs are on and
     * current is not the idle task; otherwise the "sleeping function called from invalid
     * context" report, at most once per HZ jiffies (its static prev_jiffy).
     */
    void mightSleep(Hcall call, String file, int line) {
        int cpu = call.cpuId();
        PerCpu pc = core.perCpu(cpu);
        Task t = pc.current();
        if (pc.preemptCount == 0 && !pc.irqsDisabled && t != null && !t.idle) {
            return;
        }
        long jiffies = timers.jiffies();
        if (mightSleepReported && jiffies < mightSleepPrevJiffy + core.env().config().hz()) {
            return;
        }
        mightSleepReported = true;
        mightSleepPrevJiffy = jiffies;
        long ip = pc.preemptCount == 0 || cpu >= preemptDisableIp.length ? -1 : preemptDisableIp[cpu];
        core.env().reports().sleepInAtomic(core.ctx(cpu), file, line, pc.inAtomic(), pc.irqsDisabled,
                pc.preemptCount, 0, ip < 0 ? null : new RawSite(ip, new long[0]), Reports.Detail.NONE);
    }
}
