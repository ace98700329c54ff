package dev.hmemu.kernel.highmem;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.KmapLocalSched;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.WaitQueue;
import dev.hmemu.mmu.WalkResult;
import java.util.List;

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

    /** pkmap_map_wait: tasks asleep in kmap() for a slot. */
    default WaitQueue pkmapMapWait() {
        return new WaitQueue("pkmap_map_wait");
    }

    /**
     * hmemu: where a NULL that {@code t} dereferenced (fault address {@code cr2}) came from,
     * if its last page_address() returned NULL for a highmem page; null otherwise.
     */
    default Reports.Detail nullDereferenceOrigin(Task t, long cr2) {
        return null;
    }

    /** hmemu: one detail (kmap() call site) per kmap() never kunmap()ed, in the order they were made. */
    default List<Reports.Detail> leakedKmaps() {
        return List.of();
    }

    /**
     * hmemu: a TLB fill on {@code cpu} for a pkmap or fixmap address: reports a stale TLB
     * entry (served from the TLB while the PTE no longer maps that page) or a kmap_local
     * slot used by a task or CPU that did not map it. Changes nothing the guest can see.
     */
    default void tlbFilled(Cpu cpu, long vaddr, WalkResult r, boolean tlbHit) {
    }

    /** hmemu: the map/unmap sites and an explanation for a fault on a kmap_local slot, or null. */
    default Reports.Detail kmapLocalFault(Cpu cpu, long vaddr) {
        return null;
    }
}
