package dev.hmemu.kernel.report;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The kernel log: guest printk output and the model's own reports, in order. Every line
 * goes to the sink as it completes; the log keeps only a bounded tail for the report
 * ({@link #MAX_TAIL_CHARS} characters, {@link #MAX_TAIL_LINES} lines), counting what it
 * dropped, so no guest can make it grow without limit. A line longer than
 * {@link #MAX_LINE} characters is cut there, as printk cuts a record.
 */
public final class Console {
    /** Longest line kept (printk's record limit is about 1 KiB; this is generous). */
    public static final int MAX_LINE = 4096;
    /** Most characters of the tail kept for the report. */
    public static final long MAX_TAIL_CHARS = 1L << 20;
    /** Most lines of the tail kept for the report. */
    public static final int MAX_TAIL_LINES = 10_000;

    private final PrintStream out;
    private final StringBuilder pending = new StringBuilder();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long tailChars;
    private long dropped;

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
            } else if (pending.length() < MAX_LINE) {
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
        tail.addLast(line);
        tailChars += line.length() + 1;
        while (tail.size() > MAX_TAIL_LINES || tailChars > MAX_TAIL_CHARS) {
            tailChars -= tail.removeFirst().length() + 1;
            dropped++;
        }
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    /** Lines that left the bounded tail (they went to the sink only). */
    public long droppedLines() {
        return dropped;
    }

    /** The kept tail of complete lines. */
    public List<String> lines() {
        if (pending.length() > 0) {
            flushLine();
        }
        return Collections.unmodifiableList(new ArrayList<>(tail));
    }

    /** The kept tail as text, after a line saying how many earlier lines were not kept. */
    public String text() {
        List<String> l = lines();
        StringBuilder b = new StringBuilder();
        if (dropped > 0) {
            b.append("[hmemu: ").append(dropped).append(" earlier console lines not kept]\n");
        }
        for (String s : l) {
            b.append(s).append('\n');
        }
        return b.toString();
    }
}
