package dev.hmemu.kernel.highmem;

import dev.hmemu.kernel.Kernel;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.sched.Task;

/** STUB: replaced by the mm/highmem engineer. */
public final class Highmem implements HighmemApi {
    public Highmem(Kernel k) {
    }

    @Override public void register(HypercallTable table) { }
    @Override public void kmapLocalSchedOut(Task t, int cpu) { }
    @Override public void kmapLocalSchedIn(Task t, int cpu) { }
    @Override public void checkInvariants() { }
    @Override public int pkmapMappedCount() { return 0; }
}
