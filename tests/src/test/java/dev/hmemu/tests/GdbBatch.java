package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real gdb in batch mode: connects to a stub and runs commands; fails if gdb is missing. */
final class GdbBatch {
    private GdbBatch() {
    }

    static String gdb() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "gdb");
            if (p.toFile().canExecute()) {
                return p.toString();
            }
        }
        fail("gdb is not installed: run scripts/setup.sh (it installs Debian's gdb)");
        return null;
    }

    /** Runs {@code commands} after connecting to 127.0.0.1:{@code port} with {@code elf}'s symbols. */
    static String run(Path elf, int port, int timeoutSeconds, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(gdb(), "-batch", "-nx", "-ex", "set confirm off",
                "-ex", "set pagination off",
                // gdb's default 2 s reply timeout retransmits on a busy machine and then pairs replies
                // with the wrong packets ("Remote replied unexpectedly to 'vMustReplyEmpty'")
                "-ex", "set remotetimeout 30", "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.add(elf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        t.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            t.join(2000);
            fail("gdb did not finish within " + timeoutSeconds + " s: " + String.join(" ", commands) + "\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        t.join(5000);
        return new String(out[0], StandardCharsets.UTF_8);
    }
}
