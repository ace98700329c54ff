package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.stats.PhaseLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest cannot exhaust hmemu: floods of printk, marks and WARNs end within the timeout
 * with a complete, bounded report; a timer on an unmapped page is an oops; freed kthread
 * stacks are reused.
 */
class BoundedResourcesTest {
    @TempDir
    Path tmp;

    private static RunResult runFor(String image, long wallMillis) {
        return Guests.run(image, Guests.machine(1), KernelConfig.defaults(), new RunLimits(0, 0, wallMillis));
    }

    @Test
    void aPrintkFloodKeepsABoundedTailAndEndsAtTheTimeout() {
        long t0 = System.nanoTime();
        RunResult r = runFor("printk_flood", 3_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(5, r.exitStatus(), Guests.why(r));
        assertTrue(ms < 4_000, "ended after " + ms + " ms");
        assertTrue(r.console().startsWith("[hmemu: "), r.console().substring(0, 200));
        assertTrue(r.console().length() <= Console.MAX_TAIL_CHARS + 200, "tail " + r.console().length());
        assertTrue(r.console().contains("printk_flood: line "), "the tail is the latest output");
    }

    @Test
    void aMarkFloodKeepsTheFirstThousandPhasesAndStaysQuick() throws Exception {
        long t0 = System.nanoTime();
        RunResult r = runFor("mark_flood", 60_000);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertEquals(PhaseLog.MAX_MARKS, r.marks().size());
        assertTrue(r.console().contains("hmemu: 49001 hmemu_mark() phases not kept (the first 1000 are)"), r.console());
        Path json = tmp.resolve("r.json");
        InputValidationTest.Outcome o = InputValidationTest.run("run", "mark_flood", "-q", "--json", json.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(Files.size(json) < 4L << 20, "json " + Files.size(json));
        assertTrue(System.nanoTime() - t0 < 40_000_000_000L, "quick");
    }

    @Test
    void aWarnFloodCapsFindingsAndEndsAtTheTimeout() {
        RunResult r = runFor("warn_flood", 3_000);
        assertEquals(5, r.exitStatus(), Guests.why(r));
        assertEquals(Reports.MAX_FINDINGS + 1, r.findings().size());
        assertTrue(r.findings().get(Reports.MAX_FINDINGS).title().matches(
                "hmemu: \\d+ more finding\\(s\\) not kept \\(the first 1000 are listed\\)"),
                r.findings().get(Reports.MAX_FINDINGS).title());
    }

    /** The CLI in its own JVM with a small heap: a flood must not need more, and RSS stays low. */
    @Test
    void floodsRunInASmallHeapWithBoundedRss() throws Exception {
        for (String image : List.of("warn_flood", "printk_flood")) {
            Path json = tmp.resolve(image + ".json");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "dev.hmemu.app.Main", "run", image, "--timeout", "4", "-q", "--json", json.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("err").toFile()).start();
            long maxRssKb = 0;
            while (p.isAlive()) {
                maxRssKb = Math.max(maxRssKb, rssKb(p.pid()));
                Thread.sleep(100);
            }
            assertEquals(5, p.waitFor(), image + ": " + Files.readString(tmp.resolve("err")));
            assertTrue(Files.readString(json).contains("\"exit_status\""), image);
            assertTrue(maxRssKb < 1_200_000, image + ": max RSS " + maxRssKb + " KB");
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // the process just ended
        }
        return 0;
    }

    @Test
    void aTimerOnAnUnmappedPageOopsesOnItsCpuNamingTheTask() {
        RunResult r = Guests.run("timer_unmapped", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        String report = assertInstanceOf(StopReason.Oops.class, r.stop()).report();
        assertTrue(report.matches("(?s)BUG: unable to handle page fault for address: [0-9a-f]{8}\\R.*"), report);
        assertTrue(report.contains("\nCPU: 0 PID: 0 Comm: swapper/0 "), report);
        assertTrue(!r.console().contains("internal error"), r.console());
    }

    @Test
    void threeHundredThousandKthreadsCreatedAndExitedOneAtATimeSucceed() {
        RunResult r = Guests.run("kthread_churn", Guests.machine(1), KernelConfig.defaults(),
                new RunLimits(0, 0, 600_000));
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains("kthread_churn: 300000 kthreads created and stopped"), Guests.why(r));
    }
}
