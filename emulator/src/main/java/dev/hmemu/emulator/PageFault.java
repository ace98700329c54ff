package dev.hmemu.emulator;

import dev.hmemu.mmu.AccessType;

/**
 * A page fault the engine refused to translate.
 *
 * @param cr2 the faulting linear address, precise to the page (the engine reports pages)
 * @param errorCode x86 #PF error code (PROT, WRITE, USER, RSVD, INSTR bits)
 * @param eip the faulting instruction
 * @param badPhysical true when the translation succeeded but pointed outside guest memory
 */
public record PageFault(long cr2, AccessType access, int errorCode, long eip, boolean badPhysical) {
    @Override
    public String toString() {
        return String.format("PageFault(cr2=%08x, %s, error_code=%04x, eip=%08x%s)", cr2, access, errorCode,
                eip, badPhysical ? ", outside guest memory" : "");
    }
}
