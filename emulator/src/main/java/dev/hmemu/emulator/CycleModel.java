package dev.hmemu.emulator;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The emulator's cycle figures, read once from {@link CycleCosts} (the emulator's
 * {@code cycle-model.properties} plus overrides). Every figure must be there, and every key
 * outside the kernel model's {@code kernel.*} must be one of these: anything else is an
 * error when the machine is built. docs/cost-model.md gives each figure's source.
 *
 * @param cpiMilli       cpi.milli: cycles per instruction, in thousandths
 * @param walkData       walk.data: a data-TLB miss page walk
 * @param walkFetch      walk.fetch: an instruction-TLB miss page walk
 * @param invlpg         invlpg: one INVLPG
 * @param flushNonGlobal flush.nonglobal: a CR3 write (non-global entries)
 * @param flushAll       flush.all: a full flush including global entries
 * @param ipiSend        ipi.send: the initiator's cost of one IPI
 * @param ipiReceive     ipi.receive: the responder's cost of one flush IPI
 */
public record CycleModel(long cpiMilli, long walkData, long walkFetch, long invlpg, long flushNonGlobal,
                         long flushAll, long ipiSend, long ipiReceive) {
    /** The keys of the kernel model's figures, which this layer does not read. */
    public static final String KERNEL_PREFIX = "kernel.";
    static final Set<String> KEYS = Set.of("cpi.milli", "walk.data", "walk.fetch", "invlpg", "flush.nonglobal",
            "flush.all", "ipi.send", "ipi.receive");

    /**
     * The emulator's figures of {@code costs}.
     *
     * @throws IllegalArgumentException a figure is missing, or a key is neither one of these nor kernel.*
     */
    public static CycleModel from(CycleCosts costs) {
        Map<String, Long> all = costs.asMap();
        Set<String> unknown = new TreeSet<>();
        for (String key : all.keySet()) {
            if (!key.startsWith(KERNEL_PREFIX) && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cycle model: key(s) nothing reads: " + unknown);
        }
        return new CycleModel(require(all, "cpi.milli"), require(all, "walk.data"), require(all, "walk.fetch"),
                require(all, "invlpg"), require(all, "flush.nonglobal"), require(all, "flush.all"),
                require(all, "ipi.send"), require(all, "ipi.receive"));
    }

    /** Cycles for {@code instructions} guest instructions. */
    public long instructionCycles(long instructions) {
        return instructions * cpiMilli / 1000;
    }

    /**
     * The most instructions whose {@link #instructionCycles} are at most {@code cycles}:
     * -1 when {@code cycles} is negative, {@code Long.MAX_VALUE} when no count exceeds it.
     */
    public long instructionsWithin(long cycles) {
        if (cycles < 0) {
            return -1;
        }
        if (cpiMilli <= 0 || cycles >= Long.MAX_VALUE / 1000 - 1) {
            return Long.MAX_VALUE;
        }
        return ((cycles + 1) * 1000 - 1) / cpiMilli;
    }

    private static long require(Map<String, Long> all, String key) {
        Long v = all.get(key);
        if (v == null) {
            throw new IllegalArgumentException("cycle model: emulator figure '" + key
                    + "' is missing (the emulator's cycle-model.properties must set it)");
        }
        return v;
    }
}
