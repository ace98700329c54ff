package dev.hmemu.kernel.smp;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.emulator.symbols.FrameWalker;
import dev.hmemu.emulator.symbols.StackReader;
import dev.hmemu.emulator.Machine;
import dev.hmemu.kernel.report.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The lockup detectors' report for CPUs that wait for each other for ever (found by
 * {@link SmpTime}), then the run stops. A CPU of the cycle that spins with interrupts off
 * never takes a timer interrupt: the NMI watchdog reports a hard lockup on it
 * (kernel/watchdog_hld.c, v6.1, pr_fmt "NMI watchdog: "), and the others are shown as NMI
 * backtraces. If every CPU of the cycle has interrupts on, the soft-lockup detector
 * (kernel/watchdog.c) reports the first one, stuck for 2 * watchdog_thresh = 20 s.
 */
public final class HardLockup {
    private final Machine machine;
    private final Reports reports;
    private final IntFunction<Reports.Context> ctx;
    private final IntPredicate irqsDisabled;
    private final Consumer<StopReason> stop;

    /**
     * @param ctx report context (CPU, PID, comm) of whoever runs on a CPU
     * @param irqsDisabled whether a CPU has its interrupts off
     * @param stop ends the run
     */
    public HardLockup(Machine machine, Reports reports, IntFunction<Reports.Context> ctx, IntPredicate irqsDisabled,
                      Consumer<StopReason> stop) {
        this.machine = machine;
        this.reports = reports;
        this.ctx = ctx;
        this.irqsDisabled = irqsDisabled;
        this.stop = stop;
    }

    public void report(int[] cycle, String[] why) {
        int first = 0;
        boolean hard = false;
        for (int i = 0; i < cycle.length; i++) {
            if (irqsDisabled.test(cycle[i])) {
                first = i;
                hard = true;
                break;
            }
        }
        List<Reports.Context> ctxs = new ArrayList<>();
        List<long[]> traces = new ArrayList<>();
        StringBuilder notes = new StringBuilder();
        for (int i = 0; i < cycle.length; i++) {
            int cpu = cycle[(first + i) % cycle.length];
            ctxs.add(ctx.apply(cpu));
            traces.add(trace(machine.cpu(cpu)));
            notes.append(String.format("hmemu: CPU %d: %s%n", cpu, why[(first + i) % cycle.length]));
        }
        Reports.Context c0 = ctxs.get(0);
        String header = hard
                ? "NMI watchdog: Watchdog detected hard LOCKUP on cpu " + c0.cpu().id()
                : String.format("watchdog: BUG: soft lockup - CPU#%d stuck for 20s! [%s:%d]", c0.cpu().id(),
                        c0.comm(), c0.pid());
        String text = reports.lockup(header, ctxs, traces, notes.toString());
        stop.accept(new StopReason.KernelBug(text));
    }

    private long[] trace(Cpu cpu) {
        StackReader mem = StackReader.of(cpu.mmu(), machine.memory());
        FrameWalker w = new FrameWalker(a -> reports.symbols().functionAt(a).isPresent());
        return w.walk(mem, cpu.reg(X86Reg.ESP) & 0xffffffffL, cpu.reg(X86Reg.EBP) & 0xffffffffL);
    }
}
