package dev.hmemu.kernel.mm;

import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_PSE;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.PteBits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

/**
 * The kernel page tables (swapper_pg_dir) and the PTE primitives on them
 * (arch/x86/include/asm/pgtable.h, pgtable-3level.h, pgtable-2level.h).
 *
 * <p>PAE: a PDPT of 4 entries, each pointing at one of four PMD pages that all exist from
 * boot (PREALLOCATED_PMDS), 512 8-byte entries per table. Legacy: one 1024-entry page
 * directory with 4-byte entries (the PMD is folded into it). Every kernel PTE page is
 * shared by the whole model (there is one address space), so a PTE write is visible on
 * every CPU at once and only TLBs need flushing.
 *
 * <p>A "ptep" here is the physical address of a PTE. Page-table pages live in lowmem.
 */
public final class KernelPageTables {
    /** _PAGE_TABLE = _KERNPG_TABLE | _PAGE_USER: a PDE pointing at a user PTE page. */
    public static final long _PAGE_TABLE = PteBits._KERNPG_TABLE | _PAGE_USER;
    /** __PAGE_KERNEL_RX: read-only, executable kernel text. */
    public static final long __PAGE_KERNEL_RX = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL;
    /** __PAGE_KERNEL_RO: read-only, non-executable kernel data. */
    public static final long __PAGE_KERNEL_RO = __PAGE_KERNEL_RX | _PAGE_NX;
    /** _PAGE_KNL_ERRATUM_MASK: A and D alone do not make a PTE "not none". */
    private static final long _PAGE_KNL_ERRATUM_MASK = _PAGE_DIRTY | _PAGE_ACCESSED;
    private static final long LEGACY_FRAME = 0xFFFFF000L;

    private final PhysicalMemory phys;
    private final Layout layout;
    private final long pgd;
    private final long supportedPteMask;
    private LongSupplier ptePageAllocator;

    /**
     * @param pgd physical address of swapper_pg_dir (the PDPT with PAE, else the page directory)
     * @param supportedPteMask __supported_pte_mask (G needs PGE, NX needs EFER.NXE)
     */
    KernelPageTables(PhysicalMemory phys, Layout layout, long pgd, long supportedPteMask) {
        this.phys = phys;
        this.layout = layout;
        this.pgd = pgd;
        this.supportedPteMask = supportedPteMask;
    }

    /** Where PTE pages for user mappings come from once boot is over (zeroed lowmem pages). */
    void setPtePageAllocator(LongSupplier allocator) {
        this.ptePageAllocator = allocator;
    }

    public boolean pae() {
        return layout.pae();
    }

    /** sizeof(pte_t): 8 with PAE, 4 without. */
    public int pteSize() {
        return layout.pae() ? 8 : 4;
    }

    /** Physical address of swapper_pg_dir: the value CR3 holds. */
    public long pgd() {
        return pgd;
    }

    /** __supported_pte_mask. */
    public long supportedPteMask() {
        return supportedPteMask;
    }

    /** PAGE_KERNEL = __PAGE_KERNEL masked by what the CPU supports; kmap_prot on x86. */
    public long pageKernel() {
        return PteBits.__PAGE_KERNEL & supportedPteMask;
    }

    /** pfn_pte(pfn, prot) / mk_pte(page, prot). */
    public long pfnPte(long pfn, long prot) {
        return (pfn << Layout.PAGE_SHIFT) | (prot & supportedPteMask & ~PteBits.PTE_PFN_MASK);
    }

    /** pte_pfn(pte). */
    public long ptePfn(long pte) {
        return layout.pae() ? PteBits.pfn(pte) : (pte & LEGACY_FRAME) >>> Layout.PAGE_SHIFT;
    }

    /** pte_none(pte): nothing but possibly the A/D erratum bits. */
    public static boolean pteNone(long pte) {
        return (pte & ~_PAGE_KNL_ERRATUM_MASK) == 0;
    }

    /** pte_present(pte). */
    public static boolean ptePresent(long pte) {
        return (pte & _PAGE_PRESENT) != 0;
    }

    // ---- entry access ----

    /** ptep_get() (any level): the entry at physical {@code ptep}. */
    public long ptepGet(long ptep) {
        return layout.pae() ? phys.readLong(ptep) : phys.readInt(ptep) & 0xFFFFFFFFL;
    }

    /** set_pte(): PAE writes the high half first, then the low half that holds P. */
    public void setPte(long ptep, long pte) {
        if (layout.pae()) {
            phys.writeInt(ptep + 4, (int) (pte >>> 32));
            phys.writeInt(ptep, (int) pte);
        } else {
            phys.writeInt(ptep, (int) pte);
        }
    }

    /** pte_clear(): PAE clears the low half (P) first, then the high half. */
    public void pteClear(long ptep) {
        phys.writeInt(ptep, 0);
        if (layout.pae()) {
            phys.writeInt(ptep + 4, 0);
        }
    }

    /** set_pmd()/set_pgd(): one (cmpxchg8b-style) write of a whole entry. */
    void setEntry(long entryAddr, long value) {
        if (layout.pae()) {
            phys.writeLong(entryAddr, value);
        } else {
            phys.writeInt(entryAddr, (int) value);
        }
    }

    /**
     * Consecutive PTEs from {@code ptep} on, written with one bulk write (boot only: no
     * other CPU walks these tables yet, so the order of the halves does not matter).
     */
    void setPtes(long ptep, long[] ptes) {
        ByteBuffer b = ByteBuffer.allocate(ptes.length * pteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long pte : ptes) {
            if (layout.pae()) {
                b.putLong(pte);
            } else {
                b.putInt((int) pte);
            }
        }
        phys.write(ptep, b.array(), 0, b.capacity());
    }

    // ---- walking ----

    /** Physical address of the PGD entry (PDPTE with PAE) covering {@code va}. */
    long pgdEntryAddr(long va) {
        va &= 0xFFFFFFFFL;
        return layout.pae() ? pgd + 8 * (va >>> PteBits.PGDIR_SHIFT) : pgd + 4 * (va >>> PteBits.LEGACY_PGDIR_SHIFT);
    }

    /**
     * Physical address of the PMD entry (the PDE) covering {@code va}, or -1 when the PAE
     * PDPT entry is not present. Legacy: the PGD entry itself (folded PMD).
     */
    long pmdEntryAddr(long va) {
        va &= 0xFFFFFFFFL;
        if (!layout.pae()) {
            return pgdEntryAddr(va);
        }
        long pgdE = phys.readLong(pgdEntryAddr(va));
        if (!ptePresent(pgdE)) {
            return -1;
        }
        return (pgdE & PteBits.PTE_PFN_MASK) + 8 * ((va >>> PteBits.PMD_SHIFT) & (PteBits.PTRS_PER_PMD - 1));
    }

    /**
     * virt_to_kpte(va): physical address of the PTE mapping {@code va}, or -1 when no PTE
     * page covers it (PMD none or a large page).
     */
    public long virtToKpte(long va) {
        va &= 0xFFFFFFFFL;
        long pmdp = pmdEntryAddr(va);
        if (pmdp < 0) {
            return -1;
        }
        long pmd = ptepGet(pmdp);
        if (!ptePresent(pmd) || (pmd & _PAGE_PSE) != 0) {
            return -1;
        }
        long table = layout.pae() ? pmd & PteBits.PTE_PFN_MASK : pmd & LEGACY_FRAME;
        int index = (int) ((va >>> Layout.PAGE_SHIFT) & (layout.ptrsPerPte() - 1));
        return table + (long) pteSize() * index;
    }

    /** The leaf entry mapping {@code va}: its PTE, or its PDE for a large page; 0 if none. */
    public long lookup(long va) {
        long pmdp = pmdEntryAddr(va);
        if (pmdp < 0) {
            return 0;
        }
        long pmd = ptepGet(pmdp);
        if (!ptePresent(pmd)) {
            return 0;
        }
        if ((pmd & _PAGE_PSE) != 0) {
            return pmd;
        }
        return ptepGet(virtToKpte(va));
    }

    /**
     * The PTE slot for user virtual {@code va}, allocating its PTE page on first use
     * (pte_alloc: the PMD gets _PAGE_TABLE).
     */
    long userPtep(long va) {
        long ptep = virtToKpte(va);
        if (ptep >= 0) {
            return ptep;
        }
        long pmdp = pmdEntryAddr(va);
        if (pmdp < 0) {
            throw new IllegalStateException("PAE: user PMD page missing for " + Long.toHexString(va));
        }
        if (ptePresent(ptepGet(pmdp))) {
            throw new IllegalStateException("user address " + Long.toHexString(va) + " is under a large page");
        }
        setEntry(pmdp, ptePageAllocator.getAsLong() | _PAGE_TABLE);
        return virtToKpte(va);
    }

    /**
     * pte_alloc_kernel(): the PTE slot for kernel virtual {@code va} (vmalloc area), allocating
     * its PTE page on first use (the PMD gets _KERNPG_TABLE). Every address space shares the
     * kernel PMDs, so the new table is visible everywhere at once.
     */
    public long kernelPtepAlloc(long va) {
        long ptep = virtToKpte(va);
        if (ptep >= 0) {
            return ptep;
        }
        long pmdp = pmdEntryAddr(va);
        if (pmdp < 0) {
            throw new IllegalStateException("PAE: kernel PMD page missing for " + Long.toHexString(va));
        }
        if (ptePresent(ptepGet(pmdp))) {
            throw new IllegalStateException("kernel address " + Long.toHexString(va) + " is under a large page");
        }
        setEntry(pmdp, ptePageAllocator.getAsLong() | PteBits._KERNPG_TABLE);
        return virtToKpte(va);
    }

    /**
     * dump_pagetable() (arch/x86/mm/fault.c, 32-bit): "*pdpt = %016Lx *pde = %016Lx
     * *pte = %016Lx " with PAE, "*pde = %08lx *pte = %08lx " without. It stops after the
     * PDPT entry if it is not present or its pfn is not in lowmem, and after the PDE if it
     * is not present, a large page, or points above max_low_pfn.
     */
    public String dump(long va) {
        StringBuilder b = new StringBuilder();
        int digits = layout.pae() ? 16 : 8;
        if (layout.pae()) {
            long pgdE = phys.readLong(pgdEntryAddr(va));
            b.append(String.format("*pdpt = %016x ", pgdE));
            if (!lowPfn(ptePfn(pgdE)) || !ptePresent(pgdE)) {
                return b.toString();
            }
        }
        long pmd = ptepGet(pmdEntryAddr(va));
        b.append(String.format("*pde = %0" + digits + "x ", pmd));
        if (!lowPfn(ptePfn(pmd)) || !ptePresent(pmd) || (pmd & _PAGE_PSE) != 0) {
            return b.toString();
        }
        b.append(String.format("*pte = %0" + digits + "x ", ptepGet(virtToKpte(va))));
        return b.toString();
    }

    /** low_pfn(): pfn < max_low_pfn. */
    private boolean lowPfn(long pfn) {
        return pfn < layout.maxLowPfn();
    }
}
