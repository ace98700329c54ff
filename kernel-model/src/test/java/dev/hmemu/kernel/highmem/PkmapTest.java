package dev.hmemu.kernel.highmem;

import static dev.hmemu.kernel.highmem.HighmemTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.TaskState;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.mmu.PagingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kmap()/kunmap(): the pkmap slots, the lazy flush at wrap time, sleeping for a slot, page_address() and kmap_to_page(). */
class PkmapTest {
    // ---- kmap / kunmap ----

    @Test
    void firstWrapAfter511FreshKmapsFlushesOnceAndHandsOutSlotZero() {
        ModelFixture f = ModelFixture.boot(4, MEM);
        Layout l = f.mm.layout();
        for (int i = 1; i <= 511; i++) {
            long p = f.highPage();
            assertEquals(l.pkmapAddr(i), kmap(f, 0, p));
            kunmap(f, 0, p);
        }
        assertEquals(0, f.stats.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED), "no flush before the wrap");
        assertEquals(0, f.machine.ipisSent(0));
        assertEquals(l.pkmapAddr(0), kmap(f, 0, f.highPage()), "slot 0 comes after the wrap");
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(3, f.machine.ipisSent(0));
        assertEquals(4, f.stats.total(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED));
        assertEquals(l.pkmapAddr(1), kmap(f, 0, f.highPage()), "the flushed slots are free again");
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES));
        f.highmem.checkInvariants();
    }

    @Test
    void wrapsFollowTheCursorAcrossRuns() {
        ModelFixture f = ModelFixture.boot(4, MEM);
        for (int i = 0; i < 2000; i++) {
            long p = f.highPage();
            kmap(f, 0, p);
            kunmap(f, 0, p);
        }
        assertEquals(3, f.stats.total(Counter.PKMAP_WRAPS), "floor(2000 / 512)");
        assertEquals(9, f.machine.ipisSent(0), "3 wraps x 3 other CPUs, as measured on 6.1");
        assertEquals(0, f.machine.ipisReceived(0));
        for (int c = 1; c < 4; c++) {
            assertEquals(3, f.machine.ipisReceived(c));
        }
    }

    @Test
    void fullPoolMakesKmapSleepAndKunmapToCountOneWakesIt() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        Layout l = f.mm.layout();
        Task a = f.sched.current(0);
        long[] held = new long[512];
        for (int i = 0; i < 512; i++) {
            held[i] = f.highPage();
            kmap(f, 0, held[i]);
        }
        long x = f.highPage();
        assertEquals(Hypercall.RESTART, kmap(f, 0, x), "a full scan found no free slot");
        assertEquals(TaskState.UNINTERRUPTIBLE, a.state);
        assertTrue(f.highmem.pkmapMapWait().active());
        assertEquals(List.of(a), f.sched.slept);
        assertEquals(1, f.stats.total(Counter.KMAP_WAITS));
        assertEquals(513, f.stats.total(Counter.KMAP_CALLS));

        Task b = f.newTask("other");
        f.sched.setCurrent(0, b);
        long p5 = held[4]; // slot 5
        kmap(f, 0, p5);
        kunmap(f, 0, p5);
        assertTrue(f.sched.woken.isEmpty(), "3 -> 2 does not wake");
        kunmap(f, 0, p5);
        assertEquals(List.of(a), f.sched.woken, "2 -> 1 wakes pkmap_map_wait");
        assertFalse(f.highmem.pkmapMapWait().active());

        f.sched.setCurrent(0, a);
        long flushesBefore = f.stats.total(Counter.PKMAP_FLUSHES);
        assertEquals(l.pkmapAddr(5), kmap(f, 0, x), "the re-issued kmap finds slot 5 after the wrap flush");
        assertEquals(flushesBefore + 1, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(1, f.stats.total(Counter.KMAP_WAITS), "counted once per sleeping kmap");
        assertEquals(514, f.stats.total(Counter.KMAP_CALLS), "the re-issue is the same kmap");
        assertEquals(514, f.sched.mightSleeps.stream().filter(s -> s.endsWith(":44")).count());
        assertEquals(0, f.hcall(0, Hypercall.PAGE_ADDRESS, p5));
        f.highmem.checkInvariants();
    }

    @Test
    void kmapAfterSleepReturnsTheAddressAnotherTaskMapped() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        Task a = f.sched.current(0);
        long[] held = new long[512];
        for (int i = 0; i < 512; i++) {
            held[i] = f.highPage();
            kmap(f, 0, held[i]);
        }
        long x = f.highPage();
        assertEquals(Hypercall.RESTART, kmap(f, 0, x));
        f.sched.setCurrent(0, f.newTask("idle-ish"));
        kunmap(f, 1, held[9]); // slot 10 drops to 1: wakes a
        assertEquals(List.of(a), f.sched.woken);
        long vb = kmap(f, 1, x); // CPU1's task maps x first
        assertEquals(f.mm.layout().pkmapAddr(10), vb);
        f.sched.setCurrent(0, a);
        assertEquals(vb, kmap(f, 0, x), "page_address() hit after waking");
        assertEquals(3, f.highmem.pkmapCount(10));
        f.highmem.checkInvariants();
    }

    @Test
    void kmapOfLowmemReturnsTheDirectMapAddressWithoutAnyPteWrite() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        long page = f.lowPage();
        long[][] before = snap(f);
        long va = kmap(f, 0, page);
        assertEquals(Layout.PAGE_OFFSET + (pfn(f, page) << 12), va);
        assertEquals(0, f.highmem.lastPkmapNr(), "cursor untouched");
        for (int i = 0; i < 512; i++) {
            assertEquals(0, f.highmem.pkmapCount(i));
            assertEquals(0, pte(f, f.mm.layout().pkmapAddr(i)));
        }
        kunmap(f, 0, page);
        assertNoTlbEvent(f, before);
        assertEquals(List.of("include/linux/highmem-internal.h:44", "include/linux/highmem-internal.h:55"),
                f.sched.mightSleeps, "might_sleep() even for lowmem");
        assertEquals(1, f.stats.total(Counter.KMAP_CALLS));
        assertEquals(1, f.stats.total(Counter.KUNMAP_CALLS));
    }

    @Test
    void kmapInsideKmapAtomicIsAMightSleepInAtomicContext() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long a = f.hcall(0, Hypercall.KMAP_ATOMIC, f.highPage());
        kmap(f, 0, f.highPage());
        assertEquals(List.of("include/linux/highmem-internal.h:44 atomic"), f.sched.mightSleeps);
        f.hcall(0, Hypercall.KUNMAP_ATOMIC, a);
    }

    @Test
    void kunmapOfAPageWithoutASlotIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long page = f.highPage();
        KernelBugException e = assertThrows(KernelBugException.class, () -> kunmap(f, 0, page));
        assertTrue(e.report().contains("kernel BUG at mm/highmem.c:"), e.report());
    }

    @Test
    void kunmapBelowOneUserIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long page = f.highPage();
        kmap(f, 0, page);
        kunmap(f, 0, page);
        assertThrows(KernelBugException.class, () -> kunmap(f, 0, page), "a count must never reach 0");
    }

    @Test
    void kmapFlushUnusedFlushesCountOneSlotsWithoutAWrap() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        long page = f.highPage();
        long va = kmap(f, 0, page);
        kunmap(f, 0, page);
        f.hcall(1, Hypercall.KMAP_FLUSH_UNUSED);
        assertEquals(0, f.highmem.pkmapCount(1));
        assertEquals(0, pte(f, va));
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(0, f.stats.total(Counter.PKMAP_WRAPS));
        assertEquals(1, f.machine.ipisSent(1));
        f.hcall(1, Hypercall.KMAP_FLUSH_UNUSED);
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES), "nothing to flush the second time");
        f.highmem.checkInvariants();
    }

    @Test
    void pageAddressIsNullForAHighmemPageMappedOnlyByKmapLocal() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long page = f.highPage();
        long local = kmapLocal(f, 0, page);
        assertEquals(0, f.hcall(0, Hypercall.PAGE_ADDRESS, page));
        long va = kmap(f, 0, page);
        assertEquals(va, f.hcall(0, Hypercall.PAGE_ADDRESS, page));
        assertNotEquals(va, local);
        long low = f.lowPage();
        assertEquals(Layout.PAGE_OFFSET + (pfn(f, low) << 12), f.hcall(0, Hypercall.PAGE_ADDRESS, low));
    }

    @Test
    void kmapToPageReadsPkmapPtesTheKmapLocalStackAndTheDirectMap() {
        ModelFixture f = ModelFixture.boot(2, MEM);
        long a = f.highPage();
        long b = f.highPage();
        long low = f.lowPage();
        long va = kmap(f, 1, a);
        long local = kmapLocal(f, 1, b);
        assertEquals(a, f.hcall(0, Hypercall.KMAP_TO_PAGE, va + 5), "pkmap addresses work from any CPU");
        assertEquals(b, f.hcall(1, Hypercall.KMAP_TO_PAGE, local + 5));
        assertEquals(low, f.hcall(0, Hypercall.KMAP_TO_PAGE, Layout.PAGE_OFFSET + (pfn(f, low) << 12) + 9));
    }

    @Test
    void kmapToPageMissesCpuZeroPositionZeroLikeUpstreamsStrictBound() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long b = f.highPage();
        long c = f.highPage();
        long pos0 = kmapLocal(f, 0, b);
        long pos1 = kmapLocal(f, 0, c);
        assertEquals(f.mm.layout().fixToVirt(f.mm.layout().fixKmapBegin()), pos0);
        assertEquals(c, f.hcall(0, Hypercall.KMAP_TO_PAGE, pos1));
        assertNotEquals(b, f.hcall(0, Hypercall.KMAP_TO_PAGE, pos0), "base < __fix_to_virt(FIX_KMAP_BEGIN) fails");
    }

    // ---- legacy paging ----

    @Test
    void legacyPagingHasOneThousandTwentyFourPkmapSlots() {
        ModelFixture f = ModelFixture.boot(2, MEM, PagingMode.LEGACY, KernelConfig.defaults());
        Layout l = f.mm.layout();
        assertEquals(1024, l.lastPkmap());
        long last = 0;
        for (int i = 1; i <= 1023; i++) {
            long p = f.highPage();
            last = kmap(f, 0, p);
            assertEquals(l.pkmapAddr(i), last);
            if (i == 1023) {
                assertEquals((pfn(f, p) << 12) | 0x163, pte(f, last), "32-bit PTE, no NX");
            }
            kunmap(f, 0, p);
        }
        assertEquals(0, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(l.pkmapAddr(0), kmap(f, 0, f.highPage()));
        assertEquals(1, f.stats.total(Counter.PKMAP_FLUSHES));
        assertEquals(1, f.machine.ipisSent(0));
        long local = kmapLocal(f, 1, f.highPage());
        assertEquals(l.kmapLocalSlotAddr(1, 0), local);
        kunmapLocal(f, 1, local);
        f.highmem.checkInvariants();
    }
}
