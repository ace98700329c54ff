package dev.hmemu.emulator;

/** Why a {@link Machine#run} ended. */
public sealed interface StopReason {

    /** The guest's main returned {@code status} and every task it started has exited. */
    record GuestExited(int status) implements StopReason {
    }

    /** The guest oopsed or hit a fatal fault; {@code report} is the Linux-style text. */
    record Oops(String report) implements StopReason {
    }

    /** A kernel BUG (a broken invariant): the model stopped. */
    record KernelBug(String report) implements StopReason {
    }

    /** A run limit (instructions, cycles or wall time) was reached. */
    record LimitReached(String limit, long value) implements StopReason {
    }

    /** Every CPU is idle and nothing will ever wake a task. */
    record Deadlock(String detail) implements StopReason {
    }

    /** The machine could not go on (bad guest I/O, engine error): a clear message. */
    record MachineError(String message) implements StopReason {
    }
}
