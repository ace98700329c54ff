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

    /** Most marks kept (boot included); later ones are counted only. */
    public static final int MAX_MARKS = 1000;

    private final Machine machine;
    private final KernelStats stats;
    private final List<Mark> marks = new ArrayList<>();
    /** First mark of each label: phase lookup by label in O(1). */
    private final java.util.Map<String, Integer> firstByLabel = new java.util.HashMap<>();
    private long dropped;

    /** The log with its first mark, "boot", taken now. */
    public PhaseLog(Machine machine, KernelStats stats) {
        this.machine = machine;
        this.stats = stats;
        add(new Mark("boot", 0, snapshot()));
    }

    /**
     * A phase boundary. Past {@link #MAX_MARKS} marks it is only counted (the last kept
     * phase then runs to the end of the run; the report says how many were dropped).
     */
    public void mark(String label, int cpu) {
        if (marks.size() >= MAX_MARKS) {
            dropped++;
            return;
        }
        add(new Mark(label == null ? "?" : label, cpu, snapshot()));
    }

    private void add(Mark m) {
        firstByLabel.putIfAbsent(m.label(), marks.size());
        marks.add(m);
    }

    /** Marks past {@link #MAX_MARKS}: counted, not kept. */
    public long droppedMarks() {
        return dropped;
    }

    public List<Mark> marks() {
        return Collections.unmodifiableList(marks);
    }

    /** Delta from the (first) mark labelled {@code label} to the next mark (or to {@code end}). */
    public Snapshot phase(String label, Snapshot end) {
        Integer i = firstByLabel.get(label);
        if (i == null) {
            throw new IllegalArgumentException("no mark '" + label + "'");
        }
        Snapshot to = i + 1 < marks.size() ? marks.get(i + 1).snapshot() : end;
        return to.minus(marks.get(i).snapshot());
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
