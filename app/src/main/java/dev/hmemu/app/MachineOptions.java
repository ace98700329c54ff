package dev.hmemu.app;

import dev.hmemu.emulator.CycleCosts;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.mmu.PagingMode;
import dev.hmemu.mmu.TlbConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Machine, kernel and limit options shared by the commands that boot a machine (the CPU
 * count is each command's own: {@code run --cpus}, {@code demo --cpu-counts}). Every
 * default is the one of the config records ({@link MachineConfig#defaults()},
 * {@link KernelConfig#defaults()}, {@link RunLimits#defaults()}), read here once.
 */
public final class MachineOptions {
    private static final MachineConfig MACHINE = MachineConfig.defaults();
    private static final KernelConfig KERNEL = KernelConfig.defaults();
    private static final RunLimits LIMITS = RunLimits.defaults();

    @Option(names = "--mem", description = "Guest physical memory, 16M..16G (default: ${DEFAULT-VALUE}).")
    String mem = Sizes.format(MACHINE.memoryBytes());

    @Option(names = "--paging", description = "Paging mode: ${COMPLETION-CANDIDATES} (legacy = 2-level; "
            + "default: ${DEFAULT-VALUE}).")
    PagingMode paging = MACHINE.paging();

    @Option(names = "--lowmem", description = "Lowmem (direct map) size; default as Linux computes MAXMEM.")
    String lowmem;

    @Option(names = "--debug-kmap-local", description = "CONFIG_DEBUG_KMAP_LOCAL: KM_MAX_IDX 33 with guard slots.")
    boolean debugKmapLocal = KERNEL.debugKmapLocal();

    @Option(names = "--force-map", description = "CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: lowmem kmap_local uses slots too.")
    boolean forceMap = KERNEL.forceMap();

    @Option(names = "--no-preempt", description = "Timer ticks never preempt (PREEMPT_NONE-like).")
    boolean noPreempt = !KERNEL.preempt();

    @Option(names = "--tick-cycles", description = "Cycles between timer ticks (default: ${DEFAULT-VALUE}, HZ=250 at 1 GHz).")
    long tickCycles = KERNEL.tickCycles();

    @Option(names = "--quantum", description = "Instructions per scheduling slice (default: ${DEFAULT-VALUE}).")
    long quantum = MACHINE.quantum();

    @Option(names = "--tlb-entries", description = "4 KiB TLB entries per CPU (default: ${DEFAULT-VALUE}).")
    int tlbEntries = MACHINE.tlb().entries4k();

    @Option(names = "--tlb-ways", description = "4 KiB TLB associativity (default: ${DEFAULT-VALUE}).")
    int tlbWays = MACHINE.tlb().ways4k();

    @Option(names = "--cost", description = "Override a cycle-model figure, KEY=VALUE (repeatable).")
    List<String> costs = new ArrayList<>();

    @Option(names = "--cost-file", description = "Cycle-model overrides from a properties file.")
    Path costFile;

    @Option(names = "--max-instructions", description = "Stop after this many instructions, all CPUs (default: ${DEFAULT-VALUE}).")
    long maxInstructions = LIMITS.maxInstructions();

    @Option(names = "--max-cycles", description = "Stop when a CPU's clock reaches this (0 = no limit).")
    long maxCycles = LIMITS.maxCycles();

    @Option(names = "--timeout", description = "Stop after this many wall-clock seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = LIMITS.maxWallMillis() / 1000;

    /** Options with every default of the records but the instruction limit ({@code hmemu test}'s is lower). */
    public static MachineOptions withMaxInstructions(long limit) {
        MachineOptions o = new MachineOptions();
        o.maxInstructions = limit;
        return o;
    }

    /** Most wall-clock seconds a --timeout may ask for (a week). */
    static final long MAX_TIMEOUT_SECONDS = 7L * 24 * 3600;
    /** Smallest lowmem (direct map) hmemu boots with. */
    static final long MIN_LOWMEM = 32L << 20;

    private static void range(String option, long v, long min, long max) {
        if (v < min || v > max) {
            throw new UsageException(option + " must be " + min + ".." + max + ", got " + v);
        }
    }

    /** Range checks of the numeric options, before any work. */
    void validate() {
        range("--quantum", quantum, 1, 1_000_000_000L);
        range("--tick-cycles", tickCycles, 1_000, 1_000_000_000_000L);
        range("--max-instructions", maxInstructions, 0, Long.MAX_VALUE / 2);
        range("--max-cycles", maxCycles, 0, Long.MAX_VALUE / 2);
        range("--timeout", timeoutSeconds, 0, MAX_TIMEOUT_SECONDS);
        if (lowmem != null) {
            long l = Sizes.parse(lowmem);
            if (l < MIN_LOWMEM) {
                throw new UsageException("--lowmem must be at least " + (MIN_LOWMEM >> 20) + "M, got '" + lowmem + "'");
            }
            if (l % (2L << 20) != 0) {
                throw new UsageException("--lowmem must be a multiple of 2M, got '" + lowmem + "'");
            }
        }
    }

    /** The machine for {@code cpus} CPUs with these options. */
    public MachineConfig machineConfig(int cpus) {
        validate();
        CycleCosts c = CycleCosts.defaults();
        try {
            if (costFile != null) {
                c = c.withFile(costFile);
            }
        } catch (IOException e) {
            throw new UsageException("cannot read --cost-file " + costFile + ": " + e.getMessage(), e);
        }
        for (String kv : costs) {
            c = c.with(kv);
        }
        TlbConfig tlb;
        try {
            tlb = new TlbConfig(tlbEntries, tlbWays, MACHINE.tlb().entriesLarge(), MACHINE.tlb().waysLarge());
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad TLB geometry: " + e.getMessage(), e);
        }
        return new MachineConfig(cpus, Sizes.parse(mem), paging, tlb, MACHINE.maxPhysAddrBits(), quantum, c);
    }

    public KernelConfig kernelConfig() {
        KernelConfig k = KERNEL.withDebugKmapLocal(debugKmapLocal).withForceMap(forceMap).withTickCycles(tickCycles)
                .withPreempt(!noPreempt);
        if (lowmem != null) {
            k = k.withLowmemLimit(Sizes.parse(lowmem));
        }
        return k;
    }

    public RunLimits limits() {
        return new RunLimits(maxInstructions, maxCycles, timeoutSeconds * 1000);
    }
}
