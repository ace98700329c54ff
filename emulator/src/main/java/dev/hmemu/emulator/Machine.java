package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.CodeMap;
import dev.hmemu.emulator.engine.CpuEngine;
import dev.hmemu.emulator.engine.EngineCallbacks;
import dev.hmemu.emulator.engine.EngineException;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.emulator.engine.unicorn.NativeCodeMap;
import dev.hmemu.emulator.engine.unicorn.NativeHostMemory;
import dev.hmemu.emulator.engine.unicorn.UnicornEngine;
import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.PhysicalMemory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * N CPUs sharing one physical memory, run from one host thread in a deterministic
 * order: the runnable CPU with the lowest cycle clock runs next (ties: lowest id), for at
 * most one quantum.
 */
public final class Machine implements AutoCloseable {
    private final MachineConfig config;
    private final HostMemory hostMemory;
    private final CodeMap codeMap;
    private final Runnable closeCodeMap;
    private final PhysicalMemory memory;
    private final CycleModel cycleModel;
    private final List<Cpu> cpus;
    /** The same CPUs for the loops of every slice (no iterator per pass). */
    private final Cpu[] cpuArray;
    private final ChargedTotal chargedTotal = new ChargedTotal();
    /** Set by pickNext: how long the CPU it picked stays the earliest runnable one. */
    private long nextUntil;
    /** Slices since the run began (the wall clock is read at every 8th). */
    private int wallTicks;
    private final long[] ipisSent;
    private final long[] ipisReceived;
    private GuestKernel kernel;

    /** A machine over any engine (tests may pass their own). */
    public Machine(MachineConfig config, HostMemory hostMemory,
            BiFunction<Integer, EngineCallbacks, CpuEngine> engines) {
        this(config, hostMemory, CodeMap.NONE, () -> { }, engines);
    }

    private Machine(MachineConfig config, HostMemory hostMemory, CodeMap codeMap, Runnable closeCodeMap,
            BiFunction<Integer, EngineCallbacks, CpuEngine> engines) {
        this.config = config;
        this.hostMemory = hostMemory;
        this.codeMap = codeMap;
        this.closeCodeMap = closeCodeMap;
        this.memory = codeMap == CodeMap.NONE ? hostMemory.physical()
                : new CoherentMemory(hostMemory.physical(), codeMap);
        this.cycleModel = CycleModel.from(config.costs());
        List<Cpu> list = new ArrayList<>();
        try {
            for (int i = 0; i < config.cpus(); i++) {
                int id = i;
                Mmu mmu = new Mmu(hostMemory.physical(), config.paging(), config.tlb(), config.maxPhysAddrBits());
                Cpu cpu = new Cpu(id, mmu, cycleModel, config.memoryBytes(), codeMap, cb -> engines.apply(id, cb));
                cpu.joinChargedTotal(chargedTotal);
                list.add(cpu);
                cpu.engine().mapPhysical(hostMemory);
            }
        } catch (RuntimeException e) {
            list.forEach(Cpu::close);
            closeCodeMap.run();
            hostMemory.close();
            throw e;
        }
        this.cpus = Collections.unmodifiableList(list);
        this.cpuArray = list.toArray(new Cpu[0]);
        this.ipisSent = new long[cpus.size()];
        this.ipisReceived = new long[cpus.size()];
    }

    /** A machine on Unicorn engines and lazily backed host memory. */
    public static Machine create(MachineConfig config) {
        return create(config, true, true);
    }

    /**
     * A machine whose engines call into Java for every TLB fill (no native copy of the
     * model's TLB): same results, slower; for side-by-side benchmarks.
     */
    public static Machine createWithoutTlbMirror(MachineConfig config) {
        return create(config, false, true);
    }

    /**
     * A machine whose engines call into Java for every hypercall, including those a CPU
     * must park ({@link Cpu#setParkBound}): same results, slower; for side-by-side
     * comparisons.
     */
    public static Machine createWithoutEngineParking(MachineConfig config) {
        return create(config, true, false);
    }

    private static Machine create(MachineConfig config, boolean tlbMirror, boolean engineParking) {
        HostMemory mem = NativeHostMemory.allocate(config.memoryBytes());
        NativeCodeMap code;
        try {
            code = NativeCodeMap.create(mem);
        } catch (RuntimeException e) {
            mem.close();
            throw e;
        }
        return new Machine(config, mem, code, code::close, (id, cb) -> {
            UnicornEngine e = tlbMirror ? UnicornEngine.open(id, cb, code) : UnicornEngine.openWithoutTlbMirror(id, cb, code);
            if (!engineParking) {
                e.disableParking();
            }
            return e;
        });
    }

    public MachineConfig config() {
        return config;
    }

    /**
     * Guest physical memory as the host (kernel model, loader) writes it: a write to a page
     * holding translated code makes every CPU forget that code before it runs again.
     */
    public PhysicalMemory memory() {
        return memory;
    }

    public List<Cpu> cpus() {
        return cpus;
    }

    public Cpu cpu(int id) {
        return cpus.get(id);
    }

    public CycleModel cycleModel() {
        return cycleModel;
    }

    /**
     * Cycles charged for events (walks, flushes, IPIs, kernel work) on all CPUs: the sum of
     * their {@link Cpu#chargedCycles()}.
     */
    public long chargedCycles() {
        return chargedTotal.cycles;
    }

    /** The sum of every CPU's {@link Cpu#clockChanges()}. */
    public long clockChanges() {
        return chargedTotal.changes;
    }

    public long totalInstructions() {
        long n = 0;
        for (Cpu c : cpus) {
            n += c.instructions();
        }
        return n;
    }

    public long ipisSent(int cpu) {
        return ipisSent[cpu];
    }

    public long ipisReceived(int cpu) {
        return ipisReceived[cpu];
    }

    /**
     * {@code from} sends a function-call IPI to each of {@code targets} and waits for all:
     * each target runs {@code handler} and pays the responder cost; the sender pays the
     * send cost per target.
     */
    public void sendIpis(Cpu from, List<Cpu> targets, java.util.function.Consumer<Cpu> handler) {
        for (Cpu t : targets) {
            if (t == from) {
                throw new IllegalArgumentException("a CPU does not IPI itself");
            }
            ipisSent[from.id()]++;
            ipisReceived[t.id()]++;
            from.charge(CycleCategory.IPI_SEND, cycleModel.ipiSend());
            if (kernel == null || !kernel.runnable(t)) {
                t.idleUntil(from.cycles()); // an idle CPU is woken at the sender's time
            }
            t.charge(CycleCategory.IPI_RECEIVE, cycleModel.ipiReceive());
            handler.accept(t);
        }
    }

    /**
     * {@code from} sends one function-call IPI to {@code to}: counted on both, the send
     * cost charged to the sender. Its handling is the kernel's (it may have to wait for the
     * target's interrupts).
     */
    public void sendIpi(Cpu from, Cpu to) {
        if (to == from) {
            throw new IllegalArgumentException("a CPU does not IPI itself");
        }
        ipisSent[from.id()]++;
        ipisReceived[to.id()]++;
        from.charge(CycleCategory.IPI_SEND, cycleModel.ipiSend());
    }

    /**
     * Runs until the kernel reports an outcome or a limit stops it. Errors in
     * {@link GuestKernel#boot} (bad input) propagate; an error while running becomes a
     * {@link StopReason.MachineError}.
     */
    public StopReason run(GuestKernel kernel, RunLimits limits) {
        return run(kernel, limits, null);
    }

    /**
     * {@link #run(GuestKernel, RunLimits)} under a debugger ({@code debug} may be null):
     * the debugger's stops are pauses that change nothing the run measures.
     */
    public StopReason run(GuestKernel kernel, RunLimits limits, DebugHooks debug) {
        this.kernel = kernel;
        cpus.forEach(c -> c.attach(kernel));
        if (debug != null) {
            debug.attach(this);
        }
        long startNanos = System.nanoTime();
        for (Cpu c : cpus) {
            c.setLimits(limits.maxCycles(), limits.maxWallMillis() > 0, startNanos + limits.maxWallMillis() * 1_000_000L);
        }
        kernel.boot(this);
        cpus.forEach(c -> c.watchFills(kernel.fillWatchFrom()));
        StopReason r = loop(kernel, limits, debug, startNanos);
        if (debug != null) {
            debug.finished(r);
        }
        return r;
    }

    private static final StopReason KILLED = new StopReason.Killed("gdb");

    private StopReason loop(GuestKernel kernel, RunLimits limits, DebugHooks debug, long startNanos) {
        if (debug != null && !debug.started()) {
            return KILLED;
        }
        try {
            long executed = totalInstructions(); // kept as slices run
            while (true) {
                if (debug != null && !debug.betweenSlices()) { // before the outcome: a break-on oops stops here
                    return KILLED;
                }
                StopReason out = kernel.outcome();
                if (out != null) {
                    return out;
                }
                if (debug != null) {
                    executed = totalInstructions(); // a debugger may have stepped any CPU
                }
                assert executed == totalInstructions() : "instruction counts moved outside a slice";
                StopReason limit = checkLimits(limits, startNanos, executed);
                if (limit != null) {
                    return limit;
                }
                Cpu next = pickNext(kernel);
                if (next == null) {
                    long t = kernel.nextEventCycle();
                    if (t < 0) {
                        StopReason found = kernel.outcome();
                        if (found != null) {
                            return found;
                        }
                        return new StopReason.Deadlock("every CPU is idle and no task can be woken");
                    }
                    kernel.idleUntil(t);
                    continue;
                }
                long quantum = config.quantum();
                if (limits.maxInstructions() > 0) {
                    quantum = Math.max(1, Math.min(quantum, limits.maxInstructions() - executed));
                }
                if (limits.maxCycles() > 0 && cycleModel.cpiMilli() > 0) {
                    // the cycle limit stops the CPU at the first block boundary past it
                    long left = (limits.maxCycles() - next.cycles()) * 1000 / cycleModel.cpiMilli();
                    quantum = Math.max(1, Math.min(quantum, left + 1));
                }
                kernel.beforeSlice(next, nextUntil);
                long before = next.instructions();
                EngineExit exit = next.runSlice(quantum);
                if (debug != null && (exit = debug.afterSlice(next, exit)) == null) {
                    return KILLED;
                }
                executed += next.instructions() - before; // only a running CPU's count moves
                String io = next.takeIoError();
                if (io != null) {
                    return new StopReason.MachineError(io);
                }
                if (exit.reason() == EngineExit.Reason.PAGE_FAULT) {
                    PageFault f = next.takeFault(exit);
                    if (kernel.pageFault(next, f) == GuestKernel.FaultAction.STOP) {
                        out = kernel.outcome();
                        return out != null ? out : new StopReason.Oops("unhandled " + f);
                    }
                }
                kernel.sliceEnded(next, exit);
            }
        } catch (EngineException e) {
            return new StopReason.MachineError(e.getMessage());
        } catch (RuntimeException e) {
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            return new StopReason.MachineError("internal error: " + e + (at == null ? "" : " at " + at), e);
        }
    }

    /**
     * Whether {@code cpu} may act on state shared between CPUs now: no other CPU that
     * {@code runnable} accepts has an earlier clock (ties: the lower id goes first).
     */
    public boolean earliest(Cpu cpu, java.util.function.Predicate<Cpu> runnable) {
        return cpu.cycles() <= earliestUntil(cpu, runnable);
    }

    /**
     * The latest clock at which {@code cpu} is still {@link #earliest} among the CPUs that
     * {@code runnable} accepts ({@code Long.MAX_VALUE} when none does).
     */
    public long earliestUntil(Cpu cpu, java.util.function.Predicate<Cpu> runnable) {
        long until = Long.MAX_VALUE;
        for (Cpu c : cpuArray) {
            if (c != cpu && runnable.test(c)) {
                long last = c.id() < cpu.id() ? c.cycles() - 1 : c.cycles(); // ties: the lower id first
                if (last < until) {
                    until = last;
                }
            }
        }
        return until;
    }

    /**
     * The runnable CPU with the earliest clock (ties: the lowest id), or null. Also sets
     * {@link #nextUntil}: the latest clock at which it stays the earliest of them, from the
     * next one in that order.
     */
    private Cpu pickNext(GuestKernel kernel) {
        Cpu best = null;
        long bestCycles = Long.MAX_VALUE;
        Cpu second = null;
        long secondCycles = Long.MAX_VALUE;
        for (Cpu c : cpuArray) { // in id order: a later CPU with the same clock comes after
            if (kernel.runnable(c)) {
                long cy = c.cycles();
                if (best == null || cy < bestCycles) {
                    second = best;
                    secondCycles = bestCycles;
                    best = c;
                    bestCycles = cy;
                } else if (second == null || cy < secondCycles) {
                    second = c;
                    secondCycles = cy;
                }
            }
        }
        nextUntil = second == null ? Long.MAX_VALUE : second.id() < best.id() ? secondCycles - 1 : secondCycles;
        return best;
    }

    private StopReason checkLimits(RunLimits limits, long startNanos, long executed) {
        if (limits.maxInstructions() > 0) {
            if (executed >= limits.maxInstructions()) {
                return new StopReason.LimitReached("instructions", executed);
            }
        }
        if (limits.maxCycles() > 0) {
            for (Cpu c : cpuArray) {
                if (c.cycles() >= limits.maxCycles()) {
                    return new StopReason.LimitReached("cycles", c.cycles());
                }
            }
        }
        if (limits.maxWallMillis() > 0 && (++wallTicks & 7) == 0) { // the clock at every 8th slice
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            if (ms >= limits.maxWallMillis()) {
                return new StopReason.LimitReached("wall-ms", ms);
            }
        }
        return null;
    }

    @Override
    public void close() {
        cpus.forEach(Cpu::close);
        closeCodeMap.run();
        hostMemory.close();
    }
}
