package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.EngineExit;

/**
 * What {@link Machine#run(GuestKernel, RunLimits, DebugHooks)} tells a debugger, on the
 * machine thread (implemented by {@code dev.hmemu.emulator.debug.DebugController}). A
 * method that stops the machine returns only when the debugger resumes it; none of them
 * changes what the run measures.
 */
public interface DebugHooks {

    /** Before the kernel boots: install the engines' debug hooks. */
    void attach(Machine machine);

    /** After boot, before the first instruction. @return false to end the run (killed) */
    boolean started();

    /** Between two slices: a pending interrupt or kernel event stops here. @return false when killed */
    boolean betweenSlices();

    /**
     * After {@code cpu}'s slice returned {@code exit}: pauses and resumes the slice as long
     * as it stops for the debugger, then reports a stop due at the slice end.
     *
     * @return the exit that really ended the slice, or null when the debugger killed the run
     */
    EngineExit afterSlice(Cpu cpu, EngineExit exit);

    /** The run ended with {@code reason}. */
    void finished(StopReason reason);
}
