package dev.hmemu.kernel.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The kernel log: guest printk output and the model's own reports, in order. */
public final class Console {
    private final PrintStream out;
    private final StringBuilder pending = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    /** @param out where lines are echoed as they complete, or null for none */
    public Console(PrintStream out) {
        this.out = out;
    }

    /** Appends text; complete lines are logged (printk without a newline continues the line). */
    public void print(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                flushLine();
            } else {
                pending.append(c);
            }
        }
    }

    /** Logs whole lines (a report); finishes any partial line first. */
    public void println(String text) {
        if (pending.length() > 0) {
            flushLine();
        }
        print(text.endsWith("\n") ? text : text + "\n");
    }

    private void flushLine() {
        String line = pending.toString();
        pending.setLength(0);
        lines.add(line);
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    /** Every complete line so far. */
    public List<String> lines() {
        if (pending.length() > 0) {
            flushLine();
        }
        return Collections.unmodifiableList(lines);
    }

    public String text() {
        return String.join("\n", lines()) + (lines.isEmpty() ? "" : "\n");
    }
}
