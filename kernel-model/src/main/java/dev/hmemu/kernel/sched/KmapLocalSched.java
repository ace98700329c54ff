package dev.hmemu.kernel.sched;

/**
 * The highmem half of a context switch: kmap_local_sched_out() / kmap_local_sched_in(),
 * which kernel/sched/core.c calls for a task whose kmap_ctrl.idx is not 0. mm/highmem.c
 * implements it; the scheduler only calls it, so sched does not depend on highmem.
 */
public interface KmapLocalSched {
    /** __kmap_local_sched_out(): the outgoing task {@code t} on {@code cpu} (still current). */
    void kmapLocalSchedOut(Task t, int cpu);

    /** __kmap_local_sched_in(): the incoming task {@code t} on {@code cpu} (already current). */
    void kmapLocalSchedIn(Task t, int cpu);
}
