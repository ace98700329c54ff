package dev.hmemu.app;

import java.util.Locale;

/** Parses sizes such as {@code 2G}, {@code 512M}, {@code 65536K} or a byte count. */
final class Sizes {
    private Sizes() {
    }

    /** The shortest form {@link #parse} reads back: {@code 2G}, {@code 512M}, {@code 64K} or bytes. */
    static String format(long bytes) {
        for (String unit : new String[] {"G", "M", "K"}) {
            long mult = unit.equals("G") ? 1L << 30 : unit.equals("M") ? 1L << 20 : 1L << 10;
            if (bytes != 0 && bytes % mult == 0) {
                return bytes / mult + unit;
            }
        }
        return Long.toString(bytes);
    }

    static long parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            default -> mult = 1;
        }
        String num = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(num);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("not a size: '" + s + "' (use e.g. 2G, 512M)");
        }
    }
}
