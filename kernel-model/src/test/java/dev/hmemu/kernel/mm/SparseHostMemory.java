package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.SparseMemory;

/** Host memory for tests: a heap-backed {@link SparseMemory}. */
public final class SparseHostMemory implements HostMemory {
    private final SparseMemory mem;

    public SparseHostMemory(long size) {
        this.mem = new SparseMemory(size);
    }

    @Override
    public PhysicalMemory physical() {
        return mem;
    }

    @Override
    public long size() {
        return mem.size();
    }

    @Override
    public long hostAddress() {
        return 0;
    }

    @Override
    public void close() {
    }
}
