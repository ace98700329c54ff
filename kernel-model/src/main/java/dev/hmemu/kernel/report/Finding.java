package dev.hmemu.kernel.report;

/** Something the run reported that a user must look at (exit status 3). */
public record Finding(Kind kind, int cpu, int pid, String title) {
    public enum Kind { WARN, SLEEP_IN_ATOMIC, LEAK, BUG, OOPS }

    @Override
    public String toString() {
        return kind + " on CPU " + cpu + " PID " + pid + ": " + title;
    }
}
