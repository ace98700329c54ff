package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.AccessType;

/** Memory management as the rest of the model sees it (mm/, arch/x86/mm/). */
public interface MmApi {

    Layout layout();

    /**
     * swapper_pg_dir and the PTE primitives on it (set_pte, pte_clear, ptep_get,
     * virt_to_kpte), for highmem. A default so that test doubles of this interface that
     * have no page tables need not implement it.
     */
    default KernelPageTables pageTables() {
        throw new UnsupportedOperationException("this MmApi has no kernel page tables");
    }

    /** Sets the control registers of {@code cpu}: CR0 (PG, WP), CR4 (PAE, PGE), EFER.NXE, CR3. */
    void activate(Cpu cpu);

    /** Registers alloc_pages, __free_pages, kmalloc, kfree, hmemu_user_alloc. */
    void register(HypercallTable table);

    /** kmalloc from lowmem: kernel virtual address, zeroed; throws when out of memory. */
    long kmalloc(long size);

    void kfree(long va);

    /** A zeroed kernel stack of {@code size} bytes (THREAD_SIZE, 8 KiB): its lowest address. */
    long allocStack(int size);

    /** Frees a kernel stack from {@link #allocStack} once its task is dead (free_thread_stack()). */
    void freeStack(long va, int size);

    /** Guest address of mem_map (the struct page array). */
    long memMap();

    /** struct page size in the guest (32 bytes). */
    int structPageSize();

    /** pfn of the page whose struct page is at {@code page}; throws for a wild pointer. */
    long pageToPfn(long page);

    long pfnToPage(long pfn);

    /** PageHighMem(page). */
    boolean pageHighMem(long page);

    /**
     * A fault on a user address with page faults enabled: demand-page it if it lies in a
     * region from hmemu_user_alloc. Returns false when the address is not user memory.
     */
    boolean handleUserFault(long va, AccessType access);

    /** Whether {@code va} lies in a hmemu_user_alloc region (mapped or not). */
    boolean isUserRegion(long va, long len);

    /** The PTE that maps kernel or user virtual {@code va} (0 if none), for reports. */
    long readPte(long va);

    /** The "*pdpt = ... *pde = ... *pte = ..." line of an oops for {@code va}. */
    String dumpPagetable(long va);

    /** Pages still allocated by the guest (for the leak check at exit). */
    long pagesInUse();
}
