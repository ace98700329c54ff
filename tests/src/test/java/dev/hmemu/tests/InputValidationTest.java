package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Images;
import dev.hmemu.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused before any work: exit status 2 and one line naming the reason,
 * exactly as a user sees it on stderr.
 */
class InputValidationTest {
    @TempDir
    Path tmp;

    /** Exit status and stderr of one command line. */
    record Outcome(int status, String err) {
    }

    static Outcome run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(args);
            return new Outcome(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    private static void assertUsage(String expectedLine, String... args) {
        Outcome o = run(args);
        assertEquals(2, o.status(), o.err());
        assertEquals(expectedLine + System.lineSeparator(), o.err());
    }

    static byte[] shipped(String name) throws IOException {
        try (InputStream in = Images.class.getClassLoader().getResourceAsStream(Images.RESOURCE_DIR + name + ".elf")) {
            return in.readAllBytes();
        }
    }

    /** hello.elf with program header {@code ph}'s 32-bit field at {@code field} set to {@code value}. */
    private Path helloWith(String file, int ph, int field, long value) throws IOException {
        byte[] elf = shipped("hello");
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = b.getInt(28);
        b.putInt(phoff + 32 * ph + field, (int) value);
        Path p = tmp.resolve(file);
        Files.write(p, elf);
        return p;
    }

    @Test
    void aDirectoryOrFifoIsNotAnImage() throws Exception {
        assertUsage("hmemu: " + tmp + ": is a directory, not an ELF file", "run", tmp.toString());
        Path fifo = tmp.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        assertUsage("hmemu: " + fifo + ": not a regular file (a FIFO, socket or device); hmemu reads images from files",
                "run", fifo.toString());
    }

    @Test
    void anImageOverTheSizeLimitIsRefusedWithoutReadingIt() throws Exception {
        Path big = tmp.resolve("big.elf");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((256L << 20) + 1); // sparse: costs no disk
        }
        assertUsage("hmemu: " + big + ": 268435457 bytes; hmemu reads images up to 256 MiB", "run", big.toString());
    }

    @Test
    void segmentLimitsAreCheckedBeforeAnythingIsAllocated() throws Exception {
        Path huge = helloWith("huge.elf", 2, 20, 3L << 30); // data p_memsz = 3 GiB
        long t0 = System.nanoTime();
        Outcome o = run("run", huge.toString(), "--mem", "16G");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().startsWith("hmemu: huge.elf: segment 2: p_memsz 0xc0000000 is over the 512 MiB limit"), o.err());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused at once");
    }

    @Test
    void overlappingOrMisalignedSegmentsAreRefused() throws Exception {
        byte[] elf = shipped("hello");
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int phoff = b.getInt(28);
        long text = b.getInt(phoff + 8) & 0xffffffffL;
        // rodata moved onto text's first page: both addresses move together
        Path overlap = helloWith("overlap.elf", 1, 8, text);
        byte[] o2 = Files.readAllBytes(overlap);
        ByteBuffer.wrap(o2).order(ByteOrder.LITTLE_ENDIAN).putInt(phoff + 32 + 12, (int) (text - 0xC0000000L));
        Files.write(overlap, o2);
        Outcome o = run("run", overlap.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().startsWith("hmemu: overlap.elf: PT_LOAD segments overlap: c0100000-"), o.err());

        Path mis = helloWith("misaligned.elf", 1, 8, (b.getInt(phoff + 32 + 8) & 0xffffffffL) + 4); // p_vaddr + 4
        Outcome m = run("run", mis.toString());
        assertEquals(2, m.status(), m.err());
        assertTrue(m.err().contains(": segment 1: misaligned PT_LOAD (p_vaddr "), m.err());

    }

    @Test
    void outputDestinationsAreCheckedAtOnce() throws Exception {
        assertUsage("hmemu: --json " + tmp + ": is a directory", "run", "spin_forever", "--json", tmp.toString());
        Path nodir = tmp.resolve("no/such/out.json");
        assertUsage("hmemu: --json " + nodir + ": no such directory " + nodir.getParent(), "run", "spin_forever",
                "--json", nodir.toString());
        Path src = tmp.resolve("t.c");
        Files.writeString(src, "int main(void) { return 0; }\n");
        assertUsage("hmemu: -o " + tmp + ": is a directory", "build", "-o", tmp.toString(), src.toString());
    }

    @Test
    void optionRangesAreUsageErrors() {
        assertUsage("hmemu: --lowmem must be at least 32M, got '0'", "run", "hello", "--lowmem", "0");
        assertUsage("hmemu: --lowmem must be at least 32M, got '16M'", "run", "hello", "--lowmem", "16M");
        assertUsage("hmemu: --quantum must be 1..1000000000, got 0", "run", "hello", "--quantum", "0");
        assertUsage("hmemu: --timeout must be 0..604800, got -1", "run", "hello", "--timeout", "-1");
        Outcome o = run("run", "hello", "--lowmem", "34M", "--mem", "16G");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().matches("hmemu: hello.elf: boot memory exhausted: need 0x8000000 bytes at 0x[0-9a-f]+, "
                + "lowmem ends at 0x2200000 \\(raise --lowmem or lower --mem\\)\\R"), o.err());
    }

    @Test
    void costValuesThatCouldOverflowAreUsageErrors() {
        assertUsage("hmemu: cycle-model value for 'invlpg' must be 0..1000000000, got 9223372036854775807", "run",
                "hello", "--cost", "invlpg=9223372036854775807");
        assertUsage("hmemu: cycle-model value for 'kernel.call.default' must be 0..1000000000, got "
                + "99999999999999999999", "run", "hello", "--cost", "kernel.call.default=99999999999999999999");
        assertUsage("hmemu: cycle-model value for 'cpi.milli' must be 0..1000000, got 1000001", "run", "hello",
                "--cost", "cpi.milli=1000001");
    }

    @Test
    void theLargestCostsEndWithinTheTimeout() {
        long t0 = System.nanoTime();
        Outcome o = run("run", "work_timer", "-q", "--cost", "kernel.call.default=1000000000", "--cost",
                "kernel.context_switch=1000000000", "--cost", "ipi.send=1000000000", "--timeout", "3");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(o.status() >= 0 && o.status() <= 5, o.err());
        assertTrue(ms < 4_000, "ended after " + ms + " ms");
    }

    @Test
    void maxCyclesStopsAShortGuest() {
        Outcome o = run("run", "hello", "-q", "--max-cycles", "1000");
        assertEquals(5, o.status(), o.err());
    }

    @Test
    void hltInMainIsReportedAsSuch() {
        var r = Guests.run("hlt_main", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        assertTrue(r.stop().toString().contains("init (pid 1, main) executed hlt on CPU 0 before main returned"),
                r.stop().toString());
    }
}
