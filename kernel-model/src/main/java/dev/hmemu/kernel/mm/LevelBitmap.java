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

    /** Sets bits {@code [from, to)} (boot: a run of free pages), a word at a time. */
    void setRange(long from, long to) {
        if (from >= to) {
            return;
        }
        long[] w = levels[0];
        int first = (int) (from >>> 6);
        int last = (int) ((to - 1) >>> 6);
        for (int i = first; i <= last; i++) {
            long m = -1L;
            if (i == first) {
                m &= -1L << from;
            }
            if (i == last) {
                m &= -1L >>> (63 - ((to - 1) & 63));
            }
            w[i] |= m;
        }
        summarise(first, last);
    }

    /**
     * Sets bit {@code b} wherever bits {@code 2b} and {@code 2b + 1} of {@code below} are
     * both set (boot: the free blocks of the next order), a word at a time.
     */
    void setPairsOf(LevelBitmap below) {
        long[] src = below.levels[0];
        long[] dst = levels[0];
        for (int j = 0; j < dst.length; j++) {
            long lo = 2 * j < src.length ? src[2 * j] : 0;
            long hi = 2 * j + 1 < src.length ? src[2 * j + 1] : 0;
            dst[j] |= evenPairs(lo) | (evenPairs(hi) << 32);
        }
        int tail = (int) (bits & 63);
        if (tail != 0) {
            dst[dst.length - 1] &= (1L << tail) - 1; // no bit at or beyond the size
        }
        summarise(0, dst.length - 1);
    }

    /** Bit i (0..31) set iff bits 2i and 2i+1 of {@code x} are both set. */
    private static long evenPairs(long x) {
        x &= (x >>> 1) & 0x5555_5555_5555_5555L;
        x = (x | (x >>> 1)) & 0x3333_3333_3333_3333L;
        x = (x | (x >>> 2)) & 0x0F0F_0F0F_0F0F_0F0FL;
        x = (x | (x >>> 4)) & 0x00FF_00FF_00FF_00FFL;
        x = (x | (x >>> 8)) & 0x0000_FFFF_0000_FFFFL;
        return (x | (x >>> 16)) & 0x0000_0000_FFFF_FFFFL;
    }

    /** Marks the summaries of level-0 words {@code [first, last]} that are not zero. */
    private void summarise(int first, int last) {
        for (int k = 0; k + 1 < levels.length; k++) {
            long[] w = levels[k];
            long[] up = levels[k + 1];
            for (int i = first; i <= last; i++) {
                if (w[i] != 0) {
                    up[i >>> 6] |= 1L << i;
                }
            }
            first >>>= 6;
            last >>>= 6;
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
