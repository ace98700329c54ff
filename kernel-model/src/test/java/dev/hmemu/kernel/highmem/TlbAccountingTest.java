package dev.hmemu.kernel.highmem;

import static dev.hmemu.kernel.highmem.HighmemTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.mmu.AccessType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The table of docs/tlb-accounting.md: exact TLB counter and IPI deltas of each highmem event, on 1, 2 and 4 CPUs. */
class TlbAccountingTest {
    // ---- docs/tlb-accounting.md, row by row, on 1, 2 and 4 CPUs ----

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kmapThatFindsAFreeSlotChangesNoTlbCounter(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        long page = f.highPage();
        long[][] before = snap(f);
        long va = kmap(f, cpus - 1, page);
        assertNoTlbEvent(f, before);
        Layout l = f.mm.layout();
        assertEquals(l.pkmapAddr(1), va, "the first slot ever handed out is 1");
        assertEquals(2, f.highmem.pkmapCount(1));
        assertEquals((pfn(f, page) << 12) | 0x8000000000000163L, pte(f, va), "mk_pte(page, PAGE_KERNEL)");
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kmapReuseOfAnAlreadyMappedPageChangesNoTlbCounter(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        long page = f.highPage();
        long va = kmap(f, 0, page);
        long[][] before = snap(f);
        assertEquals(va, kmap(f, cpus - 1, page), "same address, one more user");
        assertEquals(3, f.highmem.pkmapCount(1));
        kunmap(f, 0, page);
        kunmap(f, 0, page);
        assertEquals(va, kmap(f, 0, page), "a count-1 slot is reused without a new PTE");
        assertNoTlbEvent(f, before);
        assertEquals(1, f.highmem.lastPkmapNr(), "no new slot taken");
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kunmapChangesNoTlbCounterAndLeavesThePteMapped(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        long page = f.highPage();
        long va = kmap(f, 0, page);
        long before = pte(f, va);
        long[][] counters = snap(f);
        kunmap(f, cpus - 1, page);
        assertNoTlbEvent(f, counters);
        assertEquals(1, f.highmem.pkmapCount(1));
        assertEquals(before, pte(f, va));
        assertEquals(va, f.hcall(0, Hypercall.PAGE_ADDRESS, page), "page_address() keeps the pkmap address");
        assertEquals(0, f.highmem.pkmapMappedCount());
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void wrapWithCountOneSlotsFlushesEveryCpuOnceWithNMinusOneIpis(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        List<Long> old = kmapKunmapFresh(f, 511);
        long page = f.highPage();
        long[][] before = snap(f);
        assertEquals(f.mm.layout().pkmapAddr(0), kmap(f, 0, page));
        long[][] d = delta(f, before);
        assertArrayEquals(all(cpus, 1), d[RECEIVED], "nr_tlb_remote_flush_received on every CPU");
        assertArrayEquals(all(cpus, 0), d[REMOTE], "flush_tlb_kernel_range does not count nr_tlb_remote_flush");
        assertArrayEquals(all(cpus, 0), d[FLUSH_ALL]);
        assertArrayEquals(all(cpus, 0), d[FLUSH_ONE]);
        assertArrayEquals(perCpu(cpus, 0, cpus - 1), d[SENT], "IPIs to the N-1 others");
        long[] recv = all(cpus, 1);
        recv[0] = 0;
        assertArrayEquals(recv, d[RECV]);
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(1, f.stats.total(Counter.PKMAP_WRAPS));
        assertEquals(0, f.hcall(0, Hypercall.PAGE_ADDRESS, old.get(7)), "flushed pages lose their address");
        assertEquals(0, f.highmem.pkmapCount(8));
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void wrapWithNoCountOneSlotsChangesNoTlbCounter(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        for (int i = 0; i < 511; i++) {
            kmap(f, 0, f.highPage());
        }
        long page = f.highPage();
        long[][] before = snap(f);
        assertEquals(f.mm.layout().pkmapAddr(0), kmap(f, 0, page));
        assertNoTlbEvent(f, before);
        assertEquals(1, f.stats.total(Counter.PKMAP_WRAPS));
        assertEquals(0, f.stats.total(Counter.PKMAP_FLUSHES), "need_flush stays 0");
        assertEquals(512, f.highmem.pkmapMappedCount());
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kmapLocalMapChangesNoTlbCounter(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        int cpu = cpus - 1;
        long page = f.highPage();
        long[][] before = snap(f);
        long va = kmapLocal(f, cpu, page);
        assertNoTlbEvent(f, before);
        assertEquals(f.mm.layout().kmapLocalSlotAddr(cpu, 0), va);
        assertEquals((pfn(f, page) << 12) | 0x8000000000000163L, pte(f, va));
        Task t = f.sched.current(cpu);
        assertEquals(1, t.kmapCtrl.idx);
        assertEquals(pte(f, va), t.kmapCtrl.pteval[0]);
        assertEquals(1, t.migrationDisabled, "migrate_disable until kunmap_local");
        assertEquals(0, f.sched.perCpu(cpu).preemptCount, "preemption stays enabled");
        assertEquals(0, t.pagefaultDisabled);
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void kunmapLocalCountsOneLocalFlushOnThisCpuOnly(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        int cpu = cpus - 1;
        long va = kmapLocal(f, cpu, f.highPage());
        f.cpu(cpu).mmu().translate(va, AccessType.WRITE, false);
        assertTrue(cached(f.cpu(cpu), va));
        long[][] before = snap(f);
        kunmapLocal(f, cpu, va + 0x10);
        long[][] d = delta(f, before);
        assertArrayEquals(perCpu(cpus, cpu, 1), d[FLUSH_ONE]);
        for (int r : new int[] {REMOTE, RECEIVED, FLUSH_ALL, SENT, RECV}) {
            assertArrayEquals(all(cpus, 0), d[r], "row " + r);
        }
        assertEquals(0, pte(f, va));
        assertFalse(cached(f.cpu(cpu), va), "INVLPG");
        Task t = f.sched.current(cpu);
        assertEquals(0, t.kmapCtrl.idx);
        assertEquals(0, t.migrationDisabled);
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void switchOutOfATaskWithKMappingsCountsKLocalFlushes(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        int cpu = cpus - 1;
        Task t = f.sched.current(cpu);
        long[] va = new long[3];
        for (int i = 0; i < 3; i++) {
            va[i] = kmapLocal(f, cpu, f.highPage());
        }
        long[][] before = snap(f);
        f.highmem.kmapLocalSchedOut(t, cpu);
        long[][] d = delta(f, before);
        assertArrayEquals(perCpu(cpus, cpu, 3), d[FLUSH_ONE]);
        assertArrayEquals(all(cpus, 0), d[SENT]);
        assertArrayEquals(all(cpus, 0), d[RECEIVED]);
        for (long v : va) {
            assertEquals(0, pte(f, v));
        }
        assertEquals(3, t.kmapCtrl.idx, "idx is not changed by a switch");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void switchInRestoresThePtesWithoutAnyTlbCounter(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        int cpu = cpus - 1;
        Task t = f.sched.current(cpu);
        long va0 = kmapLocal(f, cpu, f.highPage());
        long va1 = kmapLocal(f, cpu, f.highPage());
        f.highmem.kmapLocalSchedOut(t, cpu);
        long[][] before = snap(f);
        f.highmem.kmapLocalSchedIn(t, cpu);
        assertNoTlbEvent(f, before);
        assertEquals(t.kmapCtrl.pteval[0], pte(f, va0));
        assertEquals(t.kmapCtrl.pteval[1], pte(f, va1));
        f.highmem.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void lowmemKmapLocalWithoutForceMapChangesNothing(int cpus) {
        ModelFixture f = ModelFixture.boot(cpus, MEM);
        int cpu = cpus - 1;
        long page = f.lowPage();
        long[][] before = snap(f);
        long va = kmapLocal(f, cpu, page);
        assertEquals(Layout.PAGE_OFFSET + (pfn(f, page) << 12), va, "page_address()");
        Task t = f.sched.current(cpu);
        assertEquals(0, t.kmapCtrl.idx);
        assertEquals(0, t.migrationDisabled);
        kunmapLocal(f, cpu, va);
        assertNoTlbEvent(f, before);
        assertEquals(0, t.migrationDisabled);
        assertTrue(f.findings().isEmpty(), "a lowmem address is silently ignored");
        long atomic = f.hcall(cpu, Hypercall.KMAP_ATOMIC, page);
        f.hcall(cpu, Hypercall.KUNMAP_ATOMIC, atomic);
        assertNoTlbEvent(f, before);
    }
}
