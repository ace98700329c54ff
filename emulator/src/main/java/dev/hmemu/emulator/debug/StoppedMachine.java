package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.emulator.engine.X86Segment;
import dev.hmemu.mmu.ControlRegisters;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.WalkResult;

/**
 * The machine while every CPU is stopped: what a debugger may read and change. Only
 * {@link DebugTarget#call} (on the machine thread) and {@link DebugTarget#runIfStopped}
 * (on the caller's thread while the machine thread waits) hand it out.
 *
 * <p>Memory is read through a CPU's page tables with a side-effect-free walk: the TLB
 * model, its counters and the A/D bits are not touched, so looking changes nothing the
 * run measures. Writing registers or memory does change the run.
 */
public final class StoppedMachine {
    private final Machine machine;
    private final Breakpoints breakpoints;
    private final KernelEvents kernelEvents;
    private final Monitor monitor;
    private final KernelDebugViews kernelViews;

    StoppedMachine(Machine machine, Breakpoints breakpoints, KernelEvents kernelEvents, KernelDebugViews views) {
        this.machine = machine;
        this.breakpoints = breakpoints;
        this.kernelEvents = kernelEvents;
        this.kernelViews = views;
        this.monitor = new Monitor(machine, kernelEvents, views);
    }

    public int cpuCount() {
        return machine.cpus().size();
    }

    private Cpu cpu(int id) {
        if (id < 0 || id >= machine.cpus().size()) {
            throw new IllegalArgumentException("no CPU " + id);
        }
        return machine.cpu(id);
    }

    // ---- registers ----

    public int register(int cpu, X86Reg reg) {
        return cpu(cpu).reg(reg);
    }

    public void setRegister(int cpu, X86Reg reg, int value) {
        cpu(cpu).setReg(reg, value);
    }

    public int segment(int cpu, X86Segment seg) {
        return cpu(cpu).engine().debug().readSegment(seg);
    }

    public ControlRegisterValues controlRegisters(int cpu) {
        Cpu c = cpu(cpu);
        ControlRegisters cr = c.mmu().cr();
        return new ControlRegisterValues(cr.cr0(), c.cr2(), cr.cr3(), cr.cr4(), cr.efer());
    }

    // ---- memory ----

    /**
     * Reads {@code length} bytes at virtual {@code address} as {@code cpu} would see them.
     * Stops at the first address that does not translate: the result is then shorter.
     *
     * @throws DebugMemoryException if not even the first byte translates
     */
    public byte[] readVirtual(int cpu, long address, int length) {
        Cpu c = cpu(cpu);
        PhysicalMemory mem = machine.memory();
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long va = (address + done) & 0xffffffffL;
            long pa = physical(c, va, mem);
            if (pa < 0) {
                if (done == 0) {
                    throw new DebugMemoryException(va, "not mapped");
                }
                break;
            }
            int n = (int) Math.min(length - done, 4096 - (va & 0xfff));
            mem.read(pa, out, done, n);
            done += n;
        }
        return done == length ? out : java.util.Arrays.copyOf(out, done);
    }

    /**
     * Writes {@code data} at virtual {@code address} of {@code cpu}; translated code is
     * dropped on every CPU so a changed instruction takes effect.
     *
     * @throws DebugMemoryException if any byte does not translate (nothing is written)
     */
    public void writeVirtual(int cpu, long address, byte[] data) {
        Cpu c = cpu(cpu);
        PhysicalMemory mem = machine.memory();
        long[] pas = new long[(data.length + 4095) / 4096 + 1];
        int done = 0;
        int i = 0;
        while (done < data.length) {
            long va = (address + done) & 0xffffffffL;
            long pa = physical(c, va, mem);
            if (pa < 0) {
                throw new DebugMemoryException(va, "not mapped");
            }
            pas[i++] = pa;
            done += (int) Math.min(data.length - done, 4096 - (va & 0xfff));
        }
        done = 0;
        i = 0;
        while (done < data.length) {
            long va = (address + done) & 0xffffffffL;
            int n = (int) Math.min(data.length - done, 4096 - (va & 0xfff));
            mem.write(pas[i++], data, done, n);
            done += n;
        }
        for (Cpu other : machine.cpus()) {
            other.engine().flushTranslations();
        }
    }

    /** The physical address of {@code va} for {@code c}, or -1. */
    private static long physical(Cpu c, long va, PhysicalMemory mem) {
        WalkResult r = c.mmu().debugTranslate(va);
        if (r instanceof WalkResult.Mapped m && m.physical() < mem.size()) {
            return m.physical();
        }
        return -1;
    }

    // ---- breakpoints and watchpoints ----

    /** @return false when no more breakpoints fit */
    public boolean insertBreakpoint(long address) {
        return breakpoints.insertBreakpoint(address);
    }

    public void removeBreakpoint(long address) {
        breakpoints.removeBreakpoint(address);
    }

    /**
     * Watches what {@code address} maps to on {@code cpu} now (its physical bytes, through
     * any mapping).
     *
     * @return false when no more watchpoints fit or the address is not mapped
     */
    public boolean insertWatchpoint(int cpu, long address, long length, WatchKind kind) {
        return breakpoints.insertWatch(cpu(cpu), address, length, kind);
    }

    public void removeWatchpoint(long address, long length, WatchKind kind) {
        breakpoints.removeWatch(address, length, kind);
    }

    // ---- views ----

    /** What {@code cpu} runs, e.g. {@code "CPU 1, task reader (pid 2)"}. */
    public String cpuDescription(int cpu) {
        String a = kernelViews.cpuActivity(cpu(cpu).id());
        return "CPU " + cpu + (a == null ? "" : ", " + a);
    }

    /** Runs a monitor command line for the debugger's current {@code cpu}; returns its console text. */
    public String monitor(int cpu, String line) {
        return monitor.run(cpu(cpu).id(), line);
    }

    /** Instructions executed so far by {@code cpu} (exact at a stop in mid-block). */
    public long instructions(int cpu) {
        return cpu(cpu).engine().debug().executedInstructions();
    }
}
