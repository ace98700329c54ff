package dev.hmemu.kernel.sched;

import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.hcall.Hypercall;
import java.util.Map;
import java.util.TreeMap;

/**
 * kernel/sched/completion.c: {@code done} lives in the guest's struct completion, the
 * wait queue in the model, keyed by the completion's address. complete() wakes one
 * waiter, complete_all() every waiter and leaves done at UINT_MAX; a woken waiter
 * re-checks done when its wait_for_completion() is re-issued.
 */
final class Completions {
    static final long UINT_MAX = 0xffffffffL;

    private final CoreSched core;
    private final Map<Long, WaitQueue> queues = new TreeMap<>();

    Completions(CoreSched core) {
        this.core = core;
    }

    void register(HypercallTable t) {
        t.register(Hypercall.INIT_COMPLETION, this::initCompletion);
        t.register(Hypercall.COMPLETE, c -> complete(c, false));
        t.register(Hypercall.COMPLETE_ALL, c -> complete(c, true));
        t.register(Hypercall.WAIT_FOR_COMPLETION, this::waitForCompletion);
    }

    private WaitQueue queue(long x) {
        return queues.computeIfAbsent(x, a -> new WaitQueue(String.format("completion@%08x", a)));
    }

    /** init_completion(): done = 0 (waiters already queued stay, as upstream). */
    private long initCompletion(Hcall call) {
        core.env().memory().writeU32(call.arg(0), 0);
        queue(call.arg(0));
        return 0;
    }

    /** complete() / complete_all(). */
    private long complete(Hcall call, boolean all) {
        long x = call.arg(0);
        GuestMemory m = core.env().memory();
        long done = m.readU32(x);
        if (all) {
            m.writeU32(x, UINT_MAX);
            core.wakeUp(queue(x), call.cpuId());
        } else {
            if (done != UINT_MAX) {
                m.writeU32(x, done + 1);
            }
            core.wakeUpOne(queue(x), call.cpuId());
        }
        return 0;
    }

    /** wait_for_completion(): takes one done, or sleeps (RESTART) until complete() wakes it. */
    private long waitForCompletion(Hcall call) {
        long x = call.arg(0);
        GuestMemory m = core.env().memory();
        long done = m.readU32(x);
        if (done != 0) {
            if (done != UINT_MAX) {
                m.writeU32(x, done - 1);
            }
            queue(x).remove(core.current(call.cpuId()));
            return 0;
        }
        return core.sleepOn(call, queue(x));
    }
}
