package dev.hmemu.kernel.sched;

import dev.hmemu.kernel.base.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The task list and pid allocation (kernel/fork.c's share of the model), and the guest's
 * {@code struct task_struct}:
 * {@code { int pid; char comm[16]; int cpu; void *stack; int exit_code; unsigned int flags; }}.
 */
final class TaskTable {
    /** THREAD_SIZE on x86-32. */
    static final int THREAD_SIZE = 8192;
    static final int TASK_COMM_LEN = 16;
    static final int TASK_STRUCT_SIZE = 64;
    static final int OFF_PID = 0;
    static final int OFF_COMM = 4;
    static final int OFF_CPU = 20;
    static final int OFF_STACK = 24;
    static final int OFF_EXIT_CODE = 28;
    static final int OFF_FLAGS = 32;
    /** include/linux/sched.h task flags. */
    static final int PF_IDLE = 0x00000002;
    static final int PF_EXITING = 0x00000004;
    static final int PF_WQ_WORKER = 0x00000020;
    static final int PF_KTHREAD = 0x00200000;

    private final SchedEnv env;
    private final List<Task> all = new ArrayList<>();
    private final Map<Long, Task> byStruct = new TreeMap<>();
    private int nextPid = 1;

    TaskTable(SchedEnv env) {
        this.env = env;
    }

    /**
     * A task with a fresh kernel stack (THREAD_SIZE) and task_struct, in state NEW on
     * {@code cpu}; pids count up from 1 (init).
     */
    Task create(String name, int cpu, int flags) {
        long stack = env.mm().allocStack(THREAD_SIZE);
        long ts = env.mm().kmalloc(TASK_STRUCT_SIZE);
        Task t = new Task(nextPid++, comm(name), ts, stack, THREAD_SIZE, env.config().kmMaxIdx());
        t.cpu = cpu;
        all.add(t);
        byStruct.put(ts, t);
        writeTaskStruct(t, flags);
        return t;
    }

    /** The idle task of {@code cpu} (init_idle(): pid 0, "swapper/N"), which has no stack of its own here. */
    Task createIdle(int cpu) {
        long ts = env.mm().kmalloc(TASK_STRUCT_SIZE);
        Task t = new Task(0, "swapper/" + cpu, ts, 0, 0, env.config().kmMaxIdx());
        t.idle = true;
        t.kthread = true;
        t.cpu = cpu;
        t.state = TaskState.RUNNING;
        byStruct.put(ts, t);
        writeTaskStruct(t, PF_IDLE | PF_KTHREAD);
        return t;
    }

    /**
     * A dead task's kernel stack goes back to the page allocator (free_thread_stack()), so
     * tasks created and exited one after another reuse it. The task_struct stays: the
     * guest may still hold it for kthread_stop() or its exit code.
     */
    void releaseStack(Task t) {
        if (t.stackBase != 0 && !t.stackFreed) {
            t.stackFreed = true;
            env.mm().freeStack(t.stackBase, t.stackSize);
        }
    }

    /** The task whose task_struct is at {@code addr}, or null. */
    Task byStruct(long addr) {
        return byStruct.get(addr);
    }

    /** Every task but the idle tasks, in creation order. */
    List<Task> all() {
        return Collections.unmodifiableList(all);
    }

    void writeCpu(Task t) {
        env.memory().writeU32(t.taskStruct + OFF_CPU, t.cpu);
    }

    void writeExitCode(Task t) {
        env.memory().writeU32(t.taskStruct + OFF_EXIT_CODE, t.exitCode);
    }

    void orFlags(Task t, int flags) {
        GuestMemory m = env.memory();
        m.writeU32(t.taskStruct + OFF_FLAGS, m.readU32(t.taskStruct + OFF_FLAGS) | flags);
    }

    private void writeTaskStruct(Task t, int flags) {
        GuestMemory m = env.memory();
        m.writeU32(t.taskStruct + OFF_PID, t.pid);
        byte[] comm = new byte[TASK_COMM_LEN];
        byte[] name = t.comm.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(name, 0, comm, 0, Math.min(name.length, TASK_COMM_LEN - 1));
        m.write(t.taskStruct + OFF_COMM, comm);
        m.writeU32(t.taskStruct + OFF_CPU, t.cpu);
        m.writeU32(t.taskStruct + OFF_STACK, t.stackBase);
        m.writeU32(t.taskStruct + OFF_EXIT_CODE, 0);
        m.writeU32(t.taskStruct + OFF_FLAGS, flags);
    }

    /** TASK_COMM_LEN - 1 characters, as __set_task_comm() keeps. */
    static String comm(String name) {
        String n = name == null ? "" : name;
        return n.length() < TASK_COMM_LEN ? n : n.substring(0, TASK_COMM_LEN - 1);
    }
}
