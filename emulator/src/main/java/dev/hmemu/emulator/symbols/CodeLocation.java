package dev.hmemu.emulator.symbols;

/**
 * A symbolized code address.
 *
 * @param pc       the address
 * @param symbol   Linux's %pS form, {@code function+0xoff/0xsize}, or {@code 0x%08x} outside every function
 * @param function the function's name, or null
 * @param file     the source file (DWARF), or null without debug info
 * @param line     the source line, or 0
 */
public record CodeLocation(long pc, String symbol, String function, String file, int line) {
    /** {@code file:line}, or null. */
    public String fileLine() {
        return file == null ? null : file + ":" + line;
    }

    @Override
    public String toString() {
        return file == null ? symbol : symbol + " (" + file + ":" + line + ")";
    }
}
