package dev.hmemu.kernel.sched;

import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * kernel/workqueue.c with one per-CPU pool: each CPU has one kworker ("kworker/N:0",
 * bound, made on the first work queued there) running the guest's
 * {@code hm_kworker_fn}, which loops HC_WORKER_NEXT, work->func(work), HC_WORK_DONE.
 * WORK_STRUCT_PENDING (bit 0 of work->data) is set while queued and cleared just before
 * the function runs, so a running work can be queued again: like __queue_work(), which
 * keeps a work non-reentrant, it then goes to the pool of the CPU where it runs, whatever
 * CPU was asked for, and runs there again after the running instance returns.
 * flush_work() waits for the instance queued (or running) when it was called, not for
 * later ones.
 */
final class Workqueues {
    static final String WORKQUEUE_C = "kernel/workqueue.c";
    static final String WORKER_FN = "hm_kworker_fn";
    static final long WORK_STRUCT_PENDING = 1;

    /** The model's side of one work_struct; seq numbers count queueings. */
    private static final class Work {
        final long addr;
        final WaitQueue flushers;
        boolean pending;
        boolean running;
        /** While running: the CPU whose kworker runs it. */
        int runningCpu;
        long queuedSeq;
        long runningSeq;
        long doneSeq;

        Work(long addr) {
            this.addr = addr;
            this.flushers = new WaitQueue(String.format("flush_work@%08x", addr));
        }
    }

    /** What a task in flush_work() waits for. */
    private record FlushTarget(long work, long seq) {
    }

    private final CoreSched core;
    private final Kthreads kthreads;
    private final Map<Long, Work> works = new TreeMap<>();
    private final Deque<Work>[] worklist;
    private final Task[] workers;
    private final WaitQueue[] idle;
    private final Map<Task, FlushTarget> flushing = new HashMap<>();

    @SuppressWarnings("unchecked")
    Workqueues(CoreSched core, Kthreads kthreads) {
        this.core = core;
        this.kthreads = kthreads;
        int n = core.nrCpus();
        this.worklist = new Deque[n];
        this.workers = new Task[n];
        this.idle = new WaitQueue[n];
        for (int i = 0; i < n; i++) {
            worklist[i] = new ArrayDeque<>();
            idle[i] = new WaitQueue("worker_pool/" + i);
        }
    }

    void register(HypercallTable t) {
        t.register(Hypercall.QUEUE_WORK_ON, this::queueWorkOn);
        t.register(Hypercall.FLUSH_WORK, this::flushWork);
        t.register(Hypercall.WORKER_NEXT, this::workerNext);
        t.register(Hypercall.WORK_DONE, this::workDone);
    }

    /** queue_work_on(cpu, wq, work): false if already pending; WORK_CPU_UNBOUND means this CPU. */
    private long queueWorkOn(Hcall call) {
        int cpu = call.argInt(0);
        long addr = call.arg(1);
        if (cpu < -1 || cpu >= core.nrCpus()) {
            core.warnOnce(call.cpuId(), "queue_work_on-cpu", WORKQUEUE_C, "__queue_work",
                    "queue_work_on() for CPU " + cpu + ", which is not online");
            cpu = -1;
        }
        if (cpu == -1) {
            cpu = call.cpuId();
        }
        Work w = works.computeIfAbsent(addr, Work::new);
        if (w.pending) {
            return 0;
        }
        if (w.running) {
            cpu = w.runningCpu; // non-reentrant: never two instances at once on two CPUs
        }
        w.pending = true;
        w.queuedSeq++;
        GuestMemory m = core.env().memory();
        m.writeU32(addr, m.readU32(addr) | WORK_STRUCT_PENDING);
        worklist[cpu].addLast(w);
        Task k = worker(cpu, call.cpuId());
        long now = call.cpu().cycles();
        core.wakeUpTask(k, now);
        core.wakeUp(idle[cpu], call.cpuId());
        return 1;
    }

    private Task worker(int cpu, int creatorCpu) {
        if (workers[cpu] == null) {
            long fn = core.env().symbol(WORKER_FN).orElseThrow(() -> core.env().reports().bug(core.ctx(creatorCpu),
                    WORKQUEUE_C, "hmemu: the guest image has no " + WORKER_FN + " (link the hmemu runtime)"));
            Task k = kthreads.create(fn, 0, "kworker/" + cpu + ":0", cpu, creatorCpu);
            k.worker = true;
            workers[cpu] = k;
        }
        return workers[cpu];
    }

    /** HC_WORKER_NEXT (worker_thread()'s loop): the next work of this pool, or sleep; 0 = exit. */
    private long workerNext(Hcall call) {
        Task t = core.current(call.cpuId());
        if (t == null || !t.worker) {
            core.warnOnce(call.cpuId(), "worker_next", WORKQUEUE_C, "worker_thread",
                    "hmemu: HC_WORKER_NEXT from a task that is not a kworker");
            return 0;
        }
        if (t.shouldStop) {
            return 0;
        }
        Work w = worklist[t.boundCpu].pollFirst();
        if (w == null) {
            return core.sleepOn(call, idle[t.boundCpu]);
        }
        w.pending = false;
        w.running = true;
        w.runningCpu = t.boundCpu;
        w.runningSeq = w.queuedSeq;
        GuestMemory m = core.env().memory();
        m.writeU32(w.addr, m.readU32(w.addr) & ~WORK_STRUCT_PENDING);
        return w.addr;
    }

    /** HC_WORK_DONE: the function returned (the work may be freed: guest memory is not touched). */
    private long workDone(Hcall call) {
        Work w = works.get(call.arg(0));
        if (w == null || !w.running) {
            core.warnOnce(call.cpuId(), "work_done", WORKQUEUE_C, "process_one_work",
                    String.format("hmemu: HC_WORK_DONE(%08x) for a work that is not running", call.arg(0)));
            return 0;
        }
        w.running = false;
        w.doneSeq = w.runningSeq;
        core.wakeUp(w.flushers, call.cpuId());
        return 0;
    }

    /** flush_work(): waits for the last queueing to finish; true if it had to wait. */
    private long flushWork(Hcall call) {
        Task t = core.current(call.cpuId());
        long addr = call.arg(0);
        Work w = works.get(addr);
        FlushTarget target = flushing.get(t);
        if (target == null || target.work() != addr) {
            if (w == null || (!w.pending && !w.running)) {
                return 0;
            }
            target = new FlushTarget(addr, w.pending ? w.queuedSeq : w.runningSeq);
            flushing.put(t, target);
        }
        if (w.doneSeq >= target.seq()) {
            flushing.remove(t);
            return 1;
        }
        return core.sleepOn(call, w.flushers);
    }
}
