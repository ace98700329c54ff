package dev.hmemu.kernel.tlb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.mmu.AccessType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlbFlushTest {
    private static final long MEM = 1L << 30;
    private static final long VA = 0xC0400000L; // lowmem, a 2 MiB page

    private static boolean cached(Cpu c, long va) {
        return c.mmu().tlb().entries().stream().anyMatch(e -> e.covers(va));
    }

    private static void touch(ModelFixture f, long va) {
        for (Cpu c : f.machine.cpus()) {
            c.mmu().translate(va, AccessType.READ, false);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void flushTlbOneKernelInvlpgsOnlyTheLocalCpuAndCountsOneLocalFlush(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        touch(f, VA);
        f.tlb.flushTlbOneKernel(f.cpu(0), VA);
        assertEquals(1, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, 0));
        assertFalse(cached(f.cpu(0), VA));
        for (int c = 1; c < cpus; c++) {
            assertTrue(cached(f.cpu(c), VA), "other CPUs keep their entry");
            assertEquals(0, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, c));
        }
        assertEquals(0, f.machine.ipisSent(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kernelRangeAboveCeilingFlushesAllCpusAndCountsReceivedOnEach(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        touch(f, VA);
        Layout l = f.mm.layout();
        f.tlb.flushTlbKernelRange(f.cpu(cpus - 1), l.pkmapAddr(0), l.pkmapAddr(l.lastPkmap()));
        for (int c = 0; c < cpus; c++) {
            assertEquals(1, f.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c), "CPU" + c);
            assertEquals(0, f.counter(Counter.NR_TLB_REMOTE_FLUSH, c));
            assertEquals(0, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, c));
            assertFalse(cached(f.cpu(c), VA), "global flush on CPU" + c);
            assertEquals(c == cpus - 1 ? 0 : 1, f.machine.ipisReceived(c));
        }
        assertEquals(cpus - 1, f.machine.ipisSent(cpus - 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kernelRangeWithinCeilingInvlpgsEveryPageOnEveryCpu(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        f.tlb.flushTlbKernelRange(f.cpu(0), VA, VA + 33 * Layout.PAGE_SIZE);
        for (int c = 0; c < cpus; c++) {
            assertEquals(33, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, c));
            assertEquals(0, f.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c));
        }
        assertEquals(cpus - 1, f.machine.ipisSent(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void tlbFlushAllEndMeansAGlobalFlushEverywhere(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        f.tlb.flushTlbKernelRange(f.cpu(0), 0, Layout.TLB_FLUSH_ALL);
        for (int c = 0; c < cpus; c++) {
            assertEquals(1, f.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void flushTlbAllCountsOneRemoteFlushForTheCall(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        f.tlb.flushTlbAll(f.cpu(0));
        assertEquals(1, f.counter(Counter.NR_TLB_REMOTE_FLUSH, 0));
        for (int c = 0; c < cpus; c++) {
            assertEquals(1, f.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c));
            if (c > 0) {
                assertEquals(0, f.counter(Counter.NR_TLB_REMOTE_FLUSH, c));
            }
        }
        assertEquals(cpus - 1, f.machine.ipisSent(0));
    }
}
