package dev.hmemu.kernel.hcall;

import dev.hmemu.emulator.Cpu;

/** One hypercall in progress: the CPU it came from, its number and arguments. */
public final class Hcall {
    private final Cpu cpu;
    private final Hypercall nr;
    private final long[] args;
    private boolean endSlice;

    public Hcall(Cpu cpu, Hypercall nr, long[] args) {
        this.cpu = cpu;
        this.nr = nr;
        this.args = args;
    }

    public Cpu cpu() {
        return cpu;
    }

    public int cpuId() {
        return cpu.id();
    }

    public Hypercall nr() {
        return nr;
    }

    /** Argument {@code i} (0..5) as an unsigned 32-bit value. */
    public long arg(int i) {
        return args[i];
    }

    /** Argument {@code i} as a signed int. */
    public int argInt(int i) {
        return (int) args[i];
    }

    /**
     * Ends this CPU's slice at the next block boundary, so the scheduler runs (a task
     * slept, woke a higher-priority task, exited, or must spin).
     */
    public void endSlice() {
        endSlice = true;
    }

    public boolean endSliceRequested() {
        return endSlice;
    }
}
