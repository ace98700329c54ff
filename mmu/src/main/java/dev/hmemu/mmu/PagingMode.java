package dev.hmemu.mmu;

/** Which x86-32 paging structure an {@link Mmu} walks once CR0.PG is set. */
public enum PagingMode {
    /** PAE paging: 4 PDPTE registers, 64-bit PDEs/PTEs, 4 KiB and 2 MiB pages, NX. */
    PAE,
    /** Classic 32-bit paging: 32-bit PDEs/PTEs, 4 KiB and (with CR4.PSE) 4 MiB pages, no NX. */
    LEGACY
}
