package dev.hmemu.emulator.engine.unicorn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The JNI binding of libhmemu.so (emulator/src/main/c/hmemu_native.c, bound in
 * hmemu_jni.c): the C hooks that count instructions per block and forward only fills,
 * port writes and MMU instructions to Java. Pointers are passed as {@code long}.
 */
final class HmLib {
    static final int HM_STOP_NONE = 0;
    static final int HM_STOP_BUDGET = 1;
    static final int HM_STOP_HCALL = 2;
    static final int HM_STOP_FAULT = 3;
    static final int HM_STOP_CALLBACK_ERROR = 4;
    static final int HM_STOP_ICOUNT_ERROR = 5;
    static final int HM_STOP_HOOK_LIMIT = 6;
    static final int HM_STOP_DEBUG = 7;
    static final int HM_STOP_REALIGN = 8;

    private HmLib() {
    }

    static {
        NativeLibrary.load();
    }

    static void load() {
        // class initialisation does the work
    }

    /**
     * What the hooks call in Java, on the thread of the native call in progress
     * ({@link #hm_cpu_run}, {@link #hm_cpu_resume}, or {@link #hm_cpu_fault_fixup}, which may
     * translate code). hmemu_jni.c looks these methods up by name and signature. An
     * exception should not escape them: one that does is thrown from that native call when
     * it returns, after the engine stopped.
     */
    interface Upcalls {
        /** A TLB fill: paddr|perms, -1 fault, -2 error. */
        long fill(int cpu, long vaddr, int type);

        /** A write to the hypercall port: 0 go on, 1 stop, -2 error. */
        int port(int cpu, int port, int value);

        /** An MMU instruction or a code translation request (HM_INSN_* in the C helper). */
        long insn(int cpu, int kind, long a0, long a1);
    }

    static native long hm_cpu_new(long uc, int id, Upcalls upcalls, long shared);

    /**
     * A direct buffer over {@code bytes} bytes of native memory at {@code address} (no copy).
     *
     * @throws IllegalArgumentException for address 0 or a size outside 0..2^31-1
     */
    static native ByteBuffer hm_view(long address, long bytes);

    /** {@link #hm_view} in the host's byte order: how Java reads the helper's own structs. */
    static ByteBuffer nativeView(long address, long bytes) {
        return hm_view(address, bytes).order(ByteOrder.nativeOrder());
    }

    static native void hm_cpu_free(long cpu);

    static native int hm_cpu_run(long cpu, long eip, long budget);

    static native long hm_cpu_icount_ptr(long cpu);

    static native long hm_cpu_stop_ptr(long cpu);

    static native long hm_cpu_exit_eip_ptr(long cpu);

    static native long hm_cpu_park_ptr(long cpu);

    /** A register of at most 32 bits: its value, or -(uc_err). */
    static native long hm_reg_read32(long uc, int regid);

    static native int hm_park_size();

    static native long hm_cpu_fault_vaddr(long cpu);

    static native int hm_cpu_fault_type(long cpu);

    static native int hm_cpu_fault_fixup(long cpu, long eip);

    static native int hm_flush_tlb(long cpu);

    static native int hm_flush_tb(long cpu);

    static native long hm_shared_new(long phys, long pages);

    static native void hm_shared_free(long shared);

    static native long hm_shared_code_map(long shared);

    static native int hm_shared_invalidate(long shared, long page, int mask);

    static native long hm_phys_alloc(long size);

    static native int hm_phys_free(long ptr, long size);

    static native long hm_phys_clear(long ptr, long size);

    static native long hm_cpu_mtlb(long cpu, int ways0, int sets0, int ways1, int sets1, long physSize);

    static native long hm_cpu_mtlb_hits(long cpu);

    static native int hm_mtlb_slot_offset();
    // ---- debugger support ----

    static native int hm_debug_enable(long cpu);

    static native int hm_cpu_resume(long cpu, long eip);

    static native int hm_debug_set_breaks(long cpu, long[] addrs, int n);

    static native int hm_debug_set_watches(long cpu, long[] lo, long[] hi, int[] kind, int n);

    static native void hm_debug_set_step(long cpu, int on);

    static native void hm_debug_skip_once(long cpu, long pc);

    static native int hm_debug_why(long cpu);

    static native int hm_debug_take_pending(long cpu);

    static native long hm_debug_watch_addr(long cpu);

    static native int hm_debug_watch_kind(long cpu);

    static native void hm_debug_stop_next(long cpu, int on);

    static native long hm_debug_executed(long cpu);
}
