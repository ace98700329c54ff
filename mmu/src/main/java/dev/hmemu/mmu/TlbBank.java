package dev.hmemu.mmu;

import java.util.Arrays;

/**
 * One set-associative array of TLB entries in parallel primitive arrays, with
 * first-in-first-out replacement per set: the order is set by insertion only, never by
 * hits. The execution engine caches translations itself and asks the model only when its
 * own cache misses, and how often that happens depends on the engine (its TLB is resized
 * on wall-clock windows); with FIFO the model's contents depend only on the guest's
 * accesses, so misses, walks and evictions are the same on every run.
 *
 * <p>Slot {@code set * ways + way}. A slot is invalid when its tag is {@link #INVALID};
 * otherwise the tag is the linear base of the page, aligned to the slot's page size.
 * The set of an entry is chosen by the linear address shifted by {@code indexShift}
 * (12 for the 4 KiB bank, 22 for the large bank so a 4 MiB page has one set).
 */
final class TlbBank {
    static final long INVALID = -1L;
    static final int F_WRITABLE = 1;
    static final int F_USER = 2;
    static final int F_EXECUTABLE = 4;
    static final int F_GLOBAL = 8;
    static final int F_DIRTY = 16;

    /** {@link #insert} outcome: filled an empty slot. */
    static final int FILLED = 0;
    /** {@link #insert} outcome: overwrote the entry for the same page. */
    static final int REPLACED = 1;
    /** {@link #insert} outcome: evicted the oldest entry of a full set. */
    static final int EVICTED = 2;

    private final int ways;
    private final int setMask;
    private final int indexShift;
    private final long[] tag;
    private final long[] phys;
    private final long[] size;
    private final int[] flags;
    private final long[] inserted;
    private long clock;
    private int valid;
    private TlbMirror mirror;
    private int mirrorBank;

    TlbBank(int entries, int ways, int indexShift) {
        this.ways = ways;
        this.setMask = entries / ways - 1;
        this.indexShift = indexShift;
        this.tag = new long[entries];
        this.phys = new long[entries];
        this.size = new long[entries];
        this.flags = new int[entries];
        this.inserted = new long[entries];
        Arrays.fill(tag, INVALID);
    }

    /** Reports every slot change to {@code m} from now on, starting with the current contents. */
    void setMirror(TlbMirror m, int bank) {
        this.mirror = m;
        this.mirrorBank = bank;
        if (m != null) {
            for (int s = 0; s < tag.length; s++) {
                if (tag[s] == INVALID) {
                    m.invalidate(bank, s);
                } else {
                    m.store(bank, s, tag[s], phys[s], size[s], flags[s]);
                }
            }
        }
    }

    int validCount() {
        return valid;
    }

    int capacity() {
        return tag.length;
    }

    private int firstSlot(long linear) {
        return (int) ((linear >>> indexShift) & setMask) * ways;
    }

    /** The slot translating {@code linear}, or -1 (a hit does not change the order). */
    int find(long linear) {
        int first = firstSlot(linear);
        for (int s = first; s < first + ways; s++) {
            long t = tag[s];
            if (t != INVALID && (linear & -size[s]) == t) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Stores an entry: over the entry for the same page if present, else into an empty way,
     * else over the way inserted longest ago. Returns FILLED, REPLACED or EVICTED.
     */
    int insert(long linearPage, long physPage, long pageSize, int entryFlags) {
        int first = firstSlot(linearPage);
        int target = -1;
        int empty = -1;
        int oldest = first; // only used when the set is full
        for (int s = first; s < first + ways; s++) {
            long t = tag[s];
            if (t == INVALID) {
                if (empty < 0) {
                    empty = s;
                }
            } else if (t == linearPage && size[s] == pageSize) {
                target = s;
                break;
            } else if (inserted[s] < inserted[oldest]) {
                oldest = s;
            }
        }
        int outcome;
        if (target >= 0) {
            outcome = REPLACED;
        } else if (empty >= 0) {
            target = empty;
            outcome = FILLED;
            valid++;
        } else {
            target = oldest;
            outcome = EVICTED;
        }
        tag[target] = linearPage;
        phys[target] = physPage;
        size[target] = pageSize;
        flags[target] = entryFlags;
        inserted[target] = ++clock;
        if (mirror != null) {
            mirror.store(mirrorBank, target, linearPage, physPage, pageSize, entryFlags);
        }
        return outcome;
    }

    /** Drops every entry covering {@code linear}; returns how many. */
    int dropCovering(long linear) {
        int first = firstSlot(linear);
        int dropped = 0;
        for (int s = first; s < first + ways; s++) {
            long t = tag[s];
            if (t != INVALID && (linear & -size[s]) == t) {
                drop(s);
                dropped++;
            }
        }
        return dropped;
    }

    /** Takes the entries covering {@code linear} out of the mirror only (they stay here); returns how many. */
    int unmirrorCovering(long linear) {
        int first = firstSlot(linear);
        int found = 0;
        for (int s = first; s < first + ways; s++) {
            long t = tag[s];
            if (t != INVALID && (linear & -size[s]) == t) {
                if (mirror != null) {
                    mirror.invalidate(mirrorBank, s);
                }
                found++;
            }
        }
        return found;
    }

    /** Drops every entry, or only the non-global ones; returns how many. */
    int dropAll(boolean keepGlobal) {
        if (valid == 0) {
            return 0;
        }
        int dropped = 0;
        for (int s = 0; s < tag.length; s++) {
            if (tag[s] != INVALID && !(keepGlobal && (flags[s] & F_GLOBAL) != 0)) {
                drop(s);
                dropped++;
            }
        }
        return dropped;
    }

    private void drop(int s) {
        tag[s] = INVALID;
        valid--;
        if (mirror != null) {
            mirror.invalidate(mirrorBank, s);
        }
    }

    long linearPage(int s) {
        return tag[s];
    }

    long physPage(int s) {
        return phys[s];
    }

    long pageSize(int s) {
        return size[s];
    }

    int flags(int s) {
        return flags[s];
    }

    TlbEntry entry(int s) {
        int f = flags[s];
        return new TlbEntry(tag[s], phys[s], size[s], (f & F_WRITABLE) != 0, (f & F_USER) != 0,
                (f & F_EXECUTABLE) != 0, (f & F_GLOBAL) != 0, (f & F_DIRTY) != 0);
    }
}
