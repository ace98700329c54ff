package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code hmemu run ...} as a separate process (the packaged jar), as a user starts it. */
final class HmemuProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("hmemu: (?:waiting for gdb|gdb can connect) on ([0-9.]+):(\\d+)");

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final Thread reader;
    private volatile int port = -1;

    private HmemuProcess(List<String> args) throws IOException {
        Path home = home();
        Path jar = home.resolve("app/target/hmemu.jar");
        assertTrue(Files.exists(jar), "the app jar is built before the tests: " + jar);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhmemu.home=" + home, "-cp", jar + ":" + home.resolve("app/target/lib") + "/*", "dev.hmemu.app.Main"));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        reader = new Thread(this::pump, "hmemu-out");
        reader.setDaemon(true);
        reader.start();
    }

    static Path home() {
        return Path.of(System.getProperty("hmemu.home", "..")).toAbsolutePath().normalize();
    }

    /** The ELF of a shipped image, with its debug information, for gdb to load. */
    static Path elf(String image) {
        Path p = home().resolve("images/target/classes/dev/hmemu/images/" + image + ".elf");
        assertTrue(Files.exists(p), "image built: " + p);
        return p;
    }

    static HmemuProcess start(String... args) throws IOException {
        return new HmemuProcess(List.of(args));
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(2));
                }
            }
        } catch (IOException e) {
            out.append("[reader: ").append(e).append("]\n");
        }
    }

    /** The port the stub listens on, once it says so. */
    int awaitPort() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port < 0 && System.nanoTime() < end && (process.isAlive() || reader.isAlive())) {
            Thread.sleep(20);
        }
        if (port < 0) {
            fail("hmemu never said it listens for gdb:\n" + out);
        }
        return port;
    }

    /** Waits for the run to end; fails (and kills it) after {@code seconds}. */
    int await(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("hmemu did not end within " + seconds + " s:\n" + out);
        }
        reader.join(5000);
        return process.exitValue();
    }

    String output() {
        return out.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
