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

    /**
     * The machine could not go on: a clear message. Without a cause it is the guest's doing
     * (bad guest I/O, an unsupported paging-mode change, an engine error); with one it is an
     * internal error of hmemu (an exception in the model or the emulator), kept whole so
     * {@code --debug} can print its stack trace.
     */
    record MachineError(String message, Throwable cause) implements StopReason {
        public MachineError(String message) {
            this(message, null);
        }

        /** An exception inside hmemu (a bug to report), not something the guest did. */
        public boolean internal() {
            return cause != null;
        }
    }

    /** The debugger ended the run (gdb's kill). */
    record Killed(String by) implements StopReason {
    }
}
