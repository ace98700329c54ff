package dev.hmemu.emulator.elf;

/**
 * A PT_LOAD segment.
 *
 * @param flags PF_X=1, PF_W=2, PF_R=4
 */
public record ElfSegment(long vaddr, long paddr, long fileOffset, long fileSize, long memSize, int flags) {
    public boolean writable() {
        return (flags & 2) != 0;
    }

    public boolean executable() {
        return (flags & 1) != 0;
    }

    @Override
    public String toString() {
        return String.format("LOAD vaddr=%08x paddr=%08x filesz=%#x memsz=%#x %s%s%s", vaddr, paddr, fileSize,
                memSize, (flags & 4) != 0 ? "R" : "-", writable() ? "W" : "-", executable() ? "X" : "-");
    }
}
