package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few thousand randomly mutated ELF files and option lists through the CLI entry point:
 * every run ends with a documented exit status (0-5), at most one line on stderr, and no
 * stack trace. The seed is fixed, so a failure reproduces.
 */
class FuzzTest {
    private static final long SEED = 0x4d4d55L;
    private static final int ELF_CASES = 1000;
    private static final int OPTION_CASES = 1000;

    @TempDir
    Path tmp;

    private static final int[] EDGE = {0, 1, -1, 0x7fffffff, 0x80000000, 0x1000, 0xfff, 0xc0000000, 0x100000, 52, 32};

    static byte[] mutate(byte[] base, Random rnd) {
        byte[] m = base.clone();
        switch (rnd.nextInt(5)) {
            case 0 -> { // flip bytes in the headers
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    m[rnd.nextInt(Math.min(m.length, 52 + 32 * 3))] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // an edge value in a 32-bit header or program-header field
                int off = 4 * rnd.nextInt((52 + 32 * 3) / 4);
                int v = EDGE[rnd.nextInt(EDGE.length)];
                for (int k = 0; k < 4; k++) {
                    m[off + k] = (byte) (v >>> (8 * k));
                }
            }
            case 2 -> { // truncation
                m = Arrays.copyOf(m, rnd.nextInt(m.length));
            }
            case 3 -> { // random bytes anywhere (code, symbols, sections)
                for (int n = 1 + rnd.nextInt(16); n > 0; n--) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // a 16-bit header field (counts and sizes)
                int off = 40 + 2 * rnd.nextInt(6);
                int v = rnd.nextBoolean() ? rnd.nextInt(0x10000) : EDGE[rnd.nextInt(EDGE.length)];
                m[off] = (byte) v;
                m[off + 1] = (byte) (v >>> 8);
            }
        }
        return m;
    }

    private static final String[][] OPTIONS = {
        {"--cpus", "0", "1", "2", "4", "16", "17", "-1", "x"},
        {"--mem", "0", "15M", "16M", "32M", "64M", "100M", "1T", "abc", "-5M", "99999999999999999999G"},
        {"--paging", "pae", "legacy", "2level", "nope", ""},
        {"--lowmem", "0", "16M", "32M", "34M", "33M", "900M", "64G", "z"},
        {"--quantum", "0", "1", "13", "777", "20000", "-3", "1000000001", "9223372036854775807"},
        {"--tick-cycles", "0", "999", "1000", "4000000", "-1", "1000000000001"},
        {"--tlb-entries", "0", "1", "7", "64", "1536", "-2"},
        {"--tlb-ways", "0", "1", "3", "12", "99"},
        {"--cost", "invlpg=1", "invlpg=-1", "invlpg=1000000000", "invlpg=1000000001", "cpi.milli=0",
            "cpi.milli=1000000", "kernel.call.default=1000000000", "nokey=1", "walk.data", "=5",
            "ipi.send=99999999999999999999"},
        {"--max-instructions", "0", "1", "1000", "-1", "200000"},
        {"--max-cycles", "0", "1", "500", "-7", "100000"},
        {"--timeout", "0", "1", "-1", "604801"},
        {"--debug-kmap-local"}, {"--force-map"}, {"--no-preempt"}, {"--bogus-option"},
    };

    static List<String> randomOptions(Random rnd) {
        List<String> out = new ArrayList<>();
        for (int n = rnd.nextInt(5); n > 0; n--) {
            String[] o = OPTIONS[rnd.nextInt(OPTIONS.length)];
            out.add(o[0]);
            if (o.length > 1) {
                out.add(o[1 + rnd.nextInt(o.length - 1)]);
            }
        }
        return out;
    }

    private static void check(List<String> args, String what) {
        InputValidationTest.Outcome o = InputValidationTest.run(args.toArray(String[]::new));
        String err = o.err();
        String why = what + " " + args + " -> " + o.status() + ": " + err;
        assertTrue(o.status() >= 0 && o.status() <= 5 || o.status() == 7, why); // 6 = internal error
        assertTrue(err.lines().count() <= 1, why);
        assertTrue(!err.contains("Exception") && !err.contains("\tat ") && !err.contains("internal error"), why);
    }

    @Test
    void mutatedImagesAndOptionListsEndWithADocumentedStatusAndOneLine() throws Exception {
        Random rnd = new Random(SEED);
        byte[] hello = InputValidationTest.shipped("hello");
        for (int i = 0; i < ELF_CASES; i++) {
            Path p = tmp.resolve("m" + i + ".elf");
            Files.write(p, mutate(hello, rnd));
            check(List.of("run", p.toString(), "-q", "--mem", "64M", "--max-instructions", "300000", "--timeout", "5"),
                    "elf case " + i);
            Files.delete(p);
        }
        for (int i = 0; i < OPTION_CASES; i++) {
            List<String> args = new ArrayList<>(List.of("run", "hello", "-q", "--timeout", "5"));
            args.addAll(randomOptions(rnd));
            check(args, "option case " + i);
        }
    }
}
