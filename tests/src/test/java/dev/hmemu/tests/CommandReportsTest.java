package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hmemu.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** demo and run --json as a user runs them; the JSON is read with a JSON library. */
class CommandReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String execute(int expectedStatus, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(expectedStatus, cl.execute(args), err.toString());
        return out.toString();
    }

    /** The table rows (lines starting with a CPU count) of a demo output or the README's demo block. */
    private static List<String> demoRows(String text) {
        List<String> rows = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.matches("^[0-9]+\\s+kmap.*")) {
                rows.add(l.trim().replaceAll("\\s+", " "));
            }
        }
        return rows;
    }

    @Test
    void theDemoPrintsTheTableOfTheReadme() throws Exception {
        String out = execute(0, "demo", "--cpu-counts", "1,4");
        String readme = Files.readString(Path.of("..", "README.md"));
        int block = readme.indexOf("```", readme.indexOf("## What the demo prints"));
        List<String> documented = demoRows(readme.substring(block, readme.indexOf("```", block + 3)));
        assertEquals(4, documented.size(), "the README shows kmap and kmap_local on 1 and 4 CPUs");
        assertEquals(documented, demoRows(out));
    }

    @Test
    void runJsonHasTheTlbRowsOfAWrapOnEveryCpu() throws Exception {
        Path json = tmp.resolve("run.json");
        execute(0, "run", "-q", "kmap_vs_local", "--cpus", "2", "--json", json.toString());
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals("GuestExited", r.at("/stop/kind").asText());
        assertEquals(0, r.get("exit_status").asInt());
        assertEquals(2, r.get("per_cpu").size());
        JsonNode kmap = null;
        for (JsonNode p : r.get("phases")) {
            if (p.get("label").asText().equals("kmap")) {
                kmap = p.get("totals");
            }
        }
        assertTrue(kmap != null, "a kmap phase");
        long flushes = kmap.get("pkmap_flushes").asLong();
        assertEquals(2048, kmap.get("kmap_calls").asLong());
        assertEquals(2048 / 512, flushes, "the 512-slot pool wraps once per 512 fresh kmaps");
        assertEquals(2 * flushes, kmap.get("nr_tlb_remote_flush_received").asLong(), "one per CPU per wrap");
        assertEquals(flushes, kmap.get("ipis_sent").asLong(), "N-1 IPIs per wrap");
        assertEquals(0, kmap.get("nr_tlb_remote_flush").asLong(), "flush_tlb_kernel_range counts no remote flush");
        long perCpuSum = 0;
        for (JsonNode c : r.get("per_cpu")) {
            perCpuSum += c.at("/counters/kmap_calls").asLong();
        }
        assertEquals(r.at("/totals/kmap_calls").asLong(), perCpuSum);
        assertTrue(r.get("cost_model").has("kernel.spin"));
    }
}
