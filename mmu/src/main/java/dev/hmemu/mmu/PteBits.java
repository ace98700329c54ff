package dev.hmemu.mmu;

/**
 * Page-table entry bits and PAE geometry, spelled as in Linux
 * ({@code arch/x86/include/asm/pgtable_types.h}, {@code pgtable-3level_types.h}).
 */
public final class PteBits {
    /** Present. */
    public static final long _PAGE_PRESENT = 0x001;
    /** Writable. */
    public static final long _PAGE_RW = 0x002;
    /** User-accessible. */
    public static final long _PAGE_USER = 0x004;
    /** Write-through. */
    public static final long _PAGE_PWT = 0x008;
    /** Cache disabled. */
    public static final long _PAGE_PCD = 0x010;
    /** Accessed, set by the CPU. */
    public static final long _PAGE_ACCESSED = 0x020;
    /** Dirty, set by the CPU in leaf entries. */
    public static final long _PAGE_DIRTY = 0x040;
    /** Page size: a PDE maps a 2 MiB (PAE) or 4 MiB (legacy) page. */
    public static final long _PAGE_PSE = 0x080;
    /** PAT bit of a 4 KiB PTE (same position as PSE). */
    public static final long _PAGE_PAT = 0x080;
    /** Global, honoured with CR4.PGE. */
    public static final long _PAGE_GLOBAL = 0x100;
    /** Software bit 1 (Linux _PAGE_SPECIAL). */
    public static final long _PAGE_SOFTW1 = 0x200;
    /** Software bit 2. */
    public static final long _PAGE_SOFTW2 = 0x400;
    /** Software bit 3 (Linux soft-dirty). */
    public static final long _PAGE_SOFTW3 = 0x800;
    /** PAT bit of a large-page PDE. */
    public static final long _PAGE_PAT_LARGE = 0x1000;
    /** No-execute (PAE with EFER.NXE only). */
    public static final long _PAGE_NX = 1L << 63;

    /** Linux {@code _KERNPG_TABLE}: P|RW|A|D. */
    public static final long _KERNPG_TABLE = 0x063;
    /** Linux {@code __PAGE_KERNEL}: P|RW|A|D|G|NX. */
    public static final long __PAGE_KERNEL = 0x163 | _PAGE_NX;
    /** Linux {@code __PAGE_KERNEL_LARGE}: P|RW|A|D|PSE|G|NX. */
    public static final long __PAGE_KERNEL_LARGE = 0x1E3 | _PAGE_NX;

    /** log2 of the base page size. */
    public static final int PAGE_SHIFT = 12;
    /** 4 KiB. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** PAE: log2 of the area one PDE maps. */
    public static final int PMD_SHIFT = 21;
    /** 2 MiB. */
    public static final long PMD_SIZE = 1L << PMD_SHIFT;
    /** PAE: log2 of the area one PDPTE maps. */
    public static final int PGDIR_SHIFT = 30;
    /** Legacy: log2 of the area one PDE maps. */
    public static final int LEGACY_PGDIR_SHIFT = 22;
    /** 4 MiB. */
    public static final long LEGACY_LARGE_SIZE = 1L << LEGACY_PGDIR_SHIFT;
    /** PAE PDPT entries. */
    public static final int PTRS_PER_PGD = 4;
    /** PAE PDEs per page directory. */
    public static final int PTRS_PER_PMD = 512;
    /** PAE PTEs per page table. */
    public static final int PTRS_PER_PTE = 512;

    /** Linux {@code __PHYSICAL_MASK_SHIFT} for 32-bit PAE. */
    public static final int __PHYSICAL_MASK_SHIFT = 52;
    /** Frame bits 51:12 of a PAE entry (Linux {@code PTE_PFN_MASK}). */
    public static final long PTE_PFN_MASK = ((1L << __PHYSICAL_MASK_SHIFT) - 1) & ~(PAGE_SIZE - 1);
    /** Flag bits of a PAE entry (Linux {@code PTE_FLAGS_MASK}). */
    public static final long PTE_FLAGS_MASK = ~PTE_PFN_MASK;
    /** Frame bits 51:21 of a 2 MiB PDE. */
    public static final long PMD_PAGE_MASK = PTE_PFN_MASK & ~(PMD_SIZE - 1);

    private PteBits() {
    }

    /** The page frame number in a PAE entry (bits 51:12). */
    public static long pfn(long pte) {
        return (pte & PTE_PFN_MASK) >>> PAGE_SHIFT;
    }

    /** Whether the entry has _PAGE_PRESENT. */
    public static boolean present(long pte) {
        return (pte & _PAGE_PRESENT) != 0;
    }
}
