package dev.hmemu.emulator;

/** Where a CPU's cycles went. */
public enum CycleCategory {
    INSTRUCTIONS("instructions x CPI"),
    PAGE_WALK("page walks (TLB misses)"),
    INVLPG("INVLPG"),
    FLUSH_NON_GLOBAL("CR3 reload flushes"),
    FLUSH_ALL("full (global) flushes"),
    IPI_SEND("IPIs sent and waited for"),
    IPI_RECEIVE("IPIs handled"),
    IPI_WAIT("waiting for IPI completion"),
    LOCK_SPIN("spinning on locks"),
    KERNEL("kernel-model work"),
    IDLE("idle");

    private final String label;

    CycleCategory(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
