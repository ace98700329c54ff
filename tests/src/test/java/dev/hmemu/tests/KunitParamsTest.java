package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Parameterised KUnit cases (KUNIT_ARRAY_PARAM, KUNIT_CASE_PARAM) under {@code hmemu test}:
 * each parameter a nested KTAP result with its description, failures naming the parameter's
 * run, the case's and the suite's statistics as v6.1 prints them; init and exit around each
 * run (exit after a failed init too); a generator without parameters skips its case.
 */
class KunitParamsTest {
    @TempDir
    Path tmp;

    @Test
    void everyParameterIsANestedResultAndTheCaseFailsIfOneDoes() throws Exception {
        Path folder = Path.of(getClass().getClassLoader().getResource("kunit-params").toURI());
        Path junit = tmp.resolve("params.xml");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("test", folder.toString(), "--cpus", "1,2", "--jobs", "1", "--no-progress",
                    "--junit", junit.toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, out);
        for (int cpus : new int[] {1, 2}) {
            int end = out.indexOf("not ok " + cpus + " kunit_params cpus=" + cpus + "\n");
            assertTrue(end > 0, out);
            String run = out.substring(cpus == 1 ? 0 : out.indexOf("kunit_params cpus=1\n"), end);
            // the guest's KTAP, indented four spaces by hmemu test
            assertTrue(run.contains("        # Subtest: params\n        1..3\n"), run);
            assertTrue(run.contains("            KTAP version 1\n"
                    + "            # Subtest: kmap_local_every_page\n"
                    + "            ok 1 order 0 fill 0x11\n"
                    + "            ok 2 order 1 fill 0x22\n"
                    + "        # kmap_local_every_page: EXPECTATION FAILED at kunit_params.c:45\n"
                    + "        Expected last == c->expect, but\n"
                    + "            last == 51\n"
                    + "            c->expect == 68\n"
                    + "    param 2\n"
                    + "            not ok 3 order 2 fill 0x33\n"
                    + "        # kmap_local_every_page: pass:2 fail:1 skip:0 total:3\n"
                    + "        not ok 1 kmap_local_every_page\n"), run);
            assertTrue(run.contains("            # Subtest: small_is_small\n"
                    + "            ok 1 param-0\n            ok 2 param-1\n            ok 3 param-2\n            ok 4 param-3\n"
                    + "        # small_is_small: pass:4 fail:0 skip:0 total:4\n"
                    + "        ok 2 small_is_small\n"), run);
            assertTrue(run.contains("            ok 1 param-0\n            ok 2 param-1\n"
                    + "        # always_skipped: pass:0 fail:0 skip:2 total:2\n"
                    + "        ok 3 always_skipped # SKIP needs hardware\n"), run);
            assertTrue(run.contains("    # params: pass:1 fail:1 skip:1 total:3\n"
                    + "    # Totals: pass:6 fail:1 skip:2 total:9\n"
                    + "    not ok 2 params\n"), run);
            // suite "hooks": init fails for the second parameter, exit runs after every run
            // (its format ends in a newline: one line all the same), messages saying
            // "failed" are the guest's own
            assertTrue(run.contains("        # Subtest: hooks\n        1..2\n"
                    + "            KTAP version 1\n"
                    + "            # Subtest: probe_failed_path\n"
                    + "        # probe_failed_path: probe failed as expected\n"
                    + "        # probe_failed_path: exit after run 0\n"
                    + "            ok 1 param-0\n"
                    + "        # probe_failed_path: failed to initialize: -5\n"
                    + "        # probe_failed_path: exit after run 1\n"
                    + "            not ok 2 param-1\n"
                    + "        # probe_failed_path: probe failed as expected\n"
                    + "        # probe_failed_path: EXPECTATION FAILED at kunit_params.c:98\n"
                    + "        Expected test->param_index == 0, but\n"
                    + "            test->param_index == 2\n"
                    + "        # probe_failed_path: exit after run 2\n"
                    + "            not ok 3 param-2\n"
                    + "        # probe_failed_path: pass:1 fail:2 skip:0 total:3\n"
                    + "        not ok 1 probe_failed_path\n"
                    + "            KTAP version 1\n"
                    + "            # Subtest: never_runs\n"
                    + "        ok 2 never_runs # SKIP \n"
                    + "    # hooks: pass:0 fail:1 skip:1 total:2\n"
                    + "    # Totals: pass:1 fail:2 skip:0 total:3\n"
                    + "    not ok 1 hooks\n"), run);
            assertTrue(run.contains("# FAIL: KUnit: 2 of 5 case(s) failed (main returned 1)\n"), run);
        }

        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        int seen = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (!c.getAttribute("classname").startsWith("kunit_params.")) {
                continue;
            }
            seen++;
            String name = c.getAttribute("name");
            if (name.startsWith("kmap_local_every_page")) {
                Element f = (Element) c.getElementsByTagName("failure").item(0);
                assertEquals("# kmap_local_every_page: EXPECTATION FAILED at kunit_params.c:45",
                        f.getAttribute("message"), "the failure's headline, not the subtest line");
                assertTrue(f.getTextContent().contains("not ok 3 order 2 fill 0x33"), f.getTextContent());
            } else if (name.startsWith("probe_failed_path")) {
                Element f = (Element) c.getElementsByTagName("failure").item(0);
                assertEquals("# probe_failed_path: failed to initialize: -5", f.getAttribute("message"),
                        "KUnit's first report, not the guest's message that says 'failed'");
            } else if (name.startsWith("small_is_small")) {
                assertEquals(0, c.getElementsByTagName("failure").getLength());
            } else {
                assertEquals(1, c.getElementsByTagName("skipped").getLength(), name);
            }
        }
        assertEquals(10, seen, "5 cases x 2 CPU counts");
    }
}
