package dev.hmemu.kernel.report;

/**
 * Every WARN/BUG/might_sleep/might_fault site of the highmem and uaccess code that the model
 * reports, with the file and line of Linux v6.1 it stands for and that line's source text.
 * Lines were read in the 6.1 stable tree (6.1.192); the highmem and uaccess files did not
 * move between v6.1 and it at these sites. Reports print {@link #where()}; the guest
 * runtime's re-implementations of highmem.h/highmem.c helpers pass the same file:line
 * (__HM_BUG_ON_AT). A test checks this table (each entry's text names its check, no two
 * entries share a line, and every file:line literal of these files in the model's and the
 * runtime's sources is one of these).
 */
public enum LinuxSite {
    // mm/highmem.c
    KMAP_TO_PAGE_PKMAP("mm/highmem.c", 162, "__kmap_to_page",
            "if (WARN_ON_ONCE(addr >= PKMAP_ADDR(0) && addr < PKMAP_ADDR(LAST_PKMAP)))"),
    KMAP_TO_PAGE_LOCAL("mm/highmem.c", 167, "__kmap_to_page",
            "if (WARN_ON_ONCE(base >= __fix_to_virt(FIX_KMAP_END) && base < __fix_to_virt(FIX_KMAP_BEGIN))) {"),
    FLUSH_ALL_ZERO_PKMAPS_PTE_NONE("mm/highmem.c", 207, "flush_all_zero_pkmaps",
            "BUG_ON(pte_none(pkmap_page_table[i]));"),
    KMAP_HIGH_COUNT("mm/highmem.c", 308, "kmap_high", "BUG_ON(pkmap_count[PKMAP_NR(vaddr)] < 2);"),
    KUNMAP_HIGH_NOT_MAPPED("mm/highmem.c", 358, "kunmap_high", "BUG_ON(!vaddr);"),
    KUNMAP_HIGH_ZERO("mm/highmem.c", 368, "kunmap_high", "BUG();"),
    ZERO_USER_SEGMENTS_BOUNDS("mm/highmem.c", 396, "zero_user_segments",
            "BUG_ON(end1 > page_size(page) || end2 > page_size(page));"),
    ZERO_USER_SEGMENTS_LEFTOVER("mm/highmem.c", 444, "zero_user_segments",
            "BUG_ON((start1 | start2 | end1 | end2) != 0);"),
    KMAP_LOCAL_PUSH_HARDIRQ("mm/highmem.c", 465, "__kmap_local_pfn_prot",
            "WARN_ON_ONCE(in_hardirq() && !irqs_disabled());"),
    KMAP_LOCAL_PUSH_OVERFLOW("mm/highmem.c", 467, "__kmap_local_pfn_prot",
            "BUG_ON(current->kmap_ctrl.idx >= KM_MAX_IDX);"),
    KMAP_LOCAL_POP_UNDERFLOW("mm/highmem.c", 479, "kunmap_local_indexed",
            "BUG_ON(current->kmap_ctrl.idx < 0);"),
    KMAP_LOCAL_PTE_BUSY("mm/highmem.c", 552, "__kmap_local_pfn_prot", "BUG_ON(!pte_none(*kmap_pte));"),
    KUNMAP_LOCAL_FORCE_MAP("mm/highmem.c", 594, "kunmap_local_indexed", "WARN_ON_ONCE(1);"),
    KUNMAP_LOCAL_USER_ADDR("mm/highmem.c", 604, "kunmap_local_indexed", "WARN_ON_ONCE(addr < PAGE_OFFSET);"),
    KUNMAP_LOCAL_NOT_TOP("mm/highmem.c", 610, "kunmap_local_indexed",
            "WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx));"),
    SCHED_OUT_GUARD("mm/highmem.c", 647, "__kmap_local_sched_out", "WARN_ON_ONCE(pte_val(pteval) != 0);"),
    SCHED_OUT_NONE("mm/highmem.c", 650, "__kmap_local_sched_out", "if (WARN_ON_ONCE(pte_none(pteval)))"),
    SCHED_IN_GUARD("mm/highmem.c", 684, "__kmap_local_sched_in", "WARN_ON_ONCE(pte_val(pteval) != 0);"),
    SCHED_IN_NONE("mm/highmem.c", 687, "__kmap_local_sched_in", "if (WARN_ON_ONCE(pte_none(pteval)))"),
    SET_PAGE_ADDRESS_LOWMEM("mm/highmem.c", 780, "set_page_address", "BUG_ON(!PageHighMem(page));"),
    // include/linux/highmem-internal.h
    KMAP_ASSERT_NOMAP("include/linux/highmem-internal.h", 17, "kmap_assert_nomap",
            "DEBUG_LOCKS_WARN_ON(current->kmap_ctrl.idx);"),
    KMAP_MIGHT_SLEEP("include/linux/highmem-internal.h", 44, "kmap", "might_sleep();"),
    KUNMAP_MIGHT_SLEEP("include/linux/highmem-internal.h", 55, "kunmap", "might_sleep();"),
    // include/linux/highmem.h (CONFIG_DEBUG_VM: VM_BUG_ON is BUG_ON)
    MEMCPY_PAGE_BOUNDS("include/linux/highmem.h", 371, "memcpy_page",
            "VM_BUG_ON(dst_off + len > PAGE_SIZE || src_off + len > PAGE_SIZE);"),
    MEMSET_PAGE_BOUNDS("include/linux/highmem.h", 382, "memset_page", "VM_BUG_ON(offset + len > PAGE_SIZE);"),
    MEMCPY_FROM_PAGE_BOUNDS("include/linux/highmem.h", 392, "memcpy_from_page",
            "VM_BUG_ON(offset + len > PAGE_SIZE);"),
    MEMCPY_TO_PAGE_BOUNDS("include/linux/highmem.h", 402, "memcpy_to_page", "VM_BUG_ON(offset + len > PAGE_SIZE);"),
    MEMZERO_PAGE_BOUNDS("include/linux/highmem.h", 412, "memzero_page", "VM_BUG_ON(offset + len > PAGE_SIZE);"),
    // lib/usercopy.c (x86 defines no INLINE_COPY_{FROM,TO}_USER: the copies are out of line)
    COPY_FROM_USER_MIGHT_FAULT("lib/usercopy.c", 14, "_copy_from_user", "might_fault();"),
    COPY_TO_USER_MIGHT_FAULT("lib/usercopy.c", 36, "_copy_to_user", "might_fault();"),
    // arch/x86/include/asm/uaccess.h
    GET_USER_MIGHT_FAULT("arch/x86/include/asm/uaccess.h", 130, "get_user",
            "#define get_user(x,ptr) ({ might_fault(); do_get_user_call(get_user,x,ptr); })"),
    PUT_USER_MIGHT_FAULT("arch/x86/include/asm/uaccess.h", 230, "put_user",
            "#define put_user(x, ptr) ({ might_fault(); do_put_user_call(put_user,x,ptr); })");

    private final String file;
    private final int line;
    private final String function;
    private final String source;

    LinuxSite(String file, int line, String function, String source) {
        this.file = file;
        this.line = line;
        this.function = function;
        this.source = source;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    /** The function the line is in. */
    public String function() {
        return function;
    }

    /** The v6.1 source line (continuation lines joined). */
    public String source() {
        return source;
    }

    /** {@code file:line}, as reports print it. */
    public String where() {
        return file + ":" + line;
    }
}
