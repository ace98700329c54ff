package dev.hmemu.app;

import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.smp.SmpReport;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.stats.Snapshot;
import java.util.List;

/**
 * Everything a run produced, kept after the machine is closed.
 *
 * @param cyclesByCategory per CPU, cycles per {@link dev.hmemu.emulator.CycleCategory}
 */
public record RunResult(String image, MachineConfig machine, KernelConfig kernel, StopReason stop, int exitStatus,
                        List<Finding> findings, String console, Snapshot end, List<PhaseLog.Mark> marks,
                        long[][] cyclesByCategory, long hypercalls, double wallSeconds, SmpReport smp) {

    /** Delta of the phase that starts at mark {@code i} (to the next mark, or to the end). */
    public Snapshot phaseAt(int i) {
        Snapshot to = i + 1 < marks.size() ? marks.get(i + 1).snapshot() : end;
        return to.minus(marks.get(i).snapshot());
    }

    /** Delta of the phase that starts at the first mark labelled {@code label}. */
    public Snapshot phase(String label) {
        for (int i = 0; i < marks.size(); i++) {
            if (marks.get(i).label().equals(label)) {
                Snapshot to = i + 1 < marks.size() ? marks.get(i + 1).snapshot() : end;
                return to.minus(marks.get(i).snapshot());
            }
        }
        throw new IllegalArgumentException("the run has no mark '" + label + "'");
    }
}
