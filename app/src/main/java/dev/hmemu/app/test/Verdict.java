package dev.hmemu.app.test;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.report.Finding;
import java.util.ArrayList;
import java.util.List;

/** Judges a run against what its test expects. */
final class Verdict {
    private Verdict() {
    }

    /** How a run ended, in the words of {@code HMEMU_EXPECT_STOP}. */
    static String stopKind(StopReason s) {
        if (s instanceof StopReason.GuestExited) {
            return "exit";
        } else if (s instanceof StopReason.Oops) {
            return "oops";
        } else if (s instanceof StopReason.KernelBug) {
            return "bug";
        } else if (s instanceof StopReason.LimitReached) {
            return "limit";
        } else if (s instanceof StopReason.Deadlock) {
            return "deadlock";
        }
        return "error";
    }

    /** Null when the run meets the expectations, else the first reason it does not. */
    static String judge(RunResult r, Expectations e, KunitLog kunit) {
        if (!e.problems().isEmpty()) {
            return String.join("; ", e.problems());
        }
        String kind = stopKind(r.stop());
        if (!kind.equals(e.stop())) {
            return "expected the run to end by " + e.stop() + ", but it ended by " + kind;
        }
        if (kind.equals("exit") && r.stop() instanceof StopReason.GuestExited g && g.status() != e.exit()) {
            if (kunit.present() && kunit.failed() > 0) {
                return String.format("KUnit: %d of %d case(s) failed (main returned %d)", kunit.failed(),
                        kunit.cases().size(), g.status());
            }
            return "main returned " + g.status() + ", expected " + e.exit();
        }
        List<String> problems = new ArrayList<>();
        for (Finding f : r.findings()) {
            boolean allowed = e.findings().stream().anyMatch(n -> FindingNames.matches(n, f))
                    || (FindingNames.matches(kind, f) && (kind.equals("oops") || kind.equals("bug")));
            if (!allowed) {
                problems.add("unexpected finding " + FindingNames.of(f) + ": " + f.title());
            }
        }
        for (String name : e.findings()) {
            if (r.findings().stream().noneMatch(f -> FindingNames.matches(name, f))) {
                problems.add("expected finding " + name + " was not raised");
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
