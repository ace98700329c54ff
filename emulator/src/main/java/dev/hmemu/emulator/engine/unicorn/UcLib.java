package dev.hmemu.emulator.engine.unicorn;

/**
 * The libunicorn 2.1 functions hmemu calls from Java, named as in unicorn.h and bound by
 * JNI in libhmemu (hmemu_jni.c). Pointers are passed as {@code long}; an out-parameter is a
 * one-element array. Variadic functions (uc_hook_add, uc_ctl) are not here: the C helper
 * calls them itself.
 */
final class UcLib {
    static final int UC_ARCH_X86 = 4;
    static final int UC_MODE_32 = 1 << 2;
    static final int UC_PROT_ALL = 7;
    static final int UC_ERR_EXCEPTION = 21;

    private UcLib() {
    }

    static void load() {
        // class initialisation does the work
    }

    static {
        NativeLibrary.load();
    }

    static native int uc_open(int arch, int mode, long[] uc);

    static native int uc_close(long uc);

    /** Reads a register of up to 64 bits into {@code value[0]}. */
    static native int uc_reg_read(long uc, int regid, long[] value);

    static native int uc_reg_write(long uc, int regid, long value);

    static native int uc_mem_map_ptr(long uc, long address, long size, int perms, long ptr);

    static native int uc_emu_stop(long uc);

    static native int uc_emu_start(long uc, long begin, long until, long timeout, long count);

    static native int uc_mem_map(long uc, long address, long size, int perms);

    static native int uc_mem_write(long uc, long address, byte[] bytes);

    static native String uc_strerror(int code);

}
