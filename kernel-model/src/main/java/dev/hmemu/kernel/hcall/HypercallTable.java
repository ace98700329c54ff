package dev.hmemu.kernel.hcall;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Hypercall number to handler; each subsystem registers its own. */
public final class HypercallTable {
    private final Map<Hypercall, HypercallHandler> handlers = new EnumMap<>(Hypercall.class);

    public void register(Hypercall h, HypercallHandler fn) {
        if (handlers.putIfAbsent(h, fn) != null) {
            throw new IllegalStateException("hypercall " + h + " registered twice");
        }
    }

    /** The hypercalls that have a handler. */
    public Set<Hypercall> registered() {
        return handlers.isEmpty() ? EnumSet.noneOf(Hypercall.class) : EnumSet.copyOf(handlers.keySet());
    }

    /** The handler, or null if none is registered. */
    public HypercallHandler get(Hypercall h) {
        return handlers.get(h);
    }
}
