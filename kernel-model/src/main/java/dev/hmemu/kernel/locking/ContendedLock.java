package dev.hmemu.kernel.locking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Contention on one lock in time. Hypercalls run one at a time in host order, but each CPU
 * has its own cycle clock, so a lock taken "later" in host order may be taken at an
 * earlier cycle time than another CPU's hold. The model keeps the intervals in which each
 * CPU held the lock ({@link Hold}, on that CPU's clock); a CPU that asks for the lock at a
 * moment covered by another CPU's hold spins until that hold (and any hold overlapping
 * its end) is over.
 *
 * <p>Holds that ended at or before every CPU's clock can no longer delay anybody (clocks
 * only move forward) and are dropped with {@link #forgetEndedBy}; nothing else bounds the
 * history.
 */
public final class ContendedLock {
    /** One interval in which {@code cpu} held the lock: [start, end) on its clock. */
    public record Hold(int cpu, long start, long end) {
        public Hold {
            if (end < start) {
                throw new IllegalArgumentException("a hold ends before it starts: " + start + ".." + end);
            }
        }

        boolean delays(int other, long now) {
            return cpu != other && start <= now && now < end;
        }
    }

    private final String name;
    private final List<Hold> holds = new ArrayList<>();
    private int holder = -1;
    private long heldSince;
    private long contended;
    private long spinCycles;

    public ContendedLock(String name) {
        this.name = name;
    }

    /**
     * spin_lock() by {@code cpu} at cycle {@code now} of its clock.
     *
     * @return the cycles it spins before it holds the lock (0 when nobody held it then);
     *     it holds the lock from {@code now} plus that
     * @throws IllegalStateException the lock is already held (the model takes it recursively)
     */
    public long acquire(int cpu, long now) {
        if (holder >= 0) {
            throw new IllegalStateException(name + " taken recursively");
        }
        long at = now;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Hold h : holds) {
                if (h.delays(cpu, at)) {
                    at = h.end();
                    moved = true;
                }
            }
        }
        long spin = at - now;
        if (spin > 0) {
            contended++;
            spinCycles += spin;
        }
        holder = cpu;
        heldSince = at;
        return spin;
    }

    /** spin_unlock() by {@code cpu} at cycle {@code now}: the hold is remembered if it took any time. */
    public void release(int cpu, long now) {
        if (holder != cpu) {
            throw new IllegalStateException(name + " released by CPU " + cpu + " but held by " + holder);
        }
        holder = -1;
        if (now > heldSince) {
            holds.add(new Hold(cpu, heldSince, now));
        }
    }

    /** Drops the holds that ended at or before {@code cycle} (the lowest CPU clock): they delay nobody now. */
    public void forgetEndedBy(long cycle) {
        holds.removeIf(h -> h.end() <= cycle);
    }

    /** Whether a CPU holds the lock now. */
    public boolean held() {
        return holder >= 0;
    }

    /** Acquisitions that had to spin. */
    public long contended() {
        return contended;
    }

    /** Cycles spent spinning, all CPUs. */
    public long spinCycles() {
        return spinCycles;
    }

    /** The remembered holds, oldest first. */
    public List<Hold> holds() {
        return Collections.unmodifiableList(holds);
    }
}
