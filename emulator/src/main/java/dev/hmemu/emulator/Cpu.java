package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.CodeMap;
import dev.hmemu.emulator.engine.CpuEngine;
import dev.hmemu.emulator.engine.EngineCallbacks;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.ParkState;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.TlbMirror;
import dev.hmemu.mmu.TlbStatsSnapshot;
import dev.hmemu.mmu.WalkResult;
import java.util.Set;
import java.util.function.Function;

/**
 * One emulated CPU: an engine, its MMU (TLB and control registers, kept in Java) and a
 * cycle clock. The engine's own TLB never holds a translation the MMU has dropped: every
 * drop marks the engine stale, and the engine is flushed before guest code runs again.
 */
public final class Cpu implements EngineCallbacks {
    /** I/O port of the hypercall instruction ({@code outl %eax, $0xE9}). */
    public static final int HYPERCALL_PORT = 0xE9;

    private final int id;
    private final Mmu mmu;
    private final CycleModel cycles;
    private final long physicalSize;
    private final CpuEngine engine;
    private final CodeMap codeMap;
    private final MmuInstructions mmuInstructions = new MmuInstructions(this);
    private GuestKernel kernel;
    /** Fills at or above this address are shown to the kernel (GuestKernel.tlbFilled). */
    private long fillWatchFrom = 1L << 32;
    private long eip;
    private final long[] cyclesBy = new long[CycleCategory.values().length];
    /** The sum of cyclesBy but instructions and idle (the scheduler reads clocks for every decision). */
    private long charged;
    /** Changes of this clock other than by instructions (charges, idle time): see {@link #clockChanges}. */
    private long changes;
    /** The machine's sum of every CPU's {@link #charged} (this CPU's own until it joins one). */
    private ChargedTotal chargedTotal = new ChargedTotal();
    private boolean engineTlbStale;
    private boolean closed;
    private long mirroredAtClose;
    private PageFault lastFault;
    private String ioError;
    private long hypercalls;
    /** The parked hypercall, the uncounted retry paths, the engine's own parking (the engine's record). */
    private final ParkState park;
    /** Run limits checked after each hypercall: this CPU's cycle limit, the wall-clock deadline (0: none). */
    private long cycleLimit;
    private boolean hasDeadline;
    private long deadlineNanos;
    /** Hypercalls since the run began: the clock is read at every 32nd (a read costs about a hypercall's 5%). */
    private int deadlineTick;
    /** True while the engine runs this CPU (inside hooks): EIP then lives in the engine. */
    private boolean running;
    /** The counted instructions when the engine last stopped (see instructions()). */
    private long stoppedInstructions;
    /** This clock while the engine is stopped: kept as it moves (the run loop reads every CPU's clock per slice). */
    private long stoppedClock;

    /**
     * @param engineFactory opens this CPU's engine with this CPU as its callbacks
     */
    public Cpu(int id, Mmu mmu, CycleModel cycles, long physicalSize,
               Function<EngineCallbacks, CpuEngine> engineFactory) {
        this(id, mmu, cycles, physicalSize, CodeMap.NONE, engineFactory);
    }

    /**
     * @param codeMap which physical pages hold which CPU's translated code
     * @param engineFactory opens this CPU's engine with this CPU as its callbacks
     */
    public Cpu(int id, Mmu mmu, CycleModel cycles, long physicalSize, CodeMap codeMap,
               Function<EngineCallbacks, CpuEngine> engineFactory) {
        this.id = id;
        this.codeMap = codeMap;
        this.mmu = mmu;
        this.cycles = cycles;
        this.physicalSize = physicalSize;
        this.mmu.tlb().setDropListener(() -> setEngineTlbStale(true));
        this.engine = engineFactory.apply(this);
        this.park = engine.parkState();
        attachTlbMirror();
    }

    /** Joins the machine's running sum of charged cycles (before anything is charged). */
    void joinChargedTotal(ChargedTotal total) {
        if (charged != 0) {
            throw new IllegalStateException("cycles were charged before the CPU joined its machine's total");
        }
        this.chargedTotal = total;
    }

    void attach(GuestKernel kernel) {
        this.kernel = kernel;
        watchFills(1L << 32);
    }

    public int id() {
        return id;
    }

    public Mmu mmu() {
        return mmu;
    }

    public CpuEngine engine() {
        return engine;
    }

    /** Where the CPU resumes. */
    public long eip() {
        return eip;
    }

    public void setEip(long eip) {
        this.eip = eip & 0xffffffffL;
    }

    public int reg(X86Reg r) {
        if (r == X86Reg.EIP) {
            return (int) (running ? engine.readReg(X86Reg.EIP) : eip);
        }
        return engine.readReg(r);
    }

    public void setReg(X86Reg r, int value) {
        if (r == X86Reg.EIP) {
            setEip(value);
        } else {
            engine.writeReg(r, value);
        }
    }

    /** Saves the general registers (for a task switch). */
    public RegisterContext saveContext() {
        int[] v = new int[X86Reg.values().length];
        for (X86Reg r : X86Reg.values()) {
            v[r.ordinal()] = reg(r);
        }
        return new RegisterContext(v);
    }

    public void restoreContext(RegisterContext ctx) {
        for (X86Reg r : X86Reg.values()) {
            setReg(r, ctx.get(r));
        }
    }

    // ---- cycles ----

    /** This CPU's cycle clock. */
    public long cycles() {
        if (!running) {
            assert stoppedClock == clock(stoppedInstructions) : "the stopped clock was not kept";
            return stoppedClock;
        }
        return clock(instructions());
    }

    private long clock(long instructions) {
        return cycles.instructionCycles(instructions) + charged + cyclesBy[CycleCategory.IDLE.ordinal()];
    }

    /** After a run: the count may have moved. */
    private void stopped() {
        running = false;
        stoppedInstructions = engine.instructions() - park.uncounted();
        stoppedClock = clock(stoppedInstructions);
    }

    /**
     * Cycles charged for events (walks, flushes, IPIs, kernel work), without instructions
     * and idle time: what a host-side operation such as a hypercall added. Pure Java.
     */
    public long chargedCycles() {
        return charged;
    }

    /**
     * How many times this clock moved other than by instructions (a charge, idle time).
     * With {@link Machine#clockChanges()} it tells whether a host-side operation moved
     * another CPU's clock.
     */
    public long clockChanges() {
        return changes;
    }

    public long cycles(CycleCategory c) {
        return c == CycleCategory.INSTRUCTIONS ? cycles.instructionCycles(instructions())
                : cyclesBy[c.ordinal()];
    }

    public void charge(CycleCategory c, long n) {
        if (c == CycleCategory.INSTRUCTIONS) {
            throw new IllegalArgumentException("instruction cycles come from the instruction count");
        }
        cyclesBy[c.ordinal()] += n;
        changes++;
        chargedTotal.changes++;
        if (c != CycleCategory.IDLE) {
            charged += n;
            chargedTotal.cycles += n;
        }
        stoppedClock += n;
    }

    /** Idle until {@code cycle}: the clock jumps forward (never back). */
    public void idleUntil(long cycle) {
        long now = cycles();
        if (cycle > now) {
            charge(CycleCategory.IDLE, cycle - now);
        }
    }

    /**
     * The counted instructions. The count moves only while the engine runs this CPU, so a
     * stopped CPU answers from what its last run left, not from the engine's memory (the
     * machine reads every CPU's clock for each scheduling decision and each shared-state
     * hypercall).
     */
    public long instructions() {
        return running ? engine.instructions() - park.uncounted() : stoppedInstructions;
    }

    /**
     * Called by the kernel inside a hypercall it did not perform (another CPU must act
     * first, or this one waits): the guest is made to issue it again (the kernel answers
     * RESTART and ends the slice), and the instructions of that retry path are not
     * counted, so the call happens as if issued once, later. The count is for the call
     * performed.
     */
    public void parkHypercall(long argBlock) {
        park.park(argBlock, engine.instructions());
        hypercalls--;
    }

    /** Whether this CPU stopped before a hypercall it will issue again. */
    public boolean parked() {
        return park.parked();
    }

    /**
     * Lets the engine park the hypercalls numbered {@code numbers} by itself, as
     * {@link #parkHypercall} would, once this CPU's clock passes the bound set by
     * {@link #setParkBound} (argument blocks in the window only; see {@link ParkState#configure}).
     */
    public void enableEngineParking(long start, long end, long physical, int blockSize, int retOffset,
                                    int restart, Set<Integer> numbers) {
        park.configure(start, end, physical, blockSize, retOffset, restart, numbers);
    }

    /**
     * The latest clock at which this CPU may still act on shared state, as far as the other
     * CPUs are concerned ({@code Long.MAX_VALUE}: no limit). Until it is set again only this
     * CPU's own clock may move, so a parkable call past it is parked by the engine without
     * asking the kernel. Set it again whenever other CPUs' clocks or states changed.
     */
    public void setParkBound(long maxClock) {
        park.setBound(cycles.instructionsWithin(maxClock - charged - cyclesBy[CycleCategory.IDLE.ordinal()]));
    }

    /** Hypercalls the engine parked by itself. */
    public long engineParks() {
        return park.engineParks();
    }

    public long hypercalls() {
        return hypercalls;
    }

    /** Guest MMU instructions of one kind ({@code EngineCallbacks.INSN_*}) this CPU executed. */
    public long guestMmuInstructions(int kind) {
        return mmuInstructions.count(kind);
    }

    CycleModel cycleModel() {
        return cycles;
    }

    long physicalSize() {
        return physicalSize;
    }

    /** The guest-visible CR2: the last page-fault address (also written by mov to CR2). */
    void setCr2(long cr2) {
        mmuInstructions.setCr2(cr2);
    }

    /** TLB counters; hits include the engine refills answered from the native mirror. */
    public TlbStatsSnapshot tlbStats() {
        TlbStatsSnapshot s = mmu.tlb().stats().snapshot();
        long mirrored = mirroredTlbHits();
        return mirrored == 0 ? s : new TlbStatsSnapshot(s.hits() + mirrored, s.misses(), s.walks(), s.evictions(),
                s.invlpgFlushes(), s.nonGlobalFlushes(), s.fullFlushes(), s.entriesInvalidated());
    }

    /** Lets the engine answer refills of pages the model TLB holds without calling Java. */
    private void attachTlbMirror() {
        TlbMirror m = engine.tlbMirror(mmu.tlb().config(), physicalSize);
        if (m != null) {
            mmu.setTlbMirror(m);
        }
    }

    private void setEngineTlbStale(boolean stale) {
        if (engineTlbStale != stale) {
            engineTlbStale = stale;
            engine.tlbMirrorStale(stale);
        }
    }

    // ---- TLB operations with their costs ----

    /** INVLPG of one page on this CPU. */
    public void invlpg(long vaddr) {
        mmu.invlpg(vaddr);
        charge(CycleCategory.INVLPG, cycles.invlpg());
        syncEngineTlb();
    }

    /** Flush of every entry, global ones included (__flush_tlb_all). */
    public void flushTlbAll() {
        mmu.flushAll();
        charge(CycleCategory.FLUSH_ALL, cycles.flushAll());
        syncEngineTlb();
    }

    /** CR3 load: PDPTE reload (PAE) and a flush of non-global entries. */
    public void loadCr3(long cr3) {
        mmu.loadCr3(cr3);
        charge(CycleCategory.FLUSH_NON_GLOBAL, cycles.flushNonGlobal());
        syncEngineTlb();
    }

    /** Limits checked after each hypercall (cycle limit 0 = none); set by the machine for a run. */
    void setLimits(long cycleLimit, boolean hasDeadline, long deadlineNanos) {
        this.cycleLimit = cycleLimit;
        this.hasDeadline = hasDeadline;
        this.deadlineNanos = deadlineNanos;
    }

    /** Makes the engine forget translations if the MMU dropped any. */
    public void syncEngineTlb() {
        if (engineTlbStale) {
            setEngineTlbStale(false);
            engine.flushTlb();
        }
    }

    // ---- running ----

    /** Runs at most {@code quantum} instructions (plus the rest of the last block). */
    EngineExit runSlice(long quantum) {
        syncEngineTlb();
        lastFault = null;
        ioError = null;
        running = true;
        EngineExit exit;
        try {
            exit = engine.run(eip, engine.instructions() + quantum);
        } finally {
            stopped();
        }
        eip = exit.eip();
        return exit;
    }

    /** Continues a slice the debugger paused ({@link EngineExit.Reason#DEBUG}), budget unchanged. */
    public EngineExit resumeSlice() {
        running = true;
        EngineExit exit;
        try {
            exit = engine.debug().resume(eip);
        } finally {
            stopped();
        }
        eip = exit.eip();
        return exit;
    }

    /** The address of the last page fault taken on this CPU (what CR2 holds). */
    public long cr2() {
        return mmuInstructions.cr2();
    }

    /** The fault recorded by the last refused fill. */
    PageFault takeFault(EngineExit exit) {
        PageFault f = lastFault;
        lastFault = null;
        if (f == null) {
            return new PageFault(exit.faultPage(), exit.faultAccess(), 0, exit.eip(), false);
        }
        return new PageFault(f.cr2(), f.access(), f.errorCode(), exit.eip(), f.badPhysical());
    }

    /** A port write other than a hypercall, or an unsupported MMU instruction, in the last slice. */
    String takeIoError() {
        String e = ioError;
        ioError = null;
        return e != null ? e : mmuInstructions.takeError();
    }

    /**
     * A supervisor access by this CPU through its TLB, as the kernel's own instructions
     * would make it (e.g. the copy loop of copy_from_user run by the model): TLB lookup,
     * walk on a miss (charged), A/D bits. Call it only while the CPU is stopped or inside
     * one of its hooks' Java side (not in the middle of a fill).
     */
    public WalkResult translate(long vaddr, AccessType type) {
        WalkResult r = translateCharged(vaddr, type);
        syncEngineTlb();
        return r;
    }

    private WalkResult translateCharged(long vaddr, AccessType type) {
        long walksBefore = mmu.tlb().stats().walks();
        WalkResult r = mmu.translate(vaddr, type, false);
        if (mmu.tlb().stats().walks() != walksBefore) {
            charge(CycleCategory.PAGE_WALK, type == AccessType.FETCH ? cycles.walkFetch() : cycles.walkData());
        }
        return r;
    }

    @Override
    public long tlbFill(long vaddr, AccessType type) {
        long walksBefore = mmu.tlb().stats().walks();
        WalkResult r = translateCharged(vaddr, type);
        if ((vaddr & 0xffffffffL) >= fillWatchFrom) {
            kernel.tlbFilled(this, vaddr & 0xffffffffL, r, mmu.tlb().stats().walks() == walksBefore);
        }
        // A refused fill leaves engineTlbStale set: runSlice flushes before the engine runs
        // again, never inside a fill (which may be translating a block).
        if (r instanceof WalkResult.Fault f) {
            lastFault = new PageFault(vaddr, type, f.errorCode(), 0, false);
            mmuInstructions.setCr2(vaddr);
            return FILL_FAULT;
        }
        WalkResult.Mapped m = (WalkResult.Mapped) r;
        long pa = m.physical() & ~0xfffL;
        if (pa + 4096 > physicalSize) {
            lastFault = new PageFault(vaddr, type, 0, 0, true);
            return FILL_FAULT;
        }
        int flush = 0;
        if (engineTlbStale) {
            setEngineTlbStale(false);
            flush = FLUSH_PENDING;
        }
        int perms = PERM_READ;
        if (m.executable()) {
            perms |= PERM_EXEC;
        }
        boolean canWrite = m.writable() || !mmu.cr().wp();
        int otherCode = codeMap.owners(pa) & ~(1 << id);
        if (otherCode != 0 && canWrite) {
            if (type == AccessType.WRITE) {
                codeMap.invalidate(pa, otherCode); // cross-modifying code: theirs goes first
            } else {
                canWrite = false; // the first write must come back here
            }
        }
        if (canWrite && (type == AccessType.WRITE || m.dirty())) {
            perms |= PERM_WRITE; // a clean page is granted write only by a WRITE fill, which sets D
        }
        return pa | perms | flush;
    }

    /**
     * Called once the kernel has booted: where its diagnostic fill window starts. The
     * kernel sees the fills there that reach Java: model misses, and refills through
     * entries it took out of the native mirror ({@link dev.hmemu.mmu.Tlb#unmirror}).
     */
    void watchFills(long from) {
        this.fillWatchFrom = from;
    }

    @Override
    public boolean portWrite(int port, int value) {
        if (port != HYPERCALL_PORT) {
            ioError = String.format("guest wrote %08x to I/O port %#x (only port %#x, the hypercall, exists)",
                    value, port, HYPERCALL_PORT);
            return true;
        }
        hypercalls++;
        long block = value & 0xffffffffL;
        park.issued(block, engine.instructions()); // a re-issue's retry path is not counted
        boolean stop = kernel.hypercall(this, block);
        // a costly call may pass a limit: end the slice at the next block, the machine stops
        return stop || (cycleLimit > 0 && cycles() >= cycleLimit)
                || (hasDeadline && (++deadlineTick & 31) == 0 && System.nanoTime() - deadlineNanos >= 0);
    }

    @Override
    public long mmuInstruction(int kind, long a0, long a1) {
        return mmuInstructions.execute(kind, a0, a1);
    }

    /** Engine refills answered from the native mirror of the model's TLB (readable after close). */
    public long mirroredTlbHits() {
        return closed ? mirroredAtClose : engine.mirroredTlbHits();
    }

    void close() {
        mirroredAtClose = engine.mirroredTlbHits();
        closed = true;
        engine.close();
    }

    @Override
    public String toString() {
        return "CPU" + id;
    }
}
