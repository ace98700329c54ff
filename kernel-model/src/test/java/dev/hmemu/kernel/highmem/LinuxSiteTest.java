package dev.hmemu.kernel.highmem;

import static dev.hmemu.kernel.highmem.HighmemTestSupport.MEM;
import static dev.hmemu.kernel.highmem.HighmemTestSupport.kmapLocal;
import static dev.hmemu.kernel.highmem.HighmemTestSupport.kunmapLocal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.report.LinuxSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The table of v6.1 report sites, and the model printing exactly those sites. */
class LinuxSiteTest {
    private static final Set<String> FILES = Set.of("mm/highmem.c", "include/linux/highmem-internal.h",
            "include/linux/highmem.h", "lib/usercopy.c", "arch/x86/include/asm/uaccess.h");
    /** The check each kind of line must contain. */
    private static final Map<String, Pattern> CHECKS = Map.of(
            "WARN", Pattern.compile("\\b(WARN_ON_ONCE|DEBUG_LOCKS_WARN_ON)\\("),
            "BUG", Pattern.compile("\\b(VM_)?BUG(_ON)?\\("),
            "SLEEP", Pattern.compile("\\bmight_(sleep|fault)\\(\\)"));

    @Test
    void everyEntryIsOneCheckOnItsOwnLineOfANamedFile() {
        Set<String> seen = new HashSet<>();
        for (LinuxSite s : LinuxSite.values()) {
            assertTrue(FILES.contains(s.file()), s + ": " + s.file());
            assertTrue(s.line() > 0, s.toString());
            assertTrue(seen.add(s.where()), "two entries for " + s.where());
            assertTrue(CHECKS.values().stream().anyMatch(p -> p.matcher(s.source()).find()),
                    s + " is not a WARN/BUG/might_sleep line: " + s.source());
            assertEquals(s.file() + ":" + s.line(), s.where());
        }
    }

    /** Sites come from the table only: no file:line literal of these files elsewhere in the model. */
    @Test
    void theModelPrintsNoSiteOfTheseFilesThatIsNotInTheTable() throws IOException {
        Pattern literal = Pattern.compile("\"(mm/highmem\\.c|include/linux/highmem(-internal)?\\.h|lib/usercopy\\.c"
                + "|arch/x86/include/asm/uaccess\\.h):\\d+");
        Path src = Path.of("src/main/java");
        assertTrue(Files.isDirectory(src), "run from the kernel-model module: " + src.toAbsolutePath());
        List<String> stray = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (p.getFileName().toString().equals("LinuxSite.java")) {
                    continue;
                }
                Matcher m = literal.matcher(Files.readString(p));
                while (m.find()) {
                    stray.add(p + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), stray);
    }

    /** The guest runtime's helpers report v6.1's lines through __HM_BUG_ON_AT: each is a table entry. */
    @Test
    void theRuntimesKernelSitesAreInTheTable() throws IOException {
        Pattern at = Pattern.compile("__HM_BUG_ON_AT\\(\"([^\"]+)\", (\\d+),");
        Path runtime = Path.of("../images/runtime");
        assertTrue(Files.isDirectory(runtime), runtime.toAbsolutePath().toString());
        Set<String> table = new HashSet<>();
        for (LinuxSite s : LinuxSite.values()) {
            table.add(s.where());
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".c") || f.toString().endsWith(".h")).toList()) {
                Matcher m = at.matcher(Files.readString(p));
                while (m.find()) {
                    String where = m.group(1) + ":" + m.group(2);
                    assertTrue(table.contains(where), p + ": " + where + " is not in LinuxSite");
                    found.add(where);
                }
            }
        }
        assertTrue(found.contains(LinuxSite.MEMCPY_FROM_PAGE_BOUNDS.where()), found.toString());
        assertTrue(found.contains(LinuxSite.ZERO_USER_SEGMENTS_BOUNDS.where()), found.toString());
    }

    @Test
    void kmapLocalOverflowBugAndOutOfOrderWarnPrintTheTablesLines() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long a = kmapLocal(f, 0, f.highPage());
        kmapLocal(f, 0, f.highPage());
        kunmapLocal(f, 0, a);
        assertTrue(f.console.text().contains("at " + LinuxSite.KUNMAP_LOCAL_NOT_TOP.where() + " kunmap_local_indexed"),
                f.console.text());
        for (int i = 0; i < 14; i++) {
            kmapLocal(f, 0, f.highPage());
        }
        long page = f.highPage();
        KernelBugException e = assertThrows(KernelBugException.class, () -> kmapLocal(f, 0, page));
        assertTrue(e.report().contains("kernel BUG at " + LinuxSite.KMAP_LOCAL_PUSH_OVERFLOW.where() + "!"),
                e.report());
    }

    @Test
    void kmapInAtomicContextNamesTheMightSleepLineOfKmap() {
        ModelFixture f = ModelFixture.boot(1, MEM);
        long page = f.lowPage();
        f.hcall(0, Hypercall.KMAP, page);
        f.hcall(0, Hypercall.KUNMAP, page);
        assertEquals(List.of(LinuxSite.KMAP_MIGHT_SLEEP.where(), LinuxSite.KUNMAP_MIGHT_SLEEP.where()),
                f.sched.mightSleeps);
    }
}
