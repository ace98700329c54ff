package dev.hmemu.kernel.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * A bitmap with summary levels: bit {@code j} of level {@code k+1} is set iff word
 * {@code j} of level {@code k} is not zero. Finding the next set bit from any index costs
 * one word test per level (at most four levels for 2^24 bits), so it does not grow with
 * the size of the bitmap; setting or clearing a bit updates the summaries it changes.
 */
final class LevelBitmap {
    private final long[][] levels;
    private final long bits;

    /** An empty bitmap of {@code bits} bits. */
    LevelBitmap(long bits) {
        this.bits = bits;
        List<long[]> ls = new ArrayList<>();
        long n = Math.max(bits, 1);
        do {
            long words = (n + 63) >>> 6;
            ls.add(new long[(int) words]);
            n = words;
        } while (n > 1);
        this.levels = ls.toArray(new long[0][]);
    }

    long size() {
        return bits;
    }

    boolean get(long i) {
        return i >= 0 && i < bits && (levels[0][(int) (i >>> 6)] & (1L << i)) != 0;
    }

    void set(long i) {
        for (long[] w : levels) {
            int word = (int) (i >>> 6);
            long before = w[word];
            w[word] = before | (1L << i);
            if (before != 0) {
                return; // the summaries above already say "not empty"
            }
            i = word;
        }
    }

    void clear(long i) {
        for (long[] w : levels) {
            int word = (int) (i >>> 6);
            long after = w[word] & ~(1L << i);
            w[word] = after;
            if (after != 0) {
                return;
            }
            i = word;
        }
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    long nextSetBit(long from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= bits) {
            return -1;
        }
        return next(0, from);
    }

    private long next(int level, long from) {
        long[] w = levels[level];
        int word = (int) (from >>> 6);
        if (word >= w.length) {
            return -1;
        }
        long m = w[word] & (-1L << from);
        if (m != 0) {
            return ((long) word << 6) + Long.numberOfTrailingZeros(m);
        }
        if (level + 1 == levels.length) {
            return -1;
        }
        long nextWord = next(level + 1, word + 1L);
        if (nextWord < 0) {
            return -1;
        }
        return (nextWord << 6) + Long.numberOfTrailingZeros(w[(int) nextWord]);
    }
}
