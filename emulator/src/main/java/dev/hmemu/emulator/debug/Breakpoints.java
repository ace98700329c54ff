package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import dev.hmemu.mmu.WalkResult;

/**
 * The debugger's breakpoints and watchpoints, for every CPU alike (as gdb sets them).
 * They live in the engines' hooks: guest memory is never patched, and inserting one never
 * flushes translated code.
 */
final class Breakpoints {
    /**
     * A watched virtual range {@code [address, address + length)} and the physical ranges
     * it mapped to when set ({@code physical[i]} .. {@code + lengths[i]}).
     */
    record Watch(long address, long length, WatchKind kind, long[] physical, long[] lengths) {
    }

    static final int MAX_BREAKPOINTS = 64;
    static final int MAX_WATCHPOINTS = 16;

    private final Machine machine;
    private final Set<Long> breakpoints = new LinkedHashSet<>();
    private final List<Watch> watches = new ArrayList<>();

    Breakpoints(Machine machine) {
        this.machine = machine;
    }

    /** @return false when the table is full */
    boolean insertBreakpoint(long address) {
        if (!breakpoints.contains(address) && breakpoints.size() >= MAX_BREAKPOINTS) {
            return false;
        }
        breakpoints.add(address & 0xffffffffL);
        pushBreakpoints();
        return true;
    }

    void removeBreakpoint(long address) {
        breakpoints.remove(address & 0xffffffffL);
        pushBreakpoints();
    }

    /**
     * Watches the physical bytes {@code [address, address + length)} maps to now on
     * {@code cpu} (the engine's memory hooks see physical addresses): an access through
     * any other mapping of them (a kmap alias) is caught too.
     *
     * @return false when the table is full, the range is empty or not mapped
     */
    boolean insertWatch(Cpu cpu, long address, long length, WatchKind kind) {
        if (length <= 0 || length > 4096 || slotsUsed() + 2 > MAX_WATCHPOINTS) {
            return false;
        }
        long va = address & 0xffffffffL;
        long first = Math.min(length, 4096 - (va & 0xfff));
        long[] lens = first == length ? new long[] {length} : new long[] {first, length - first};
        long[] pas = new long[lens.length];
        for (int i = 0; i < lens.length; i++) {
            WalkResult r = cpu.mmu().debugTranslate(i == 0 ? va : va + first);
            if (!(r instanceof WalkResult.Mapped m)) {
                return false;
            }
            pas[i] = m.physical();
        }
        watches.add(new Watch(va, length, kind, pas, lens));
        pushWatches();
        return true;
    }

    void removeWatch(long address, long length, WatchKind kind) {
        long va = address & 0xffffffffL;
        watches.removeIf(w -> w.address() == va && w.length() == length && w.kind() == kind);
        pushWatches();
    }

    /** The virtual address of the watch whose physical range starts at {@code physical}. */
    long virtualOf(long physical) {
        for (Watch w : watches) {
            for (int i = 0; i < w.physical().length; i++) {
                if (w.physical()[i] == physical) {
                    return w.address() + (i == 0 ? 0 : w.lengths()[0]);
                }
            }
        }
        return physical;
    }

    private int slotsUsed() {
        return watches.stream().mapToInt(w -> w.physical().length).sum();
    }

    void clear() {
        breakpoints.clear();
        watches.clear();
        pushBreakpoints();
        pushWatches();
    }

    private void pushBreakpoints() {
        long[] a = breakpoints.stream().mapToLong(Long::longValue).toArray();
        for (Cpu c : machine.cpus()) {
            c.engine().debug().setBreakpoints(a);
        }
    }

    private void pushWatches() {
        int n = slotsUsed();
        long[] lo = new long[n];
        long[] hi = new long[n];
        int[] kind = new int[n];
        int i = 0;
        for (Watch w : watches) {
            for (int j = 0; j < w.physical().length; j++, i++) {
                lo[i] = w.physical()[j];
                hi[i] = w.physical()[j] + w.lengths()[j];
                kind[i] = w.kind().code();
            }
        }
        for (Cpu c : machine.cpus()) {
            c.engine().debug().setWatches(lo, hi, kind);
        }
    }
}
