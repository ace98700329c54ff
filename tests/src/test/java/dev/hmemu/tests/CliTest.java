package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a user types, end to end. */
class CliTest {
    @TempDir
    Path tmp;


    @Test
    void buildCompilesAUserTestThatThenRuns() throws Exception {
        Path src = tmp.resolve("mine.c");
        Files.writeString(src, """
                #include <linux/highmem.h>
                #include <linux/printk.h>
                int main(void)
                {
                    struct page *p = alloc_page(GFP_HIGHUSER);
                    char *v = kmap_local_page(p);
                    v[0] = 7;
                    pr_info("mine: %d\\n", v[0]);
                    kunmap_local(v);
                    __free_page(p);
                    return 0;
                }
                """);
        Path elf = tmp.resolve("mine.elf");
        assertEquals(0, Main.execute("build", "-o", elf.toString(), src.toString()));
        assertTrue(Files.size(elf) > 0);
        Path json = tmp.resolve("out.json");
        String out = StdoutCapture.of(() -> assertEquals(0,
                Main.execute("run", elf.toString(), "--cpus", "2", "--json", json.toString())));
        assertTrue(out.contains("mine: 7"), out);
        String j = Files.readString(json);
        assertTrue(j.contains("\"nr_tlb_local_flush_one\": 1"), j);
        assertTrue(j.contains("\"kmap_local_page\""), j);
    }

    @Test
    void buildOfBrokenCIsAUsageErrorWithGccsMessage() throws Exception {
        Path src = tmp.resolve("bad.c");
        Files.writeString(src, "int main(void) { return undefined_thing; }\n");
        String out = StdoutCapture.of(() -> assertEquals(Main.EXIT_USAGE,
                Main.execute("build", "-o", tmp.resolve("bad.elf").toString(), src.toString())));
        assertTrue(out.contains("undefined_thing"), out);
    }

    @Test
    void layoutPrintsThePkmapAndFixmapAreas() {
        String out = StdoutCapture.of(() -> assertEquals(0, Main.execute("layout", "--cpus", "4")));
        assertTrue(out.contains("pkmap"), out);
        assertTrue(out.contains("fixmap"), out);
        assertTrue(out.contains("LAST_PKMAP"), out);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(Main.EXIT_USAGE, Main.execute("run", "hello", "--cpus", "17"));
        assertEquals(Main.EXIT_USAGE, Main.execute("run", "hello", "--mem", "lots"));
        assertEquals(Main.EXIT_USAGE, Main.execute("run", "hello", "--cost", "no_such_key=3"));
        assertEquals(Main.EXIT_USAGE, Main.execute("frobnicate"));
    }

    @Test
    void cycleModelFiguresCanBeOverriddenFromTheCommandLineAndAFile() throws Exception {
        var mc = Guests.machine(1);
        RunResult base = Guests.run("kmap_vs_local", mc, KernelConfig.defaults(), new RunLimits(0, 0, 120_000));
        RunResult cheap = Guests.run("kmap_vs_local", mc.withCosts(mc.costs().with("invlpg=0")),
                KernelConfig.defaults(), new RunLimits(0, 0, 120_000));
        assertTrue(base.cyclesByCategory()[0][CycleCategory.INVLPG.ordinal()] > 0);
        assertEquals(0, cheap.cyclesByCategory()[0][CycleCategory.INVLPG.ordinal()]);
        Path f = tmp.resolve("costs.properties");
        Files.writeString(f, "walk.data=1000\n");
        assertNotEquals(mc.costs().get("walk.data"), mc.costs().withFile(f).get("walk.data"));
        assertEquals(1000, mc.costs().withFile(f).get("walk.data"));
    }

    @Test
    void leaksAtExitAreFindings() {
        RunResult r = Guests.run("leak_check", 1);
        assertEquals(3, r.exitStatus(), Guests.why(r));
        assertEquals(2, r.findings().stream().filter(f -> f.kind() == Finding.Kind.KMAP_LEAK
                || f.kind() == Finding.Kind.PAGE_LEAK).count(), r.findings().toString());
        assertTrue(r.console().contains("still kmap()ed at exit"), r.console());
    }

    @Test
    void aWildStructPagePointerGivesAnOopsNamingIt() {
        RunResult r = Guests.run("wild_pointer", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains("struct page pointer outside mem_map"), r.console());
        assertTrue(r.console().contains("deadbee0"), r.console());
    }
}
