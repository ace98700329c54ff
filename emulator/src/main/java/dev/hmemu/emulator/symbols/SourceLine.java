package dev.hmemu.emulator.symbols;

/** A source position from the DWARF line table: {@code file:line}. */
public record SourceLine(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
