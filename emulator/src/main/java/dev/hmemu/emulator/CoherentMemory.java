package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.CodeMap;
import dev.hmemu.mmu.PhysicalMemory;

/**
 * Physical memory as the host writes it on the guest's behalf (copy_to_user, the loader,
 * the kernel model): a write to a page that holds translated code of any CPU makes those
 * CPUs drop their translations first. Reads and writes to other pages cost one look-up.
 */
final class CoherentMemory implements PhysicalMemory {
    private final PhysicalMemory mem;
    private final CodeMap code;

    CoherentMemory(PhysicalMemory mem, CodeMap code) {
        this.mem = mem;
        this.code = code;
    }

    @Override
    public long size() {
        return mem.size();
    }

    @Override
    public int readByte(long pa) {
        return mem.readByte(pa);
    }

    @Override
    public int readInt(long pa) {
        return mem.readInt(pa);
    }

    @Override
    public long readLong(long pa) {
        return mem.readLong(pa);
    }

    @Override
    public void writeByte(long pa, int v) {
        mem.writeByte(pa, v);
        code.hostWrite(pa, 1);
    }

    @Override
    public void writeInt(long pa, int v) {
        mem.writeInt(pa, v);
        code.hostWrite(pa, 4);
    }

    @Override
    public void writeLong(long pa, long v) {
        mem.writeLong(pa, v);
        code.hostWrite(pa, 8);
    }

    @Override
    public void read(long pa, byte[] dst, int off, int len) {
        mem.read(pa, dst, off, len);
    }

    @Override
    public void write(long pa, byte[] src, int off, int len) {
        mem.write(pa, src, off, len);
        code.hostWrite(pa, len);
    }

    @Override
    public void fill(long pa, long len, byte value) {
        mem.fill(pa, len, value);
        code.hostWrite(pa, len);
    }
}
