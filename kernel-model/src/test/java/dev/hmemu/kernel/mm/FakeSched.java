package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.sched.PerCpu;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.sched.TaskState;
import dev.hmemu.kernel.sched.WaitQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler for unit tests: current tasks are set by the test, preempt/pagefault/migrate
 * counters are plain fields, might_sleep calls and sleeps/wake-ups are recorded.
 */
public final class FakeSched implements SchedApi {
    private final PerCpu[] cpus;
    /** "file:line" of every might_sleep(), with " atomic" appended when in_atomic(). */
    public final List<String> mightSleeps = new ArrayList<>();
    public final List<Task> slept = new ArrayList<>();
    public final List<Task> woken = new ArrayList<>();
    public int preemptEnables;

    public FakeSched(int nrCpus) {
        cpus = new PerCpu[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            cpus[i] = new PerCpu(i);
        }
    }

    public void setCurrent(int cpu, Task t) {
        cpus[cpu].setCurrent(t);
        if (t != null) {
            t.cpu = cpu;
            t.state = TaskState.RUNNING;
        }
    }

    @Override
    public PerCpu perCpu(int cpu) {
        return cpus[cpu];
    }

    @Override
    public Task current(int cpu) {
        return cpus[cpu].current();
    }

    @Override
    public void preemptDisable(int cpu) {
        cpus[cpu].preemptCount++;
    }

    @Override
    public void preemptEnable(int cpu, Hcall call) {
        if (--cpus[cpu].preemptCount < 0) {
            throw new IllegalStateException("preempt_count underflow on CPU" + cpu);
        }
        preemptEnables++;
    }

    @Override
    public void pagefaultDisable(Task t) {
        t.pagefaultDisabled++;
    }

    @Override
    public void pagefaultEnable(Task t) {
        t.pagefaultDisabled--;
    }

    @Override
    public boolean faulthandlerDisabled(int cpu) {
        Task t = cpus[cpu].current();
        return cpus[cpu].inAtomic() || (t != null && t.pagefaultDisabled != 0);
    }

    @Override
    public void migrateDisable(Task t) {
        t.migrationDisabled++;
    }

    @Override
    public void migrateEnable(Task t) {
        t.migrationDisabled--;
    }

    @Override
    public void mightSleep(Hcall call, String file, int line) {
        mightSleeps.add(file + ":" + line + (cpus[call.cpuId()].inAtomic() ? " atomic" : ""));
    }

    @Override
    public long sleepOn(Hcall call, WaitQueue wq) {
        Task t = cpus[call.cpuId()].current();
        t.state = TaskState.UNINTERRUPTIBLE;
        wq.add(t);
        slept.add(t);
        call.endSlice();
        return Hypercall.RESTART;
    }

    @Override
    public void wakeUp(WaitQueue wq, int fromCpu) {
        for (Task t : wq.drain()) {
            t.state = TaskState.RUNNING;
            woken.add(t);
        }
    }

    private static RuntimeException notInTests() {
        return new UnsupportedOperationException("not part of the test scheduler");
    }

    @Override public void register(HypercallTable table) { throw notInTests(); }
    @Override public void startInit(long entry) { throw notInTests(); }
    @Override public void sliceEnded(Cpu cpu, EngineExit exit) { throw notInTests(); }
    @Override public boolean runnable(Cpu cpu) { throw notInTests(); }
    @Override public long nextEventCycle() { throw notInTests(); }
    @Override public void idleUntil(long cycle) { throw notInTests(); }
    @Override public boolean allDone() { throw notInTests(); }
    @Override public int exitStatus() { throw notInTests(); }
}
