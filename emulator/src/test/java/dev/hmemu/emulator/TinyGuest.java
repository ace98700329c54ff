package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.EngineExit;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal {@link GuestKernel} for engine tests: PAE tables mapping 0xC0000000.. to
 * physical 0 with 2 MiB pages (the first 2 MiB with 4 KiB pages so tests can change
 * single PTEs), code placed at physical 0x100000, run on CPU 0 until hlt.
 */
class TinyGuest implements GuestKernel {
    static final long PDPT = 0x1000;
    static final long PD = 0x2000;
    static final long PT = 0x3000;
    static final long CODE_PA = 0x100000;
    static final long CODE_VA = 0xC0100000L;

    private final byte[] code;
    final List<PageFault> faults = new ArrayList<>();
    final List<Long> hypercalls = new ArrayList<>();
    boolean halted;
    int slices;
    Machine machine;

    TinyGuest(byte[] code) {
        this.code = code;
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
        for (int i = 1; i < 64; i++) {
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

    /** Makes the 4 KiB page at kernel virtual 0xC0000000 + pfn*4096 read-only. */
    void makeReadOnly(int pfn) {
        machine.memory().writeLong(PT + 8L * pfn, ((long) pfn << 12) | 0x161);
    }

    @Override
    public boolean hypercall(Cpu cpu, long argBlock) {
        hypercalls.add(argBlock);
        return false;
    }

    @Override
    public FaultAction pageFault(Cpu cpu, PageFault fault) {
        faults.add(fault);
        return FaultAction.STOP;
    }

    @Override
    public void sliceEnded(Cpu cpu, EngineExit exit) {
        slices++;
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
    }

    @Override
    public StopReason outcome() {
        if (!faults.isEmpty()) {
            return new StopReason.Oops(faults.get(0).toString());
        }
        return halted ? new StopReason.GuestExited(0) : null;
    }
}
