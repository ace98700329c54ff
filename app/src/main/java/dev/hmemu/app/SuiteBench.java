package dev.hmemu.app;

import dev.hmemu.app.test.TestCommand;
import dev.hmemu.emulator.bench.Spread;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code hmemu test} on the shipped images (images/src) on 1, 2 and 4 CPUs, in this JVM
 * as the command runs it (builds included, runs in parallel on the host's cores): total
 * wall time and runs per second.
 */
final class SuiteBench {
    private static final Pattern PLAN = Pattern.compile("(?m)^1\\.\\.(\\d+)$");
    private static final Pattern TOTALS = Pattern.compile("(?m)^# Totals: pass:(\\d+) fail:(\\d+)");

    private SuiteBench() {
    }

    /** @param filter only shipped images whose name matches this glob, or null for all */
    static BenchSection run(int repeats, String filter) {
        List<String> args = new ArrayList<>(List.of("--cpus", "1,2,4", "--no-progress"));
        if (filter != null) {
            args.add("--filter");
            args.add(filter);
        }
        double[] wall = new double[repeats];
        double[] rate = new double[repeats];
        int runs = 0;
        String totals = "";
        for (int i = 0; i < repeats; i++) {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new TestCommand()).setCaseInsensitiveEnumValuesAllowed(true);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(new StringWriter(), true));
            long t0 = System.nanoTime();
            int status = cl.execute(args.toArray(String[]::new));
            double s = (System.nanoTime() - t0) / 1e9;
            Matcher plan = PLAN.matcher(out.toString());
            Matcher tot = TOTALS.matcher(out.toString());
            if (status > 1 || !plan.find() || !tot.find()) {
                throw new IllegalStateException("hmemu test " + String.join(" ", args) + " failed (exit " + status
                        + "):\n" + out);
            }
            runs = Integer.parseInt(plan.group(1));
            totals = tot.group(1) + " passed, " + tot.group(2) + " failed";
            wall[i] = s;
            rate[i] = runs / s;
        }
        return new BenchSection("test", "hmemu test: shipped images" + (filter == null ? "" : " matching " + filter)
                + " x CPU counts 1,2,4 (builds included)",
                List.of(new BenchFigure("test_wall_s", "s", Spread.of(wall), "whole command, wall time"),
                        new BenchFigure("test_runs_per_s", "runs/s", Spread.of(rate), "runs / wall time")),
                List.of(runs + " runs: " + totals + ", " + Runtime.getRuntime().availableProcessors()
                        + " jobs (host cores)"));
    }
}
