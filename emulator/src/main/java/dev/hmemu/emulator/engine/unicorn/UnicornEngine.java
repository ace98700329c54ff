package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.emulator.engine.CpuEngine;
import dev.hmemu.emulator.engine.EngineDebug;
import dev.hmemu.emulator.engine.X86Segment;
import dev.hmemu.emulator.engine.EngineCallbacks;
import dev.hmemu.emulator.engine.EngineException;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.emulator.engine.ParkState;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.mmu.AccessType;
import java.nio.ByteBuffer;

/**
 * {@link CpuEngine} over one Unicorn 2.1 engine in {@code UC_TLB_VIRTUAL} mode, with the
 * libhmemu C hooks. The helper holds the engine's upcalls (a JNI global reference) until
 * {@link #close}; an exception thrown by a callback is caught, the engine stopped, and the
 * exception rethrown from {@link #run}.
 */
public final class UnicornEngine implements CpuEngine {
    private static final AccessType[] ACCESS = {AccessType.READ, AccessType.WRITE, AccessType.FETCH};

    private final int id;
    private final EngineCallbacks callbacks;
    private final long uc;
    private final long hm;
    /** uc_reg_read's out-parameter. */
    private final long[] scratch = new long[1];
    /**
     * The helper's instruction count, stop reason and exit EIP, read in place: the scheduler
     * reads the count for every decision, the others after every slice.
     */
    private final ByteBuffer icount;
    private final ByteBuffer stopReason;
    private final ByteBuffer exitEip;
    private final ParkState park;
    private ParkState heapPark;
    private long icountAtClose;
    private RuntimeException callbackError;
    private NativeTlbMirror mirror;
    private boolean mirrorWanted = true;
    private boolean closed;
    private final EngineDebug debug = new Debug();

    private UnicornEngine(int id, EngineCallbacks callbacks, long shared) {
        this.id = id;
        this.callbacks = callbacks;
        if (HmLib.hm_park_size() != ParkState.BYTES) {
            throw new EngineException("libhmemu.so does not match this build (struct hm_park)", -1);
        }
        long[] out = new long[1];
        check(UcLib.uc_open(UcLib.UC_ARCH_X86, UcLib.UC_MODE_32, out), "uc_open");
        this.uc = out[0];
        this.hm = HmLib.hm_cpu_new(uc, id, new Upcalls(), shared);
        if (hm == 0) {
            UcLib.uc_close(uc);
            throw new EngineException("hm_cpu_new failed: Unicorn without UC_TLB_VIRTUAL support?", -1);
        }
        this.icount = HmLib.nativeView(HmLib.hm_cpu_icount_ptr(hm), Long.BYTES);
        this.stopReason = HmLib.nativeView(HmLib.hm_cpu_stop_ptr(hm), Integer.BYTES);
        this.exitEip = HmLib.nativeView(HmLib.hm_cpu_exit_eip_ptr(hm), Long.BYTES);
        this.park = ParkState.over(HmLib.nativeView(HmLib.hm_cpu_park_ptr(hm), ParkState.BYTES));
    }

    /**
     * Opens an engine for CPU {@code id}.
     *
     * @throws EngineUnavailableException when libunicorn 2.1 or libhmemu cannot be loaded
     */
    public static UnicornEngine open(int id, EngineCallbacks callbacks) {
        ensureLoaded();
        return new UnicornEngine(id, callbacks, 0);
    }

    /** Opens an engine for CPU {@code id} that keeps its code coherent through {@code codeMap}. */
    public static UnicornEngine open(int id, EngineCallbacks callbacks, NativeCodeMap codeMap) {
        ensureLoaded();
        return new UnicornEngine(id, callbacks, codeMap.handle());
    }

    /**
     * The same, without the native copy of the model's TLB: every engine fill then calls
     * into Java (what {@code hmemu bench} compares the mirror against).
     */
    public static UnicornEngine openWithoutTlbMirror(int id, EngineCallbacks callbacks, NativeCodeMap codeMap) {
        UnicornEngine e = open(id, callbacks, codeMap);
        e.mirrorWanted = false;
        return e;
    }

    /** Loads the native libraries, or says what to install. */
    public static void ensureLoaded() {
        try {
            UcLib.load();
            HmLib.load();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new EngineUnavailableException(
                    "Unicorn 2.1 (libunicorn2t64, libunicorn-dev) or libhmemu.so could not be loaded: "
                            + e.getMessage() + ". Run scripts/setup.sh, then build with mvn.", e);
        }
    }

    /** The hooks' calls into Java: each hands its event to the {@link EngineCallbacks}. */
    private final class Upcalls implements HmLib.Upcalls {
        @Override
        public long fill(int cpu, long vaddr, int type) {
            try {
                return callbacks.tlbFill(vaddr & 0xffffffffL, ACCESS[type]);
            } catch (Throwable e) { // whatever it is, the run ends with it, not the JVM
                recordCallbackError(e);
                return -2;
            }
        }

        @Override
        public int port(int cpu, int port, int value) {
            try {
                return callbacks.portWrite(port, value) ? 1 : 0;
            } catch (Throwable e) { // whatever it is, the run ends with it, not the JVM
                recordCallbackError(e);
                return -2;
            }
        }

        @Override
        public long insn(int cpu, int kind, long a0, long a1) {
            try {
                return callbacks.mmuInstruction(kind, a0, a1);
            } catch (Throwable e) { // whatever it is, the run ends with it, not the JVM
                recordCallbackError(e);
                return EngineCallbacks.INSN_ERROR;
            }
        }
    }

    private void recordCallbackError(Throwable e) {
        if (callbackError == null) {
            callbackError = e instanceof RuntimeException re ? re
                    : new EngineException("error in engine callback on CPU " + id + ": " + e, e);
        }
    }

    @Override
    public void mapPhysical(HostMemory memory) {
        check(UcLib.uc_mem_map_ptr(uc, 0, memory.size(), UcLib.UC_PROT_ALL, memory.hostAddress()),
                String.format("uc_mem_map_ptr(0, %#x)", memory.size()));
    }

    @Override
    public EngineExit run(long eip, long instructionLimit) {
        return exit(HmLib.hm_cpu_run(hm, eip & 0xffffffffL, instructionLimit));
    }

    private EngineExit exit(int startError) {
        int err = startError;
        while (err == 0 && callbackError == null && stopReason.getInt(0) == HmLib.HM_STOP_REALIGN) {
            err = HmLib.hm_cpu_resume(hm, exitEip.getLong(0) & 0xffffffffL); // see hmemu_native.c
        }
        int stop = stopReason.getInt(0);
        if (callbackError != null || stop == HmLib.HM_STOP_CALLBACK_ERROR) {
            RuntimeException e = callbackError != null ? callbackError
                    : new EngineException("engine callback failed on CPU " + id, -1);
            callbackError = null;
            throw e;
        }
        long at = exitEip.getLong(0) & 0xffffffffL;
        if (stop == HmLib.HM_STOP_ICOUNT_ERROR) {
            throw new EngineException(String.format(
                    "CPU %d: cannot read the instruction count of the block at %08x (uc_ctl_request_cache)", id, at), -1);
        }
        if (stop == HmLib.HM_STOP_HOOK_LIMIT) {
            throw new EngineException(String.format(
                    "CPU %d: more than 4096 MMU-instruction sites (invlpg, mov crN, rdtsc, ...) to watch", id), -1);
        }
        if (stop == HmLib.HM_STOP_FAULT) {
            HmLib.hm_cpu_fault_fixup(hm, at);
            return new EngineExit(EngineExit.Reason.PAGE_FAULT, at,
                    HmLib.hm_cpu_fault_vaddr(hm) & 0xffffffffL, ACCESS[HmLib.hm_cpu_fault_type(hm)]);
        }
        if (stop == HmLib.HM_STOP_DEBUG && err == 0) {
            return new EngineExit(EngineExit.Reason.DEBUG, at, 0, null);
        }
        if (err != 0) {
            throw new EngineException(String.format("uc_emu_start on CPU %d at eip %08x: %s (%d)",
                    id, at, UcLib.uc_strerror(err), err), err);
        }
        EngineExit.Reason reason = switch (stop) {
            case HmLib.HM_STOP_BUDGET -> EngineExit.Reason.BUDGET;
            case HmLib.HM_STOP_HCALL -> EngineExit.Reason.PORT_STOP;
            default -> EngineExit.Reason.HALT;
        };
        return new EngineExit(reason, at, 0, null);
    }

    @Override
    public EngineDebug debug() {
        return debug;
    }

    @Override
    public long instructions() {
        return closed ? icountAtClose : icount.getLong(0);
    }

    @Override
    public int readReg(X86Reg reg) {
        long v = HmLib.hm_reg_read32(uc, reg.unicornId());
        if (v < 0) {
            check((int) -v, "uc_reg_read " + reg);
        }
        return (int) v;
    }

    @Override
    public void writeReg(X86Reg reg, int value) {
        check(UcLib.uc_reg_write(uc, reg.unicornId(), value & 0xffffffffL), "uc_reg_write " + reg);
    }

    @Override
    public void flushTlb() {
        check(HmLib.hm_flush_tlb(hm), "uc_ctl_flush_tlb");
    }

    @Override
    public void flushTranslations() {
        check(HmLib.hm_flush_tb(hm), "uc_ctl_flush_tb");
    }

    @Override
    public dev.hmemu.mmu.TlbMirror tlbMirror(dev.hmemu.mmu.TlbConfig tlb, long physicalSize) {
        if (mirror == null && mirrorWanted) {
            mirror = NativeTlbMirror.create(hm, tlb, physicalSize);
        }
        return mirror;
    }

    @Override
    public void tlbMirrorStale(boolean stale) {
        if (mirror != null) {
            mirror.setStale(stale);
        }
    }

    /**
     * Every hypercall then reaches Java, including those the kernel parks (what tests and
     * benchmarks compare engine parking against). Call it before the CPU asks for
     * {@link #parkState}.
     */
    public void disableParking() {
        heapPark = ParkState.onHeap();
    }

    @Override
    public ParkState parkState() {
        return heapPark != null ? heapPark : park;
    }

    @Override
    public long mirroredTlbHits() {
        return mirror == null ? 0 : HmLib.hm_cpu_mtlb_hits(hm);
    }

    @Override
    public void close() {
        if (!closed) {
            icountAtClose = icount.getLong(0);
            park.detach();
            closed = true;
            HmLib.hm_cpu_free(hm);
            UcLib.uc_close(uc);
        }
    }

    private void check(int err, String what) {
        if (err != 0) {
            throw new EngineException(String.format("%s failed on CPU %d: %s (%d)", what, id,
                    UcLib.uc_strerror(err), err), err);
        }
    }

    /** The debug hooks of libhmemu (hm_debug_*). */
    private final class Debug implements EngineDebug {
        private final EngineDebug.Why[] whys = {null, Why.BREAKPOINT, Why.STEP, Why.WATCH};

        @Override
        public void enable() {
            check(HmLib.hm_debug_enable(hm), "hm_debug_enable");
        }

        @Override
        public EngineExit resume(long eip) {
            return exit(HmLib.hm_cpu_resume(hm, eip & 0xffffffffL));
        }

        @Override
        public void setBreakpoints(long[] addresses) {
            if (HmLib.hm_debug_set_breaks(hm, addresses, addresses.length) != 0) {
                throw new IllegalArgumentException("too many breakpoints: " + addresses.length);
            }
        }

        @Override
        public void setWatches(long[] lo, long[] hi, int[] kinds) {
            if (hi.length != lo.length || kinds.length != lo.length) {
                throw new IllegalArgumentException(String.format("watchpoint arrays of different lengths: %d, %d, %d",
                        lo.length, hi.length, kinds.length));
            }
            if (HmLib.hm_debug_set_watches(hm, lo, hi, kinds, lo.length) != 0) {
                throw new IllegalArgumentException("too many watchpoints: " + lo.length);
            }
        }

        @Override
        public void setStep(boolean on) {
            HmLib.hm_debug_set_step(hm, on ? 1 : 0);
        }

        @Override
        public long executedInstructions() {
            return HmLib.hm_debug_executed(hm);
        }

        @Override
        public void stopBeforeNext(boolean on) {
            HmLib.hm_debug_stop_next(hm, on ? 1 : 0);
        }

        @Override
        public void skipBreakpointOnce(long pc) {
            HmLib.hm_debug_skip_once(hm, pc & 0xffffffffL);
        }

        @Override
        public Why why() {
            return whys[HmLib.hm_debug_why(hm)];
        }

        @Override
        public Why takePending() {
            return whys[HmLib.hm_debug_take_pending(hm)];
        }

        @Override
        public long watchAddress() {
            return HmLib.hm_debug_watch_addr(hm) & 0xffffffffL;
        }

        @Override
        public int watchKind() {
            return HmLib.hm_debug_watch_kind(hm);
        }

        @Override
        public int readSegment(X86Segment segment) {
            check(UcLib.uc_reg_read(uc, segment.unicornId(), scratch), "uc_reg_read " + segment);
            return (int) scratch[0];
        }
    }
}
