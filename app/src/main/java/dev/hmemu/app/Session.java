package dev.hmemu.app;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.debug.DebugController;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.kernel.Kernel;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.PhaseLog;
import java.io.PrintStream;
import java.util.List;

/** Boots a machine with the kernel model, runs one image, and collects the result. */
public final class Session {
    /** Exit statuses of {@code hmemu run} (see the README). */
    public static final int EXIT_OK = 0;
    public static final int EXIT_GUEST_FAILED = 1;
    public static final int EXIT_FINDINGS = 3;
    public static final int EXIT_OOPS = 4;
    public static final int EXIT_LIMIT = 5;
    public static final int EXIT_INTERNAL = Main.EXIT_INTERNAL;
    public static final int EXIT_DEADLOCK = 7;

    private Session() {
    }

    /**
     * @param consoleOut where guest console lines are echoed as they appear, or null
     */
    public static RunResult run(ElfImage image, MachineConfig mc, KernelConfig kc, RunLimits limits,
                                PrintStream consoleOut) {
        return run(image, mc, kc, limits, consoleOut, Machine::create, null);
    }

    /** The same on a machine made by {@code machines} (benchmarks compare machine variants). */
    public static RunResult run(ElfImage image, MachineConfig mc, KernelConfig kc, RunLimits limits,
                                PrintStream consoleOut, java.util.function.Function<MachineConfig, Machine> machines) {
        return run(image, mc, kc, limits, consoleOut, machines, null);
    }

    /**
     * @param debug the debugger controlling the run (gdb stub), or null
     */
    public static RunResult run(ElfImage image, MachineConfig mc, KernelConfig kc, RunLimits limits,
                                PrintStream consoleOut, DebugController debug) {
        return run(image, mc, kc, limits, consoleOut, Machine::create, debug);
    }

    private static RunResult run(ElfImage image, MachineConfig mc, KernelConfig kc, RunLimits limits,
                                 PrintStream consoleOut, java.util.function.Function<MachineConfig, Machine> machines,
                                 DebugController debug) {
        Console console = new Console(consoleOut);
        long t0 = System.nanoTime();
        try (Machine m = machines.apply(mc)) {
            Kernel kernel;
            StopReason stop;
            try {
                kernel = new Kernel(m, image, kc, console);
                if (debug != null) {
                    debug.setKernelViews(kernel.debugViews());
                }
                stop = m.run(kernel, limits, debug);
            } catch (IllegalArgumentException e) {
                throw new UsageException(image.name() + ": " + e.getMessage(), e);
            }
            describeStop(stop, console);
            if (kernel.phases() != null && kernel.phases().droppedMarks() > 0) {
                console.println(String.format("hmemu: %d hmemu_mark() phases not kept (the first %d are)",
                        kernel.phases().droppedMarks(), dev.hmemu.kernel.stats.PhaseLog.MAX_MARKS));
            }
            long[][] cats = new long[mc.cpus()][CycleCategory.values().length];
            long hcalls = 0;
            for (Cpu c : m.cpus()) {
                for (CycleCategory cat : CycleCategory.values()) {
                    cats[c.id()][cat.ordinal()] = c.cycles(cat);
                }
                hcalls += c.hypercalls();
            }
            List<Finding> findings = kernel.reports().findings();
            PhaseLog phases = kernel.phases();
            return new RunResult(image.name(), mc, kc, stop, exitStatus(stop, findings.isEmpty()), findings,
                    console.text(), phases.snapshot(), phases.marks(), cats, hcalls,
                    (System.nanoTime() - t0) / 1e9, kernel.smp().report());
        }
    }

    private static void describeStop(StopReason stop, Console console) {
        if (stop instanceof StopReason.LimitReached l) {
            console.println(String.format("hmemu: stopped: %s limit reached (%d)", l.limit(), l.value()));
        } else if (stop instanceof StopReason.Deadlock d) {
            console.println("hmemu: stopped: deadlock: " + d.detail());
        } else if (stop instanceof StopReason.MachineError e) {
            console.println("hmemu: stopped: " + e.message());
        } else if (stop instanceof StopReason.Killed k) {
            console.println("hmemu: stopped: killed by " + k.by());
        }
    }

    /** The exit status of {@code hmemu run} for a run that ended by {@code stop} ({@code clean}: no findings). */
    public static int exitStatus(StopReason stop, boolean clean) {
        if (stop instanceof StopReason.GuestExited g) {
            return g.status() != 0 ? EXIT_GUEST_FAILED : clean ? EXIT_OK : EXIT_FINDINGS;
        }
        if (stop instanceof StopReason.LimitReached || stop instanceof StopReason.Killed) {
            return EXIT_LIMIT;
        }
        if (stop instanceof StopReason.Deadlock) {
            return EXIT_DEADLOCK;
        }
        if (stop instanceof StopReason.MachineError e && e.internal()) {
            return EXIT_INTERNAL;
        }
        return EXIT_OOPS; // an oops, a kernel BUG, or a fault the machine cannot go on after
    }
}
