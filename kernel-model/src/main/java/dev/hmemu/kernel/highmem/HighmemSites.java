package dev.hmemu.kernel.highmem;

import dev.hmemu.kernel.report.RawSite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * hmemu's bookkeeping of where highmem mappings were made and undone, for findings: the
 * kmap() call site of every pkmap user, the last map/unmap of each kmap_local slot, and
 * each task's last page_address() that returned NULL for a highmem page. Nothing here
 * changes what the model does.
 */
final class HighmemSites {
    /** One kmap() user of a page. */
    record Holder(long page, int pid, String comm, RawSite site, long seq) {
    }

    /** The last mapping made in a kmap_local slot and, once undone, where. */
    record SlotUse(long vaddr, int pid, String comm, int cpu, RawSite mapSite, RawSite unmapSite, long seq) {
    }

    /** A page_address() that returned NULL for a highmem page. */
    record NullAddress(long page, RawSite site) {
    }

    private final Map<Long, Deque<Holder>> holders = new HashMap<>();
    /** By the slot's page number (vaddr >> 12: page-aligned keys would crowd a few hash bins). */
    private final Map<Long, SlotUse> slots = new HashMap<>();
    private final Map<Integer, NullAddress> nullAddress = new HashMap<>();
    private long seq;

    void kmapped(long page, int pid, String comm, RawSite site) {
        holders.computeIfAbsent(page, p -> new ArrayDeque<>(2)).push(new Holder(page, pid, comm, site, ++seq));
    }

    /** kunmap(): drops the caller's latest kmap of the page, else the page's latest. */
    void kunmapped(long page, int pid) {
        Deque<Holder> d = holders.get(page);
        if (d == null) {
            return;
        }
        Iterator<Holder> latestFirst = d.iterator();
        boolean mine = false;
        while (!mine && latestFirst.hasNext()) {
            if (latestFirst.next().pid() == pid) {
                latestFirst.remove();
                mine = true;
            }
        }
        if (!mine) {
            d.pop();
        }
        if (d.isEmpty()) {
            holders.remove(page);
        }
    }

    /** Every kmap() not undone, in the order they were made. */
    List<Holder> holders() {
        List<Holder> out = new ArrayList<>();
        holders.values().forEach(out::addAll);
        out.sort(Comparator.comparingLong(Holder::seq));
        return out;
    }

    void localMapped(long vaddr, int pid, String comm, int cpu, RawSite site) {
        slots.put(vaddr >>> 12, new SlotUse(vaddr, pid, comm, cpu, site, null, ++seq));
    }

    void localUnmapped(long vaddr, RawSite site) {
        SlotUse u = slot(vaddr);
        if (u != null) {
            slots.put(vaddr >>> 12, new SlotUse(vaddr, u.pid(), u.comm(), u.cpu(), u.mapSite(), site, u.seq()));
        }
    }

    SlotUse slot(long vaddr) {
        SlotUse u = slots.get(vaddr >>> 12);
        return u != null && u.vaddr() == vaddr ? u : null;
    }

    void pageAddressNull(int pid, long page, RawSite site) {
        nullAddress.put(pid, new NullAddress(page, site));
    }

    /** A non-NULL page_address() result clears the task's record. */
    void pageAddressOk(int pid) {
        nullAddress.remove(pid);
    }

    NullAddress lastNullAddress(int pid) {
        return nullAddress.get(pid);
    }
}
