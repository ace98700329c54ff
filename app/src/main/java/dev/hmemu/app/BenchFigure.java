package dev.hmemu.app;

import dev.hmemu.emulator.bench.Spread;

/**
 * One figure of {@code hmemu bench}: its median and range over the interleaved repetitions.
 *
 * @param name  a stable key (the JSON report's {@code name})
 * @param unit  ms, s, us, MIPS, runs/s or ratio
 * @param value the median and range
 * @param what  what was measured, in words
 */
record BenchFigure(String name, String unit, Spread value, String what) {
    String line() {
        String number = switch (unit) {
            case "ratio", "us" -> "%.2f";
            case "s", "runs/s" -> "%.2f";
            default -> "%.1f";
        };
        return String.format("  %-28s %s %s  %s", name, value.format(number), unit, what);
    }
}
