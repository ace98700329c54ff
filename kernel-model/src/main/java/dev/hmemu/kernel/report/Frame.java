package dev.hmemu.kernel.report;

/** One symbolized entry of a back-trace: {@code function+0xoff/0xsize} and, with debug info, file:line. */
public record Frame(long pc, String symbol, String file, int line) {
    @Override
    public String toString() {
        return file == null ? symbol : symbol + " (" + file + ":" + line + ")";
    }
}
