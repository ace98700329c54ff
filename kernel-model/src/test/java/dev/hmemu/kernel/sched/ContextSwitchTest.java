package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.stats.Counter;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ContextSwitchTest {

    @Test
    void initRunsOnCpu0AtItsEntryWithItsTaskStructInGuestMemory() {
        SchedFixture f = new SchedFixture(2);
        Task init = f.current(0);
        assertEquals(1, init.pid);
        assertEquals("init", init.comm);
        assertEquals(TaskState.RUNNING, init.state);
        Cpu c0 = f.machine.cpu(0);
        assertEquals(SchedFixture.INIT_ENTRY, c0.eip());
        assertEquals(init.stackTop() - 16, c0.reg(X86Reg.ESP) & 0xffffffffL);
        assertEquals(0x202, c0.reg(X86Reg.EFLAGS));
        assertEquals(1, f.memory.readU32(init.taskStruct));
        assertEquals("init", f.memory.readCString(init.taskStruct + 4, 16));
        assertEquals(init.stackBase, f.memory.readU32(init.taskStruct + 24));
        assertNull(f.current(1));
        assertEquals(init.taskStruct, f.call(0, Hypercall.CURRENT).ret());
        assertEquals(2, f.call(0, Hypercall.NUM_ONLINE_CPUS).ret());
    }

    @Test
    void kthreadStartsAtTheEntryTrampolineWithACdeclFrame() {
        SchedFixture f = new SchedFixture(1);
        Task k = f.kthread(0, "worker/%u", 0);
        assertEquals(2, k.pid);
        assertEquals(TaskState.NEW, k.state);
        assertEquals(0, k.boundCpu);
        long esp = k.context.get(X86Reg.ESP) & 0xffffffffL;
        assertEquals(SchedFixture.KTHREAD_ENTRY, k.context.get(X86Reg.EIP));
        assertEquals(12, esp % 16, "16-byte aligned at the call");
        assertEquals(0, f.memory.readU32(esp));
        assertEquals(0x5000, f.memory.readU32(esp + 4));
        assertEquals(0x6000, f.memory.readU32(esp + 8));
        assertEquals(0x00200000, f.memory.readU32(k.taskStruct + 32), "PF_KTHREAD");
    }

    @Test
    void voluntarySwitchSavesAndRestoresRegisters() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        Task k = f.kthread(0, "k", 0);
        assertEquals(1, f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct).ret());
        assertEquals(1, f.sched.queued(0));
        Cpu c0 = f.machine.cpu(0);
        c0.setReg(X86Reg.EAX, 0x1234);
        c0.setReg(X86Reg.EBX, 0x5678);
        c0.setEip(0x1042);

        assertTrue(f.run(0, Hypercall.SCHEDULE).endSlice());
        assertSame(k, f.current(0));
        assertEquals(SchedFixture.KTHREAD_ENTRY, c0.eip());
        assertEquals(0, c0.reg(X86Reg.EAX));

        c0.setReg(X86Reg.EAX, 0x9999);
        f.run(0, Hypercall.SCHEDULE);
        assertSame(init, f.current(0));
        assertEquals(0x1234, c0.reg(X86Reg.EAX));
        assertEquals(0x5678, c0.reg(X86Reg.EBX));
        assertEquals(0x1042, c0.eip());
        assertEquals(0x9999, k.context.get(X86Reg.EAX));
        assertEquals(2, f.total(Counter.CONTEXT_SWITCHES));
        assertEquals(0, f.total(Counter.PREEMPTIONS));
    }

    @Test
    void scheduleWithNothingElseRunnableDoesNotSwitch() {
        SchedFixture f = new SchedFixture(1);
        assertFalse(f.run(0, Hypercall.SCHEDULE).endSlice());
        assertEquals(0, f.total(Counter.CONTEXT_SWITCHES));
    }

    @Test
    void kmapLocalSchedOutAndInRunOnlyForTasksWithLiveMappings() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        Task k = f.kthread(0, "k", 0);
        f.call(0, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        init.kmapCtrl.idx = 1;
        f.run(0, Hypercall.SCHEDULE);
        assertEquals(List.of("out:1@0"), f.highmem.calls);
        f.run(0, Hypercall.SCHEDULE);
        assertEquals(List.of("out:1@0", "in:1@0"), f.highmem.calls, "k has no mappings: nothing for it");
        init.kmapCtrl.idx = 0;
        f.run(0, Hypercall.SCHEDULE);
        f.run(0, Hypercall.SCHEDULE);
        assertEquals(2, f.highmem.calls.size());
    }

    @Test
    void sleepOnThenWakeUpRunsTheTaskAgainAndTheReissuedCallSucceeds() {
        SchedFixture f = new SchedFixture(2);
        Task init = f.current(0);
        WaitQueue wq = new WaitQueue("test");
        boolean[] ready = {false};
        Hcall sleepy = new Hcall(f.machine.cpu(0), Hypercall.KMAP, new long[6]);
        // a handler in the style of kmap's sleep on pkmap_map_wait
        Supplier<Long> handler = () -> ready[0] ? 7L : f.sched.sleepOn(sleepy, wq);
        assertEquals(Hypercall.RESTART, handler.get());
        assertTrue(sleepy.endSliceRequested());
        assertEquals(TaskState.UNINTERRUPTIBLE, init.state);
        assertTrue(wq.active());
        f.endSlice(0);
        assertNull(f.current(0));
        assertFalse(f.sched.runnable(f.machine.cpu(0)));

        Task k = f.kthread(1, "waker", 1);
        f.machine.cpu(1).charge(CycleCategory.KERNEL, 1_000_000);
        f.call(1, Hypercall.WAKE_UP_PROCESS, k.taskStruct);
        ready[0] = true;
        f.sched.wakeUp(wq, 1);
        assertFalse(wq.active());
        assertSame(init, f.current(0));
        assertEquals(TaskState.RUNNING, init.state);
        assertTrue(f.cycles(0) >= f.cycles(1) - 2000, "the idle CPU caught up with the waker's clock");
        assertEquals(7L, handler.get());
    }

    @Test
    void wakeUpOfATaskThatHasNotSwitchedOutYetKeepsItRunning() {
        SchedFixture f = new SchedFixture(1);
        Task init = f.current(0);
        WaitQueue wq = new WaitQueue("test");
        Hcall h = new Hcall(f.machine.cpu(0), Hypercall.KMAP, new long[6]);
        f.sched.sleepOn(h, wq);
        f.sched.wakeUp(wq, 0);
        f.endSlice(0);
        assertSame(init, f.current(0));
        assertEquals(0, f.total(Counter.CONTEXT_SWITCHES));
    }

    @Test
    void aNewUnboundKthreadGoesToTheLeastLoadedCpu() {
        SchedFixture f = new SchedFixture(3);
        Task a = f.kthread(0, "a", -1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, a.taskStruct);
        Task b = f.kthread(0, "b", -1);
        f.call(0, Hypercall.WAKE_UP_PROCESS, b.taskStruct);
        assertSame(a, f.current(1));
        assertSame(b, f.current(2));
        assertEquals(1, f.memory.readU32(a.taskStruct + 20), "task_struct.cpu");
        assertEquals(0, f.call(0, Hypercall.WAKE_UP_PROCESS, a.taskStruct).ret(), "already running");
    }
}
