package dev.hmemu.kernel.highmem;

import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.sched.Task;

/** mm/highmem.c as the rest of the model sees it. */
public interface HighmemApi {

    /** Registers kmap, kunmap, kmap_local_page, kunmap_local, kmap_atomic, kunmap_atomic, ... */
    void register(HypercallTable table);

    /** __kmap_local_sched_out(): the outgoing task {@code t} on {@code cpu}. */
    void kmapLocalSchedOut(Task t, int cpu);

    /** __kmap_local_sched_in(): the incoming task {@code t} on {@code cpu}. */
    void kmapLocalSchedIn(Task t, int cpu);

    /** Asserts pkmap_count / page_address / kmap_ctrl invariants; throws IllegalStateException. */
    void checkInvariants();

    /** Highmem pages still kmap()ed (count >= 2) at exit, for the leak check. */
    int pkmapMappedCount();
}
