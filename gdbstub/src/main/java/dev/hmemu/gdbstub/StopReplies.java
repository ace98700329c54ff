package dev.hmemu.gdbstub;

import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.debug.StopEvent;
import dev.hmemu.emulator.debug.WatchKind;

/** Stop events as gdb stop-reply packets ({@code T}, {@code W}, {@code X}). */
final class StopReplies {
    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
    static final int SIGKILL = 9;

    private StopReplies() {
    }

    /**
     * @param breakpointIsHardware whether the breakpoint at a stop's pc was set with Z1
     */
    static String of(StopEvent e, boolean breakpointIsHardware) {
        if (e instanceof StopEvent.Exited x) {
            return x.reason() instanceof StopReason.GuestExited g ? "W" + hex2(g.status() & 0xff)
                    : "X" + hex2(SIGKILL);
        }
        if (e instanceof StopEvent.Interrupted i) {
            return t(SIGINT, i.cpu(), "");
        }
        if (e instanceof StopEvent.Started s) {
            return t(SIGTRAP, s.cpu(), "");
        }
        if (e instanceof StopEvent.Breakpoint b) {
            return t(SIGTRAP, b.cpu(), breakpointIsHardware ? "hwbreak:;" : "swbreak:;");
        }
        if (e instanceof StopEvent.Stepped s) {
            return t(SIGTRAP, s.cpu(), "");
        }
        if (e instanceof StopEvent.Watchpoint w) {
            String kind = w.kind() == WatchKind.WRITE ? "watch" : w.kind() == WatchKind.READ ? "rwatch" : "awatch";
            return t(SIGTRAP, w.cpu(), kind + ":" + Long.toHexString(w.address()) + ";");
        }
        StopEvent.KernelEvent k = (StopEvent.KernelEvent) e;
        return t(SIGTRAP, k.cpu(), "");
    }

    /** The CPU a stop is about, or -1. */
    static int cpu(StopEvent e) {
        return e instanceof StopEvent.OnCpu c ? c.cpu() : -1;
    }

    /** {@code Tss}, {@code extra}, {@code thread:n;} (built by hand: one reply per step, no Formatter). */
    private static String t(int signal, int cpu, String extra) {
        return "T" + hex2(signal) + extra + "thread:" + Integer.toHexString(cpu + 1) + ";";
    }

    private static String hex2(int v) {
        return (v < 16 ? "0" : "") + Integer.toHexString(v);
    }
}
