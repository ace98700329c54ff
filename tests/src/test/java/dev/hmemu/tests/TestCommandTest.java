package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code hmemu test} over a folder of real C tests (tests/src/test/resources/test-folder):
 * passing, failing, crashing, hanging, broken, expected-finding and KUnit tests on 1 and 2
 * CPUs.
 */
class TestCommandTest {
    private static final Pattern RESULT = Pattern.compile("^(ok|not ok) (\\d+) (\\S+) cpus=(\\d+)$");
    private static Path folder;
    private static Run serial;

    @TempDir
    static Path tmp;

    record Run(int status, String out, Path junit, Path json) {
    }

    @BeforeAll
    static void runFolderSerially() throws Exception {
        folder = resource("test-folder");
        serial = hmemuTest("serial", "--jobs", "1");
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TestCommandTest.class.getClassLoader().getResource(name).toURI());
    }

    private static Run hmemuTest(String tag, String... extra) {
        Path junit = tmp.resolve(tag + ".xml");
        Path json = tmp.resolve(tag + ".json");
        List<String> args = new ArrayList<>(List.of("test", folder.toString(), "--cpus", "1,2",
                "--max-instructions", "3000000", "--no-progress", "--junit", junit.toString(), "--json", json.toString()));
        args.addAll(List.of(extra));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        return new Run(status, buf.toString(StandardCharsets.UTF_8), junit, json);
    }

    /** "name cpus=N" -> ok?, from the top-level KTAP result lines. */
    private static java.util.Map<String, Boolean> verdicts(String ktap) {
        java.util.Map<String, Boolean> m = new java.util.LinkedHashMap<>();
        int expectNumber = 1;
        for (String line : ktap.lines().toList()) {
            Matcher r = RESULT.matcher(line);
            if (r.matches()) {
                assertEquals(expectNumber++, Integer.parseInt(r.group(2)), "KTAP numbers run 1..N: " + line);
                m.put(r.group(3) + " cpus=" + r.group(4), r.group(1).equals("ok"));
            }
        }
        return m;
    }

    @Test
    void ktapHeaderPlanAndVerdictPerTestAndCpuCount() {
        List<String> lines = serial.out().lines().toList();
        assertEquals("KTAP version 1", lines.get(0));
        assertEquals("1..20", lines.get(1), "10 tests x 2 CPU counts");
        var v = verdicts(serial.out());
        assertEquals(20, v.size(), serial.out());
        for (int cpus : new int[] {1, 2}) {
            String c = " cpus=" + cpus;
            assertTrue(v.get("pass_kmap_local" + c), serial.out());
            assertTrue(v.get("expect_kmap_leak" + c), serial.out());
            assertTrue(v.get("expect_oops" + c), serial.out());
            assertTrue(v.get("expect_exit" + c), serial.out());
            assertFalse(v.get("fail_exit" + c));
            assertFalse(v.get("crash_null" + c));
            assertFalse(v.get("hang_spin" + c));
            assertFalse(v.get("missing_finding" + c));
            assertFalse(v.get("kunit_mixed" + c));
            assertFalse(v.get("broken_build" + c));
        }
        assertEquals(1, serial.status(), "a failed run makes the exit status 1");
        assertTrue(serial.out().contains("# Totals: pass:8 fail:12 skip:0 total:20"), serial.out());
    }

    @Test
    void diagnosticsSayWhyARunFailedOrPassed() {
        String out = serial.out();
        assertTrue(out.contains("# fail_exit cpus=1: main returned 1\n"), out);
        assertTrue(out.contains("# FAIL: main returned 1, expected 0\n"), out);
        assertTrue(out.contains("# hang_spin cpus=1: instructions limit reached (3000000)\n"), out);
        assertTrue(out.contains("# FAIL: expected the run to end by exit, but it ended by limit\n"), out);
        assertTrue(out.contains("# crash_null cpus=2: oops: BUG: kernel NULL pointer dereference, address: 00000000"), out);
        assertTrue(out.contains("# expected: exit=0 finding=kmap_leak finding=page_leak\n"), out);
        assertTrue(out.contains("# finding kmap_leak: LEAK on CPU 0"), out);
        assertTrue(out.contains("# FAIL: expected finding kmap_leak was not raised\n"), out);
        assertTrue(out.contains("# FAIL: build failed\n"), out);
        assertTrue(out.contains("undeclared_thing"), "the compiler's message is shown:\n" + out);
        assertTrue(out.contains("# counters: instructions="), out);
    }

    @Test
    void kunitCasesAreSubtestsWithKunitFailureText() {
        String out = serial.out();
        int end = out.indexOf(" kunit_mixed cpus=1\n");
        String block = out.substring(out.lastIndexOf("hang_spin cpus=2\n", end), end);
        assertTrue(block.contains("        # Subtest: mixed\n        1..4\n"), block);
        assertTrue(block.contains("        ok 1 kmap_local_works\n"), block);
        assertTrue(block.contains("        ok 2 arithmetic_works\n"), block);
        assertTrue(block.contains("        # expectation_fails: EXPECTATION FAILED at kunit_mixed.c:29\n"
                + "        Expected got == 3, but\n"
                + "            got == 2\n"), block);
        assertTrue(block.contains("        # expectation_fails: still running after a failed expectation\n"), block);
        assertTrue(block.contains("        not ok 3 expectation_fails\n"), block);
        assertTrue(block.contains("        # assertion_fails: ASSERTION FAILED at kunit_mixed.c:35\n"
                + "        Expected 1 == 2 to be true, but is false\n"), block);
        assertFalse(block.contains("never printed"), block);
        assertTrue(block.contains("        not ok 4 assertion_fails\n"), block);
        assertTrue(block.contains("    # mixed: pass:2 fail:2 skip:0 total:4\n"), block);
        assertTrue(block.contains("    not ok 1 mixed\n"), block);
        assertTrue(out.contains("# FAIL: KUnit: 2 of 4 case(s) failed (main returned 1)\n"), out);
    }

    @Test
    void junitXmlIsValidAndCountsEveryRunAndCase() throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(resource("junit-report.xsd").toFile()));
        schema.newValidator().validate(new StreamSource(serial.junit().toFile()));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(serial.junit().toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        // 20 runs + 4 KUnit cases on each of 2 CPU counts
        assertEquals("28", root.getAttribute("tests"));
        assertEquals(String.valueOf(12 + 4), root.getAttribute("failures"));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(10, suites.getLength());
        NodeList cases = root.getElementsByTagName("testcase");
        assertEquals(28, cases.getLength());
        int failures = 0;
        boolean sawKunitFailure = false;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            NodeList fl = c.getElementsByTagName("failure");
            if (fl.getLength() > 0) {
                failures++;
                if (c.getAttribute("classname").equals("kunit_mixed.mixed")
                        && c.getAttribute("name").equals("expectation_fails cpus=1")) {
                    sawKunitFailure = true;
                    assertTrue(((Element) fl.item(0)).getAttribute("message")
                            .contains("EXPECTATION FAILED at kunit_mixed.c:29"));
                }
            }
        }
        assertEquals(16, failures);
        assertTrue(sawKunitFailure);
    }

    @Test
    void parallelRunGivesTheSameResultsAsTheSerialRun() throws Exception {
        Run parallel = hmemuTest("parallel", "--jobs", "3");
        assertEquals(serial.status(), parallel.status());
        assertEquals(serial.out(), parallel.out());
        assertEquals(withoutTimes(Files.readString(serial.json())), withoutTimes(Files.readString(parallel.json())));
    }

    private static String withoutTimes(String json) {
        return json.replaceAll("\"wall_seconds\": [0-9.]+", "\"wall_seconds\": 0");
    }

    @Test
    void onlyPassingTestsExitZeroAndFilterSelects() {
        Run r = hmemuTest("passing", "--filter", "{pass,expect}_*", "--jobs", "2");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("1..8\n"), r.out());
        assertFalse(r.out().contains("not ok"), r.out());
    }

    @Test
    void imagesWithoutKunitDoNotLinkIt() {
        // KUnit lives in an archive: an image that does not use it keeps its old layout
        assertTrue(dev.hmemu.app.Images.load("kmap_vs_local").symbol("kunit_run_all_suites").isEmpty());
        assertTrue(dev.hmemu.app.Images.load("kmap_vs_local").symbol("main").isPresent());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, Main.execute("test", tmp.resolve("does-not-exist").toString()));
        assertEquals(2, Main.execute("test", folder.toString(), "--cpus", "0"));
        assertEquals(2, Main.execute("test", folder.toString(), "--filter", "nothing-matches-this"));
    }
}
