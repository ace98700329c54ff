package dev.hmemu.kernel.highmem;

import static dev.hmemu.kernel.highmem.HighmemTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.PagingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** kmap_local_page()/kunmap_local() and kmap_atomic(): the per-task stack, its fixmap slots and context switches. */
class KmapLocalTest {
    // ---- kmap_local / kmap_atomic ----

    @Test
    void kmapAtomicRaisesPreemptCountAndPagefaultDisabledEvenForLowmem() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        Task t = f.sched.current(0);
        long low = f.lowPage();
        long va = f.hcall(0, Hypercall.KMAP_ATOMIC, low);
        assertEquals(Layout.PAGE_OFFSET + (pfn(f, low) << 12), va);
        assertEquals(1, f.sched.perCpu(0).preemptCount);
        assertEquals(1, t.pagefaultDisabled);
        assertEquals(0, t.migrationDisabled);
        assertEquals(0, t.kmapCtrl.idx);
        f.hcall(0, Hypercall.KUNMAP_ATOMIC, va);
        assertEquals(0, f.sched.perCpu(0).preemptCount);
        assertEquals(0, t.pagefaultDisabled);

        long[][] before = snap(f);
        long hva = f.hcall(0, Hypercall.KMAP_ATOMIC, f.highPage());
        assertEquals(f.mm.layout().kmapLocalSlotAddr(0, 0), hva);
        assertEquals(1, f.sched.perCpu(0).preemptCount);
        assertEquals(1, t.pagefaultDisabled);
        assertEquals(1, t.migrationDisabled);
        assertEquals(1, t.kmapCtrl.idx);
        f.hcall(0, Hypercall.KUNMAP_ATOMIC, hva);
        assertEquals(0, f.sched.perCpu(0).preemptCount);
        assertEquals(0, t.pagefaultDisabled);
        assertEquals(0, t.migrationDisabled);
        assertEquals(1, delta(f, before)[FLUSH_ONE][0]);
        assertEquals(2, f.stats.total(Counter.KMAP_ATOMIC_CALLS));
        assertEquals(2, f.stats.total(Counter.KUNMAP_ATOMIC_CALLS));
        assertEquals(0, f.stats.total(Counter.KMAP_LOCAL_CALLS));
    }

    @Test
    void kunmapLocalOutOfOrderWarnsOnceClearsTheTopSlotAndInvlpgsThePassedAddress() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        Cpu cpu = f.cpu(0);
        Task t = f.sched.current(0);
        long a = kmapLocal(f, 0, f.highPage());
        long b = kmapLocal(f, 0, f.highPage());
        long pteA = pte(f, a);
        cpu.mmu().translate(a, AccessType.READ, false);
        cpu.mmu().translate(b, AccessType.READ, false);
        assertTrue(cached(cpu, a) && cached(cpu, b));
        long[][] before = snap(f);

        kunmapLocal(f, 0, a); // b is on top
        assertEquals(1, warnings(f, "kunmap_local_indexed"));
        assertTrue(f.console.text().contains("WARNING: CPU: 0 PID: " + t.pid + " at mm/highmem.c:"));
        assertEquals(0, pte(f, b), "the TOP slot's PTE is cleared");
        assertEquals(pteA, pte(f, a), "the caller's real slot stays mapped");
        assertFalse(cached(cpu, a), "INVLPG of the passed address");
        assertTrue(cached(cpu, b), "the top slot's stale TLB entry stays");
        assertEquals(1, delta(f, before)[FLUSH_ONE][0]);
        assertEquals(1, t.kmapCtrl.idx);
        assertEquals(0, t.kmapCtrl.pteval[1]);
        assertEquals(pteA, t.kmapCtrl.pteval[0]);

        long c = kmapLocal(f, 0, f.highPage());
        assertEquals(b, c, "position 1 again");
        kunmapLocal(f, 0, a);
        assertEquals(1, warnings(f, "kunmap_local_indexed"), "WARN_ON_ONCE prints once");
        f.highmem.checkInvariants();
    }

    @Test
    void sixteenthNestedKmapLocalIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        Layout l = f.mm.layout();
        for (int i = 0; i < 15; i++) {
            assertEquals(l.kmapLocalSlotAddr(1, i), kmapLocal(f, 1, f.highPage()));
        }
        long page = f.highPage();
        KernelBugException e = assertThrows(KernelBugException.class, () -> kmapLocal(f, 1, page));
        assertTrue(e.report().contains("kernel BUG at mm/highmem.c:"), e.report());
    }

    @Test
    void seventeenthNestedKmapLocalIsAKernelBugWithDebugKmapLocal() {
        ModelFixture f = ModelFixture.boot(2, MEM, PagingMode.PAE, KernelConfig.defaults().withDebugKmapLocal(true));
        Layout l = f.mm.layout();
        for (int i = 0; i < 16; i++) {
            assertEquals(l.kmapLocalSlotAddr(1, 2 * i + 1), kmapLocal(f, 1, f.highPage()), "odd positions");
            assertEquals(0, pte(f, l.kmapLocalSlotAddr(1, 2 * i)), "guard slot");
        }
        Task t = f.sched.current(1);
        f.highmem.kmapLocalSchedOut(t, 1);
        assertEquals(16, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, 1), "guards are skipped");
        f.highmem.kmapLocalSchedIn(t, 1);
        long page = f.highPage();
        assertThrows(KernelBugException.class, () -> kmapLocal(f, 1, page));
    }

    @Test
    void kunmapLocalWithoutAMappingHitsTheBugOnPop() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long slot = f.mm.layout().kmapLocalSlotAddr(0, 0);
        assertThrows(KernelBugException.class, () -> kunmapLocal(f, 0, slot));
        assertEquals(1, warnings(f, "kunmap_local_indexed"));
    }

    @Test
    void kunmapLocalOfAUserAddressWarnsOnce() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        kunmapLocal(f, 0, 0x08000000L);
        kunmapLocal(f, 0, 0x08001000L);
        assertEquals(1, warnings(f, "kunmap_local_indexed"));
        kunmapLocal(f, 0, f.mm.layout().pkmapAddr(3));
        assertEquals(1, warnings(f, "kunmap_local_indexed"), "pkmap addresses return silently");
    }

    @Test
    void schedOutClearsThePtesAndSchedInRestoresThem() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        Task a = f.sched.current(1);
        Task b = f.newTask("b");
        long a0 = kmapLocal(f, 1, f.highPage());
        long a1 = kmapLocal(f, 1, f.highPage());
        long[] aPte = {pte(f, a0), pte(f, a1)};
        f.highmem.checkInvariants();

        f.highmem.kmapLocalSchedOut(a, 1);
        f.sched.setCurrent(1, b);
        f.highmem.kmapLocalSchedIn(b, 1);
        assertEquals(0, pte(f, a0));
        assertEquals(0, pte(f, a1));
        f.highmem.checkInvariants();
        long b0 = kmapLocal(f, 1, f.highPage());
        assertEquals(a0, b0, "b reuses position 0 of this CPU");
        long bPte = pte(f, b0);
        f.highmem.checkInvariants();

        f.highmem.kmapLocalSchedOut(b, 1);
        f.sched.setCurrent(1, a);
        f.highmem.kmapLocalSchedIn(a, 1);
        assertEquals(aPte[0], pte(f, a0));
        assertEquals(aPte[1], pte(f, a1));
        f.highmem.checkInvariants();
        kunmapLocal(f, 1, a1);
        kunmapLocal(f, 1, a0);

        f.highmem.kmapLocalSchedOut(a, 1);
        f.sched.setCurrent(1, b);
        f.highmem.kmapLocalSchedIn(b, 1);
        assertEquals(bPte, pte(f, b0));
        f.highmem.checkInvariants();
        assertEquals(0, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, 0), "CPU0 never involved");
    }

    @Test
    void forceMapMapsLowmemThroughASlot() {
        ModelFixture f = ModelFixture.boot(1, MEM, PagingMode.PAE, KernelConfig.defaults().withForceMap(true));
        Task t = f.sched.current(0);
        long low = f.lowPage();
        long va = kmapLocal(f, 0, low);
        assertEquals(f.mm.layout().kmapLocalSlotAddr(0, 1), va, "debug positions with FORCE_MAP");
        assertEquals(pfn(f, low), f.mm.pageTables().ptePfn(pte(f, va)));
        assertEquals(1, t.migrationDisabled);
        kunmapLocal(f, 0, Layout.PAGE_OFFSET + (pfn(f, low) << 12));
        assertEquals(1, warnings(f, "kunmap_local_indexed"), "WARN_ON_ONCE(1) for any address outside the slots");
        assertEquals(2, t.kmapCtrl.idx);
        kunmapLocal(f, 0, va);
        assertEquals(0, t.kmapCtrl.idx);
        assertEquals(1, f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, 0));
        f.highmem.checkInvariants();
    }

    @Test
    void kmapLocalDepthIsRecordedAsAMaximum() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long a = kmapLocal(f, 0, f.highPage());
        long b = kmapLocal(f, 0, f.highPage());
        kunmapLocal(f, 0, b);
        kunmapLocal(f, 0, a);
        kmapLocal(f, 0, f.highPage());
        assertEquals(2, f.stats.total(Counter.KMAP_LOCAL_MAX_DEPTH));
        assertEquals(3, f.stats.total(Counter.KMAP_LOCAL_CALLS));
        assertEquals(2, f.stats.total(Counter.KUNMAP_LOCAL_CALLS));
    }

    // ---- invariants under a random mix ----

    @Test
    void randomSequencesKeepTheInvariants() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        Random rnd = new Random(42);
        Task[][] tasks = new Task[2][2];
        List<List<Long>> kmapped = new ArrayList<>();
        List<List<Long>> local = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            tasks[c][0] = f.sched.current(c);
            tasks[c][1] = f.newTask("t" + c);
        }
        for (int i = 0; i < 4; i++) {
            kmapped.add(new ArrayList<>());
            local.add(new ArrayList<>());
        }
        int[] running = {0, 0};
        List<Long> pool = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            pool.add(f.highPage());
        }
        for (int step = 0; step < 4000; step++) {
            int c = rnd.nextInt(2);
            int ti = c * 2 + running[c];
            List<Long> km = kmapped.get(ti);
            List<Long> kl = local.get(ti);
            int op = rnd.nextInt(6);
            if (op == 0 && km.size() < 100) {
                long p = pool.get(rnd.nextInt(pool.size()));
                assertTrue(kmap(f, c, p) > 0);
                km.add(p);
            } else if (op == 1 && !km.isEmpty()) {
                kunmap(f, c, km.remove(rnd.nextInt(km.size())));
            } else if (op == 2 && kl.size() < 10) {
                kl.add(kmapLocal(f, c, pool.get(rnd.nextInt(pool.size()))));
            } else if (op == 3 && !kl.isEmpty()) {
                kunmapLocal(f, c, kl.remove(kl.size() - 1));
            } else if (op == 4) {
                Task out = tasks[c][running[c]];
                f.highmem.kmapLocalSchedOut(out, c);
                running[c] ^= 1;
                Task in = tasks[c][running[c]];
                f.sched.setCurrent(c, in);
                f.highmem.kmapLocalSchedIn(in, c);
            } else if (op == 5 && rnd.nextInt(20) == 0) {
                f.hcall(c, Hypercall.KMAP_FLUSH_UNUSED);
            }
            f.highmem.checkInvariants();
        }
        assertTrue(f.findings().isEmpty(), f.findings().toString());
        assertTrue(f.stats.total(Counter.PKMAP_WRAPS) > 0);
    }
}
