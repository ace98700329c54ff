package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.emulator.engine.EngineException;

/**
 * Unicorn as it comes: flat memory, no paging, no hooks. The benchmark's baseline for
 * what hmemu's MMU and exact counting cost.
 */
public final class PlainUnicorn {
    private PlainUnicorn() {
    }

    /**
     * Runs {@code code} loaded at {@code address} (in a 64 MiB flat memory at 0) until hlt.
     *
     * @return host nanoseconds spent in uc_emu_start
     */
    public static long timeRun(byte[] code, long address) {
        UnicornEngine.ensureLoaded();
        long[] out = new long[1];
        check(UcLib.uc_open(UcLib.UC_ARCH_X86, UcLib.UC_MODE_32, out), "uc_open");
        long uc = out[0];
        try {
            check(UcLib.uc_mem_map(uc, 0, 64L << 20, UcLib.UC_PROT_ALL), "uc_mem_map");
            check(UcLib.uc_mem_write(uc, address, code), "uc_mem_write");
            long t0 = System.nanoTime();
            check(UcLib.uc_emu_start(uc, address, 0, 0, 0), "uc_emu_start");
            return System.nanoTime() - t0;
        } finally {
            UcLib.uc_close(uc);
        }
    }

    private static void check(int err, String what) {
        if (err != 0) {
            throw new EngineException(what + ": " + UcLib.uc_strerror(err), err);
        }
    }
}
