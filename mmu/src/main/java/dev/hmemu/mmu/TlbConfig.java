package dev.hmemu.mmu;

/**
 * Geometry of a {@link Tlb}: one set-associative array for 4 KiB pages and one for large
 * (2 MiB / 4 MiB) pages. Each array has {@code entries / ways} sets, a power of two.
 *
 * @param entries4k    4 KiB-page entries
 * @param ways4k       associativity of the 4 KiB array
 * @param entriesLarge large-page entries
 * @param waysLarge    associativity of the large-page array
 */
public record TlbConfig(int entries4k, int ways4k, int entriesLarge, int waysLarge) {

    /** @throws IllegalArgumentException unless entries divide into a power-of-two number of sets */
    public TlbConfig {
        validate("4k", entries4k, ways4k);
        validate("large", entriesLarge, waysLarge);
    }

    /** 1536 entries, 12-way for 4 KiB pages (a unified STLB); 32 entries, 4-way for large pages. */
    public static TlbConfig defaults() {
        return new TlbConfig(1536, 12, 32, 4);
    }

    /** Number of sets of the 4 KiB array. */
    public int sets4k() {
        return entries4k / ways4k;
    }

    /** Number of sets of the large-page array. */
    public int setsLarge() {
        return entriesLarge / waysLarge;
    }

    private static void validate(String which, int entries, int ways) {
        if (entries <= 0 || ways <= 0) {
            throw new IllegalArgumentException(which + ": entries (" + entries + ") and ways (" + ways
                    + ") must be positive");
        }
        if (entries % ways != 0) {
            throw new IllegalArgumentException(which + ": entries " + entries + " not divisible by ways " + ways);
        }
        int sets = entries / ways;
        if (Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException(which + ": " + sets + " sets is not a power of two");
        }
    }
}
