package dev.hmemu.kernel.sched;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A CPU's run queue (struct rq), reduced to a FIFO: tasks are picked in the order they
 * became runnable, and a preempted or yielding task goes to the tail (round robin).
 */
final class RunQueue {
    private final Deque<Task> queue = new ArrayDeque<>();

    /** enqueue_task(): at the tail. */
    void enqueue(Task t) {
        if (!queue.contains(t)) {
            queue.addLast(t);
        }
    }

    /** pick_next_task(): the head, or null. */
    Task pickNext() {
        return queue.pollFirst();
    }

    boolean remove(Task t) {
        return queue.remove(t);
    }

    boolean contains(Task t) {
        return queue.contains(t);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    @Override
    public String toString() {
        return queue.toString();
    }
}
