package dev.hmemu.app.test;

import java.io.PrintStream;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A one-line progress display on a terminal's stderr ({@code [done/total] running...}),
 * shown only once the run has taken longer than a second and erased at the end.
 */
final class ProgressLine implements AutoCloseable {
    private static final long DELAY_MS = 1000;
    private static final long PERIOD_MS = 250;

    private final PrintStream err;
    private final Thread thread;
    private volatile boolean stop;
    private boolean shown;

    ProgressLine(PrintStream err, int total, IntSupplier done, Supplier<List<String>> running) {
        this.err = err;
        this.thread = new Thread(() -> loop(total, done, running), "hmemu-test-progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop(int total, IntSupplier done, Supplier<List<String>> running) {
        try {
            Thread.sleep(DELAY_MS);
            while (!stop) {
                List<String> now = running.get();
                String line = String.format("[%d/%d] %s", done.getAsInt(), total,
                        now.isEmpty() ? "" : "running " + String.join(", ", now));
                if (line.length() > 100) {
                    line = line.substring(0, 97) + "...";
                }
                synchronized (this) {
                    if (stop) {
                        return;
                    }
                    err.print("\r\033[K" + line);
                    err.flush();
                    shown = true;
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stop = true;
            if (shown) {
                err.print("\r\033[K");
                err.flush();
            }
        }
        thread.interrupt();
    }
}
