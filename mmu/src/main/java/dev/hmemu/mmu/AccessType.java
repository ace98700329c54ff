package dev.hmemu.mmu;

/** The kind of memory access being translated. */
public enum AccessType {
    /** Data read. */
    READ,
    /** Data write. */
    WRITE,
    /** Instruction fetch. */
    FETCH
}
