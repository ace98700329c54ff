package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hmemu.app.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hmemu bench --quick --json} as a user starts it (a separate JVM with the packaged
 * jar): every figure is in the text and the JSON report, each a median within its range over
 * the asked-for repetitions, times and ratios positive. No timing thresholds: the machine's
 * load decides the numbers.
 */
class BenchCommandTest {
    private static final List<String> FIGURES = List.of(
            "loop_hmemu_ms", "loop_plain_ms", "loop_hmemu_mips", "loop_plain_mips", "loop_speed_ratio",
            "unrolled_hmemu_ms", "unrolled_plain_ms", "unrolled_speed_ratio", "tlb_miss_us", "hypercall_us",
            "refill_loop_mirror_ms", "refill_loop_java_ms", "refill_loop_speedup", "refill_mirror_us", "refill_java_us",
            "alloc_2g_ms", "alloc_16g_ms", "alloc_16g_over_2g", "alloc_us_per_call",
            "refill_mirror_ms", "refill_java_ms", "refill_mirror_speedup", "refill_saved_us",
            "startup_first_line_ms", "startup_first_line_cds_ms", "startup_cds_speedup", "startup_exit_ms",
            "startup_exit_cds_ms", "test_wall_s", "test_runs_per_s");
    /** Figures that are differences of two timings: noise may make them negative. */
    private static final Set<String> DIFFERENCES = Set.of("tlb_miss_us", "hypercall_us", "refill_saved_us");

    @TempDir
    Path tmp;

    @Test
    void quickBenchReportsEveryFigureAsMedianAndRange() throws Exception {
        Path json = tmp.resolve("bench.json");
        String out;
        try (HmemuProcess p = HmemuProcess.start("bench", "--quick", "--repeats", "2", "--json", json.toString())) {
            int status = p.await(900);
            out = p.output();
            assertEquals(0, status, out);
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.get("repeats").asInt());
        assertTrue(root.get("quick").asBoolean());
        List<String> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode s : root.get("sections")) {
            keys.add(s.get("key").asText());
            assertTrue(s.get("notes").isArray() && s.get("notes").size() > 0, "notes of " + s);
            for (JsonNode f : s.get("figures")) {
                String name = f.get("name").asText();
                names.add(name);
                double median = f.get("median").asDouble();
                double min = f.get("min").asDouble();
                double max = f.get("max").asDouble();
                assertTrue(f.get("median").isNumber() && f.get("min").isNumber() && f.get("max").isNumber(), name);
                assertTrue(Double.isFinite(min) && Double.isFinite(max), name + ": " + f);
                assertTrue(min <= median && median <= max, name + ": min <= median <= max: " + f);
                assertEquals(2, f.get("samples").asInt(), name);
                assertTrue(!f.get("unit").asText().isEmpty() && !f.get("what").asText().isEmpty(), name);
                if (!DIFFERENCES.contains(name)) {
                    assertTrue(min > 0, name + " is positive: " + f);
                }
                assertTrue(out.lines().anyMatch(l -> l.trim().startsWith(name + " ")), name + " printed:\n" + out);
            }
        }
        assertEquals(List.of("engine", "allocator", "refills", "startup", "test"), keys);
        assertEquals(FIGURES, names);
        assertEquals(names.size(), new HashSet<>(names).size(), "figure names are unique");
        assertTrue(out.contains("hmemu test: shipped images matching hello x CPU counts 1,2,4"), out);
        assertTrue(out.contains("3 runs: 3 passed, 0 failed"), out);
    }

    @Test
    void partsAndUsageErrors() {
        assertEquals(2, Main.execute("bench", "--repeats", "0"));
        assertEquals(2, Main.execute("bench", "--parts", "nosuch"));
        assertEquals(2, Main.execute("bench", "--iterations", "5"));
    }
}
