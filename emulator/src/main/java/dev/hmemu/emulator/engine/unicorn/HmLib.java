package dev.hmemu.emulator.engine.unicorn;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Direct JNA mapping of libhmemu.so (emulator/src/main/c/hmemu_native.c), the C hooks
 * that count instructions per block and forward only fills and port writes to Java.
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
        JnaSearchPath.setDefault();
        Native.register(HmLib.class, NativeLibrary.getInstance("hmemu"));
    }

    static void load() {
        // class initialisation does the work
    }

    /** int64_t (*)(int32_t cpu, int64_t vaddr, int32_t type): paddr|perms, -1 fault, -2 error. */
    interface FillCallback extends Callback {
        long invoke(int cpu, long vaddr, int type);
    }

    /** int32_t (*)(int32_t cpu, int32_t port, int32_t value): 0 go on, 1 stop, -2 error. */
    interface PortCallback extends Callback {
        int invoke(int cpu, int port, int value);
    }

    /** int64_t (*)(int32_t cpu, int32_t kind, int64_t a0, int64_t a1): an MMU instruction. */
    interface InsnCallback extends Callback {
        long invoke(int cpu, int kind, long a0, long a1);
    }

    static native long hm_cpu_new(long uc, int id, FillCallback fill, PortCallback port, InsnCallback insn,
            long shared);

    static native void hm_cpu_free(long cpu);

    static native int hm_cpu_run(long cpu, long eip, long budget);

    static native long hm_cpu_icount_ptr(long cpu);

    static native long hm_cpu_stop_ptr(long cpu);

    static native long hm_cpu_exit_eip_ptr(long cpu);

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
