package dev.hmemu.emulator.elf;

/** A symbol from .symtab. */
public record ElfSymbol(String name, long value, long size, boolean function) {
    @Override
    public String toString() {
        return String.format("%s@%08x/%#x", name, value, size);
    }
}
