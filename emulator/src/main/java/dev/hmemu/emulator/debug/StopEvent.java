package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.StopReason;

/**
 * Why the machine stopped for the debugger. Every CPU is stopped (all-stop); {@code cpu}
 * is the one the stop is about and {@code pc} where it resumes.
 */
public sealed interface StopEvent {

    /** A stop that is about one CPU (every stop but {@link Exited}). */
    sealed interface OnCpu extends StopEvent {
        int cpu();
    }

    /** Before the first instruction, waiting for the debugger. */
    record Started(int cpu, long pc) implements OnCpu {
    }

    /** The debugger asked to stop (gdb's Ctrl-C, or a connection to a running machine). */
    record Interrupted(int cpu, long pc) implements OnCpu {
    }

    /** {@code cpu} is about to execute the breakpoint's instruction at {@code pc}. */
    record Breakpoint(int cpu, long pc) implements OnCpu {
    }

    /** {@code cpu} completed one instruction. */
    record Stepped(int cpu, long pc) implements OnCpu {
    }

    /** The instruction before {@code pc} accessed the watched range starting at {@code address}. */
    record Watchpoint(int cpu, long pc, WatchKind kind, long address) implements OnCpu {
    }

    /** A kernel event the debugger asked to break on ({@code monitor break-on EVENT}). */
    record KernelEvent(int cpu, long pc, String event, String detail) implements OnCpu {
    }

    /** The run is over; nothing can be resumed. */
    record Exited(StopReason reason) implements StopEvent {
    }
}
