package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;

/**
 * kernel/softirq.c for TIMER_SOFTIRQ: at a slice end of a CPU with an expired timer and
 * IRQs on (and not already in interrupt), the timer interrupt's irq_exit() runs the
 * callback in softirq context: the interrupted registers are saved in an {@link IrqFrame},
 * preempt_count gains SOFTIRQ_OFFSET, and the CPU continues at the guest's
 * {@code hm_softirq_timer_entry(timer)} on the CPU's IRQ stack. HC_SOFTIRQ_RETURN puts the
 * interrupted context back at the next slice end. The interrupted task stays current, so a
 * kmap_local in the callback pushes onto its kmap_ctrl stack, as in Linux; an interrupted
 * idle CPU runs the callback as its idle task (swapper/N).
 */
final class Softirq {
    static final String SOFTIRQ_C = "kernel/softirq.c";
    static final String ENTRY = "hm_softirq_timer_entry";

    private final CoreSched core;
    private final Timers timers;
    private final TaskTable tasks;

    Softirq(CoreSched core, Timers timers, TaskTable tasks) {
        this.core = core;
        this.timers = timers;
        this.tasks = tasks;
    }

    void register(HypercallTable t) {
        t.register(Hypercall.SOFTIRQ_RETURN, this::softirqReturn);
    }

    /** Runs the first expired timer of {@code c} in softirq context if it can be interrupted now. */
    boolean maybeRun(Cpu c) {
        PerCpu pc = core.perCpu(c.id());
        if (pc.irq != null || pc.irqsDisabled || pc.inInterrupt()
                || (pc.current() != null && pc.current().state != TaskState.RUNNING)) {
            return false;
        }
        Timers.Pending due = timers.takeDue(c.id());
        if (due == null) {
            return false;
        }
        enter(c, pc, due.timer());
        return true;
    }

    /** irq_enter() .. __do_softirq() up to the call of timer->function(timer). */
    private void enter(Cpu c, PerCpu pc, long timer) {
        int id = c.id();
        long entry = core.env().symbol(ENTRY).orElseThrow(() -> core.env().reports().bug(core.ctx(id), SOFTIRQ_C,
                "hmemu: the guest image has no " + ENTRY + " (link the hmemu runtime)"));
        Task interrupted = pc.current();
        if (interrupted == null) {
            core.contextSwitch().leaveIdle(c, pc);
            pc.setCurrent(idleTask(id));
        }
        pc.irq = new IrqFrame(c.saveContext(), interrupted, pc.preemptCount, pc.irqsDisabled,
                pc.current().kmapCtrl.idx, timer);
        pc.preemptCount += PerCpu.SOFTIRQ_OFFSET;
        pc.irqsDisabled = false;
        timers.setRunning(id, timer);
        long esp = Kthreads.cdeclFrame(core.env().memory(), irqStackTop(id), timer, -1);
        c.setReg(X86Reg.ESP, (int) esp);
        c.setReg(X86Reg.EBP, 0);
        c.setReg(X86Reg.EFLAGS, 0x202);
        c.setEip(entry);
        c.charge(CycleCategory.KERNEL, core.env().costs().softirq());
    }

    /** HC_SOFTIRQ_RETURN: the callback returned; the slice ends and {@link #leave} restores. */
    private long softirqReturn(Hcall call) {
        PerCpu pc = core.perCpu(call.cpuId());
        if (pc.irq == null) {
            core.warnOnce(call.cpuId(), "softirq_return", SOFTIRQ_C, "hm_softirq_timer_entry",
                    "hmemu: HC_SOFTIRQ_RETURN outside a softirq");
            return 0;
        }
        pc.softirqReturn = true;
        call.endSlice();
        return 0;
    }

    /**
     * irq_exit(): checks that the callback left preempt_count and the kmap_local stack as
     * it found them, then restores the interrupted context.
     */
    void leave(Cpu c) {
        int id = c.id();
        PerCpu pc = core.perCpu(id);
        IrqFrame f = pc.irq;
        pc.softirqReturn = false;
        if (f == null) {
            return;
        }
        int expected = f.preemptCount() + PerCpu.SOFTIRQ_OFFSET;
        if (pc.preemptCount != expected) {
            core.env().reports().warn(core.ctx(id), SOFTIRQ_C, "handle_softirqs", String.format(
                    "huh, entered softirq 1 TIMER %s with preempt_count %08x, exited with %08x?",
                    core.env().reports().symbols().symbolize(core.env().memory().readU32(f.timer() + Timers.OFF_FUNCTION)),
                    expected, pc.preemptCount));
        }
        Task cur = pc.current();
        if (cur != null && cur.kmapCtrl.idx != f.kmapIdx()) {
            core.env().reports().leak(core.ctx(id), String.format(
                    "softirq (timer %08x) returned with kmap_ctrl.idx %d of %s, was %d at entry",
                    f.timer(), cur.kmapCtrl.idx, cur, f.kmapIdx()));
        }
        pc.irq = null;
        pc.setCurrent(f.task());
        pc.preemptCount = f.preemptCount();
        pc.irqsDisabled = f.irqsDisabled();
        timers.setRunning(id, 0);
        c.restoreContext(f.interrupted());
    }

    /** A softirq that ended in hlt (its callback stopped the CPU): drop it, as if it returned. */
    void abandon(Cpu c) {
        PerCpu pc = core.perCpu(c.id());
        if (pc.irq != null) {
            core.env().reports().console().println(String.format(
                    "hmemu: CPU %d halted in a timer callback (timer %08x); resuming the interrupted context",
                    c.id(), pc.irq.timer()));
            pc.preemptCount = pc.irq.preemptCount() + PerCpu.SOFTIRQ_OFFSET;
            leave(c);
        }
    }

    private Task idleTask(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        if (pc.idleTask == null) {
            pc.idleTask = tasks.createIdle(cpu);
        }
        return pc.idleTask;
    }

    /** The per-CPU IRQ stack (hardirq_stack_ptr), allocated on first use. */
    private long irqStackTop(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        if (pc.irqStack == 0) {
            pc.irqStack = core.env().mm().allocStack(TaskTable.THREAD_SIZE);
        }
        return pc.irqStack + TaskTable.THREAD_SIZE;
    }
}
