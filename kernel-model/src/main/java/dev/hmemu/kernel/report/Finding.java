package dev.hmemu.kernel.report;

import java.util.List;
import java.util.Locale;

/**
 * Something the run reported that a user must look at (exit status 3, or 4 for a
 * {@linkplain Kind#fatal() fatal} one, 7 for pkmap exhaustion).
 *
 * @param kind        what it is ({@link Kind#id()} is the exact string of the JSON report)
 * @param message     one line saying what happened
 * @param cpu         the CPU it happened on
 * @param task        the task's comm
 * @param pid         the task's pid (0 for an idle CPU)
 * @param pc          the guest EIP when it was reported (0 if none applies, e.g. at the end of the run)
 * @param symbol      {@code pc} as function+0xoff/0xsize
 * @param file        {@code pc}'s source file, or null
 * @param line        {@code pc}'s source line, or 0
 * @param callSites   where the operations it is about were called, each with its back-trace
 * @param explanation hmemu's explanation: what happened, what Linux does next, what to change
 * @param text        the full report as printed: Linux v6.1's text, then hmemu's lines
 */
public record Finding(Kind kind, String message, int cpu, String task, int pid, long pc, String symbol, String file,
                      int line, List<CallSite> callSites, String explanation, String text) {
    /** The kinds, as the issue names them. */
    public enum Kind {
        KMAP_LEAK, PKMAP_EXHAUSTED, KMAP_LOCAL_LEAK, KUNMAP_LOCAL_ORDER, KMAP_LOCAL_OVERFLOW, SLEEP_IN_ATOMIC,
        PAGE_ADDRESS_HIGHMEM, LOCAL_MAPPING_CROSS_CONTEXT, STALE_TLB_ACCESS, MEM_PAGE_BOUNDS,
        KMAP_TO_PAGE_DEPRECATED, OOPS, WARN, BUG, PAGE_LEAK,
        /** Other state a task left behind at exit (pagefault_disabled, a held lock, ...). */
        LEAK;

        /** The exact string: the constant's name in lower case. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Kinds that stop the run with exit status 4: an oops or a BUG. ({@link #PKMAP_EXHAUSTED}
         * also stops it, as the hang it is on Linux: a deadlock, exit status 7.)
         */
        public boolean fatal() {
            return this == OOPS || this == BUG || this == KMAP_LOCAL_OVERFLOW
                    || this == MEM_PAGE_BOUNDS || this == PAGE_ADDRESS_HIGHMEM;
        }

        /** The Linux report it is printed as: WARN, BUG, OOPS, SLEEP or none (hmemu's own). */
        public String linuxReport() {
            return switch (this) {
                case WARN, KUNMAP_LOCAL_ORDER, KMAP_TO_PAGE_DEPRECATED -> "WARN";
                case BUG, KMAP_LOCAL_OVERFLOW, MEM_PAGE_BOUNDS -> "BUG";
                case OOPS, PAGE_ADDRESS_HIGHMEM -> "OOPS";
                case SLEEP_IN_ATOMIC -> "SLEEP";
                default -> "NONE";
            };
        }
    }

    public Finding {
        callSites = List.copyOf(callSites);
    }

    /** The one-line message (older name). */
    public String title() {
        return message;
    }

    /**
     * "{coarse kind} on CPU c PID p: message", with the coarse kinds of earlier hmemu (WARN,
     * BUG, OOPS, SLEEP_IN_ATOMIC, LEAK) for the kinds that have one; reports print
     * {@link Kind#id()}.
     */
    @Override
    public String toString() {
        String coarse = switch (kind) {
            case KMAP_LEAK, KMAP_LOCAL_LEAK, PAGE_LEAK, LEAK -> "LEAK";
            case SLEEP_IN_ATOMIC -> "SLEEP_IN_ATOMIC";
            default -> kind.linuxReport().equals("NONE") ? kind.name() : kind.linuxReport();
        };
        return coarse + " on CPU " + cpu + " PID " + pid + ": " + message;
    }
}
