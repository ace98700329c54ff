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

    /**
     * Through {@code mmu}'s debugger walk ({@link Mmu#debugTranslate}) of the current page
     * tables. The reader remembers the last page it translated: use it for one walk, while
     * the page tables do not change (a back-trace reads a few words of one or two pages).
     */
    static StackReader of(Mmu mmu, PhysicalMemory mem) {
        return new StackReader() {
            private long page = -1;
            private long frame;

            @Override
            public OptionalLong readU32(long va) {
                if ((va & 3) != 0) {
                    return OptionalLong.empty();
                }
                long p = va >>> 12;
                if (p != page) {
                    WalkResult r = mmu.debugTranslate(va);
                    if (!(r instanceof WalkResult.Mapped m)) {
                        return OptionalLong.empty();
                    }
                    page = p;
                    frame = m.physical() - (va & 0xfff);
                }
                long pa = frame + (va & 0xfff);
                if (pa + 4 > mem.size()) {
                    return OptionalLong.empty();
                }
                return OptionalLong.of(mem.readInt(pa) & 0xffffffffL);
            }
        };
    }
}
