package dev.hmemu.kernel.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** wait_queue_head_t: tasks sleeping for one condition, woken in FIFO order. */
public final class WaitQueue {
    private final String name;
    final Deque<Task> waiters = new ArrayDeque<>();

    public WaitQueue(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** waitqueue_active(). */
    public boolean active() {
        return !waiters.isEmpty();
    }

    public int size() {
        return waiters.size();
    }

    /** Adds a waiter (used by the scheduler's sleepOn). */
    public void add(Task t) {
        if (!waiters.contains(t)) {
            waiters.addLast(t);
        }
    }

    /** Removes and returns the first waiter (wake-one, as swake_up_one()), or null. */
    public Task pollFirst() {
        return waiters.pollFirst();
    }

    /** Removes {@code t} if it waits here. */
    public boolean remove(Task t) {
        return waiters.remove(t);
    }

    /** Removes and returns every waiter. */
    public List<Task> drain() {
        List<Task> l = new ArrayList<>(waiters);
        waiters.clear();
        return l;
    }

    @Override
    public String toString() {
        return name + waiters;
    }
}
