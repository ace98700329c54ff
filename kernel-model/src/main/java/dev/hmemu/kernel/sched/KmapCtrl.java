package dev.hmemu.kernel.sched;

import dev.hmemu.kernel.report.RawSite;

/**
 * {@code struct kmap_ctrl} (include/linux/sched.h): a task's kmap_local stack.
 * {@code idx} is the depth in slot units; {@code pteval[i]} the PTE installed at stack
 * position i, or 0.
 */
public final class KmapCtrl {
    public int idx;
    public final long[] pteval;
    /** hmemu: where the mapping at each position was made (kmap_local_page/kmap_atomic call site). */
    public final RawSite[] site;

    public KmapCtrl(int kmMaxIdx) {
        this.pteval = new long[kmMaxIdx];
        this.site = new RawSite[kmMaxIdx];
    }
}
