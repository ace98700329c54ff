package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.RegisterContext;

/**
 * What a softirq interrupted on one CPU (the pt_regs of the interrupt entry, plus the
 * execution state irq_exit() puts back).
 *
 * @param interrupted the full register context of the interrupted code
 * @param task the interrupted task, or null when the CPU was idle
 * @param preemptCount preempt_count before SOFTIRQ_OFFSET was added
 * @param irqsDisabled the interrupted context's IRQ flag
 * @param kmapIdx kmap_ctrl.idx of whoever is current at entry (the softirq must pop what it pushes)
 * @param timer guest address of the timer_list whose callback runs
 */
record IrqFrame(RegisterContext interrupted, Task task, int preemptCount, boolean irqsDisabled, int kmapIdx,
                long timer, SpinWait spin) {

    IrqFrame(RegisterContext interrupted, Task task, int preemptCount, boolean irqsDisabled, int kmapIdx,
             long timer) {
        this(interrupted, task, preemptCount, irqsDisabled, kmapIdx, timer, new SpinWait());
    }
}
