package dev.hmemu.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time boot operations of LevelBitmap against their bit-by-bit definitions. */
class LevelBitmapTest {
    private static void assertSame(BitSet want, LevelBitmap got, String what) {
        for (long i = 0; i < got.size(); i++) {
            assertEquals(want.get((int) i), got.get(i), what + " bit " + i);
            long next = want.nextSetBit((int) i);
            assertEquals(next < 0 || next >= got.size() ? -1 : next, got.nextSetBit(i), what + " next from " + i);
        }
    }

    /** Sets {@code runs} random runs of up to {@code maxLen} bits in both. */
    private static void setRandomRuns(LevelBitmap b, BitSet same, Random rnd, int runs, int maxLen) {
        for (int k = 0; k < runs; k++) {
            long from = (long) (rnd.nextDouble() * b.size());
            long to = Math.min(b.size(), from + rnd.nextInt(maxLen));
            b.setRange(from, to);
            same.set((int) from, (int) to);
        }
    }

    @Test
    void setRangeSetsExactlyTheRunsAndTheirSummaries() {
        Random rnd = new Random(7);
        for (long bits : new long[] {1, 63, 64, 65, 4095, 4096, 262_145}) {
            LevelBitmap b = new LevelBitmap(bits);
            BitSet want = new BitSet();
            setRandomRuns(b, want, rnd, 20, 200);
            assertSame(want, b, bits + " bits");
        }
    }

    @Test
    void setPairsOfMarksEveryBlockWhoseHalvesAreBothSet() {
        Random rnd = new Random(11);
        for (long bits : new long[] {2, 127, 128, 129, 8191, 100_001}) {
            LevelBitmap below = new LevelBitmap(bits);
            BitSet set = new BitSet();
            setRandomRuns(below, set, rnd, 40, 300);
            LevelBitmap up = new LevelBitmap(Math.max(1, bits >>> 1));
            up.setPairsOf(below);
            BitSet want = new BitSet();
            for (int b = 0; b < up.size(); b++) {
                if (set.get(2 * b) && set.get(2 * b + 1)) {
                    want.set(b);
                }
            }
            assertSame(want, up, bits + " bits");
        }
    }
}
