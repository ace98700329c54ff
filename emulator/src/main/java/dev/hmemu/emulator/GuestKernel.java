package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.mmu.WalkResult;

/**
 * The operating-system side of a run, implemented by the kernel model. The machine owns
 * the CPUs and the run loop; it calls these on the machine thread only.
 */
public interface GuestKernel {

    /** Sets up memory, page tables and CPU state before the first instruction. */
    void boot(Machine machine);

    /**
     * A hypercall on {@code cpu} with its argument block at guest virtual {@code argBlock}.
     *
     * @return true to end the CPU's slice at the next block boundary (a switch is due)
     */
    boolean hypercall(Cpu cpu, long argBlock);

    /** What to do with a refused translation. */
    enum FaultAction { RESUME, STOP }

    /** A page fault: fix the mapping and {@code RESUME}, or record a report and {@code STOP}. */
    FaultAction pageFault(Cpu cpu, PageFault fault);

    /** After every slice of {@code cpu}: scheduling, timer ticks, halts. */
    void sliceEnded(Cpu cpu, EngineExit exit);

    /** Whether {@code cpu} has a task to run now. */
    boolean runnable(Cpu cpu);

    /**
     * Called when no CPU is runnable: the earliest cycle time at which something (a timer)
     * will wake a task, or -1 when nothing will.
     */
    long nextEventCycle();

    /** Advances idle time to {@code cycle} and fires what is due then. */
    void idleUntil(long cycle);

    /**
     * {@code cpu} is about to run guest code (after every other decision of the run loop):
     * the kernel may set what the engine decides alone in the slice, such as
     * {@link Cpu#setParkBound}.
     *
     * @param earliestUntil the latest clock at which {@code cpu} stays the earliest of the
     *     CPUs {@link #runnable} just accepted (ties: the lower id first); {@code Long.MAX_VALUE}
     *     when no other CPU is runnable
     */
    default void beforeSlice(Cpu cpu, long earliestUntil) {
    }

    /** Non-null once the run is over. */
    StopReason outcome();

    /**
     * Fills of the engine's TLB at or above {@link #fillWatchFrom()} (the kernel's pkmap
     * and fixmap windows) are shown to the kernel for diagnostics, with whether the
     * modelled TLB answered them from a cached entry. It must not change any state the
     * guest can see.
     */
    default void tlbFilled(Cpu cpu, long vaddr, WalkResult r, boolean tlbHit) {
    }

    /** The lowest address whose fills {@link #tlbFilled} sees (above 4 GiB: none). */
    default long fillWatchFrom() {
        return 1L << 32;
    }
}
