package dev.hmemu.emulator.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * A CPU's record of a parked hypercall: a call the kernel did not perform yet because
 * another CPU must act first (or this one waits). The guest is answered RESTART and issues
 * the call again later; the instructions of its retry path are executed, not counted.
 *
 * <p>An engine may also park such calls itself, without calling Java ({@link #configure}
 * and {@link #setBound}): a call whose number the kernel named parkable, made once the
 * CPU's counted instructions exceed the bound. The libhmemu engine keeps this record in
 * native memory (its {@code struct hm_park}, same layout) for that reason; other engines
 * keep it on the heap and never park by themselves.
 */
public final class ParkState {
    /** The layout of {@code struct hm_park} in libhmemu. */
    public static final int BYTES = 192;
    private static final int ABOVE = 0;
    private static final int UNCOUNTED = 8;
    private static final int PARKED_AT = 16;
    private static final int PARKED_BLOCK = 24;
    private static final int PARKS = 32;
    private static final int WIN_LO = 40;
    private static final int WIN_HI = 44;
    private static final int WIN_PHYS = 48;
    private static final int RET_OFF = 52;
    private static final int RESTART = 56;
    private static final int BLOCK_SIZE = 60;
    private static final int NRS = 64;
    private static final int MAX_NR = 128;

    private ByteBuffer b;

    private ParkState(ByteBuffer b) {
        if (b.capacity() != BYTES) {
            throw new IllegalArgumentException("park record of " + b.capacity() + " bytes, expected " + BYTES);
        }
        this.b = b.order(ByteOrder.nativeOrder());
    }

    /** A record the engine never reads: every park goes through Java. */
    public static ParkState onHeap() {
        ParkState s = new ParkState(ByteBuffer.allocate(BYTES));
        s.b.putLong(ABOVE, Long.MAX_VALUE);
        s.b.putLong(PARKED_AT, -1);
        return s;
    }

    /** Over the engine's own record (initialised by the engine: no bound, nothing parked). */
    public static ParkState over(ByteBuffer nativeRecord) {
        return new ParkState(nativeRecord);
    }

    /**
     * Copies the record to the heap: the engine is about to free its memory (the record
     * stays readable after the engine is closed).
     */
    public void detach() {
        ByteBuffer copy = ByteBuffer.allocate(BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < BYTES; i++) {
            copy.put(i, b.get(i));
        }
        b = copy;
    }

    /** Instructions executed and not counted: the retry paths of re-issued calls. */
    public long uncounted() {
        return b.getLong(UNCOUNTED);
    }

    /**
     * A port write of {@code block} at raw engine count {@code raw}: if it re-issues the
     * parked call, its retry path is taken out of the count; either way nothing is parked
     * any more.
     */
    public void issued(long block, long raw) {
        long at = b.getLong(PARKED_AT);
        if (at >= 0) {
            if (block == b.getLong(PARKED_BLOCK)) {
                b.putLong(UNCOUNTED, b.getLong(UNCOUNTED) + raw - at);
            }
            b.putLong(PARKED_AT, -1);
        }
    }

    /** The call with argument block {@code block}, made at raw engine count {@code raw}, is parked. */
    public void park(long block, long raw) {
        b.putLong(PARKED_BLOCK, block);
        b.putLong(PARKED_AT, raw);
    }

    /** Whether a call is parked. */
    public boolean parked() {
        return b.getLong(PARKED_AT) >= 0;
    }

    /** Calls the engine parked by itself. */
    public long engineParks() {
        return b.getLong(PARKS);
    }

    /**
     * The engine parks a parkable call once the counted instructions (raw count less
     * {@link #uncounted}) exceed {@code counted}; {@code Long.MAX_VALUE}: never. The bound
     * must never be lower than the kernel's own decision would make it.
     */
    public void setBound(long counted) {
        b.putLong(ABOVE, counted);
    }

    /**
     * Which calls the engine may park, and where it finds their argument blocks: a block
     * in the window {@code [start, end)} of guest virtual addresses lies at
     * {@code physical + (va - start)}; others always go to Java.
     *
     * @param numbers call numbers (first word of the block) the engine may park, each in 0..127
     */
    public void configure(long start, long end, long physical, int blockSize, int retOffset, int restart,
                          Set<Integer> numbers) {
        if (start < 0 || end > 1L << 32 || start > end || physical < 0 || physical > 0xffffffffL
                || retOffset < 0 || retOffset + 4 > blockSize) {
            throw new IllegalArgumentException("bad park window or block layout");
        }
        for (int i = 0; i < MAX_NR; i++) {
            b.put(NRS + i, (byte) 0);
        }
        for (int nr : numbers) {
            if (nr < 0 || nr >= MAX_NR) {
                throw new IllegalArgumentException("parkable call number " + nr + " outside 0.." + (MAX_NR - 1));
            }
            b.put(NRS + nr, (byte) 1);
        }
        b.putInt(WIN_PHYS, (int) physical);
        b.putInt(RET_OFF, retOffset);
        b.putInt(RESTART, restart);
        b.putInt(BLOCK_SIZE, blockSize);
        b.putInt(WIN_LO, (int) start);
        b.putInt(WIN_HI, (int) Math.min(end, 0xffffffffL));
    }
}
