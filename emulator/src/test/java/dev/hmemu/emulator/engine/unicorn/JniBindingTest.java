package dev.hmemu.emulator.engine.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JNI binding itself (hmemu_jni.c), on a real engine: what an upcall gets and what escapes it. */
class JniBindingTest {
    private static final long MEM = 16L << 20;
    private static final long CODE = 0x1000;
    /** mov eax, 0x1234; out 0xe9, eax; hlt */
    private static final byte[] HYPERCALL_THEN_HLT = {(byte) 0xb8, 0x34, 0x12, 0, 0, (byte) 0xe7, (byte) 0xe9,
        (byte) 0xf4};

    /** One engine over 16 MiB of guest memory holding {@code code} at {@link #CODE}. */
    private record Rig(long uc, long hm, long phys) implements AutoCloseable {
        static Rig open(int id, HmLib.Upcalls upcalls, byte[] code) {
            UnicornEngine.ensureLoaded();
            long[] out = new long[1];
            assertEquals(0, UcLib.uc_open(UcLib.UC_ARCH_X86, UcLib.UC_MODE_32, out));
            long phys = HmLib.hm_phys_alloc(MEM);
            assertNotEquals(0, phys);
            assertEquals(0, UcLib.uc_mem_map_ptr(out[0], 0, MEM, UcLib.UC_PROT_ALL, phys));
            ByteBuffer mem = HmLib.hm_view(phys, MEM).order(ByteOrder.LITTLE_ENDIAN);
            mem.put((int) CODE, code);
            long hm = HmLib.hm_cpu_new(out[0], id, upcalls, 0);
            assertNotEquals(0, hm);
            return new Rig(out[0], hm, phys);
        }

        long icount() {
            return HmLib.nativeView(HmLib.hm_cpu_icount_ptr(hm), Long.BYTES).getLong(0);
        }

        @Override
        public void close() {
            HmLib.hm_cpu_free(hm);
            UcLib.uc_close(uc);
            HmLib.hm_phys_free(phys, MEM);
        }
    }

    /** Identity paging, every access allowed; records what it was called with. */
    private static class Recording implements HmLib.Upcalls {
        final List<String> calls = new ArrayList<>();

        @Override
        public long fill(int cpu, long vaddr, int type) {
            calls.add("fill cpu" + cpu + " " + Long.toHexString(vaddr & ~0xfffL) + " type" + type);
            return (vaddr & ~0xfffL) | 7;
        }

        @Override
        public int port(int cpu, int port, int value) {
            calls.add("port cpu" + cpu + " " + Integer.toHexString(port) + " " + Integer.toHexString(value));
            return 0;
        }

        @Override
        public long insn(int cpu, int kind, long a0, long a1) {
            calls.add("insn cpu" + cpu + " " + kind);
            return -3; // let the engine execute it
        }
    }

    @Test
    void upcallsGetTheCpuTheAddressTheAccessAndThePortWrite() {
        Recording up = new Recording();
        try (Rig r = Rig.open(3, up, HYPERCALL_THEN_HLT)) {
            assertEquals(0, HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
            assertEquals(List.of("fill cpu3 1000 type2", "port cpu3 e9 1234"), up.calls);
            assertEquals(3, r.icount(), "mov, out, hlt");
        }
    }

    @Test
    void anExceptionEscapingAnUpcallIsThrownWhenTheRunReturns() {
        IllegalStateException thrown = new IllegalStateException("escaped from the port upcall");
        Recording up = new Recording() {
            @Override
            public int port(int cpu, int port, int value) {
                super.port(cpu, port, value);
                throw thrown;
            }
        };
        try (Rig r = Rig.open(0, up, HYPERCALL_THEN_HLT)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
            assertSame(thrown, e);
            int stop = HmLib.nativeView(HmLib.hm_cpu_stop_ptr(r.hm()), Integer.BYTES).getInt(0);
            assertEquals(HmLib.HM_STOP_CALLBACK_ERROR, stop, "the engine stopped at the failed upcall");
            // the exception was taken: the same engine runs again, and throws only if thrown again
            up.calls.clear();
            assertThrows(IllegalStateException.class, () -> HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
        }
        // and a fresh engine on the same thread is unaffected
        Recording fresh = new Recording();
        try (Rig r = Rig.open(0, fresh, HYPERCALL_THEN_HLT)) {
            assertEquals(0, HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
            assertEquals(2, fresh.calls.size(), fresh.calls.toString());
        }
    }

    @Test
    void anEscapedFillErrorStopsTheEngineBeforeTheInstruction() {
        Error thrown = new AssertionError("escaped from the fill upcall");
        Recording up = new Recording() {
            @Override
            public long fill(int cpu, long vaddr, int type) {
                throw thrown;
            }
        };
        try (Rig r = Rig.open(1, up, HYPERCALL_THEN_HLT)) {
            Error e = assertThrows(AssertionError.class, () -> HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
            assertSame(thrown, e);
            assertEquals(0, r.icount(), "nothing ran");
        }
    }

    @Test
    void aViewOfNoMemoryOrOfMoreThanABufferHoldsIsRefused() {
        UnicornEngine.ensureLoaded();
        assertThrows(IllegalArgumentException.class, () -> HmLib.hm_view(0, 16));
        long phys = HmLib.hm_phys_alloc(MEM);
        try {
            assertThrows(IllegalArgumentException.class, () -> HmLib.hm_view(phys, 1L << 31));
            assertThrows(IllegalArgumentException.class, () -> HmLib.hm_view(phys, -1));
            assertEquals(MEM, HmLib.hm_view(phys, MEM).capacity());
        } finally {
            HmLib.hm_phys_free(phys, MEM);
        }
    }

    @Test
    void registersAndErrorTextsCrossBothWays() {
        try (Rig r = Rig.open(0, new Recording(), HYPERCALL_THEN_HLT)) {
            int eax = dev.hmemu.emulator.engine.X86Reg.EAX.unicornId();
            assertEquals(0, UcLib.uc_reg_write(r.uc(), eax, 0xdeadbeefL));
            long[] v = new long[1];
            assertEquals(0, UcLib.uc_reg_read(r.uc(), eax, v));
            assertEquals(0xdeadbeefL, v[0]);
            assertEquals(0, HmLib.hm_cpu_run(r.hm(), CODE, Long.MAX_VALUE));
            assertEquals(0, UcLib.uc_reg_read(r.uc(), eax, v));
            assertEquals(0x1234, v[0]);
        }
        assertEquals("OK (UC_ERR_OK)", UcLib.uc_strerror(0));
    }
}
