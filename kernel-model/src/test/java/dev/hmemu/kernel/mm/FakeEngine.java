package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.engine.CpuEngine;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.emulator.engine.X86Reg;

/** A CPU engine that runs no guest code: registers are plain storage, TLB flushes are counted. */
public final class FakeEngine implements CpuEngine {
    private final int[] regs = new int[X86Reg.values().length];
    public int tlbFlushes;

    @Override
    public void mapPhysical(HostMemory memory) {
    }

    @Override
    public EngineExit run(long eip, long instructionLimit) {
        throw new UnsupportedOperationException("FakeEngine runs no guest code");
    }

    @Override
    public long instructions() {
        return 0;
    }

    @Override
    public int readReg(X86Reg reg) {
        return regs[reg.ordinal()];
    }

    @Override
    public void writeReg(X86Reg reg, int value) {
        regs[reg.ordinal()] = value;
    }

    @Override
    public void flushTlb() {
        tlbFlushes++;
    }

    @Override
    public void flushTranslations() {
    }

    @Override
    public void close() {
    }
}
