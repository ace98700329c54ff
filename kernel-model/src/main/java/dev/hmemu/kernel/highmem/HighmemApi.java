package dev.hmemu.kernel.highmem;

import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.sched.KmapLocalSched;

/**
 * mm/highmem.c as the rest of the model sees it. The context-switch half
 * ({@link KmapLocalSched}) is served by the {@link KmapLocalSlots} the highmem code is
 * built over.
 */
public interface HighmemApi extends KmapLocalSched {

    /** Registers kmap, kunmap, kmap_local_page, kunmap_local, kmap_atomic, kunmap_atomic, ... */
    void register(HypercallTable table);

    /** Asserts pkmap_count / page_address / kmap_ctrl invariants; throws IllegalStateException. */
    void checkInvariants();

    /** Highmem pages still kmap()ed (count >= 2) at exit, for the leak check. */
    int pkmapMappedCount();
}
