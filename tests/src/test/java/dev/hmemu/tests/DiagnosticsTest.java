package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.report.CallSite;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.Finding.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One guest per finding kind (images/src/diag_*.c) that triggers it, and its corrected
 * version (diag_*_fixed.c) that triggers nothing; call sites named by function and line of
 * the test source; Linux v6.1's report formats line by line; determinism.
 */
class DiagnosticsTest {
    private static final Path SRC = Path.of("../images/src");

    @TempDir
    Path tmp;

    /** The line of the {@code nth} (1-based) line of {@code file} containing {@code text}. */
    private static int line(String file, String text, int nth) {
        try {
            List<String> lines = Files.readAllLines(SRC.resolve(file));
            int seen = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text) && ++seen == nth) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(file + " has no " + text);
    }

    private static int line(String file, String text) {
        return line(file, text, 1);
    }

    private static List<Finding> of(RunResult r, Kind kind) {
        return r.findings().stream().filter(f -> f.kind() == kind).toList();
    }

    private static Finding one(RunResult r, Kind kind) {
        List<Finding> f = of(r, kind);
        assertEquals(1, f.size(), Guests.why(r));
        return f.get(0);
    }

    private static CallSite site(Finding f, String role) {
        return f.callSites().stream().filter(s -> s.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + role + " site in " + f.callSites()));
    }

    /** {@code function+0xoff/0xsize}, also for gcc's split-off parts (function.cold, .constprop.0, ...). */
    private static String fn(String function) {
        return Pattern.quote(function) + "(\\.[A-Za-z0-9_.]+)?\\+0x[0-9a-f]+/0x[0-9a-f]+";
    }

    private static void assertSite(CallSite s, String function, String file, int line) {
        assertTrue(s.symbol().matches(fn(function)), s.toString());
        assertEquals(file, s.file(), s.toString());
        assertEquals(line, s.line(), s.toString());
    }

    @ParameterizedTest(name = "{0} on {1} CPU(s): {2}, exit {3}; fixed: nothing")
    @CsvSource({
        "diag_kmap_leak, 1, KMAP_LEAK, 3",
        "diag_pkmap_exhausted, 1, PKMAP_EXHAUSTED, 7",
        "diag_pkmap_exhausted, 4, PKMAP_EXHAUSTED, 7",
        "diag_kmap_local_leak, 1, KMAP_LOCAL_LEAK, 3",
        "diag_kunmap_local_order, 1, KUNMAP_LOCAL_ORDER, 3",
        "diag_stale_tlb, 1, STALE_TLB_ACCESS, 3",
        "diag_kmap_local_overflow, 1, KMAP_LOCAL_OVERFLOW, 4",
        "diag_sleep_in_atomic, 1, SLEEP_IN_ATOMIC, 3",
        "diag_page_address_highmem, 1, PAGE_ADDRESS_HIGHMEM, 4",
        "diag_cross_context, 2, LOCAL_MAPPING_CROSS_CONTEXT, 3",
        "diag_mem_page_bounds, 1, MEM_PAGE_BOUNDS, 4",
        "diag_kmap_to_page, 1, KMAP_TO_PAGE_DEPRECATED, 3",
        "diag_oops, 1, OOPS, 4",
        "diag_warn, 1, WARN, 3",
        "diag_bug, 1, BUG, 4",
        "diag_page_leak, 1, PAGE_LEAK, 3",
    })
    void eachKindIsFoundAndItsFixIsClean(String image, int cpus, Kind kind, int exit) {
        RunResult bad = Guests.run(image, cpus);
        assertEquals(exit, bad.exitStatus(), Guests.why(bad));
        assertTrue(!of(bad, kind).isEmpty(), Guests.why(bad));
        Finding f = of(bad, kind).get(0);
        assertTrue(f.text().contains("hmemu: "), f.text());
        assertTrue(f.explanation() != null && !f.explanation().isEmpty(), f.toString());
        RunResult fixed = Guests.run(image + "_fixed", cpus);
        assertEquals(0, fixed.exitStatus(), Guests.why(fixed));
        assertEquals(List.of(), fixed.findings());
    }

    @Test
    void aLeakedKmapNamesTheKmapCallInTheJson() throws Exception {
        Path json = tmp.resolve("leak.json");
        StdoutCapture.of(() -> Main.execute("run", "diag_kmap_leak", "--json", json.toString()));
        String j = Files.readString(json);
        assertTrue(j.contains("\"kind\": \"kmap_leak\""), j);
        assertTrue(j.contains("\"role\": \"kmap\""), j);
        assertTrue(Pattern.compile("\"symbol\": \"map_it\\+0x[0-9a-f]+/0x[0-9a-f]+\",\\s*\"file\": \"diag_kmap_leak.c\","
                + "\\s*\"line\": " + line("diag_kmap_leak.c", "return kmap(p);")).matcher(j).find(), j);
        assertTrue(j.contains("\"call_sites\""), j);
        assertTrue(j.contains("\"backtrace\""), j);
        Finding f = one(Guests.run("diag_kmap_leak", 1), Kind.KMAP_LEAK);
        CallSite s = site(f, "kmap");
        assertSite(s, "map_it", "diag_kmap_leak.c", line("diag_kmap_leak.c", "return kmap(p);"));
        assertTrue(s.backtrace().get(0).symbol().matches(fn("main")), s.toString());
        assertEquals(line("diag_kmap_leak.c", "char *v = map_it(p);"), s.backtrace().get(0).line());
    }

    @Test
    void outOfOrderKunmapLocalNamesBothMapsAndTheUnmap() {
        String c = "diag_kunmap_local_order.c";
        Finding f = one(Guests.run("diag_kunmap_local_order", 1), Kind.KUNMAP_LOCAL_ORDER);
        assertSite(site(f, "kunmap_local"), "copy_pages", c, line(c, "kunmap_local(s);", 2));
        assertSite(site(f, "map (top)"), "copy_pages", c, line(c, "kmap_local_page(dst)"));
        assertSite(site(f, "map (passed)"), "copy_pages", c, line(c, "kmap_local_page(src)"));
        assertTrue(f.text().startsWith("------------[ cut here ]------------\nWARNING: CPU: 0 PID: 1 at "
                + "mm/highmem.c:610 kunmap_local_indexed\n"), f.text());
        assertTrue(f.explanation().contains("stale TLB entry"), f.explanation());
    }

    @Test
    void aStaleEntryAfterAnOutOfOrderUnmapIsAStaleTlbAccess() {
        String c = "diag_stale_tlb.c";
        Finding f = one(Guests.run("diag_stale_tlb", 1), Kind.STALE_TLB_ACCESS);
        assertTrue(site(f, "access").symbol().matches(fn("use_after")), f.callSites().toString());
        assertSite(site(f, "kunmap_local"), "use_after", c, line(c, "kunmap_local(a);", 2));
    }

    @Test
    void aKmapLocalAddressReadByAKthreadOnAnotherCpuNamesBothSites() {
        String c = "diag_cross_context.c";
        RunResult r = Guests.run("diag_cross_context", 2);
        Finding f = one(r, Kind.LOCAL_MAPPING_CROSS_CONTEXT);
        assertEquals(1, f.cpu(), f.toString());
        assertTrue(f.task().startsWith("reader"), f.toString());
        assertTrue(site(f, "access").symbol().matches(fn("peek"))
                || site(f, "access").symbol().matches(fn("reader")), f.callSites().toString());
        assertSite(site(f, "kmap_local"), "hand_off", c, line(c, "char *v = kmap_local_page(page);", 2));
    }

    @Test
    void pageAddressNullIsReportedAtTheDereferenceWithItsOrigin() {
        String c = "diag_page_address_highmem.c";
        Finding f = one(Guests.run("diag_page_address_highmem", 1), Kind.PAGE_ADDRESS_HIGHMEM);
        // hmemu's CR2 is precise to the page: the write at NULL + 16 reports address 0
        assertTrue(f.text().startsWith("BUG: kernel NULL pointer dereference, address: 00000000\n"), f.text());
        assertSite(site(f, "page_address"), "stamp", c, line(c, "page_address(p)"));
        assertSite(site(f, "kmap_local"), "stamp", c, line(c, "char *v = kmap_local_page(p);"));
        assertTrue(f.symbol().matches(fn("stamp")), f.toString());
    }

    @Test
    void pkmapExhaustionListsTheHoldersAndStops() {
        for (int cpus : new int[] {1, 4}) {
            RunResult r = Guests.run("diag_pkmap_exhausted", cpus);
            Finding f = one(r, Kind.PKMAP_EXHAUSTED);
            // Linux would hang (every kmap() caller asleep for a slot): hmemu's deadlock stop, exit 7
            assertEquals(7, r.exitStatus(), Guests.why(r));
            assertTrue(r.stop() instanceof StopReason.Deadlock d && d.detail().startsWith("pkmap exhausted"),
                    r.stop().toString());
            assertTrue(f.message().contains("512 kmap()s not undone"), f.message());
            assertSite(f.callSites().get(0), "hold", "diag_pkmap_exhausted.c",
                    line("diag_pkmap_exhausted.c", "char *v = kmap(p);"));
            assertEquals(List.of(), of(r, Kind.KMAP_LEAK), "the holders are listed by pkmap_exhausted");
        }
    }

    private static final String HEX8 = "[0-9a-f]{8}";
    private static final String SYM = "[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+/0x[0-9a-f]+";
    private static final String CODE = "Code:( [0-9a-f]{2}){42} <[0-9a-f]{2}>( [0-9a-f]{2}){21}";
    private static final String[] REGS = {
        "EAX: " + HEX8 + " EBX: " + HEX8 + " ECX: " + HEX8 + " EDX: " + HEX8,
        "ESI: " + HEX8 + " EDI: " + HEX8 + " EBP: " + HEX8 + " ESP: " + HEX8,
        "DS: 007b ES: 007b FS: 00d8 GS: 0000 SS: 0068 EFLAGS: " + HEX8,
        "CR0: " + HEX8 + " CR2: " + HEX8 + " CR3: " + HEX8 + " CR4: " + HEX8,
    };

    /** Matches {@code text}'s lines against {@code patterns} one by one, up to the first hmemu: line. */
    private static void assertLines(String text, List<String> patterns) {
        List<String> lines = text.lines().takeWhile(l -> !l.startsWith("hmemu: ")).toList();
        assertEquals(patterns.size(), lines.size(), text);
        for (int i = 0; i < patterns.size(); i++) {
            assertTrue(lines.get(i).matches(patterns.get(i)), "line " + (i + 1) + ": '" + lines.get(i) + "' !~ "
                    + patterns.get(i) + "\n" + text);
        }
    }

    private static List<String> regs(String eipFunction) {
        return List.of("EIP: " + fn(eipFunction), CODE, REGS[0], REGS[1], REGS[2], REGS[3]);
    }

    @Test
    void theOopsIsV61sFormatLineByLine() {
        Finding f = one(Guests.run("diag_oops", 1), Kind.OOPS);
        List<String> p = new java.util.ArrayList<>(List.of(
                "BUG: kernel NULL pointer dereference, address: 00000000", // CR2 is precise to the page
                "#PF: supervisor read access in kernel mode",
                "#PF: error_code\\(0x0000\\) - not-present page",
                "\\*pdpt = [0-9a-f]{16}.*",
                "Oops: 0000 \\[#1\\] PREEMPT SMP",
                "CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-hmemu #1",
                "Hardware name: hmemu i386 PAE"));
        p.addAll(regs("read_it"));
        p.addAll(List.of("Call Trace:", " " + fn("read_it"), " " + fn("main"),
                " " + SYM, "Modules linked in:", "CR2: 0000000000000000", "---\\[ end trace 0000000000000000 \\]---"));
        p.addAll(regs("read_it"));
        assertLines(f.text(), p);
    }

    @Test
    void theWarningIsV61sFormatLineByLine() {
        Finding f = one(Guests.run("diag_warn", 1), Kind.WARN);
        List<String> p = new java.util.ArrayList<>(List.of("------------\\[ cut here \\]------------",
                "WARNING: CPU: 0 PID: 1 at diag_warn.c:" + line("diag_warn.c", "WARN_ON(") + " " + fn("check"),
                "Modules linked in:", "CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-hmemu #1",
                "Hardware name: hmemu i386 PAE"));
        p.addAll(regs("__hm_warn"));
        p.addAll(List.of("Call Trace:", " " + fn("__hm_warn"), " " + fn("check"),
                " " + fn("main"), " " + SYM, "---\\[ end trace 0000000000000000 \\]---"));
        assertLines(f.text(), p);
        assertSite(site(f, "WARN"), "check", "diag_warn.c", line("diag_warn.c", "WARN_ON("));
    }

    @Test
    void theSleepingFunctionReportIsV61sFormatLineByLine() {
        String c = "diag_sleep_in_atomic.c";
        Finding f = one(Guests.run("diag_sleep_in_atomic", 1), Kind.SLEEP_IN_ATOMIC);
        assertLines(f.text(), List.of(
                "BUG: sleeping function called from invalid context at include/linux/highmem-internal.h:44",
                "in_atomic\\(\\): 1, irqs_disabled\\(\\): 0, non_block: 0, pid: 1, name: init",
                "preempt_count: 1, expected: 0",
                "RCU nest depth: 0, expected: 0",
                "Preemption disabled at:",
                "\\[<" + HEX8 + ">\\] " + fn("copy_one"),
                "CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-hmemu #1",
                "Hardware name: hmemu i386 PAE",
                "Call Trace:",
                " " + fn("copy_one"),
                " " + fn("main"),
                " " + SYM));
        assertSite(site(f, "might_sleep"), "copy_one", c, line(c, "char *d = kmap(dst);"));
        assertSite(site(f, "preempt_disable"), "copy_one", c, line(c, "kmap_atomic(src)"));
    }

    @Test
    void twoRunsGiveIdenticalFindings() {
        for (String image : List.of("diag_kunmap_local_order", "diag_stale_tlb", "diag_sleep_in_atomic",
                "diag_pkmap_exhausted")) {
            RunResult a = Guests.run(image, 2);
            RunResult b = Guests.run(image, 2);
            assertEquals(a.findings(), b.findings(), image);
            assertTrue(!a.findings().isEmpty(), image);
        }
    }

    @Test
    void findingsOnlyPrintsJustTheReports() {
        String out = StdoutCapture.of(() -> assertEquals(3, Main.execute("run", "diag_kunmap_local_order", "--findings-only")));
        assertTrue(out.startsWith("------------[ cut here ]------------\n"), out);
        assertTrue(out.contains("hmemu: kunmap_local_order: "), out);
        assertTrue(!out.contains("instructions"), "no summary: " + out);
        assertTrue(out.endsWith("hmemu: 1 finding(s), exit status 3\n"), out);
    }
}
