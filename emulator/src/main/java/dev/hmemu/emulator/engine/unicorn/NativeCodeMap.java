package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.emulator.engine.CodeMap;
import dev.hmemu.emulator.engine.EngineException;
import dev.hmemu.emulator.engine.HostMemory;
import java.nio.ByteBuffer;

/**
 * The code-page map of libhmemu (hm_shared): one 16-bit CPU mask per physical page, set by
 * the C block hook when a CPU first runs a block there and read here directly through a
 * direct buffer (no native call per fill).
 */
public final class NativeCodeMap implements CodeMap, AutoCloseable {
    private final long shared;
    private final long pages;
    private final ByteBuffer map;
    private boolean closed;

    private NativeCodeMap(long shared, long pages) {
        this.shared = shared;
        this.pages = pages;
        this.map = HmLib.nativeView(HmLib.hm_shared_code_map(shared), pages * 2);
    }

    /** The map for a machine over {@code memory}. */
    public static NativeCodeMap create(HostMemory memory) {
        UnicornEngine.ensureLoaded();
        long pages = memory.size() >>> 12;
        long sh = HmLib.hm_shared_new(memory.hostAddress(), pages);
        if (sh == 0) {
            throw new EngineException(String.format("cannot allocate the code-page map for %d pages", pages), -1);
        }
        return new NativeCodeMap(sh, pages);
    }

    long handle() {
        return shared;
    }

    @Override
    public int owners(long physAddr) {
        long page = physAddr >>> 12;
        return page < pages ? map.getShort((int) (page * 2)) & 0xffff : 0;
    }

    @Override
    public int invalidate(long physAddr, int cpuMask) {
        return HmLib.hm_shared_invalidate(shared, physAddr >>> 12, cpuMask);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            HmLib.hm_shared_free(shared);
        }
    }
}
