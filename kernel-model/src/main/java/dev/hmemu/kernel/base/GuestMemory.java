package dev.hmemu.kernel.base;

import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.WalkResult;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Kernel-virtual access to guest memory for the model (argument blocks, strings, struct
 * fields). Direct-map addresses are translated arithmetically; anything else through a
 * side-effect-free walk of the kernel page tables (no TLB fill, no A/D bits).
 */
public final class GuestMemory {
    public static final long PAGE_OFFSET = 0xC0000000L;

    private final PhysicalMemory phys;
    private final Supplier<Mmu> walker;
    private long highMemory = PAGE_OFFSET; // end of the direct map; set at boot

    public GuestMemory(PhysicalMemory phys, Supplier<Mmu> walker) {
        this.phys = phys;
        this.walker = walker;
    }

    public PhysicalMemory physical() {
        return phys;
    }

    /** high_memory, the end of the lowmem direct map. */
    public long highMemory() {
        return highMemory;
    }

    /** Sets high_memory, the end of the lowmem direct map. */
    public void setHighMemory(long highMemory) {
        this.highMemory = highMemory;
    }

    /** Physical address of kernel virtual {@code va}, or throws for an unmapped one. */
    public long toPhysical(long va) {
        va &= 0xffffffffL;
        if (va >= PAGE_OFFSET && va < highMemory) {
            return va - PAGE_OFFSET;
        }
        WalkResult r = walker.get().debugTranslate(va);
        if (r instanceof WalkResult.Mapped m) {
            if (m.physical() >= phys.size()) {
                throw new GuestAccessException(va, "guest pointer maps outside memory");
            }
            return m.physical();
        }
        throw new GuestAccessException(va, "unmapped guest pointer");
    }

    public int readU8(long va) {
        return phys.readByte(toPhysical(va));
    }

    public long readU32(long va) {
        if ((va & 0xfff) <= 0xffc) {
            return phys.readInt(toPhysical(va)) & 0xffffffffL;
        }
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | readU8(va + i);
        }
        return v;
    }

    public void writeU8(long va, int v) {
        phys.writeByte(toPhysical(va), v);
    }

    public void writeU32(long va, long v) {
        if ((va & 0xfff) <= 0xffc) {
            phys.writeInt(toPhysical(va), (int) v);
            return;
        }
        for (int i = 0; i < 4; i++) {
            writeU8(va + i, (int) (v >>> (8 * i)) & 0xff);
        }
    }

    public byte[] read(long va, int len) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long cur = va + done;
            int n = (int) Math.min(len - done, 4096 - (cur & 0xfff));
            phys.read(toPhysical(cur), out, done, n);
            done += n;
        }
        return out;
    }

    public void write(long va, byte[] src) {
        int done = 0;
        while (done < src.length) {
            long cur = va + done;
            int n = (int) Math.min(src.length - done, 4096 - (cur & 0xfff));
            phys.write(toPhysical(cur), src, done, n);
            done += n;
        }
    }

    /** A NUL-terminated string of at most {@code max} bytes; null for a NULL pointer. */
    public String readCString(long va, int max) {
        if (va == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < max; i++) {
            int c = readU8(va + i);
            if (c == 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** Exactly {@code len} bytes as text (printk buffers are not NUL-terminated). */
    public String readString(long va, int len) {
        return new String(read(va, len), StandardCharsets.ISO_8859_1);
    }
}
