package dev.hmemu.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.hmemu.emulator.bench.BareGuest;
import dev.hmemu.emulator.debug.DebugController;
import dev.hmemu.emulator.debug.KernelDebugViews;
import dev.hmemu.emulator.debug.StopEvent;
import dev.hmemu.emulator.debug.WatchKind;
import dev.hmemu.emulator.engine.X86Reg;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Debugger stops are pauses: exact counts at every stop, identical totals at the end. */
@Timeout(60)
class DebugPauseTest {
    private static final long LOOP = BareGuest.CODE_VA + 5;
    private static final long DEC = BareGuest.CODE_VA + 11;

    /** mov ecx,n; loop: mov [DATA_VA],ecx; dec ecx; jnz loop; hlt. */
    private static byte[] storeLoop(int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xb9);
        le(b, n);
        b.write(0x89);
        b.write(0x0d);
        le(b, (int) BareGuest.DATA_VA);
        b.write(0x49);
        b.write(0x75);
        b.write(0xf7);
        b.write(0xf4);
        return b.toByteArray();
    }

    private static void le(ByteArrayOutputStream b, int v) {
        for (int i = 0; i < 4; i++) {
            b.write((v >>> (8 * i)) & 0xff);
        }
    }

    private static MachineConfig config(int cpus, long quantum) {
        return MachineConfig.defaults().withCpus(cpus).withMemory(64L << 20).withQuantum(quantum);
    }

    private record Counts(long instructions, long cycles, String tlb, int slices, int eax, int edx) {
    }

    private static Counts counts(Machine m, TinyGuest g) {
        var t = m.cpu(0).tlbStats();
        return new Counts(m.cpu(0).instructions(), m.cpu(0).cycles(),
                List.of(t.misses(), t.walks(), t.evictions(), t.fullFlushes()).toString(), g.slices,
                m.cpu(0).reg(X86Reg.EAX), m.cpu(0).reg(X86Reg.EDX));
    }

    /** mov ecx,n; loop: rdtsc; add edx,eax; dec ecx; jnz loop; hlt: rdtsc is emulated by the MMU-instruction hook. */
    private static byte[] rdtscLoop(int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xb9);
        le(b, n);
        b.write(0x0f); // rdtsc
        b.write(0x31);
        b.write(0x01); // add edx, eax
        b.write(0xc2);
        b.write(0x49);
        b.write(0x75);
        b.write(0xf9); // jnz -7
        b.write(0xf4);
        return b.toByteArray();
    }

    @Test
    void pausesAroundAnEmulatedMmuInstructionChangeNoCount() throws Exception {
        int n = 2000;
        Counts plain;
        try (Machine m = Machine.create(config(1, 53))) {
            TinyGuest g = new TinyGuest(rdtscLoop(n));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            plain = counts(m, g);
        }
        try (Machine m = Machine.create(config(1, 53))) {
            TinyGuest g = new TinyGuest(rdtscLoop(n));
            DebugController dc = new DebugController(true, KernelDebugViews.NONE);
            LinkedBlockingQueue<StopEvent> stops = new LinkedBlockingQueue<>();
            dc.setStopListener(stops::add);
            Thread machine = new Thread(() -> m.run(g, RunLimits.defaults(), dc));
            machine.start();
            assertInstanceOf(StopEvent.Started.class, next(stops));
            long add = BareGuest.CODE_VA + 7;
            dc.call(v -> v.insertBreakpoint(add)).get();
            for (int i = 1; i <= 30; i++) {
                dc.resume(-1);
                assertEquals(add, assertInstanceOf(StopEvent.Breakpoint.class, next(stops)).pc());
                long executed = dc.call(v -> v.instructions(0)).get();
                assertEquals(2 + 4L * (i - 1), executed, "exact count after rdtsc " + i);
            }
            dc.call(v -> { v.removeBreakpoint(add); return null; }).get();
            for (int i = 0; i < 150; i++) {
                dc.resume(0);
                assertInstanceOf(StopEvent.Stepped.class, next(stops));
            }
            dc.resume(-1);
            assertInstanceOf(StopEvent.Exited.class, next(stops));
            machine.join(30_000);
            assertEquals(plain, counts(m, g));
        }
    }

    @Test
    void breakpointsStepsAndWatchpointsChangeNoCount() throws Exception {
        int n = 3000;
        Counts plain;
        try (Machine m = Machine.create(config(1, 97))) {
            TinyGuest g = new TinyGuest(storeLoop(n));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            plain = counts(m, g);
        }
        assertEquals(1 + 3L * n + 1, plain.instructions());

        try (Machine m = Machine.create(config(1, 97))) {
            TinyGuest g = new TinyGuest(storeLoop(n));
            DebugController dc = new DebugController(true, KernelDebugViews.NONE);
            LinkedBlockingQueue<StopEvent> stops = new LinkedBlockingQueue<>();
            dc.setStopListener(stops::add);
            Thread machine = new Thread(() -> m.run(g, RunLimits.defaults(), dc));
            machine.start();
            assertInstanceOf(StopEvent.Started.class, next(stops));
            dc.call(v -> v.insertBreakpoint(DEC)).get();
            for (int i = 1; i <= 40; i++) {
                dc.resume(-1);
                StopEvent.Breakpoint b = assertInstanceOf(StopEvent.Breakpoint.class, next(stops));
                assertEquals(DEC, b.pc());
                long executed = dc.call(v -> v.instructions(0)).get();
                assertEquals(1 + i + 2L * (i - 1), executed, "exact count at break " + i);
                assertEquals(n - i + 1, dc.call(v -> v.register(0, X86Reg.ECX)).get());
            }
            dc.call(v -> { v.removeBreakpoint(DEC); return null; }).get();
            for (int i = 0; i < 100; i++) {
                dc.resume(0);
                StopEvent.Stepped s = assertInstanceOf(StopEvent.Stepped.class, next(stops));
                long executed = dc.call(v -> v.instructions(0)).get();
                assertEquals(1 + 40 + 2L * 39 + i + 1, executed, "one instruction per step");
                assertNotNull(s);
            }
            dc.call(v -> v.insertWatchpoint(0, BareGuest.DATA_VA, 4, WatchKind.WRITE)).get();
            for (int i = 0; i < 30; i++) {
                dc.resume(-1);
                StopEvent.Watchpoint w = assertInstanceOf(StopEvent.Watchpoint.class, next(stops));
                assertEquals(DEC, w.pc(), "stops after the store");
                assertEquals(BareGuest.DATA_VA, w.address());
            }
            dc.call(v -> { v.removeWatchpoint(BareGuest.DATA_VA, 4, WatchKind.WRITE); return null; }).get();
            dc.resume(-1);
            assertInstanceOf(StopEvent.Exited.class, next(stops));
            machine.join(30_000);
            assertEquals(plain, counts(m, g));
        }
    }

    private static StopEvent next(LinkedBlockingQueue<StopEvent> q) throws InterruptedException {
        StopEvent e = q.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no stop within 20 s");
        return e;
    }
}
