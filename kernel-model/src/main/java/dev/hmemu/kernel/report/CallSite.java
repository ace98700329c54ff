package dev.hmemu.kernel.report;

import java.util.List;

/**
 * Where one operation a finding is about was called: its role (e.g. "kmap", "kunmap_local",
 * "access"), the guest address, its symbol and source line, and the back-trace of callers.
 */
public record CallSite(String role, long pc, String symbol, String file, int line, List<Frame> backtrace) {
    public CallSite {
        backtrace = List.copyOf(backtrace);
    }

    /** {@code symbol (file:line)}. */
    public String where() {
        return file == null ? symbol : symbol + " (" + file + ":" + line + ")";
    }
}
