package dev.hmemu.emulator.engine;

/**
 * The debugger's side of one engine: breakpoints, watchpoints and single steps checked in
 * the engine's own hooks, and stops that are pure pauses (see {@link #resume}).
 *
 * <p>Not thread-safe: machine thread only. {@link #enable()} must run before the engine's
 * first instruction, so that no translated code has to be flushed later.
 */
public interface EngineDebug {

    /** Why the last {@link EngineExit.Reason#DEBUG} exit stopped. */
    enum Why { BREAKPOINT, STEP, WATCH }

    /** Installs the debug hooks (instruction, memory). */
    void enable();

    /**
     * Continues the slice that a {@link EngineExit.Reason#DEBUG} exit paused, from
     * {@code eip}, with the slice's instruction budget unchanged: the instructions, fills
     * and stops that follow are those of the run that never paused.
     */
    EngineExit resume(long eip);

    /** Replaces the breakpoint addresses (virtual, exact instruction starts). */
    void setBreakpoints(long[] addresses);

    /** Replaces the watch ranges {@code [lo, hi)}; kinds: 1 write, 2 read, 3 access. */
    void setWatches(long[] lo, long[] hi, int[] kinds);

    /** Arms or cancels a single step: stop once one instruction has completed. */
    void setStep(boolean on);

    /**
     * Instructions executed so far, exact at any stop: {@link CpuEngine#instructions()}
     * counts a block whole when it starts (what the run's scheduling uses); this is that
     * count less the instructions counted but not yet run.
     */
    long executedInstructions();

    /** Arms or cancels a stop before this CPU's next instruction (reported as WATCH). */
    void stopBeforeNext(boolean on);

    /** The breakpoint at {@code pc}, if any, does not fire for the next instruction. */
    void skipBreakpointOnce(long pc);

    /** Why the last DEBUG exit stopped. */
    Why why();

    /**
     * A stop due although the slice ended for another reason (the stepped instruction or a
     * watched access completed last in the slice): {@code STEP}, {@code WATCH} or null.
     * Consumed by the call.
     */
    Why takePending();

    /** The watched range start and kind (1 write, 2 read, 3 access) of the last WATCH stop. */
    long watchAddress();

    int watchKind();

    int readSegment(X86Segment segment);
}
