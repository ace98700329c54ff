package dev.hmemu.emulator.symbols;

import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.WalkResult;
import java.util.OptionalLong;

/** Reads guest stack words without side effects: no TLB fill, no A/D bits, no fault. */
@FunctionalInterface
public interface StackReader {
    /** The 32-bit word at kernel virtual {@code va}, or empty if it is not mapped. */
    OptionalLong readU32(long va);

    /** Through {@code mmu}'s debugger walk ({@link Mmu#debugTranslate}) of the current page tables. */
    static StackReader of(Mmu mmu, PhysicalMemory mem) {
        return va -> {
            if ((va & 3) != 0) {
                return OptionalLong.empty();
            }
            WalkResult r = mmu.debugTranslate(va);
            if (r instanceof WalkResult.Mapped m && m.physical() + 4 <= mem.size()) {
                return OptionalLong.of(mem.readInt(m.physical()) & 0xffffffffL);
            }
            return OptionalLong.empty();
        };
    }
}
