package dev.hmemu.kernel.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.hcall.Hypercall;
import org.junit.jupiter.api.Test;

class WorkqueueTest {

    @Test
    void queueWorkStartsTheCpusKworkerAndFlushWorkWaitsForIt() {
        SchedFixture f = new SchedFixture(2);
        Task init = f.current(0);
        long w = f.scratch(12);
        assertEquals(1, f.run(0, Hypercall.QUEUE_WORK_ON, 1, w).ret());
        assertEquals(0, f.run(0, Hypercall.QUEUE_WORK_ON, 1, w).ret(), "already pending");
        assertEquals(1, f.memory.readU32(w) & 1, "WORK_STRUCT_PENDING");
        Task kw = f.current(1);
        assertEquals("kworker/1:0", kw.comm);
        assertTrue(kw.worker);
        assertEquals(1, kw.boundCpu);
        long esp = kw.context.get(X86Reg.ESP) & 0xffffffffL;
        assertEquals(SchedFixture.KWORKER_FN, f.memory.readU32(esp + 4));

        assertTrue(f.run(0, Hypercall.FLUSH_WORK, w).restart());
        assertEquals(w, f.run(1, Hypercall.WORKER_NEXT).ret());
        assertEquals(0, f.memory.readU32(w) & 1, "pending cleared before the function runs");
        f.run(1, Hypercall.WORK_DONE, w);
        assertSame(init, f.current(0));
        assertEquals(1, f.run(0, Hypercall.FLUSH_WORK, w).ret());
        assertTrue(f.run(1, Hypercall.WORKER_NEXT).restart(), "the worker sleeps with nothing queued");
        assertEquals(0, f.run(0, Hypercall.FLUSH_WORK, w).ret(), "nothing to wait for");
    }

    @Test
    void unboundWorkRunsOnTheQueueingCpu() {
        SchedFixture f = new SchedFixture(2);
        long w = f.scratch(12);
        assertEquals(1, f.run(0, Hypercall.QUEUE_WORK_ON, -1, w).ret());
        assertEquals(1, f.sched.queued(0));
        f.run(0, Hypercall.SCHEDULE);
        assertEquals("kworker/0:0", f.current(0).comm);
        assertEquals(w, f.run(0, Hypercall.WORKER_NEXT).ret());
    }

    @Test
    void aRunningWorkCanBeQueuedAgain() {
        SchedFixture f = new SchedFixture(2);
        long w = f.scratch(12);
        f.run(0, Hypercall.QUEUE_WORK_ON, 1, w);
        f.run(1, Hypercall.WORKER_NEXT);
        assertEquals(1, f.run(0, Hypercall.QUEUE_WORK_ON, 1, w).ret());
        f.run(1, Hypercall.WORK_DONE, w);
        assertEquals(w, f.run(1, Hypercall.WORKER_NEXT).ret());
    }

    /**
     * __queue_work() keeps a work non-reentrant: queued for another CPU while it runs, it
     * goes to the CPU where it runs and runs there after the running instance returns.
     */
    @Test
    void aRunningWorkQueuedForAnotherCpuRunsAgainWhereItRuns() {
        SchedFixture f = new SchedFixture(3);
        long w = f.scratch(12);
        f.run(0, Hypercall.QUEUE_WORK_ON, 1, w);
        assertEquals(w, f.run(1, Hypercall.WORKER_NEXT).ret());
        assertEquals(1, f.run(0, Hypercall.QUEUE_WORK_ON, 2, w).ret());
        assertEquals(null, f.current(2), "no kworker started on CPU 2");
        f.run(1, Hypercall.WORK_DONE, w);
        assertEquals(w, f.run(1, Hypercall.WORKER_NEXT).ret(), "the second instance, on CPU 1");
        f.run(1, Hypercall.WORK_DONE, w);
        assertTrue(f.reports.findings().isEmpty(), f.reports.findings().toString());
        assertTrue(f.console.text().isEmpty(), f.console.text());
    }
}
