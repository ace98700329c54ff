package dev.hmemu.app.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML as CI tools read it: {@code <testsuites>} holding one {@code <testsuite>}
 * per test file, one {@code <testcase>} per CPU count (classname = the test, name =
 * {@code cpus=N}) and one per KUnit case (classname = test.suite, name = case cpus=N),
 * {@code <failure>} with the reason and diagnostics, the console in {@code <system-out>}.
 */
final class JunitWriter {
    private JunitWriter() {
    }

    static String render(List<RunOutcome> outcomes) {
        Map<String, List<RunOutcome>> byTest = new LinkedHashMap<>();
        for (RunOutcome o : outcomes) {
            byTest.computeIfAbsent(o.test(), k -> new java.util.ArrayList<>()).add(o);
        }
        StringBuilder suites = new StringBuilder();
        int allTests = 0;
        int allFailures = 0;
        double allTime = 0;
        for (Map.Entry<String, List<RunOutcome>> e : byTest.entrySet()) {
            StringBuilder cases = new StringBuilder();
            int tests = 0;
            int failures = 0;
            int skipped = 0;
            double time = 0;
            for (RunOutcome o : e.getValue()) {
                tests++;
                time += o.wallSeconds();
                cases.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"cpus=%d\" time=\"%.3f\"",
                        attr(o.test()), o.cpus(), o.wallSeconds()));
                if (o.passed()) {
                    cases.append("/>\n");
                } else {
                    failures++;
                    cases.append(">\n      <failure message=\"").append(attr(o.reason())).append("\" type=\"")
                            .append(attr(o.stop())).append("\">")
                            .append(text(String.join("\n", o.diagnostics()))).append("</failure>\n");
                    cases.append("      <system-out>").append(text(o.console())).append("</system-out>\n");
                    cases.append("    </testcase>\n");
                }
                for (KunitLog.Case c : o.kunit().cases()) {
                    tests++;
                    cases.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s cpus=%d\" time=\"0\"",
                            attr(o.test() + "." + c.suite()), attr(c.name()), o.cpus()));
                    switch (c.status()) {
                        case PASS -> cases.append("/>\n");
                        case SKIP -> {
                            skipped++;
                            cases.append(">\n      <skipped/>\n    </testcase>\n");
                        }
                        case FAIL -> {
                            failures++;
                            String first = c.headline();
                            cases.append(">\n      <failure message=\"").append(attr(first))
                                    .append("\" type=\"kunit\">").append(text(String.join("\n", c.log())))
                                    .append("</failure>\n    </testcase>\n");
                        }
                        default -> throw new IllegalStateException();
                    }
                }
            }
            allTests += tests;
            allFailures += failures;
            allTime += time;
            suites.append(String.format(Locale.ROOT,
                    "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                    attr(e.getKey()), tests, failures, skipped, time));
            suites.append(cases);
            suites.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<testsuites name=\"hmemu\" tests=\"%d\" failures=\"%d\" errors=\"0\" time=\"%.3f\">%n",
                allTests, allFailures, allTime)
                + suites + "</testsuites>\n";
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    /** XML-escapes {@code s} and drops characters XML 1.0 cannot carry. */
    private static String text(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                default -> {
                    if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xd800) || (c >= 0xe000 && c < 0xfffe)) {
                        b.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else {
                        b.append('?');
                    }
                }
            }
        }
        return b.toString();
    }
}
