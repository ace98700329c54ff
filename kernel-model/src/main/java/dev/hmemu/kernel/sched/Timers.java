package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.stats.Counter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * kernel/time/timer.c and the tick: jiffies, per-CPU ticks (update_process_times), the
 * timer wheel reduced to a list (mod_timer, del_timer_sync), and msleep's timed sleep.
 *
 * <p>Tick k of every CPU falls at cycle k * tickCycles; a busy CPU takes its ticks at slice
 * ends, an idle one takes none (NO_HZ). jiffies is the latest tick any CPU has taken (the
 * do_timer duty moves to a CPU that is awake), so it advances while any CPU runs. A timer
 * fires on the CPU that armed it once jiffies has reached its expiry; msleep ends at a
 * cycle, not a jiffy.
 */
final class Timers {
    static final String TIMER_C = "kernel/time/timer.c";
    /** struct timer_list: { void *entry; unsigned long expires; function; flags }. */
    static final int OFF_ENTRY = 0;
    static final int OFF_EXPIRES = 4;
    static final int OFF_FUNCTION = 8;

    /** A pending timer: armed on {@code cpu}, expiring at jiffy {@code expires} (32 bits). */
    record Pending(long timer, long expires, int cpu, long seq) {
    }

    /** A task in msleep(), to wake at cycle {@code wake}. */
    private record Sleeper(long wake, long seq, Task task) implements Comparable<Sleeper> {
        @Override
        public int compareTo(Sleeper o) {
            int c = Long.compare(wake, o.wake);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final CoreSched core;
    private final long tickCycles;
    private final Map<Long, Pending> pending = new TreeMap<>();
    private final long[] running;
    private final TreeSet<Sleeper> sleepers = new TreeSet<>();
    private long jiffies;
    private long seq;
    private Optional<Long> jiffiesSymbol;

    Timers(CoreSched core) {
        this.core = core;
        this.tickCycles = core.env().config().tickCycles();
        this.running = new long[core.nrCpus()];
    }

    void register(HypercallTable t) {
        t.register(Hypercall.MOD_TIMER, this::modTimer);
        t.register(Hypercall.DEL_TIMER_SYNC, this::delTimerSync);
        t.register(Hypercall.MSLEEP, this::msleep);
    }

    /** jiffies_64. */
    long jiffies() {
        return jiffies;
    }

    /** Cycles per millisecond at the modelled clock: tickCycles * HZ / 1000. */
    long cyclesPerMs() {
        return tickCycles * core.env().config().hz() / 1000;
    }

    // ---- the tick ----

    /**
     * tick_sched_timer() for each tick {@code c} has passed: TIMER_TICKS, do_timer()
     * (jiffies), and scheduler_tick() once.
     */
    void tick(Cpu c) {
        PerCpu pc = core.perCpu(c.id());
        if (pc.isIdle()) {
            return;
        }
        long now = c.cycles();
        if (now >= pc.nextTick) {
            // every tick passed since the last one at once (a costly call may pass many)
            long n = (now - pc.nextTick) / tickCycles + 1;
            core.env().stats().add(Counter.TIMER_TICKS, c.id(), n);
            long last = pc.nextTick + (n - 1) * tickCycles;
            setJiffies(last / tickCycles);
            pc.nextTick = last + tickCycles;
            core.tick(c.id());
        }
    }

    /** do_timer() up to the tick at or before {@code cycle} (never backwards). */
    void advanceTo(long cycle) {
        setJiffies(cycle / tickCycles);
    }

    private void setJiffies(long j) {
        if (j <= jiffies) {
            return;
        }
        jiffies = j;
        if (jiffiesSymbol == null) {
            jiffiesSymbol = core.env().symbol("jiffies");
        }
        jiffiesSymbol.ifPresent(a -> core.env().memory().writeU32(a, jiffies));
    }

    // ---- timers ----

    /** mod_timer(timer, expires): (re)arms on this CPU; returns whether it was pending. */
    private long modTimer(Hcall call) {
        long timer = call.arg(0);
        long expires = call.arg(1);
        Pending old = pending.remove(timer);
        pending.put(timer, new Pending(timer, expires, call.cpuId(), seq++));
        core.env().memory().writeU32(timer + OFF_EXPIRES, expires);
        core.env().memory().writeU32(timer + OFF_ENTRY, timer); // non-NULL: timer_pending()
        return old != null ? 1 : 0;
    }

    /**
     * del_timer_sync(timer): deactivates it and waits while its callback runs on another
     * CPU (spinning, as Linux does). Returns whether it was pending.
     */
    private long delTimerSync(Hcall call) {
        long timer = call.arg(0);
        int cpu = call.cpuId();
        for (int i = 0; i < running.length; i++) {
            if (running[i] == timer && i != cpu) {
                Cpu c = call.cpu();
                long target = Math.max(c.cycles(), core.cpu(i).cycles()) + core.env().costs().spin();
                c.charge(CycleCategory.KERNEL, target - c.cycles());
                call.endSlice();
                return Hypercall.RESTART;
            }
        }
        if (running[cpu] == timer) {
            core.warnOnce(cpu, "del_timer_sync-self", TIMER_C, "__timer_delete_sync",
                    "del_timer_sync() from the timer's own callback would deadlock");
        }
        Pending p = pending.remove(timer);
        if (p != null) {
            core.env().memory().writeU32(timer + OFF_ENTRY, 0);
        }
        return p != null ? 1 : 0;
    }

    /** Whether a timer armed on {@code cpu} has expired (time_after_eq(jiffies, expires)). */
    boolean hasDue(int cpu) {
        return firstDue(cpu) != null;
    }

    /** detach_timer() of the first expired timer on {@code cpu} (by expiry, then arming order), or null. */
    Pending takeDue(int cpu) {
        Pending p = firstDue(cpu);
        if (p != null) {
            pending.remove(p.timer());
            core.env().memory().writeU32(p.timer() + OFF_ENTRY, 0);
        }
        return p;
    }

    private Pending firstDue(int cpu) {
        Pending best = null;
        for (Pending p : pending.values()) {
            if (p.cpu() == cpu && untilDue(p) <= 0 && (best == null || earlier(p, best))) {
                best = p;
            }
        }
        return best;
    }

    /** Jiffies until {@code p} expires (<= 0: expired), with 32-bit jiffies wrap-around. */
    private long untilDue(Pending p) {
        return (int) (p.expires() - jiffies);
    }

    private boolean earlier(Pending a, Pending b) {
        long d = untilDue(a) - untilDue(b);
        return d < 0 || (d == 0 && a.seq() < b.seq());
    }

    /** The callback of {@code timer} runs (or stopped running: 0) on {@code cpu}. */
    void setRunning(int cpu, long timer) {
        running[cpu] = timer;
    }

    /**
     * The cycle at which idle {@code cpu} must wake for its first timer: the tick that
     * makes jiffies reach the expiry, but not before the CPU's own clock. MAX_VALUE: none.
     */
    long idleTimerEvent(int cpu) {
        Pending best = null;
        for (Pending p : pending.values()) {
            if (p.cpu() == cpu && (best == null || earlier(p, best))) {
                best = p;
            }
        }
        if (best == null) {
            return Long.MAX_VALUE;
        }
        long dueTick = jiffies + Math.max(0, untilDue(best));
        return Math.max(dueTick * tickCycles, core.cpu(cpu).cycles());
    }

    // ---- msleep ----

    /**
     * msleep(ms): schedule_timeout_uninterruptible() until ms milliseconds of this CPU's
     * clock have passed (at least one tick for 0); an early wake-up sleeps again until then.
     */
    private long msleep(Hcall call) {
        Task t = core.current(call.cpuId());
        long now = call.cpu().cycles();
        if (t != null && !t.idle && core.perCpu(call.cpuId()).irq == null) {
            if (t.sleepUntil < 0) {
                long ms = call.arg(0);
                t.sleepUntil = now + (ms == 0 ? tickCycles : ms * cyclesPerMs());
            } else if (now >= t.sleepUntil) {
                t.sleepUntil = -1;
                return 0;
            }
            sleepers.add(new Sleeper(t.sleepUntil, seq++, t));
        }
        return core.sleepOn(call, null);
    }

    /** The cycle of the first msleep wake-up, or MAX_VALUE. */
    long nextSleeperWake() {
        while (!sleepers.isEmpty()) {
            Sleeper s = sleepers.first();
            if (s.task().sleepUntil == s.wake() && s.task().state == TaskState.UNINTERRUPTIBLE) {
                return s.wake();
            }
            sleepers.pollFirst(); // woken early and already back, or done: stale
        }
        return Long.MAX_VALUE;
    }

    /** The hrtimer of the first sleeper fires at cycle {@code now}: try_to_wake_up(). */
    void wakeFirstSleeper(long now) {
        if (nextSleeperWake() != Long.MAX_VALUE) {
            core.wakeUpTask(sleepers.pollFirst().task(), now);
        }
    }
}
