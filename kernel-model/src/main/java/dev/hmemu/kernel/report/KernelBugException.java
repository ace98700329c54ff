package dev.hmemu.kernel.report;

/** A kernel BUG: a broken invariant. It stops the model; {@link #report()} is Linux-style text. */
public final class KernelBugException extends RuntimeException {
    private final String report;

    public KernelBugException(String report) {
        super(report.lines().filter(l -> l.startsWith("kernel BUG") || l.startsWith("BUG")).findFirst()
                .orElse(report));
        this.report = report;
    }

    public String report() {
        return report;
    }
}
