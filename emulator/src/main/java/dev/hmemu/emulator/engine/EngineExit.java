package dev.hmemu.emulator.engine;

import dev.hmemu.mmu.AccessType;

/**
 * Why {@link CpuEngine#run} returned.
 *
 * @param eip where the guest resumes (for a fault: the faulting instruction)
 * @param faultPage for {@link Reason#PAGE_FAULT}: the page the refused fill asked for
 * @param faultAccess for {@link Reason#PAGE_FAULT}: the access type
 */
public record EngineExit(Reason reason, long eip, long faultPage, AccessType faultAccess) {

    public enum Reason {
        /** The guest executed hlt. */
        HALT,
        /** The instruction limit was reached. */
        BUDGET,
        /** A port write asked to stop. */
        PORT_STOP,
        /** A fill was refused: eip is precisely the faulting instruction. */
        PAGE_FAULT,
        /** The debugger paused the CPU before the instruction at eip ({@link EngineDebug}). */
        DEBUG
    }

    @Override
    public String toString() {
        return reason == Reason.PAGE_FAULT
                ? String.format("PAGE_FAULT(eip=%08x, page=%08x, %s)", eip, faultPage, faultAccess)
                : String.format("%s(eip=%08x)", reason, eip);
    }
}
