package dev.hmemu.emulator.engine;

/**
 * Which physical pages hold translated code of which CPU, shared by the engines of one
 * machine. A write to such a page by another CPU or by the host must first make those
 * CPUs forget their translated code, as x86 guarantees for cross-modifying code.
 */
public interface CodeMap {
    /** A machine whose engines keep no translated code (test engines). */
    CodeMap NONE = new CodeMap() {
        @Override
        public int owners(long physAddr) {
            return 0;
        }

        @Override
        public int invalidate(long physAddr, int cpuMask) {
            return 0;
        }
    };

    /** Bit n set: CPU n has translated code on the page holding {@code physAddr}. */
    int owners(long physAddr);

    /**
     * The CPUs in {@code cpuMask} that have code on the page holding {@code physAddr}
     * forget all their translated code before they run again (a running CPU stops at its
     * next block start for it).
     *
     * @return the CPUs that had code there
     */
    int invalidate(long physAddr, int cpuMask);

    /** The host writes {@code len} bytes at {@code physAddr}: every CPU's code there goes. */
    default void hostWrite(long physAddr, long len) {
        if (len <= 0) {
            return;
        }
        for (long p = physAddr & ~0xfffL; p < physAddr + len; p += 4096) {
            if (owners(p) != 0) {
                invalidate(p, -1);
            }
        }
    }
}
