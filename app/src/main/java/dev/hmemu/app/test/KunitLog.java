package dev.hmemu.app.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KTAP that a guest's KUnit executor printed on the console (see
 * {@code <kunit/test.h>}): the lines from its first {@code KTAP version 1} up to the last
 * suite result, and the per-case results read from them.
 *
 * @param lines the guest's KTAP lines, as printed (empty when the guest ran no KUnit suite)
 * @param cases every test case, in order
 */
public record KunitLog(List<String> lines, List<Case> cases) {
    /**
     * One KUnit test case. {@code log} holds its diagnostic lines (failed expectations) and,
     * for a parameterised case, its per-parameter subtest.
     */
    public record Case(String suite, String name, Status status, List<String> log) {
        /**
         * What went wrong, in one line: the first of KUnit's own failure reports for this
         * case ("# case: EXPECTATION FAILED at file:line", "# case: failed to initialize:
         * N"), else the first failed parameter ("not ok 2 param-1"), else the first line.
         * The guest's own messages do not count, whatever they say.
         */
        public String headline() {
            String report = "# " + name + ": ";
            List<String> lines = log.stream().map(String::trim).toList();
            return lines.stream()
                    .filter(t -> t.startsWith(report) && isFailureReport(t.substring(report.length())))
                    .findFirst()
                    .or(() -> lines.stream().filter(t -> t.startsWith("not ok ")).findFirst())
                    .orElse(lines.isEmpty() ? "failed" : lines.get(0));
        }

        private static boolean isFailureReport(String text) {
            return text.startsWith("EXPECTATION FAILED at ") || text.startsWith("ASSERTION FAILED at ")
                    || text.startsWith("failed to initialize");
        }
    }

    /** A case's result as KTAP states it. */
    public enum Status { PASS, FAIL, SKIP }

    private static final Pattern RESULT = Pattern.compile("^( *)(ok|not ok) (\\d+) ([^#]*?)( # (SKIP|skip).*)?$");
    /** A suite's subtest (a parameterised case's own subtest is indented further). */
    private static final Pattern SUBTEST = Pattern.compile("^    # Subtest: (.*)$");

    /** Reads the KUnit output out of a console transcript. */
    public static KunitLog parse(List<String> console) {
        int start = -1;
        for (int i = 0; i < console.size(); i++) {
            if (console.get(i).equals("KTAP version 1")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return new KunitLog(List.of(), List.of());
        }
        int end = start;
        List<Case> cases = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        String suite = "";
        for (int i = start; i < console.size(); i++) {
            String line = console.get(i);
            Matcher sub = SUBTEST.matcher(line);
            if (sub.matches()) {
                suite = sub.group(1).trim();
                pending.clear();
                continue;
            }
            Matcher m = RESULT.matcher(line);
            if (!m.matches()) {
                String t = line.trim();
                if (!t.startsWith("KTAP version") && !t.matches("1\\.\\.\\d+")) {
                    pending.add(line.startsWith("    ") ? line.substring(4) : line);
                }
                continue;
            }
            int indent = m.group(1).length();
            if (indent == 0) {
                end = i; // a suite's result
            } else if (indent == 4) {
                Status st = m.group(6) != null ? Status.SKIP : m.group(2).equals("ok") ? Status.PASS : Status.FAIL;
                cases.add(new Case(suite, m.group(4).trim(), st, List.copyOf(pending)));
                pending.clear();
            } else {
                pending.add(line.substring(Math.min(4, indent))); // a parameter's result, part of its case's log
            }
        }
        return new KunitLog(List.copyOf(console.subList(start, end + 1)), List.copyOf(cases));
    }

    /** True when the guest ran KUnit suites. */
    public boolean present() {
        return !lines.isEmpty();
    }

    /** Cases that failed. */
    public long failed() {
        return cases.stream().filter(c -> c.status() == Status.FAIL).count();
    }
}
