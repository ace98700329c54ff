package dev.hmemu.emulator.bench;

import java.util.Arrays;

/**
 * The median and range of one figure over interleaved repetitions.
 *
 * @param median the middle sample (the mean of the two middle ones for an even count)
 * @param min    the smallest sample
 * @param max    the largest sample
 * @param count  how many samples
 */
public record Spread(double median, double min, double max, int count) {
    public Spread {
        if (count < 1 || !(min <= median && median <= max)) {
            throw new IllegalArgumentException("not a spread: " + min + " <= " + median + " <= " + max + " of " + count);
        }
    }

    public static Spread of(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(median, s[0], s[n - 1], n);
    }

    /** "median (min..max)" with the given number format, e.g. {@code "%.2f"}. */
    public String format(String number) {
        return String.format(number + " (" + number + ".." + number + ")", median, min, max);
    }
}
