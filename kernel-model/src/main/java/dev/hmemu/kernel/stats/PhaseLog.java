package dev.hmemu.kernel.stats;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.Machine;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Named phase boundaries from hmemu_mark(): each mark snapshots every counter, so a
 * report can show what happened between two marks.
 */
public final class PhaseLog {
    /** A mark: its label, the CPU that set it, and the counters then. */
    public record Mark(String label, int cpu, Snapshot snapshot) {
    }

    private final Machine machine;
    private final KernelStats stats;
    private final List<Mark> marks = new ArrayList<>();

    /** The log with its first mark, "boot", taken now. */
    public PhaseLog(Machine machine, KernelStats stats) {
        this.machine = machine;
        this.stats = stats;
        marks.add(new Mark("boot", 0, snapshot()));
    }

    public void mark(String label, int cpu) {
        marks.add(new Mark(label == null ? "?" : label, cpu, snapshot()));
    }

    public List<Mark> marks() {
        return Collections.unmodifiableList(marks);
    }

    /** Delta from the mark labelled {@code label} to the next mark (or to {@code end}). */
    public Snapshot phase(String label, Snapshot end) {
        for (int i = 0; i < marks.size(); i++) {
            if (marks.get(i).label().equals(label)) {
                Snapshot to = i + 1 < marks.size() ? marks.get(i + 1).snapshot() : end;
                return to.minus(marks.get(i).snapshot());
            }
        }
        throw new IllegalArgumentException("no mark '" + label + "'");
    }

    /** Every counter now. */
    public Snapshot snapshot() {
        Machine m = machine;
        KernelStats s = stats;
        int n = m.cpus().size();
        long[] instr = new long[n];
        long[] cyc = new long[n];
        long[] idle = new long[n];
        long[] sent = new long[n];
        long[] recv = new long[n];
        TlbStatsSnapshot[] tlb = new TlbStatsSnapshot[n];
        for (Cpu c : m.cpus()) {
            instr[c.id()] = c.instructions();
            cyc[c.id()] = c.cycles();
            idle[c.id()] = c.cycles(CycleCategory.IDLE);
            tlb[c.id()] = c.tlbStats();
            sent[c.id()] = m.ipisSent(c.id());
            recv[c.id()] = m.ipisReceived(c.id());
        }
        return new Snapshot(s.snapshotCounters(), s.snapshotCalls(), s.snapshotCallCycles(), instr, cyc, idle, tlb, sent,
                recv, Arrays.stream(cyc).max().orElse(0));
    }
}
