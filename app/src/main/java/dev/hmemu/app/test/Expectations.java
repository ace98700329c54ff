package dev.hmemu.app.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a test declares it expects, read from its {@code .hmemu.expect} section (written by
 * the {@code HMEMU_EXPECT_*} macros of {@code <hmemu/test.h>}): NUL-terminated
 * {@code key=value} strings. Without declarations a test expects main to return 0 and no
 * finding.
 *
 * @param findings finding names that must each be raised (and are then allowed)
 * @param exit     main's expected return value
 * @param stop     how the run must end: exit, oops, bug, limit or deadlock
 * @param maxInstructions the test's own instruction limit, or 0 for the runner's
 * @param problems declarations that could not be understood (the test then fails)
 */
public record Expectations(Set<String> findings, int exit, String stop, long maxInstructions, List<String> problems) {
    /** The ELF section the declarations live in. */
    public static final String SECTION = ".hmemu.expect";
    /** The ways a run can end, as {@code HMEMU_EXPECT_STOP} spells them. */
    public static final Set<String> STOPS = Set.of("exit", "oops", "bug", "limit", "deadlock");

    /** No declarations: main returns 0, no finding. */
    public static Expectations none() {
        return new Expectations(Set.of(), 0, "exit", 0, List.of());
    }

    /** Parses the section contents. */
    public static Expectations parse(byte[] section) {
        Set<String> findings = new TreeSet<>();
        Integer exit = null;
        String stop = null;
        long maxInstructions = 0;
        List<String> problems = new ArrayList<>();
        for (String entry : new String(section, StandardCharsets.UTF_8).split("\0")) {
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry : entry.substring(0, eq);
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            switch (key) {
                case "finding" -> {
                    if (FindingNames.known(value)) {
                        findings.add(value);
                    } else {
                        problems.add("HMEMU_EXPECT_FINDING(" + value + "): unknown finding; known: "
                                + String.join(", ", FindingNames.NAMES));
                    }
                }
                case "exit" -> {
                    try {
                        exit = Integer.decode(value);
                    } catch (NumberFormatException e) {
                        problems.add("HMEMU_EXPECT_EXIT(" + value + "): not an integer");
                    }
                }
                case "stop" -> {
                    if (STOPS.contains(value)) {
                        stop = value;
                    } else {
                        problems.add("HMEMU_EXPECT_STOP(" + value + "): must be one of " + new TreeSet<>(STOPS));
                    }
                }
                case "max_instructions" -> {
                    try {
                        maxInstructions = Long.decode(value.replaceAll("[ul]+$", ""));
                    } catch (NumberFormatException e) {
                        maxInstructions = -1;
                    }
                    if (maxInstructions <= 0) {
                        problems.add("HMEMU_TEST_MAX_INSTRUCTIONS(" + value + "): not a positive integer");
                        maxInstructions = 0;
                    }
                }
                default -> problems.add("unknown declaration '" + entry + "' in " + SECTION);
            }
        }
        if (stop == null) {
            stop = findings.contains("oops") ? "oops" : findings.contains("bug") ? "bug" : "exit";
        }
        return new Expectations(Set.copyOf(findings), exit == null ? 0 : exit, stop, maxInstructions,
                List.copyOf(problems));
    }

    /** True when nothing was declared. */
    public boolean isDefault() {
        return findings.isEmpty() && exit == 0 && stop.equals("exit") && maxInstructions == 0 && problems.isEmpty();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!stop.equals("exit")) {
            parts.add("stop=" + stop);
        } else {
            parts.add("exit=" + exit);
        }
        new TreeSet<>(findings).forEach(f -> parts.add("finding=" + f));
        if (maxInstructions > 0) {
            parts.add("max_instructions=" + maxInstructions);
        }
        return String.join(" ", parts);
    }
}
