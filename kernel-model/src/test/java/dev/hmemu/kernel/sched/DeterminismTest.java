package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.stats.Counter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    /**
     * A mixed workload driven like the machine does: the runnable CPU with the lowest clock
     * runs next; each task issues a fixed script of calls; idle time jumps to the next event.
     */
    private static long[] scenario() {
        SchedFixture f = new SchedFixture(3);
        long lock = f.scratch(12);
        long done = f.scratch(8);
        long timer = f.scratch(16);
        f.run(0, Hypercall.INIT_COMPLETION, done);
        List<Task> ks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Task k = f.kthread(0, "k" + i, i == 3 ? 0 : -1);
            f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
            ks.add(k);
        }
        f.run(0, Hypercall.MOD_TIMER, timer, 2);
        int[] step = new int[64];
        for (int iter = 0; iter < 400; iter++) {
            Cpu next = null;
            for (Cpu c : f.machine.cpus()) {
                if (f.sched.runnable(c) && (next == null || c.cycles() < next.cycles())) {
                    next = c;
                }
            }
            if (next == null) {
                if (!f.idle()) {
                    break;
                }
                f.sched.checkInvariants();
                continue;
            }
            int cpu = next.id();
            if (f.sched.inSoftirq(cpu)) {
                f.run(cpu, Hypercall.SOFTIRQ_RETURN);
                f.sched.checkInvariants();
                continue;
            }
            Task t = f.current(cpu);
            int s = step[t.pid]++;
            SchedFixture.Result r = switch (s % 6) {
                case 0 -> f.call(cpu, Hypercall.SPIN_LOCK, lock);
                case 1 -> f.call(cpu, Hypercall.SPIN_UNLOCK, lock);
                case 2 -> f.call(cpu, Hypercall.MSLEEP, 1 + t.pid % 3);
                case 3 -> t.pid == 1 ? f.call(cpu, Hypercall.COMPLETE, done) : f.call(cpu, Hypercall.SCHEDULE);
                case 4 -> f.call(cpu, Hypercall.PREEMPT_COUNT);
                default -> f.call(cpu, Hypercall.COND_RESCHED);
            };
            if (r.restart()) {
                step[t.pid]--; // re-issued when it runs again
            }
            next.charge(CycleCategory.KERNEL, 7_000 + 1_000L * t.pid);
            f.endSlice(cpu);
            f.sched.checkInvariants();
        }
        List<Long> out = new ArrayList<>();
        for (long[] row : f.stats.snapshotCounters()) {
            for (long v : row) {
                out.add(v);
            }
        }
        for (Cpu c : f.machine.cpus()) {
            out.add(c.cycles());
        }
        out.add(f.sched.jiffies());
        assertTrue(f.stats.total(Counter.CONTEXT_SWITCHES) > 10, "the scenario switches tasks");
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void theSameOperationsGiveTheSameCountersAndClocksAndKeepTheInvariants() {
        assertArrayEquals(scenario(), scenario());
    }
}
