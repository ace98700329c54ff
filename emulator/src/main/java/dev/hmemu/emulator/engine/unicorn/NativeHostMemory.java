package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.emulator.engine.EngineException;
import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.mmu.ByteBufferMemory;
import dev.hmemu.mmu.PhysicalMemory;
import java.nio.ByteBuffer;

/**
 * Guest physical memory in one anonymous, MAP_NORESERVE host mapping: the OS backs a
 * page only when it is first touched. Java sees it through direct ByteBuffers of
 * {@link #CHUNK} bytes each.
 */
public final class NativeHostMemory implements HostMemory {
    /** Size of each Java view (1 GiB). */
    public static final long CHUNK = 1L << 30;

    private final long address;
    private final long size;
    private final PhysicalMemory physical;
    private boolean closed;

    private NativeHostMemory(long address, long size) {
        this.address = address;
        this.size = size;
        int n = (int) ((size + CHUNK - 1) / CHUNK);
        ByteBuffer[] chunks = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            chunks[i] = HmLib.hm_view(address + i * CHUNK, CHUNK);
        }
        this.physical = new ByteBufferMemory(chunks);
    }

    /** Reserves {@code size} bytes (a multiple of 1 GiB, at most 64 GiB). */
    public static NativeHostMemory allocate(long size) {
        if (size < (16L << 20) || size % (1L << 20) != 0 || size > (64L << 30)) {
            throw new IllegalArgumentException(String.format(
                    "guest memory size %#x must be a multiple of 1 MiB from 16 MiB to 64 GiB", size));
        }
        UnicornEngine.ensureLoaded();
        long p = HmLib.hm_phys_alloc(reserved(size));
        if (p == 0) {
            throw new EngineException(String.format("cannot reserve %d MiB of host memory", size >> 20), -1);
        }
        return new NativeHostMemory(p, size);
    }

    private static long reserved(long size) {
        return (size + CHUNK - 1) / CHUNK * CHUNK;
    }

    @Override
    public PhysicalMemory physical() {
        return physical;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long hostAddress() {
        return address;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            HmLib.hm_phys_free(address, reserved(size));
        }
    }
}
