package dev.hmemu.kernel.sched;

import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.smp.SmpTime;
import dev.hmemu.kernel.smp.TimedLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spinlocks: include/linux/spinlock_api_smp.h (spin_lock = preempt_disable + acquire,
 * the irqsave variants) with kernel/locking/spinlock_debug.c's checks. The lock word is
 * the guest's {@code spinlock_t { locked; owner (the CPU); name }}.
 *
 * <p>A contended lock spins in time ({@link SmpTime#lock}): the CPU waits, in arrival
 * order, until the holder releases it and is charged the spin; its spin_lock() is issued
 * again once it holds the lock. preempt_disable (and
 * local_irq_save) happen on the first attempt only, as in Linux, where the CPU spins with
 * preemption already off.
 */
final class SpinLocks {
    static final String SPINLOCK_DEBUG_C = "kernel/locking/spinlock_debug.c";
    static final int OFF_LOCKED = 0;
    static final int OFF_OWNER = 4;
    static final int OFF_NAME = 8;

    private final CoreSched core;
    private final ExecContext exec;
    /** Lock address to the task that holds it (current at acquisition: the interrupted task in a softirq). */
    private final Map<Long, Task> owners = new TreeMap<>();
    /** Lock address to its state in time (created on first use). */
    private final Map<Long, TimedLock> timed = new TreeMap<>();
    private final SmpTime smp;

    SpinLocks(CoreSched core, ExecContext exec) {
        this.core = core;
        this.exec = exec;
        this.smp = core.env().smp();
    }

    private TimedLock timed(long lock) {
        return timed.computeIfAbsent(lock, a -> {
            String n = lockName(a);
            return new TimedLock("?".equals(n) ? String.format("spinlock@%08x", a) : n);
        });
    }

    void register(HypercallTable t) {
        t.register(Hypercall.SPIN_LOCK_INIT, this::spinLockInit);
        t.register(Hypercall.SPIN_LOCK, c -> spinLock(c, false));
        t.register(Hypercall.SPIN_LOCK_IRQSAVE, c -> spinLock(c, true));
        t.register(Hypercall.SPIN_UNLOCK, c -> spinUnlock(c, false, 0));
        t.register(Hypercall.SPIN_UNLOCK_IRQRESTORE, c -> spinUnlock(c, true, c.arg(1)));
    }

    /** spin_lock_init(): an unlocked lock with no owner. */
    private long spinLockInit(Hcall call) {
        long lock = call.arg(0);
        GuestMemory m = core.env().memory();
        m.writeU32(lock + OFF_LOCKED, 0);
        m.writeU32(lock + OFF_OWNER, 0);
        owners.remove(lock);
        timed.remove(lock);
        return 0;
    }

    /**
     * _raw_spin_lock() / _raw_spin_lock_irqsave(): takes the lock, or spins (RESTART).
     * Returns the saved flags for the irqsave variant.
     */
    private long spinLock(Hcall call, boolean irqsave) {
        int cpu = call.cpuId();
        long lock = call.arg(0);
        GuestMemory m = core.env().memory();
        SpinWait w = core.spinWait(cpu);
        if (!w.spinningOn(lock)) {
            long flags = irqsave ? exec.localIrqSave(cpu) : 0;
            exec.preemptDisable(cpu);
            w.start(lock, flags);
        }
        TimedLock l = timed(lock);
        if (l.owner() >= 0 && !l.handedOverTo(cpu)) {
            checkRecursion(cpu, lock);
        }
        if (!smp.lock(l, call.cpu())) {
            call.endSlice();
            return Hypercall.RESTART; // spins until handed the lock, then issued again
        }
        m.writeU32(lock + OFF_LOCKED, 1);
        m.writeU32(lock + OFF_OWNER, cpu);
        owners.put(lock, core.current(cpu));
        long flags = w.flags;
        w.clear();
        return irqsave ? flags : 0;
    }

    /**
     * debug_spin_lock_before(): "recursion" (the owner is current: the task itself, or the
     * task a softirq interrupted) can never end, so the model stops with a BUG where Linux
     * prints and spins for ever; "cpu recursion" (the owner ran on this CPU but is not
     * current) is printed once per lock, and the CPU spins on.
     */
    private void checkRecursion(int cpu, long lock) {
        Task owner = owners.get(lock);
        if (owner == null) {
            return;
        }
        if (owner == core.current(cpu)) {
            throw core.env().reports().bug(core.ctx(cpu), SPINLOCK_DEBUG_C, spinBugText(cpu, lock, "recursion"));
        }
        if (core.env().memory().readU32(lock + OFF_OWNER) == cpu) {
            core.warnOnce(cpu, "spin-cpu-recursion-" + lock, SPINLOCK_DEBUG_C, "spin_bug",
                    spinBugText(cpu, lock, "cpu recursion"));
        }
    }

    /**
     * _raw_spin_unlock() / _raw_spin_unlock_irqrestore(): debug_spin_unlock()'s checks
     * ("already unlocked", "wrong owner", "wrong CPU" print and go on), release,
     * local_irq_restore(flags), preempt_enable().
     */
    private long spinUnlock(Hcall call, boolean irqrestore, long flags) {
        int cpu = call.cpuId();
        long lock = call.arg(0);
        GuestMemory m = core.env().memory();
        Task owner = owners.remove(lock);
        if (m.readU32(lock + OFF_LOCKED) == 0) {
            spinBug(cpu, lock, "already unlocked");
        } else if (owner != null && owner != core.current(cpu)) {
            spinBug(cpu, lock, "wrong owner");
        } else if (m.readU32(lock + OFF_OWNER) != cpu) {
            spinBug(cpu, lock, "wrong CPU");
        }
        m.writeU32(lock + OFF_LOCKED, 0);
        m.writeU32(lock + OFF_OWNER, 0);
        TimedLock l = timed.get(lock);
        if (l != null) {
            smp.unlock(l, call.cpu());
        }
        if (irqrestore) {
            exec.localIrqRestore(cpu, flags, call);
        }
        exec.preemptEnable(cpu, call);
        return 0;
    }

    /** spin_bug(): "BUG: spinlock <msg> on CPU#N, comm/pid" and the lock, printed as a warning. */
    private void spinBug(int cpu, long lock, String msg) {
        core.env().reports().warn(core.ctx(cpu), SPINLOCK_DEBUG_C, "spin_bug", spinBugText(cpu, lock, msg));
    }

    private String spinBugText(int cpu, long lock, String msg) {
        Task cur = core.current(cpu);
        Task owner = owners.get(lock);
        GuestMemory m = core.env().memory();
        String name = lockName(lock);
        return String.format("BUG: spinlock %s on CPU#%d, %s/%d%n lock: %s (%08x), .owner: %s/%d, .owner_cpu: %d",
                msg, cpu, cur == null ? "swapper/" + cpu : cur.comm, cur == null ? 0 : cur.pid, name, lock,
                owner == null ? "<none>" : owner.comm, owner == null ? -1 : owner.pid,
                owner == null ? -1 : (int) m.readU32(lock + OFF_OWNER));
    }

    private String lockName(long lock) {
        try {
            String n = core.env().memory().readCString(core.env().memory().readU32(lock + OFF_NAME), 64);
            return n == null ? "?" : n;
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** Names of the locks {@code t} holds (for the exit check), in address order. */
    List<String> heldBy(Task t) {
        List<String> l = new ArrayList<>();
        for (Map.Entry<Long, Task> e : owners.entrySet()) {
            if (e.getValue() == t) {
                l.add(String.format("%s (%08x)", lockName(e.getKey()), e.getKey()));
            }
        }
        return l;
    }
}
