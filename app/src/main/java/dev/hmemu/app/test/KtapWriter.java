package dev.hmemu.app.test;

import java.io.PrintWriter;

/**
 * KTAP version 1 output: the plan, then per run its {@code #} diagnostics, the guest's
 * KUnit output as a subtest (indented four spaces), and the {@code ok}/{@code not ok} line.
 */
final class KtapWriter {
    private final PrintWriter out;
    private int number;

    KtapWriter(PrintWriter out) {
        this.out = out;
    }

    void header(int runs) {
        out.println("KTAP version 1");
        out.println("1.." + runs);
        out.flush();
    }

    void result(RunOutcome o) {
        number++;
        for (String l : o.kunit().lines()) {
            out.println(l.isEmpty() ? "" : "    " + l);
        }
        for (String d : o.diagnostics()) {
            out.println("# " + d);
        }
        out.println((o.passed() ? "ok " : "not ok ") + number + " " + o.ktapName());
        out.flush();
    }

    void totals(int passed, int failed) {
        out.printf("# Totals: pass:%d fail:%d skip:0 total:%d%n", passed, failed, passed + failed);
        out.flush();
    }
}
