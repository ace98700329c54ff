package dev.hmemu.app.test;

import java.util.List;
import java.util.Map;

/**
 * The verdict of one test on one CPU count.
 *
 * @param test        the test's name (its source or ELF file name without extension)
 * @param cpus        the CPU count
 * @param passed      the verdict
 * @param reason      why it failed (null when it passed)
 * @param stop        how the run ended, e.g. "main returned 0"
 * @param diagnostics lines for {@code #} diagnostics (findings, counters), deterministic
 * @param counters    key counters of the run (instructions, cycles, TLB misses, ...)
 * @param kunit       the guest's KUnit output, if any
 * @param console     the guest console (for failures in JUnit XML)
 * @param wallSeconds how long the run took (not part of the deterministic output)
 */
public record RunOutcome(String test, int cpus, boolean passed, String reason, String stop, List<String> diagnostics,
                         Map<String, Long> counters, KunitLog kunit, String console, double wallSeconds) {
    /** The name on the KTAP line: the test and its CPU count. */
    public String ktapName() {
        return test + " cpus=" + cpus;
    }
}
