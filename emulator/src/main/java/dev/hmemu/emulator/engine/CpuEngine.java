package dev.hmemu.emulator.engine;

/**
 * One emulated x86-32 CPU core executing guest code: our facade over the execution
 * engine (Unicorn 2.1 in {@code engine.unicorn}). Every address translation comes from
 * {@link EngineCallbacks#tlbFill}; the engine only caches what the callback returned
 * until {@link #flushTlb()}.
 *
 * <p>Not thread-safe: only the machine thread may call it.
 */
public interface CpuEngine extends AutoCloseable {

    /** Maps host memory as guest physical memory at {@code physicalBase}; shared by all engines. */
    void mapPhysical(HostMemory memory);

    /**
     * Runs from {@code eip} until the guest has executed instructions up to the absolute
     * count {@code instructionLimit} (checked at block starts, so a block that begins
     * below the limit runs to its end), a hypercall asks to stop, a page fault, or hlt.
     *
     * @return why it stopped; {@link EngineExit#eip()} is where to resume
     */
    EngineExit run(long eip, long instructionLimit);

    /** Guest instructions executed by this engine so far (exact, faults corrected). */
    long instructions();

    int readReg(X86Reg reg);

    void writeReg(X86Reg reg, int value);

    /** Drops every translation the engine cached from earlier fills. */
    void flushTlb();

    /** Drops all translated code (after guest code was written). */
    void flushTranslations();

    /**
     * A copy of the model TLB {@code tlb} that the engine answers its own refills from
     * (see {@link dev.hmemu.mmu.TlbMirror}), or null when the engine has none. Call once.
     */
    default dev.hmemu.mmu.TlbMirror tlbMirror(dev.hmemu.mmu.TlbConfig tlb, long physicalSize) {
        return null;
    }

    /** Tells the mirror whether the engine owes a TLB flush (then Java answers every fill). */
    default void tlbMirrorStale(boolean stale) {
    }

    /** Refills the engine answered from the mirror (they count as TLB hits). */
    default long mirroredTlbHits() {
        return 0;
    }

    /**
     * This engine's record of a parked hypercall (asked once, when the CPU is built). An
     * engine that parks shared-state calls by itself keeps it where it reads it.
     */
    default ParkState parkState() {
        return ParkState.onHeap();
    }

    /** The debugger's controls of this engine. */
    default EngineDebug debug() {
        throw new UnsupportedOperationException("this engine cannot be debugged");
    }

    @Override
    void close();
}
