package dev.hmemu.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.mmu.AccessType;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Real Unicorn engines on hand-assembled i386 code (no kernel model). */
class MachineTest {

    private static byte[] countedLoop(int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xb9); // mov ecx, n
        for (int i = 0; i < 4; i++) {
            b.write((n >>> (8 * i)) & 0xff);
        }
        b.write(0x49); // dec ecx
        b.write(0x75); // jnz -3
        b.write(0xfd);
        b.write(0xf4); // hlt
        return b.toByteArray();
    }

    private static MachineConfig config(int cpus, long quantum) {
        return MachineConfig.defaults().withCpus(cpus).withMemory(64L << 20).withQuantum(quantum);
    }

    @Test
    void countsEveryInstructionOfALoopExactly() {
        for (int n : new int[] {1, 1000, 123_457}) {
            try (Machine m = Machine.create(config(1, 1_000_000_000L))) {
                TinyGuest g = new TinyGuest(countedLoop(n));
                StopReason r = m.run(g, RunLimits.defaults());
                assertInstanceOf(StopReason.GuestExited.class, r);
                assertEquals(1 + 2L * n + 1, m.cpu(0).instructions(), "mov + n*(dec,jnz) + hlt");
            }
        }
    }

    @Test
    void quantumSlicingDoesNotChangeTheCount() {
        try (Machine m = Machine.create(config(1, 97))) {
            TinyGuest g = new TinyGuest(countedLoop(10_000));
            m.run(g, RunLimits.defaults());
            assertEquals(1 + 20_000 + 1, m.cpu(0).instructions());
            assertTrue(g.slices > 100, "ran in many quanta: " + g.slices);
        }
    }

    @Test
    void sameRunTwiceGivesIdenticalCounts() {
        long[] instr = new long[2];
        long[] cycles = new long[2];
        for (int i = 0; i < 2; i++) {
            try (Machine m = Machine.create(config(1, 333))) {
                m.run(new TinyGuest(countedLoop(50_000)), RunLimits.defaults());
                instr[i] = m.cpu(0).instructions();
                cycles[i] = m.cpu(0).cycles();
            }
        }
        assertEquals(instr[0], instr[1]);
        assertEquals(cycles[0], cycles[1]);
    }

    @Test
    void jumpToUnmappedAddressIsAPreciseFetchFault() {
        // mov eax, 0x10000000; jmp eax
        byte[] code = {(byte) 0xb8, 0, 0, 0, 0x10, (byte) 0xff, (byte) 0xe0};
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(code);
            StopReason r = m.run(g, RunLimits.defaults());
            assertInstanceOf(StopReason.Oops.class, r);
            PageFault f = g.faults.get(0);
            assertEquals(0x10000000L, f.cr2());
            assertEquals(0x10000000L, f.eip());
            assertEquals(AccessType.FETCH, f.access());
            assertEquals(0x10, f.errorCode() & 0x11, "not-present instruction fetch (INSTR bit with NXE)");
            assertEquals(2, m.cpu(0).instructions(), "mov and jmp ran");
        }
    }

    @Test
    void writeToReadOnlyPageIsAProtectionFaultAtTheWritingInstruction() {
        // inc ebx; inc ebx; mov [0xC0005000], eax; inc ebx; hlt
        byte[] code = {0x43, 0x43, (byte) 0xa3, 0x00, 0x50, 0x00, (byte) 0xc0, 0x43, (byte) 0xf4};
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(code) {
                @Override
                public void boot(Machine mm) {
                    super.boot(mm);
                    makeReadOnly(5);
                }
            };
            m.run(g, RunLimits.defaults());
            PageFault f = g.faults.get(0);
            assertEquals(0xC0005000L, f.cr2());
            assertEquals(0xC0100002L, f.eip());
            assertEquals(0x3, f.errorCode(), "PROT|WRITE, supervisor");
            assertEquals(2, m.cpu(0).instructions(), "only the two incs before the store ran");
        }
    }

    @Test
    void guestThatNeverStopsIsStoppedByTheInstructionLimit() {
        byte[] code = {(byte) 0xeb, (byte) 0xfe}; // jmp $
        try (Machine m = Machine.create(config(1, 10_000))) {
            StopReason r = m.run(new TinyGuest(code), new RunLimits(1_000_000, 0, 0));
            StopReason.LimitReached l = assertInstanceOf(StopReason.LimitReached.class, r);
            assertEquals("instructions", l.limit());
            assertEquals(1_000_000, m.cpu(0).instructions());
        }
    }

    @Test
    void guestThatNeverStopsIsStoppedByTheWallClockLimit() {
        byte[] code = {(byte) 0xeb, (byte) 0xfe};
        try (Machine m = Machine.create(config(1, 100_000))) {
            StopReason r = m.run(new TinyGuest(code), new RunLimits(0, 0, 300));
            assertEquals("wall-ms", assertInstanceOf(StopReason.LimitReached.class, r).limit());
        }
    }

    @Test
    void hypercallPortDeliversTheArgumentPointer() {
        // mov eax, 0xC0001230; out 0xE9, eax; hlt
        byte[] code = {(byte) 0xb8, 0x30, 0x12, 0, (byte) 0xc0, (byte) 0xe7, (byte) 0xe9, (byte) 0xf4};
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(code);
            m.run(g, RunLimits.defaults());
            assertEquals(java.util.List.of(0xC0001230L), g.hypercalls);
            assertEquals(1, m.cpu(0).hypercalls());
        }
    }

    @Test
    void tlbMissesAreWalkedAndCharged() {
        try (Machine m = Machine.create(config(1, 1000))) {
            m.run(new TinyGuest(countedLoop(10)), RunLimits.defaults());
            var s = m.cpu(0).tlbStats();
            assertTrue(s.walks() >= 1, "the code page was walked: " + s);
            assertEquals(s.walks() * m.cycleModel().walkFetch(), m.cpu(0).cycles(CycleCategory.PAGE_WALK));
        }
    }

    @Test
    void benchmarkLoopsRunTheInstructionsTheySay() {
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(dev.hmemu.emulator.bench.BenchCode.hypercallLoop(0xC0400000L, 300));
            m.run(g, RunLimits.defaults());
            assertEquals(300, g.hypercalls.size());
            assertEquals(1 + 300 * 4 + 1, m.cpu(0).instructions());
        }
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(dev.hmemu.emulator.bench.BenchCode.pageWalkLoop(
                    dev.hmemu.emulator.bench.BareGuest.PAGED_DATA_VA, 64, 3));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            assertEquals(1 + 3 * (2 + 64 * 4 + 2) + 1, m.cpu(0).instructions());
        }
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(dev.hmemu.emulator.bench.BenchCode.computeLoop(0xC0400000L, 500));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            assertEquals(2 + 500L * dev.hmemu.emulator.bench.BenchCode.COMPUTE_LOOP_BODY + 1, m.cpu(0).instructions());
        }
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(dev.hmemu.emulator.bench.BenchCode.computeLoop(0xC0400000L, 600, 6));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            assertEquals(2 + 100L * 26 + 1, m.cpu(0).instructions());
        }
    }

    @Test
    void aTlbTooSmallForTheWorkingSetMissesOnEveryPage() {
        MachineConfig small = config(1, 1000).withTlb(new dev.hmemu.mmu.TlbConfig(4, 4, 4, 4));
        try (Machine m = Machine.create(small)) {
            TinyGuest g = new TinyGuest(dev.hmemu.emulator.bench.BenchCode.pageWalkLoop(
                    dev.hmemu.emulator.bench.BareGuest.PAGED_DATA_VA, 64, 10));
            assertInstanceOf(StopReason.GuestExited.class, m.run(g, RunLimits.defaults()));
            assertTrue(m.cpu(0).tlbStats().misses() >= 640, "every data access missed: " + m.cpu(0).tlbStats());
        }
    }

    @Test
    void anExceptionInACallbackStopsTheEngineAndEndsTheRunWithItsMessage() {
        byte[] code = {(byte) 0xb8, 0x30, 0x12, 0, (byte) 0xc0, (byte) 0xe7, (byte) 0xe9, (byte) 0xf4};
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(code) {
                @Override
                public boolean hypercall(Cpu cpu, long argBlock) {
                    throw new IllegalStateException("model failure in a hook");
                }
            };
            StopReason r = m.run(g, RunLimits.defaults());
            StopReason.MachineError e = assertInstanceOf(StopReason.MachineError.class, r);
            assertTrue(e.message().contains("IllegalStateException: model failure in a hook"), e.message());
        }
    }

    @Test
    void anInternalErrorKeepsItsCauseWithTheWholeStack() {
        byte[] code = {(byte) 0xb8, 0x30, 0x12, 0, (byte) 0xc0, (byte) 0xe7, (byte) 0xe9, (byte) 0xf4};
        IllegalStateException thrown = new IllegalStateException("model failure in a hook");
        try (Machine m = Machine.create(config(1, 1000))) {
            TinyGuest g = new TinyGuest(code) {
                @Override
                public boolean hypercall(Cpu cpu, long argBlock) {
                    throw thrown;
                }
            };
            StopReason.MachineError e = assertInstanceOf(StopReason.MachineError.class, m.run(g, RunLimits.defaults()));
            assertTrue(e.internal());
            assertSame(thrown, e.cause());
            assertTrue(e.cause().getStackTrace().length > 1, "the whole stack, not only the top frame");
        }
    }
}
