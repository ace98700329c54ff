package dev.hmemu.kernel.smp;

import java.util.ArrayDeque;

/**
 * One spinlock in time (a queued spinlock: waiters are served in arrival order): its
 * owner and since when, the time it became free, and the CPUs spinning on it. Each CPU
 * has its own clock; the model acts on the lock in clock order (see {@link SmpTime}), so
 * an acquisition at a time before the last release spins until that release.
 */
public final class TimedLock {
    /** One hold of the lock: {@code cpu} held it from {@code acquired} to {@code released}. */
    public record Hold(int cpu, long acquired, long released) {
        public long cycles() {
            return released - acquired;
        }
    }

    /** A CPU spinning on the lock since {@code arrived} (its clock). */
    record Waiter(int cpu, long arrived) {
    }

    /** An acquisition: the lock was taken at {@code at} after spinning {@code spin} cycles. */
    public record Grant(int cpu, long at, long spin) {
    }

    /** Told of every contended acquisition (a CPU spun {@code spin} cycles), e.g. to count it. */
    @FunctionalInterface
    public interface ContentionSink {
        void contended(int cpu, long spin);
    }

    private final String name;
    private final ContentionSink sink;
    private int owner = -1;
    /** The owner was granted the lock while queued and has not re-issued its acquisition yet. */
    private boolean handedOver;
    private long acquiredAt;
    /** When the last holder released it. */
    private long freeAt;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long holds;
    private long heldCycles;

    public TimedLock(String name) {
        this(name, (cpu, spin) -> { });
    }

    public TimedLock(String name, ContentionSink sink) {
        this.name = name;
        this.sink = sink;
    }

    void contended(int cpu, long spin) {
        sink.contended(cpu, spin);
    }

    public String name() {
        return name;
    }

    /** The CPU that holds the lock, or -1. */
    public int owner() {
        return owner;
    }

    /** Whether {@code cpu} was granted the lock while queued and has not taken it up yet. */
    public boolean handedOverTo(int cpu) {
        return owner == cpu && handedOver;
    }

    public boolean isWaiting(int cpu) {
        for (Waiter w : waiters) {
            if (w.cpu() == cpu) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code cpu} tries to take the lock at {@code now}: taken at once (spin 0), taken after
     * spinning until the last release (when that lies after {@code now}), or null: another
     * CPU holds it or is queued first, so {@code cpu} is queued and spins until granted.
     */
    public Grant acquire(int cpu, long now) {
        if (owner == cpu && handedOver) {
            handedOver = false;
            return new Grant(cpu, acquiredAt, 0);
        }
        if (owner == cpu) {
            throw new IllegalStateException(name + " taken again by its owner CPU " + cpu);
        }
        if (owner >= 0 || !waiters.isEmpty()) {
            if (!isWaiting(cpu)) {
                waiters.addLast(new Waiter(cpu, now));
            }
            return null;
        }
        long at = Math.max(now, freeAt);
        owner = cpu;
        acquiredAt = at;
        return new Grant(cpu, at, at - now);
    }

    /**
     * The lock is released at {@code now} (normally by its owner {@code cpu}); the first waiter, if any, takes it then.
     *
     * @return the waiter's grant (the caller charges its spin and lets it run), or null
     */
    public Grant release(int cpu, long now) {
        if (owner < 0) {
            return null; // not held: the caller reports the bad unlock
        }
        long end = Math.max(now, acquiredAt);
        holds++;
        heldCycles += end - acquiredAt;
        owner = -1;
        freeAt = end;
        Waiter w = waiters.pollFirst();
        if (w == null) {
            return null;
        }
        owner = w.cpu();
        handedOver = true;
        acquiredAt = Math.max(end, w.arrived());
        return new Grant(w.cpu(), acquiredAt, acquiredAt - w.arrived());
    }

    /** The hold that ends at {@code now} (for reports), without releasing. */
    public Hold currentHold(long now) {
        return owner < 0 ? null : new Hold(owner, acquiredAt, Math.max(now, acquiredAt));
    }

    /** Completed holds and the cycles they lasted. */
    public long holds() {
        return holds;
    }

    public long heldCycles() {
        return heldCycles;
    }
}
