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
 *
 * <p>A closed machine's mapping is kept for the next machine of the same size in this
 * process (at most {@link #MAX_IDLE} mappings wait): {@code hmemu test} and the bench
 * run many machines one after another, and memory the host already backs is cheaper to
 * clear than fresh memory is to fault in. Before reuse every page the host may have
 * written is cleared ({@code hm_phys_clear}), so a machine always starts on zeros.
 */
public final class NativeHostMemory implements HostMemory {
    /** Size of each Java view (1 GiB). */
    public static final long CHUNK = 1L << 30;
    /** Closed mappings kept for reuse. */
    static final int MAX_IDLE = 2;

    /** Closed mappings waiting for reuse: {address, reserved bytes}. */
    private static final java.util.ArrayDeque<long[]> IDLE = new java.util.ArrayDeque<>();

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
        long p = reuse(reserved(size));
        if (p == 0) {
            p = HmLib.hm_phys_alloc(reserved(size));
        }
        if (p == 0) {
            throw new EngineException(String.format("cannot reserve %d MiB of host memory", size >> 20), -1);
        }
        return new NativeHostMemory(p, size);
    }

    /** A kept mapping of {@code bytes}, cleared, or 0. */
    private static long reuse(long bytes) {
        long[] found = null;
        synchronized (IDLE) {
            for (long[] m : IDLE) {
                if (m[1] == bytes) {
                    found = m;
                    break;
                }
            }
            if (found != null) {
                IDLE.remove(found);
            }
        }
        if (found == null) {
            return 0;
        }
        // A machine always writes memory (boot data at least): if pagemap shows no page of a
        // used mapping, it does not report them here, and which pages hold data is unknown.
        if (HmLib.hm_phys_clear(found[0], bytes) <= 0) {
            HmLib.hm_phys_free(found[0], bytes);
            return 0;
        }
        return found[0];
    }

    /** Mappings kept for reuse now (tests). */
    static int idle() {
        synchronized (IDLE) {
            return IDLE.size();
        }
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
            long[] dropped = {address, reserved(size)};
            synchronized (IDLE) {
                IDLE.addFirst(dropped);
                if (IDLE.size() > MAX_IDLE) {
                    dropped = IDLE.removeLast(); // the oldest goes
                } else {
                    dropped = null;
                }
            }
            if (dropped != null) {
                HmLib.hm_phys_free(dropped[0], dropped[1]);
            }
        }
    }
}
