package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stock gdb against {@code hmemu run --gdb} on real guests (built with -g). */
@Timeout(180)
class GdbEndToEndTest {
    private static final int GDB_TIMEOUT = 60;
    private static final int RUN_TIMEOUT = 90;

    @TempDir
    Path tmp;

    /** Starts gdb_target under the stub (no port given: a free one), runs gdb, then waits for the run's end. */
    private static String[] session(String image, int cpus, String... gdbCommands) throws Exception {
        try (HmemuProcess h = HmemuProcess.start("run", "--quiet", image, "--cpus", Integer.toString(cpus), "--gdb")) {
            int port = h.awaitPort();
            String g = GdbBatch.run(HmemuProcess.elf(image), port, GDB_TIMEOUT, gdbCommands);
            int status = h.await(RUN_TIMEOUT);
            return new String[] {g, h.output(), Integer.toString(status)};
        }
    }

    private static void assertHas(String text, String part) {
        assertTrue(text.contains(part), "expected '" + part + "' in:\n" + text);
    }

    @Test
    void waitsBeforeTheFirstInstructionAndShowsControlRegisters() throws Exception {
        String[] r = session("gdb_target", 1, "info registers", "info registers cr3", "p/x $cr4");
        assertHas(r[1], "hmemu: waiting for gdb on 127.0.0.1:");
        assertHas(r[0], "eip            0xc0100000");
        assertTrue(Pattern.compile("cr3 +0x[0-9a-f]+").matcher(r[0]).find(), r[0]);
        assertHas(r[0], "[ PE WP PG ]");
        assertHas(r[0], "PAE");
        assertEquals("0", r[2], r[1]); // gdb quit: detached, the run went on to its end
        assertHas(r[1], "main returned 0");
    }

    @Test
    void breaksByFunctionAndByFileLineWithBacktraceAndGlobals() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "bt", "continue", "print watched",
                "delete", "break gdb_target.c:64", "continue", "continue", "print watched");
        assertHas(r[0], "Breakpoint 1, gdb_mark (n=n@entry=0)");
        assertHas(r[0], "Breakpoint 1, gdb_mark (n=n@entry=1)");
        assertTrue(Pattern.compile("#1 +0x[0-9a-f]+ in main \\(\\) at .*gdb_target.c:64").matcher(r[0]).find(), r[0]);
        assertHas(r[0], "$1 = 0");
        assertHas(r[0], "Breakpoint 2, main () at");
        assertHas(r[0], "gdb_target.c:64");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void hundredStepiAdvanceTheCpuByExactlyHundredInstructions() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "delete", "monitor stats", "stepi 100",
                "monitor stats");
        // the instructions column of CPU 0 in the first table (the vmstat table below it also has a row "  0")
        Matcher m = Pattern.compile("(?m)^cpu +instructions .*\\R +0 +(\\d+) ").matcher(r[0]);
        assertTrue(m.find(), r[0]);
        long before = Long.parseLong(m.group(1));
        assertTrue(m.find(), r[0]);
        long after = Long.parseLong(m.group(1));
        assertEquals(100, after - before, r[0]);
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void readsAKmappedHighmemPageThroughThePageTables() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "x/4xw kmapped_addr");
        assertHas(r[0], "0xfeed0000\t0xfeed0001\t0xfeed0002\t0xfeed0003");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void watchOnAGlobalStopsAfterEachStore() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "delete", "watch watched", "continue",
                "continue");
        assertHas(r[0], "Hardware watchpoint 2: watched");
        assertHas(r[0], "Old value = 0");
        assertHas(r[0], "New value = 1");
        assertHas(r[0], "New value = 2");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void everyCpuIsAThread() throws Exception {
        String[] r = session("gdb_target", 2, "break worker", "continue", "info threads", "thread 2", "bt 1",
                "thread 1");
        assertHas(r[0], "Thread 1 (CPU 0");
        assertHas(r[0], "Thread 2 (CPU 1");
        assertHas(r[0], "[Switching to thread 2 (Thread 2)]");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void monitorPtWalksTheSelectedThreadsCpu() throws Exception {
        String[] r = session("gdb_target", 2, "break worker", "continue", "thread 2", "monitor pt c0100000",
                "thread 1", "monitor pt c0100000");
        assertTrue(Pattern.compile("CPU 1: c0100000: cr3=[0-9a-f]{8} PAE").matcher(r[0]).find(), r[0]);
        assertTrue(Pattern.compile("CPU 0: c0100000: cr3=[0-9a-f]{8} PAE").matcher(r[0]).find(), r[0]);
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void monitorShowsTheModelledTlbAndThePageWalk() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "monitor help", "monitor tlb 0",
                "monitor pt c0100000", "monitor pt 0");
        assertHas(r[0], "tlb [CPU]");
        assertHas(r[0], "CPU 0: ");
        assertHas(r[0], "valid TLB entries");
        assertTrue(Pattern.compile("c0100000 +[0-9a-f]+ +4K").matcher(r[0]).find(), r[0]);
        assertHas(r[0], "PDPTE [  3]");
        assertHas(r[0], "PTE");
        assertHas(r[0], "not present at");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void monitorKmapShowsThePkmapPoolAndThreadsNameTheirTasks() throws Exception {
        String[] r = session("gdb_target", 2, "break gdb_mark", "continue", "monitor kmap", "info threads",
                "monitor vmstat");
        assertTrue(Pattern.compile("pkmap: LAST_PKMAP 512: \\d+ free \\(count 0\\), 1 mapped").matcher(r[0]).find(),
                r[0]);
        assertHas(r[0], "last_pkmap_nr 1; 0 waiting in pkmap_map_wait");
        assertTrue(Pattern.compile("slot +1 +[0-9a-f]{8} +count 2").matcher(r[0]).find(), r[0]);
        assertHas(r[0], "kmap_local stacks:");
        assertTrue(Pattern.compile("Thread 1 \\(CPU 0, task [^ ]+ \\(pid 1\\)\\)").matcher(r[0]).find(), r[0]);
        assertHas(r[0], "nr_tlb_remote_flush");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void breakOnShootdownStopsWhenThePkmapPoolWraps() throws Exception {
        String[] r = session("pkmap_wrap", 2, "monitor break-on shootdown", "monitor break-on wrap", "continue",
                "monitor kmap", "continue", "monitor break-off shootdown", "monitor break-off wrap", "continue");
        assertHas(r[0], "will stop on shootdown");
        assertHas(r[0], "hmemu: break-on wrap: the pkmap cursor wrapped");
        assertHas(r[0], "hmemu: break-on shootdown: flushing the TLBs of the other CPUs");
        assertHas(r[0], "need a flush");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void detachLetsTheRunFinishAndWriteItsReport() throws Exception {
        String[] r = session("gdb_target", 2, "break gdb_mark", "continue", "detach");
        assertHas(r[0], "[Inferior 1 (Remote target) detached]");
        assertHas(r[1], "main returned 0");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void killEndsTheRunWithItsReport() throws Exception {
        String[] r = session("gdb_target", 1, "break gdb_mark", "continue", "kill");
        assertHas(r[1], "killed by gdb");
        assertHas(r[1], "== hmemu: gdb_target.elf");
        assertEquals("5", r[2], r[1]);
    }

    @Test
    void anUnmappedAddressIsAnErrorNotACrash() throws Exception {
        String[] r = session("gdb_target", 1, "x/4xw 0x1000", "print *(int *)0x10", "info registers eip");
        assertHas(r[0], "Cannot access memory at address 0x1000");
        assertHas(r[0], "eip            0xc0100000");
        assertEquals("0", r[2], r[1]);
    }

    @Test
    void interruptByteStopsFourSpinningCpus() throws Exception {
        try (HmemuProcess h = HmemuProcess.start("run", "--quiet", "spin_smp", "--cpus", "4", "--gdb", "0")) {
            int port = h.awaitPort();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                OutputStream o = s.getOutputStream();
                InputStream in = s.getInputStream();
                o.write("$?#3f".getBytes(StandardCharsets.ISO_8859_1)); // answered once the machine has booted
                o.flush();
                assertEquals('+', in.read());
                assertTrue(readPacket(in).startsWith("T05"));
                o.write("+$c#63".getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
                assertEquals('+', in.read());
                Thread.sleep(500); // let all four spin
                o.write(0x03);
                o.flush();
                String reply = readPacket(in);
                assertTrue(reply.startsWith("T02"), reply);
                assertTrue(reply.contains("thread:"), reply);
                o.write("+$k#6b".getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
            }
            assertEquals(5, h.await(RUN_TIMEOUT), h.output());
            Matcher m = Pattern.compile("(?m)^([0-3]) +(\\d+) ").matcher(h.output());
            int spinning = 0;
            while (m.find()) {
                if (Long.parseLong(m.group(2)) > 1000) {
                    spinning++;
                }
            }
            assertEquals(4, spinning, "every CPU ran before the stop:\n" + h.output());
        }
    }

    /** The payload of the next $...#xx packet. */
    static String readPacket(InputStream in) throws java.io.IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new java.io.EOFException("no packet");
            }
        }
        StringBuilder b = new StringBuilder();
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new java.io.EOFException("packet cut");
            }
            b.append((char) c);
        }
        in.read();
        in.read();
        return b.toString();
    }

    @Test
    void countersUnderGdbEqualThoseWithout() throws Exception {
        Path plain = tmp.resolve("plain.json");
        Path debugged = tmp.resolve("debugged.json");
        try (HmemuProcess h = HmemuProcess.start("run", "--quiet", "gdb_target", "--cpus", "2", "--quantum", "997",
                "--json", plain.toString())) {
            assertEquals(0, h.await(RUN_TIMEOUT), h.output());
        }
        try (HmemuProcess h = HmemuProcess.start("run", "--quiet", "gdb_target", "--cpus", "2", "--quantum", "997",
                "--json", debugged.toString(), "--gdb")) {
            int port = h.awaitPort();
            String g = GdbBatch.run(HmemuProcess.elf("gdb_target"), port, GDB_TIMEOUT, "break gdb_mark", "continue",
                    "continue", "stepi 37", "x/1024xw big", "info registers", "watch watched", "continue", "continue",
                    "delete", "thread 2", "stepi 25", "monitor tlb", "monitor stats", "break worker", "continue",
                    "delete", "rwatch big[7]", "continue", "delete", "detach");
            assertHas(g, "Hardware watchpoint");
            assertEquals(0, h.await(RUN_TIMEOUT), h.output() + g);
        }
        assertEquals(measured(plain), measured(debugged));
    }

    /** The report without the engine's own refill count (hits: not a guest-determined figure). */
    private static String measured(Path json) throws java.io.IOException {
        return Files.readString(json).replaceAll("\"hits\":\\s*\\d+,?", "");
    }
}
