package dev.hmemu.kernel.sched;

/**
 * {@code struct kmap_ctrl} (include/linux/sched.h): a task's kmap_local stack.
 * {@code idx} is the depth in slot units; {@code pteval[i]} the PTE installed at stack
 * position i, or 0.
 */
public final class KmapCtrl {
    public int idx;
    public final long[] pteval;

    public KmapCtrl(int kmMaxIdx) {
        this.pteval = new long[kmMaxIdx];
    }
}
