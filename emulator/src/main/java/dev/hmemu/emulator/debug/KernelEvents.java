package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernel events the debugger breaks on ({@code monitor break-on EVENT}). An event
 * happens inside the kernel model, often in a hypercall in the middle of a slice: it is
 * recorded and the CPU stops before its next instruction (or at the next slice boundary),
 * never inside the hook.
 */
final class KernelEvents implements KernelEventSink {
    private final Machine machine;
    private final KernelDebugViews views;
    private final Set<String> enabled = new TreeSet<>();
    /** Events not reported yet, oldest first (one hypercall may raise several: a wrap, then its shootdown). */
    private final java.util.ArrayDeque<StopEvent.KernelEvent> pending = new java.util.ArrayDeque<>();
    private static final int MAX_PENDING = 16;

    KernelEvents(Machine machine, KernelDebugViews views) {
        this.machine = machine;
        this.views = views;
        views.setEventSink(this);
    }

    /** The events that exist. */
    java.util.List<String> known() {
        return views.events();
    }

    Set<String> enabled() {
        return enabled;
    }

    /** @return false for an unknown event */
    boolean set(String event, boolean on) {
        if (!views.events().contains(event)) {
            return false;
        }
        if (on) {
            enabled.add(event);
        } else {
            enabled.remove(event);
        }
        return true;
    }

    void clear() {
        enabled.clear();
        pending.clear();
    }

    @Override
    public void event(int cpu, String event, String detail) {
        if (pending.size() >= MAX_PENDING || !enabled.contains(event) || cpu < 0 || cpu >= machine.cpus().size()) {
            return;
        }
        Cpu c = machine.cpu(cpu);
        pending.add(new StopEvent.KernelEvent(cpu, c.eip(), event, detail));
        c.engine().debug().stopBeforeNext(true);
    }

    /** The event to stop for, if one happened; consumed. */
    StopEvent.KernelEvent take(Machine m) {
        StopEvent.KernelEvent e = pending.poll();
        if (e == null) {
            return null;
        }
        Cpu c = m.cpu(e.cpu());
        if (pending.isEmpty()) {
            c.engine().debug().stopBeforeNext(false);
        }
        return new StopEvent.KernelEvent(e.cpu(), c.eip(), e.event(), e.detail());
    }
}
