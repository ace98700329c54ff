package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.StopReason;

/**
 * Why the machine stopped for the debugger. Every CPU is stopped (all-stop); {@code cpu}
 * is the one the stop is about and {@code pc} where it resumes.
 */
public sealed interface StopEvent {

    /** Before the first instruction, waiting for the debugger. */
    record Started(int cpu, long pc) implements StopEvent {
    }

    /** The debugger asked to stop (gdb's Ctrl-C, or a connection to a running machine). */
    record Interrupted(int cpu, long pc) implements StopEvent {
    }

    /** {@code cpu} is about to execute the breakpoint's instruction at {@code pc}. */
    record Breakpoint(int cpu, long pc) implements StopEvent {
    }

    /** {@code cpu} completed one instruction. */
    record Stepped(int cpu, long pc) implements StopEvent {
    }

    /** The instruction before {@code pc} accessed the watched range starting at {@code address}. */
    record Watchpoint(int cpu, long pc, WatchKind kind, long address) implements StopEvent {
    }

    /** A kernel event the debugger asked to break on ({@code monitor break-on EVENT}). */
    record KernelEvent(int cpu, long pc, String event, String detail) implements StopEvent {
    }

    /** The run is over; nothing can be resumed. */
    record Exited(StopReason reason) implements StopEvent {
    }
}
