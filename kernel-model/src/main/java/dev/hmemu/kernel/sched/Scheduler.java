package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.kernel.Kernel;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.HypercallTable;

/** STUB: replaced by the sched engineer. */
public final class Scheduler implements SchedApi {
    public Scheduler(Kernel k) {
    }

    private static RuntimeException todo() {
        return new UnsupportedOperationException("scheduler not written yet");
    }

    @Override public void register(HypercallTable table) { throw todo(); }
    @Override public void startInit(long entry) { throw todo(); }
    @Override public PerCpu perCpu(int cpu) { throw todo(); }
    @Override public Task current(int cpu) { throw todo(); }
    @Override public void preemptDisable(int cpu) { throw todo(); }
    @Override public void preemptEnable(int cpu, Hcall call) { throw todo(); }
    @Override public void pagefaultDisable(Task t) { throw todo(); }
    @Override public void pagefaultEnable(Task t) { throw todo(); }
    @Override public boolean faulthandlerDisabled(int cpu) { throw todo(); }
    @Override public void migrateDisable(Task t) { throw todo(); }
    @Override public void migrateEnable(Task t) { throw todo(); }
    @Override public void mightSleep(Hcall call, String file, int line) { throw todo(); }
    @Override public long sleepOn(Hcall call, WaitQueue wq) { throw todo(); }
    @Override public void wakeUp(WaitQueue wq, int fromCpu) { throw todo(); }
    @Override public void sliceEnded(Cpu cpu, EngineExit exit) { throw todo(); }
    @Override public boolean runnable(Cpu cpu) { throw todo(); }
    @Override public long nextEventCycle() { throw todo(); }
    @Override public void idleUntil(long cycle) { throw todo(); }
    @Override public boolean allDone() { throw todo(); }
    @Override public int exitStatus() { throw todo(); }
}
