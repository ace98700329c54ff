package dev.hmemu.emulator;

/** The emulator's figures from {@link CycleCosts}, read once. */
public final class CycleModel {
    private final CycleCosts costs;
    private final long cpiMilli;
    private final long walkData;
    private final long walkFetch;
    private final long invlpg;
    private final long flushNonGlobal;
    private final long flushAll;
    private final long ipiSend;
    private final long ipiReceive;

    public CycleModel(CycleCosts costs) {
        this.costs = costs;
        this.cpiMilli = costs.get("cpi.milli");
        this.walkData = costs.get("walk.data");
        this.walkFetch = costs.get("walk.fetch");
        this.invlpg = costs.get("invlpg");
        this.flushNonGlobal = costs.get("flush.nonglobal");
        this.flushAll = costs.get("flush.all");
        this.ipiSend = costs.get("ipi.send");
        this.ipiReceive = costs.get("ipi.receive");
    }

    public CycleCosts costs() {
        return costs;
    }

    public long instructionCycles(long instructions) {
        return instructions * cpiMilli / 1000;
    }

    public long walkData() {
        return walkData;
    }

    public long walkFetch() {
        return walkFetch;
    }

    public long invlpg() {
        return invlpg;
    }

    public long flushNonGlobal() {
        return flushNonGlobal;
    }

    public long flushAll() {
        return flushAll;
    }

    public long ipiSend() {
        return ipiSend;
    }

    public long ipiReceive() {
        return ipiReceive;
    }
}
