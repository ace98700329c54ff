package dev.hmemu.emulator.debug;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A debugged machine as a debugger front end (the gdb stub) sees it. Thread-safe: every
 * method only posts a request and returns at once (the machine thread carries requests
 * out), or, with {@link #runIfStopped}, works on the machine while its thread waits in a
 * stop. The caller (a network event loop) never waits for the machine to run and the
 * machine never waits for the network.
 */
public interface DebugTarget {

    /**
     * Runs {@code action} on the machine thread once the machine is stopped (at once if it
     * is). The future fails with {@link IllegalStateException} if the run ends first.
     */
    <T> CompletableFuture<T> call(Function<StoppedMachine, T> action);

    /**
     * Runs {@code action} at once on the calling thread if the machine thread waits in a
     * stop with no request in hand; it cannot resume (nor carry out a request) until the
     * action returns. The cheap path for reads at a stop: no thread hand-off. Requests
     * posted earlier and not yet carried out make it return false.
     *
     * @return false, without running {@code action}, when the machine is not stopped or busy
     */
    boolean runIfStopped(Consumer<StoppedMachine> action);

    /** Stops every CPU at the next instruction boundary; the stop event goes to the listener. */
    void interrupt();

    /** Resumes every CPU; {@code stepCpu >= 0} first arms a single step of that CPU. */
    void resume(int stepCpu);

    /** Ends the run (its report is still written). */
    void kill();

    /** Removes breakpoints, watchpoints and break-on events, and lets the run go on alone. */
    void detach();

    /** Where stop events go (called on the machine thread; must not block). */
    void setStopListener(Consumer<StopEvent> listener);

    /** The last stop event, or null while running. */
    StopEvent lastStop();
}
