package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.RegisterContext;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.report.CallSite;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.Reports;
import java.util.ArrayList;
import java.util.List;

/**
 * kernel/kthread.c and kernel/exit.c: the init task, kthread_create_on_cpu(),
 * wake_up_process(), kthread_stop(), kthread_should_stop(), and do_exit() with its
 * end-of-task checks (live kmap_local mappings, pagefault_disable and preempt_count
 * imbalance, held spinlocks).
 */
final class Kthreads {
    static final String KTHREAD_C = "kernel/kthread.c";
    static final String EXIT_C = "kernel/exit.c";
    static final String ENTRY = "hm_kthread_entry";
    static final int EINTR = 4;

    private final CoreSched core;
    private final TaskTable tasks;
    private final SpinLocks locks;
    private Task init;
    private boolean initExited;
    private int exitStatus;

    Kthreads(CoreSched core, TaskTable tasks, SpinLocks locks) {
        this.core = core;
        this.tasks = tasks;
        this.locks = locks;
    }

    void register(HypercallTable t) {
        if (t.get(Hypercall.EXIT) == null) {
            t.register(Hypercall.EXIT, this::exit);
        }
        t.register(Hypercall.KTHREAD_CREATE, this::kthreadCreate);
        t.register(Hypercall.WAKE_UP_PROCESS, this::wakeUpProcess);
        t.register(Hypercall.KTHREAD_STOP, this::kthreadStop);
        t.register(Hypercall.KTHREAD_SHOULD_STOP, c -> core.current(c.cpuId()).shouldStop ? 1 : 0);
        t.register(Hypercall.KTHREAD_EXIT, this::kthreadExit);
    }

    /**
     * Writes a cdecl call frame below {@code top} (16-byte aligned at the call, as the
     * i386 ABI wants): [esp] = 0 (fake return address), [esp+4] = a0, [esp+8] = a1.
     *
     * @param a1 the second argument, or -1 for a one-argument call
     * @return the ESP to start with
     */
    static long cdeclFrame(GuestMemory m, long top, long a0, long a1) {
        long esp = (top & ~0xfL) - 16 - 4;
        m.writeU32(esp, 0);
        m.writeU32(esp + 4, a0);
        m.writeU32(esp + 8, a1 == -1 ? 0 : a1);
        return esp;
    }

    // ---- init ----

    /** The init task (PID 1, "init") running {@code entry} on CPU 0: rest_init()'s kernel_init. */
    void startInit(long entry) {
        init = tasks.create("init", 0, 0);
        init.context = RegisterContext.initial(entry, init.stackTop() - 16);
        init.state = TaskState.RUNNING;
        Cpu c0 = core.cpu(0);
        PerCpu pc = core.perCpu(0);
        c0.restoreContext(init.context);
        pc.setCurrent(init);
    }

    Task init() {
        return init;
    }

    /** init has exited and no started non-worker kthread is still alive. */
    boolean allDone() {
        if (!initExited) {
            return false;
        }
        for (Task t : tasks.all()) {
            if (t.kthread && !t.worker && (t.state == TaskState.RUNNING || t.state == TaskState.UNINTERRUPTIBLE)) {
                return false;
            }
        }
        return true;
    }

    int exitStatus() {
        return exitStatus;
    }

    // ---- kthreads ----

    /**
     * kthread_create_on_cpu(): a NEW task whose first run enters the guest's
     * {@code hm_kthread_entry(fn, data)}; {@code cpu >= 0} binds it (kthread_bind).
     */
    Task create(long fn, long data, String name, int cpu, int creatorCpu) {
        long entry = core.env().symbol(ENTRY).orElseThrow(() -> core.env().reports().bug(core.ctx(creatorCpu),
                KTHREAD_C, "hmemu: the guest image has no " + ENTRY + " (link the hmemu runtime)"));
        Task t = tasks.create(name, cpu >= 0 ? cpu : creatorCpu, TaskTable.PF_KTHREAD);
        t.kthread = true;
        t.boundCpu = cpu;
        long esp = cdeclFrame(core.env().memory(), t.stackTop(), fn, data);
        t.context = RegisterContext.initial(entry, esp);
        return t;
    }

    private long kthreadCreate(Hcall call) {
        int cpu = call.argInt(3);
        if (cpu < -1 || cpu >= core.nrCpus()) {
            return 0;
        }
        String name = core.env().memory().readCString(call.arg(2), 64);
        try {
            return create(call.arg(0), call.arg(1), name, cpu, call.cpuId()).taskStruct;
        } catch (IllegalStateException e) {
            return 0; // no memory for the stack or task_struct: the guest sees -ENOMEM
        }
    }

    /** wake_up_process(): 1 if the task was NEW or asleep. */
    private long wakeUpProcess(Hcall call) {
        Task t = taskArg(call, "wake_up_process");
        return t != null && core.wakeUpTask(t, call.cpu().cycles()) ? 1 : 0;
    }

    /**
     * kthread_stop(): sets should_stop, wakes the thread and sleeps until it exits; returns
     * its exit code. A thread that never ran exits with -EINTR without running its function.
     */
    private long kthreadStop(Hcall call) {
        Task t = taskArg(call, "kthread_stop");
        if (t == null) {
            return -EINTR;
        }
        t.shouldStop = true;
        if (t.state == TaskState.NEW) {
            t.exitCode = -EINTR;
            t.state = TaskState.DEAD;
            tasks.writeExitCode(t);
            tasks.orFlags(t, TaskTable.PF_EXITING);
            tasks.releaseStack(t);
        }
        if (t.state == TaskState.DEAD) {
            return t.exitCode;
        }
        core.wakeUpTask(t, call.cpu().cycles());
        return core.sleepOn(call, t.exitWaiters);
    }

    private long kthreadExit(Hcall call) {
        doExit(call, call.argInt(0));
        return 0;
    }

    /** HC_EXIT: init's main returned; its value is the run's exit status. */
    private long exit(Hcall call) {
        Task t = core.current(call.cpuId());
        if (t == init) {
            exitStatus = call.argInt(0);
            initExited = true;
        }
        doExit(call, call.argInt(0));
        return 0;
    }

    private Task taskArg(Hcall call, String func) {
        Task t = tasks.byStruct(call.arg(0));
        if (t == null || t.idle) {
            core.warnOnce(call.cpuId(), func + "-bad-task", KTHREAD_C, func,
                    String.format("hmemu: %s(%08x): not a task_struct", func, call.arg(0)));
            return null;
        }
        return t;
    }

    // ---- exit ----

    /** do_exit(code) of the current task: checks, TASK_DEAD, wakes kthread_stop(). */
    void doExit(Hcall call, int code) {
        int cpu = call.cpuId();
        PerCpu pc = core.perCpu(cpu);
        Task t = pc.current();
        if (pc.irq != null || t == null || t.idle) {
            throw core.env().reports().bug(core.ctx(cpu), EXIT_C, "hmemu: task exit in interrupt context");
        }
        exitChecks(cpu, t);
        t.exitCode = code;
        t.state = TaskState.DEAD;
        tasks.writeExitCode(t);
        tasks.orFlags(t, TaskTable.PF_EXITING);
        tasks.releaseStack(t); // the guest runs on it only to the end of this block
        core.wakeUp(t.exitWaiters, cpu);
        call.endSlice();
    }

    /** The guest executed hlt in task context: the task stops for good. */
    void halted(Cpu c) {
        PerCpu pc = core.perCpu(c.id());
        Task t = pc.current();
        if (t == null || t.idle || t.state == TaskState.DEAD) {
            return;
        }
        core.env().reports().console().println(String.format("hmemu: %s executed hlt on CPU %d; it stops", t, c.id()));
        t.state = TaskState.DEAD;
        tasks.releaseStack(t);
        if (t == init) {
            initExited = true;
            exitStatus = -1;
            // not "main returned -1": main never returned; nothing would wake a real CPU
            core.env().stop(new dev.hmemu.emulator.StopReason.MachineError(String.format(
                    "init (pid %d, main) executed hlt on CPU %d before main returned, near EIP %08x; "
                            + "no interrupt will wake it", t.pid, c.id(), c.eip())));
        }
        core.wakeUp(t.exitWaiters, c.id());
    }

    /**
     * What Linux checks on the way out: kmap_assert_nomap() (DEBUG_LOCKS_WARN_ON of a live
     * kmap_local stack), do_exit()'s "exited with preempt_count" and "irqs disabled" notes,
     * plus the model's pagefault_disable, migrate_disable and held-lock checks.
     */
    private void exitChecks(int cpu, Task t) {
        PerCpu pc = core.perCpu(cpu);
        var r = core.env().reports();
        var ctx = core.ctx(cpu);
        if (t.kmapCtrl.idx != 0) {
            List<CallSite> cs = new ArrayList<>();
            for (int i = 0; i < t.kmapCtrl.idx && i < t.kmapCtrl.site.length; i++) {
                if (t.kmapCtrl.site[i] != null) {
                    cs.add(r.sites().resolve("kmap_local", t.kmapCtrl.site[i]));
                }
            }
            r.leak(ctx, Finding.Kind.KMAP_LOCAL_LEAK, String.format(
                    "%s exited with %d kmap_local slot(s) in use (kmap_ctrl.idx=%d): "
                    + "DEBUG_LOCKS_WARN_ON(current->kmap_ctrl.idx)", t, t.kmapCtrl.idx, t.kmapCtrl.idx),
                    new Reports.Detail(cs, "A kmap_local_page()/kmap_atomic() mapping "
                    + "was never undone. Linux v6.1 checks this only on return to user mode (kmap_assert_nomap, "
                    + "DEBUG_LOCKS_WARN_ON), so a kthread like this one exits silently and the slot's PTE stays "
                    + "behind; a user task would warn. Add the missing kunmap_local()/kunmap_atomic()."));
        }
        if (t.pagefaultDisabled != 0) {
            r.leak(ctx, String.format("%s exited with pagefault_disabled %d", t, t.pagefaultDisabled));
        }
        if (t.migrationDisabled != 0) {
            r.leak(ctx, String.format("%s exited with migration_disabled %d", t, t.migrationDisabled));
        }
        if (pc.irqsDisabled) {
            r.leak(ctx, String.format("note: %s[%d] exited with irqs disabled", t.comm, t.pid));
        }
        if (pc.preemptCount != 0) {
            r.leak(ctx, String.format("note: %s[%d] exited with preempt_count %d", t.comm, t.pid, pc.preemptCount));
        }
        for (String lock : locks.heldBy(t)) {
            r.leak(ctx, String.format("%s exited holding spinlock %s", t, lock));
        }
    }
}
