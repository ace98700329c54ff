package dev.hmemu.emulator.bench;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.GuestKernel;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.engine.EngineExit;

/**
 * A guest without a kernel, for engine tests and benchmarks: PAE tables map kernel
 * virtual 0xC0000000.. to physical 0 (the first 2 MiB with 4 KiB pages, the rest with
 * 2 MiB pages, all global), the code runs on CPU 0 from {@link #CODE_VA} until hlt.
 * Hypercalls are counted and answered at once; any page fault stops the run.
 */
public class BareGuest implements GuestKernel {
    public static final long PDPT = 0x1000;
    public static final long PD = 0x2000;
    public static final long PT = 0x6000;
    public static final long CODE_PA = 0x100000;
    public static final long CODE_VA = 0xC0100000L;
    /** Data in 4 KiB pages (64 of them): physical 0x180000 (kernel virtual 0xC0180000). */
    public static final long PAGED_DATA_VA = 0xC0180000L;
    /** A data area in 2 MiB pages: physical 0x400000 (kernel virtual 0xC0400000). */
    public static final long DATA_VA = 0xC0400000L;

    private final byte[] code;
    private Machine machine;
    private PageFault fault;
    private boolean halted;
    private long hypercalls;

    public BareGuest(byte[] code) {
        this.code = code.clone();
    }

    @Override
    public void boot(Machine m) {
        this.machine = m;
        var mem = m.memory();
        for (int i = 0; i < 4; i++) {
            mem.writeLong(PDPT + 8L * i, (PD + 0x1000L * i) | 1);
        }
        long kernelPd = PD + 0x3000;
        mem.writeLong(kernelPd, PT | 0x63);
        long maxPde = Math.min(512, m.config().memoryBytes() >> 21);
        for (int i = 1; i < maxPde; i++) {
            mem.writeLong(kernelPd + 8L * i, ((long) i << 21) | 0x1e3);
        }
        for (int i = 0; i < 512; i++) {
            mem.writeLong(PT + 8L * i, ((long) i << 12) | 0x163);
        }
        mem.write(CODE_PA, code, 0, code.length);
        for (Cpu c : m.cpus()) {
            c.mmu().setEfer(1L << 11);
            c.mmu().writeCr4(0x20 | 0x80);
            c.loadCr3(PDPT);
            c.mmu().writeCr0(0x80050033L);
            c.setEip(CODE_VA);
        }
    }

    protected Machine machine() {
        return machine;
    }

    /** Makes the 4 KiB page at kernel virtual 0xC0000000 + pfn*4096 read-only. */
    public void makeReadOnly(int pfn) {
        machine.memory().writeLong(PT + 8L * pfn, ((long) pfn << 12) | 0x161);
    }

    public long hypercalls() {
        return hypercalls;
    }

    @Override
    public boolean hypercall(Cpu cpu, long argBlock) {
        hypercalls++;
        return false;
    }

    @Override
    public FaultAction pageFault(Cpu cpu, PageFault f) {
        if (fault == null) {
            fault = f;
        }
        return FaultAction.STOP;
    }

    @Override
    public void sliceEnded(Cpu cpu, EngineExit exit) {
        if (exit.reason() == EngineExit.Reason.HALT) {
            halted = true;
        }
    }

    @Override
    public boolean runnable(Cpu cpu) {
        return cpu.id() == 0 && !halted;
    }

    @Override
    public long nextEventCycle() {
        return -1;
    }

    @Override
    public void idleUntil(long cycle) {
        // nothing sleeps
    }

    @Override
    public StopReason outcome() {
        if (fault != null) {
            return new StopReason.Oops(fault.toString());
        }
        return halted ? new StopReason.GuestExited(0) : null;
    }
}
