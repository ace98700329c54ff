package dev.hmemu.tests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a command prints on standard output, for the tests that run {@code Main} in this JVM. */
final class StdoutCapture {
    private StdoutCapture() {
    }

    /** Runs {@code r} with System.out redirected and returns what it printed. */
    static String of(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
