package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.DebugHooks;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.EngineDebug;
import dev.hmemu.emulator.engine.EngineExit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the debugger's requests on the machine thread. The machine calls the
 * {@link DebugHooks} methods; a stop parks the machine thread on the request queue (never
 * inside an engine hook) until a resume, detach or kill arrives. Other threads talk to it
 * through {@link DebugTarget}, which posts requests (or, at a stop, lends the stopped machine).
 *
 * <p>Stops are pauses: between slices nothing is running; inside a slice the engine
 * pauses at an instruction boundary and {@link Cpu#resumeSlice()} continues the same
 * slice, so the scheduling, counts and faults are those of the run without a debugger.
 *
 * <p>While the machine thread waits in a stop with nothing to do ("parked"), another
 * thread may use the stopped machine directly through {@link #runIfStopped}: the
 * {@code parked} flag is guarded by one monitor, which the machine thread takes again
 * before it does anything after a request arrives, so the two never overlap and each
 * sees what the other wrote.
 */
public final class DebugController implements DebugHooks, DebugTarget {

    /** A request for the machine thread. */
    private sealed interface Request {
    }

    private record Call(Function<StoppedMachine, ?> action, CompletableFuture<Object> result) implements Request {
    }

    private record Resume(int stepCpu) implements Request {
    }

    private record Kill() implements Request {
    }

    private record Detach() implements Request {
    }

    /**
     * Marks where an interrupt was posted among the requests: taken while stopped, it is
     * answered by that stop; if a resume came first, the flag stops the machine again.
     */
    private record InterruptMark() implements Request {
    }

    private final boolean waitForDebugger;
    private KernelDebugViews kernelViews;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private volatile boolean interruptRequested;
    private volatile Consumer<StopEvent> listener = e -> { };
    private volatile StopEvent lastStop;
    private volatile boolean finished;
    private final Object parkLock = new Object();
    /** Guarded by parkLock: the machine thread waits in a stop for the next request. */
    private boolean parked;
    /** Guarded by parkLock: requests posted and not yet taken in hand by the machine thread. */
    private int unhandled;
    private Machine machine;
    private Breakpoints breakpoints;
    private KernelEvents kernelEvents;
    private StoppedMachine view;
    private int lastCpu;

    /**
     * @param waitForDebugger stop before the first instruction until a debugger resumes
     * @param kernelViews the guest kernel's views, or {@link KernelDebugViews#NONE}
     */
    public DebugController(boolean waitForDebugger, KernelDebugViews kernelViews) {
        this.waitForDebugger = waitForDebugger;
        this.kernelViews = kernelViews;
    }

    /** The guest kernel's views; set before the run starts. */
    public void setKernelViews(KernelDebugViews views) {
        this.kernelViews = views;
    }

    // ---- DebugHooks (machine thread) ----

    @Override
    public void attach(Machine m) {
        this.machine = m;
        for (Cpu c : m.cpus()) {
            c.engine().debug().enable();
        }
        this.breakpoints = new Breakpoints(m);
        this.kernelEvents = new KernelEvents(m, kernelViews);
        this.view = new StoppedMachine(m, breakpoints, kernelEvents, kernelViews);
    }

    @Override
    public boolean started() {
        if (!waitForDebugger) {
            return true;
        }
        Cpu c = machine.cpu(0);
        return stop(new StopEvent.Started(0, c.eip()));
    }

    @Override
    public boolean betweenSlices() {
        StopEvent.KernelEvent k = kernelEvents.take(machine);
        if (k != null) {
            interruptRequested = false;
            return stop(k);
        }
        if (interruptRequested) {
            interruptRequested = false;
            return stop(new StopEvent.Interrupted(lastCpu, machine.cpu(lastCpu).eip()));
        }
        return true;
    }

    @Override
    public EngineExit afterSlice(Cpu cpu, EngineExit exit) {
        lastCpu = cpu.id();
        EngineDebug d = cpu.engine().debug();
        EngineExit e = exit;
        while (e.reason() == EngineExit.Reason.DEBUG) {
            if (!stop(stopEvent(cpu, d.why()))) {
                return null;
            }
            e = cpu.resumeSlice();
        }
        EngineDebug.Why due = d.takePending();
        if (due != null && !stop(stopEvent(cpu, due))) {
            return null;
        }
        return e;
    }

    @Override
    public void finished(StopReason reason) {
        finished = true;
        StopEvent.Exited e = new StopEvent.Exited(reason);
        lastStop = e;
        for (Request r; (r = requests.poll()) != null; ) {
            if (r instanceof Call c) {
                c.result().completeExceptionally(new IllegalStateException("the run is over"));
            }
        }
        listener.accept(e);
    }

    private StopEvent stopEvent(Cpu cpu, EngineDebug.Why why) {
        StopEvent.KernelEvent k = kernelEvents.take(machine);
        if (k != null) {
            return k;
        }
        EngineDebug d = cpu.engine().debug();
        return switch (why) {
            case BREAKPOINT -> new StopEvent.Breakpoint(cpu.id(), cpu.eip());
            case STEP -> new StopEvent.Stepped(cpu.id(), cpu.eip());
            case WATCH -> new StopEvent.Watchpoint(cpu.id(), cpu.eip(), WatchKind.ofCode(d.watchKind()),
                    breakpoints.virtualOf(d.watchAddress()));
        };
    }

    /**
     * Stops every CPU: reports {@code event}, then carries out requests until one resumes.
     *
     * @return false when the debugger killed the run
     */
    private boolean stop(StopEvent event) {
        for (Cpu c : machine.cpus()) {
            c.engine().debug().setStep(false);
        }
        int cpu = cpuOf(event);
        lastCpu = cpu;
        lastStop = event;
        setParked(true); // before the listener: its thread may read the machine at once
        listener.accept(event);
        while (true) {
            Request r;
            try {
                r = requests.take();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                setParked(false);
                return false;
            }
            synchronized (parkLock) { // waits for a direct use in progress to end
                parked = false;
                unhandled--;
            }
            if (r instanceof Call c) {
                runCall(c);
                setParked(true);
            } else if (r instanceof InterruptMark) {
                interruptRequested = false; // posted before any resume: this stop answers it
                setParked(true);
            } else if (r instanceof Resume res) {
                resumeFrom(cpu, res.stepCpu());
                return true;
            } else if (r instanceof Detach) {
                breakpoints.clear();
                kernelEvents.clear();
                resumeFrom(cpu, -1);
                return true;
            } else {
                return false; // Kill
            }
        }
    }

    private void setParked(boolean p) {
        synchronized (parkLock) {
            parked = p;
        }
    }

    private void resumeFrom(int cpu, int stepCpu) {
        lastStop = null;
        Cpu c = machine.cpu(cpu);
        c.engine().debug().skipBreakpointOnce(c.eip()); // the instruction stopped at runs first
        if (stepCpu >= 0 && stepCpu < machine.cpus().size()) {
            machine.cpu(stepCpu).engine().debug().setStep(true);
        }
    }

    private void runCall(Call c) {
        try {
            c.result().complete(c.action().apply(view));
        } catch (RuntimeException e) {
            c.result().completeExceptionally(e);
        }
    }

    private static int cpuOf(StopEvent e) {
        return e instanceof StopEvent.OnCpu c ? c.cpu() : 0;
    }

    // ---- DebugTarget (any thread) ----

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> call(Function<StoppedMachine, T> action) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (finished) {
            f.completeExceptionally(new IllegalStateException("the run is over"));
        } else {
            post(new Call(action, f));
        }
        return (CompletableFuture<T>) f;
    }

    private void post(Request r) {
        synchronized (parkLock) {
            unhandled++;
        }
        requests.add(r);
    }

    @Override
    public boolean runIfStopped(Consumer<StoppedMachine> action) {
        synchronized (parkLock) {
            if (!parked || unhandled > 0) {
                return false; // running, busy, or requests to carry out first (in order)
            }
            action.accept(view);
            return true;
        }
    }

    @Override
    public void interrupt() {
        interruptRequested = true;
        post(new InterruptMark());
    }

    @Override
    public void resume(int stepCpu) {
        post(new Resume(stepCpu));
    }

    @Override
    public void kill() {
        post(new Kill());
    }

    @Override
    public void detach() {
        post(new Detach());
    }

    @Override
    public void setStopListener(Consumer<StopEvent> l) {
        this.listener = l == null ? e -> { } : l;
    }

    @Override
    public StopEvent lastStop() {
        return lastStop;
    }
}
