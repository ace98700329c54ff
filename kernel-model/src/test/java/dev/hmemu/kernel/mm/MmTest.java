package dev.hmemu.kernel.mm;

import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.base.GuestAccessException;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.ControlRegisters;
import dev.hmemu.mmu.PagingMode;
import dev.hmemu.mmu.PteBits;
import dev.hmemu.mmu.WalkResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MmTest {
    private static final long GIB = 1L << 30;

    private static long pfn(ModelFixture f, long page) {
        return f.mm.pageToPfn(page);
    }

    @Test
    void imageIsMappedWithFourKibPtesByElfSegmentLikeStrictKernelRwx() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        assertEquals(0x100000L | 0x121, f.mm.readPte(0xC0100000L), "text: P|A|G, read-only, executable");
        assertEquals(0x102000L | 0x121, f.mm.readPte(0xC0102fffL));
        assertEquals(0x103000L | 0x121 | _PAGE_NX, f.mm.readPte(0xC0103000L), "rodata: P|A|G|NX");
        assertEquals(0x105000L | PteBits.__PAGE_KERNEL, f.mm.readPte(0xC0105000L), "data: __PAGE_KERNEL");
        assertEquals(PteBits.__PAGE_KERNEL, f.mm.readPte(0xC0000000L), "low 1 MiB: __PAGE_KERNEL");
        assertEquals(0x1ff000L | PteBits.__PAGE_KERNEL, f.mm.readPte(0xC01ff000L));
    }

    @Test
    void lowmemUsesTwoMibPagesAndEndsExactlyAtHighMemory() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        Layout l = f.mm.layout();
        assertEquals(0x400000L | PteBits.__PAGE_KERNEL_LARGE, f.mm.readPte(0xC0400000L));
        assertEquals(0xf75fe000L, l.highMemory());
        long tail = l.highMemory() - Layout.PAGE_SIZE;
        assertEquals(Layout.pa(tail) | PteBits.__PAGE_KERNEL, f.mm.readPte(tail), "partial last 2 MiB: 4 KiB PTEs");
        assertEquals(0, f.mm.readPte(l.highMemory()), "nothing mapped at high_memory");
        assertEquals(0, f.mm.readPte(l.vmallocStart()));
    }

    @Test
    void activateTurnsOnPaePagingWithAllFourPmdsPreallocated() {
        ModelFixture f = ModelFixture.boot(2, GIB);
        for (Cpu c : f.machine.cpus()) {
            ControlRegisters cr = c.mmu().cr();
            assertEquals(0x80050033L, cr.cr0());
            assertTrue(cr.pae() && cr.pge() && cr.pse(), cr.toString());
            assertTrue(cr.nxe());
            assertEquals(f.mm.pageTables().pgd(), cr.cr3());
            for (int i = 0; i < 4; i++) {
                long pdpte = cr.pdpte(i);
                assertEquals(PteBits._PAGE_PRESENT, pdpte & 0xfff, "PDPTE " + i + " hooked with _PAGE_PRESENT only");
                assertTrue((pdpte & PteBits.PTE_PFN_MASK) < (f.mm.layout().maxLowPfn() << 12));
            }
            assertEquals(0, cr.pdptAddress() % 32);
        }
        WalkResult r = f.cpu(1).mmu().debugTranslate(0xC0100abcL);
        WalkResult.Mapped m = assertInstanceOf(WalkResult.Mapped.class, r);
        assertEquals(0x100abcL, m.physical());
        assertTrue(m.executable());
        assertFalse(m.writable());
        assertTrue(m.global());
    }

    @Test
    void pkmapAndFixmapHaveEmptyPteTablesAndKmapLocalPtesAreOneLinearArray() {
        ModelFixture f = ModelFixture.boot(4, GIB);
        Layout l = f.mm.layout();
        KernelPageTables pt = f.mm.pageTables();
        long pkmap0 = pt.virtToKpte(l.pkmapBase());
        assertTrue(pkmap0 > 0);
        for (int i = 0; i < l.lastPkmap(); i++) {
            assertEquals(pkmap0 + 8L * i, pt.virtToKpte(l.pkmapAddr(i)));
            assertEquals(0, pt.ptepGet(pkmap0 + 8L * i));
        }
        long kmapPte = pt.virtToKpte(l.fixToVirt(l.fixKmapBegin()));
        for (int idx = 0; idx <= l.fixKmapEnd() - l.fixKmapBegin(); idx++) {
            assertEquals(kmapPte - 8L * idx, pt.virtToKpte(l.fixToVirt(l.fixKmapBegin() + idx)));
        }
        assertTrue(pt.virtToKpte(l.fixaddrTotStart()) > 0, "btmap slots covered too");
        assertEquals(0, f.mm.readPte(l.fixToVirt(l.fixKmapBegin())));
        assertEquals(-1, pt.virtToKpte(l.ldtBaseAddr()), "LDT remap not populated");
    }

    @Test
    void dumpPagetablePrintsPaeEntriesWithLinuxStopRules() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        KernelPageTables pt = f.mm.pageTables();
        long slot = f.mm.layout().fixToVirt(f.mm.layout().fixKmapBegin());
        String d = f.mm.dumpPagetable(slot);
        long pdpt = f.machine.memory().readLong(pt.pgd() + 24);
        long pde = pt.ptepGet(pt.pmdEntryAddr(slot));
        assertEquals(String.format("*pdpt = %016x *pde = %016x *pte = 0000000000000000 ", pdpt, pde), d);
        assertEquals(0x63, pde & 0xfff);
        String large = f.mm.dumpPagetable(0xC0400000L);
        assertTrue(large.matches("\\*pdpt = [0-9a-f]{16} \\*pde = 80000000004001e3 "), large);
        String user = f.mm.dumpPagetable(0x08000000L);
        assertTrue(user.endsWith("*pde = 0000000000000000 "), user);
    }

    @Test
    void pageAllocatorHandsOutTheLowestFreePfnFirstPerZone() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long a = f.allocPage(ModelFixture.GFP_KERNEL);
        long b = f.allocPage(ModelFixture.GFP_KERNEL);
        assertEquals(pfn(f, a) + 1, pfn(f, b));
        assertEquals(0, f.hcall(0, Hypercall.FREE_PAGES, a, 0));
        assertEquals(a, f.allocPage(ModelFixture.GFP_KERNEL), "a freed page is reused first");
        long o2 = f.hcall(0, Hypercall.ALLOC_PAGES, ModelFixture.GFP_KERNEL, 2);
        assertEquals(0, pfn(f, o2) % 4, "order-2 blocks are naturally aligned");
        assertTrue(pfn(f, o2) > pfn(f, b));
        long h1 = f.highPage();
        long h2 = f.highPage();
        assertEquals(f.mm.layout().maxLowPfn(), pfn(f, h1), "highmem starts at max_low_pfn");
        assertEquals(pfn(f, h1) + 1, pfn(f, h2));
        long dma = f.allocPage(ModelFixture.__GFP_DMA);
        assertTrue(pfn(f, dma) < 4096 && pfn(f, dma) >= 256);
        assertEquals(0, f.hcall(0, Hypercall.ALLOC_PAGES, ModelFixture.GFP_KERNEL, 11), "order > 10 fails");
    }

    @Test
    void sameAllocationsGiveSamePagesOnEveryBoot() {
        long[] first = new long[20];
        for (int run = 0; run < 2; run++) {
            ModelFixture f = ModelFixture.boot(2, GIB);
            for (int i = 0; i < 20; i++) {
                long gfp = i % 3 == 0 ? ModelFixture.GFP_HIGHUSER : ModelFixture.GFP_KERNEL;
                long p = f.hcall(0, Hypercall.ALLOC_PAGES, gfp, i % 4);
                if (i % 5 == 4) {
                    f.hcall(0, Hypercall.FREE_PAGES, p, i % 4);
                }
                if (run == 0) {
                    first[i] = p;
                } else {
                    assertEquals(first[i], p, "allocation " + i);
                }
            }
        }
    }

    @Test
    void highmemRequestsFallBackToNormalWhenHighmemIsExhausted() {
        KernelConfig cfg = KernelConfig.defaults().withLowmemLimit(60L << 20);
        ModelFixture f = ModelFixture.boot(1, 64L << 20, PagingMode.PAE, cfg);
        Layout l = f.mm.layout();
        long highPages = l.maxPfn() - l.maxLowPfn();
        assertEquals(1024, highPages);
        for (int i = 0; i < highPages; i++) {
            assertTrue(f.mm.pageHighMem(f.allocPage(ModelFixture.GFP_HIGHUSER)));
        }
        assertEquals(0, f.mm.nrFreePages(Layout.Zone.HIGHMEM));
        long fallback = f.allocPage(ModelFixture.GFP_HIGHUSER);
        assertEquals(Layout.Zone.NORMAL, l.zoneOf(pfn(f, fallback)));
        assertFalse(f.mm.pageHighMem(f.allocPage(ModelFixture.GFP_KERNEL)), "no __GFP_HIGHMEM, no highmem");
    }

    @Test
    void gfpZeroZeroesTheNewPage() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long page = f.highPage();
        long pa = pfn(f, page) << 12;
        f.machine.memory().fill(pa, 4096, (byte) 0x5a);
        f.hcall(0, Hypercall.FREE_PAGES, page, 0);
        assertEquals(page, f.allocPage(ModelFixture.GFP_HIGHUSER));
        assertEquals(0x5a, f.machine.memory().readByte(pa + 100), "without __GFP_ZERO the old bytes stay");
        f.hcall(0, Hypercall.FREE_PAGES, page, 0);
        assertEquals(page, f.allocPage(ModelFixture.GFP_HIGHUSER | ModelFixture.__GFP_ZERO));
        assertEquals(0, f.machine.memory().readByte(pa + 100));
    }

    @Test
    void newPagesHaveRefcountOneAndFreedPagesZero() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long page = f.highPage();
        assertEquals(1, f.mm.pageRefCount(page));
        assertEquals(1, f.mm.pagesInUse());
        f.hcall(0, Hypercall.FREE_PAGES, page, 0);
        assertEquals(0, f.mm.pageRefCount(page));
        assertEquals(0, f.mm.pagesInUse());
        int flags = f.machine.memory().readInt(Layout.pa(page));
        assertEquals(2, flags >>> 30, "zone HIGHMEM in page->flags");
    }

    private static int mapcountRaw(ModelFixture f, long pfn) {
        return f.machine.memory().readInt(Layout.pa(f.mm.pfnToPage(pfn)) + 12);
    }

    private static int flagsRaw(ModelFixture f, long pfn) {
        return f.machine.memory().readInt(Layout.pa(f.mm.pfnToPage(pfn)));
    }

    private static int refcountRaw(ModelFixture f, long pfn) {
        return f.machine.memory().readInt(Layout.pa(f.mm.pfnToPage(pfn)) + 8);
    }

    @ParameterizedTest(name = "{0} {1} MiB")
    @CsvSource({"PAE, 16384", "PAE, 16383", "LEGACY, 3072"})
    void structPagesOfFreeHighmemAreInitialisedABlockAtATimeOnFirstUse(PagingMode mode, long mib) {
        ModelFixture f = ModelFixture.boot(1, mib << 20, mode, KernelConfig.defaults());
        Layout l = f.mm.layout();
        assertEquals(l.maxPfn() - l.maxLowPfn(), f.mm.nrFreePages(Layout.Zone.HIGHMEM), "all of highmem is free");
        long blocks = f.mm.deferredStructPageBlocks();
        assertTrue(blocks > 0, "whole blocks of free highmem are deferred");
        // the pages at either end of highmem that do not fill a block are written at boot
        assertEquals(-1, mapcountRaw(f, l.maxLowPfn()));
        assertEquals(2, flagsRaw(f, l.maxLowPfn()) >>> 30, "zone HIGHMEM");
        if (l.maxPfn() % 1024 != 0) {
            assertEquals(-1, mapcountRaw(f, l.maxPfn() - 1));
        }

        long far = (l.maxPfn() & ~1023L) - 3000;
        long block = far & ~1023L;
        assertEquals(0, mapcountRaw(f, far), "not initialised yet: _mapcount reads 0");
        assertEquals(0, f.mm.pageRefCount(f.mm.pfnToPage(far)), "the host's first touch initialises the block");
        assertEquals(blocks - 1, f.mm.deferredStructPageBlocks());
        for (long p = block; p < block + 1024; p++) {
            assertEquals(-1, mapcountRaw(f, p), "_mapcount of pfn " + Long.toHexString(p));
            assertEquals(2, flagsRaw(f, p) >>> 30, "zone HIGHMEM in page->flags");
        }
        assertEquals(0, mapcountRaw(f, block + 1024), "the next block is still deferred");

        // freeing a page nobody allocated is a bad page whether or not its block was initialised
        long untouched = block - 2048;
        assertEquals(0, mapcountRaw(f, untouched));
        KernelBugException e = assertThrows(KernelBugException.class,
                () -> f.hcall(0, Hypercall.FREE_PAGES, f.mm.pfnToPage(untouched), 0));
        assertTrue(e.report().contains("refcount:0 mapcount:0 "), e.report());
        assertEquals(blocks - 2, f.mm.deferredStructPageBlocks());
    }

    @Test
    void theAllocatorInitialisesDeferredStructPagesAndKeepsWhatWasThere() {
        ModelFixture f = ModelFixture.boot(1, 16 * GIB);
        Layout l = f.mm.layout();
        // the guest writes to struct pages of a deferred block before anyone allocates there:
        // what it wrote survives the initialisation, on top of Linux's initial values
        long first = (l.maxLowPfn() + 1023) & ~1023L;
        long written = first + 2048 + 500; // in the third whole block, which the loop below enters
        long pa = Layout.pa(f.mm.pfnToPage(written));
        assertEquals(0, mapcountRaw(f, written));
        f.machine.memory().writeInt(pa, 1 << MemMap.PG_RESERVED);
        f.machine.memory().writeInt(pa + 4, 0x1234);
        f.machine.memory().writeInt(pa + 12, 1);

        int n = (int) (first - l.maxLowPfn()) + 2048 + 100;
        for (int i = 0; i < n; i++) {
            long page = f.highPage();
            long pfn = pfn(f, page);
            assertEquals(l.maxLowPfn() + i, pfn, "the lowest free page");
            assertEquals(1, refcountRaw(f, pfn), "_refcount");
            assertEquals(-1, mapcountRaw(f, pfn), "_mapcount");
            assertEquals(2, flagsRaw(f, pfn) >>> 30, "zone");
        }
        assertEquals(1 << MemMap.PG_RESERVED | 2 << 30, flagsRaw(f, written), "guest's flag kept, zone added");
        assertEquals(0x1234, f.machine.memory().readInt(pa + 4), "guest's private kept");
        assertEquals(0, mapcountRaw(f, written), "guest's increment of _mapcount kept");
        assertEquals(-1, mapcountRaw(f, written + 1), "its neighbours as Linux initialises them");
        assertEquals(1, refcountRaw(f, l.maxLowPfn()), "earlier pages untouched by later blocks' initialisation");
        assertThrows(KernelBugException.class, () -> f.hcall(0, Hypercall.FREE_PAGES, f.mm.pfnToPage(written), 0),
                "a page the guest marked PG_reserved is a bad page to free");

        long before = f.mm.deferredStructPageBlocks();
        long o10 = f.hcall(0, Hypercall.ALLOC_PAGES, ModelFixture.GFP_HIGHUSER, 10);
        long o10pfn = pfn(f, o10);
        assertEquals(0, o10pfn % 1024);
        assertEquals(before - 1, f.mm.deferredStructPageBlocks(), "an order-10 block is one deferred block");
        for (int i = 0; i < 1024; i++) {
            assertEquals(i == 0 ? 1 : 0, refcountRaw(f, o10pfn + i), "order-10 block, page " + i);
            assertEquals(-1, mapcountRaw(f, o10pfn + i));
        }
        assertEquals(0, f.hcall(0, Hypercall.FREE_PAGES, o10, 10));
    }

    @Test
    void bootMemoryIsReservedAndNeverHandedOut() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long memMapPfn = Layout.pa(f.mm.memMap()) >>> 12;
        for (long p : new long[] {0, 0xff, 0x100, 0x105, memMapPfn}) {
            assertEquals(1, f.mm.pageRefCount(f.mm.pfnToPage(p)), "pfn " + Long.toHexString(p));
        }
        long first = pfn(f, f.allocPage(ModelFixture.GFP_KERNEL));
        long memMapEnd = (Layout.pa(f.mm.memMap()) + 32L * f.mm.layout().maxPfn() + 4095) >>> 12;
        assertTrue(first >= memMapEnd, "first free lowmem page after mem_map");
        long dma = pfn(f, f.allocPage(ModelFixture.__GFP_DMA));
        assertTrue(dma >= memMapEnd || dma < 0x100, "DMA page outside boot memory");
        assertThrows(KernelBugException.class, () -> f.hcall(0, Hypercall.FREE_PAGES, f.mm.pfnToPage(0x100), 0),
                "freeing a reserved page is a bad page");
    }

    @Test
    void freeingAPageTwiceIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long page = f.highPage();
        f.hcall(0, Hypercall.FREE_PAGES, page, 0);
        KernelBugException e = assertThrows(KernelBugException.class,
                () -> f.hcall(0, Hypercall.FREE_PAGES, page, 0));
        assertTrue(e.report().contains("BUG: Bad page state"), e.report());
        assertTrue(e.report().contains("kernel BUG at mm/page_alloc.c"), e.report());
    }

    @Test
    void freeingWithTheWrongOrderIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long page = f.hcall(0, Hypercall.ALLOC_PAGES, ModelFixture.GFP_KERNEL, 1);
        assertThrows(KernelBugException.class, () -> f.hcall(0, Hypercall.FREE_PAGES, page, 0));
    }

    @Test
    void wildStructPagePointersAreRefused() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long memMap = f.mm.memMap();
        assertThrows(GuestAccessException.class, () -> f.mm.pageToPfn(memMap + 3));
        assertThrows(GuestAccessException.class, () -> f.mm.pageToPfn(memMap - 32));
        assertThrows(GuestAccessException.class, () -> f.mm.pageToPfn(memMap + 32L * f.mm.layout().maxPfn()));
        assertThrows(GuestAccessException.class, () -> f.hcall(0, Hypercall.FREE_PAGES, 0x1234, 0));
        assertEquals(5, f.mm.pageToPfn(memMap + 5 * 32));
        assertEquals(32, f.mm.structPageSize());
    }

    @Test
    void kmallocUsesSizeClassesAndReusesFreedObjects() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long a = f.hcall(0, Hypercall.KMALLOC, 8, ModelFixture.GFP_KERNEL);
        long b = f.hcall(0, Hypercall.KMALLOC, 5, ModelFixture.GFP_KERNEL);
        assertEquals(a + 8, b);
        long c = f.hcall(0, Hypercall.KMALLOC, 100, ModelFixture.GFP_KERNEL);
        long d = f.hcall(0, Hypercall.KMALLOC, 100, ModelFixture.GFP_KERNEL);
        assertEquals(c + 128, d, "100 bytes come from kmalloc-128");
        assertTrue(a >= Layout.PAGE_OFFSET && a < f.mm.layout().highMemory());
        f.hcall(0, Hypercall.KFREE, c);
        assertEquals(c, f.hcall(0, Hypercall.KMALLOC, 120, ModelFixture.GFP_KERNEL));
        assertEquals(16, f.hcall(0, Hypercall.KMALLOC, 0, ModelFixture.GFP_KERNEL), "ZERO_SIZE_PTR");
        assertEquals(0, f.hcall(0, Hypercall.KFREE, 0), "kfree(NULL)");
        long big = f.hcall(0, Hypercall.KMALLOC, 10000, ModelFixture.GFP_KERNEL);
        assertEquals(0, big % 16384, "kmalloc_large: an order-2 block");
        f.hcall(0, Hypercall.KFREE, big);
        f.memory.writeU32(b, 0xdeadbeefL);
        f.hcall(0, Hypercall.KFREE, b);
        assertEquals(b, f.hcall(0, Hypercall.KMALLOC, 8, ModelFixture.GFP_KERNEL | ModelFixture.__GFP_ZERO));
        assertEquals(0, f.memory.readU32(b), "__GFP_ZERO");
    }

    @Test
    void kfreeTwiceIsAKernelBug() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long a = f.hcall(0, Hypercall.KMALLOC, 64, ModelFixture.GFP_KERNEL);
        f.hcall(0, Hypercall.KFREE, a);
        assertThrows(KernelBugException.class, () -> f.hcall(0, Hypercall.KFREE, a));
    }

    @Test
    void modelKmallocIsZeroedAndStacksAreThreadSizeAligned() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long s = f.mm.allocStack(8192);
        assertEquals(0, s % 8192);
        assertEquals(0, f.memory.readU32(s + 8188));
        long k = f.mm.kmalloc(32);
        assertEquals(0, f.memory.readU32(k));
        f.mm.kfree(k);
        assertThrows(IllegalStateException.class, () -> f.mm.kfree(k));
    }

    @Test
    void userRegionsAreMappedLazilyWithZeroedPages() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        long u = f.hcall(0, Hypercall.USER_ALLOC, 5000);
        assertEquals(0x08000000L, u);
        long v = f.hcall(0, Hypercall.USER_ALLOC, 4096);
        assertEquals(u + 3 * 4096, v, "two pages, then a guard page");
        assertTrue(f.mm.isUserRegion(u, 8192));
        assertFalse(f.mm.isUserRegion(u, 8193), "guard page");
        assertFalse(f.mm.isUserRegion(0x07fff000L, 1));
        assertEquals(0, f.mm.readPte(u + 4096));
        assertTrue(f.mm.handleUserFault(u + 4100, AccessType.WRITE));
        long pte = f.mm.readPte(u + 4096);
        assertEquals(PteBits._PAGE_PRESENT | PteBits._PAGE_RW | PteBits._PAGE_USER, pte & 0xfff);
        assertTrue(PteBits.pfn(pte) >= f.mm.layout().maxLowPfn(), "user pages come from highmem first");
        assertFalse(f.mm.handleUserFault(u + 4100, AccessType.WRITE), "already mapped");
        assertFalse(f.mm.handleUserFault(u + 8192, AccessType.READ), "guard page");
        WalkResult r = f.cpu(0).mmu().translate(u + 4100, AccessType.WRITE, true);
        assertInstanceOf(WalkResult.Mapped.class, r);
        assertEquals(0, f.hcall(0, Hypercall.USER_ALLOC, 0));
    }

    @Test
    void highMemoryIsSetForGuestAccesses() {
        ModelFixture f = ModelFixture.boot(1, GIB);
        assertEquals(0x1000L, f.memory.toPhysical(0xC0001000L));
        long lastLow = f.mm.layout().highMemory() - 4;
        assertEquals(Layout.pa(lastLow), f.memory.toPhysical(lastLow));
        assertThrows(GuestAccessException.class, () -> f.memory.toPhysical(f.mm.layout().pkmapBase()));
    }

    @Test
    void legacyPagingUsesFourMibPagesAndOneThousandTwentyFourEntryTables() {
        ModelFixture f = ModelFixture.boot(2, GIB, PagingMode.LEGACY, KernelConfig.defaults());
        Layout l = f.mm.layout();
        assertFalse(l.pae());
        assertEquals(0x400000L | 0x1e3, f.mm.readPte(0xC0400000L));
        assertEquals(0x100000L | 0x121, f.mm.readPte(0xC0100000L));
        assertEquals(0x103000L | 0x121, f.mm.readPte(0xC0103000L), "no NX without PAE");
        ControlRegisters cr = f.cpu(1).mmu().cr();
        assertFalse(cr.pae());
        assertTrue(cr.pse() && cr.pge());
        assertFalse(cr.nxe());
        KernelPageTables pt = f.mm.pageTables();
        assertEquals(4, pt.pteSize());
        long p0 = pt.virtToKpte(l.pkmapBase());
        assertEquals(p0 + 4 * 1023, pt.virtToKpte(l.pkmapAddr(1023)));
        assertEquals(0x163, pt.pageKernel());
        assertTrue(f.mm.dumpPagetable(l.pkmapBase()).matches("\\*pde = [0-9a-f]{8} \\*pte = 00000000 "));
        WalkResult.Mapped m = assertInstanceOf(WalkResult.Mapped.class, f.cpu(0).mmu().debugTranslate(0xC0800010L));
        assertEquals(0x800010L, m.physical());
        assertNotEquals(0, f.mm.pageTables().pgd());
    }
}
