package dev.hmemu.kernel.smp;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.Machine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Time on shared kernel state. Each CPU has its own cycle clock and runs guest code in
 * quanta; the kernel acts on state shared between CPUs only at the hypercall of the CPU
 * whose clock is earliest (ties: lowest id), so those actions happen in cycle order
 * whatever the quantum. On top of that order this class models what makes a CPU wait
 * for another:
 * <ul>
 * <li>spinlocks ({@link TimedLock}): a CPU that finds the lock held spins (is blocked)
 *     until the holder releases it, waiters in arrival order, and is charged the spin;
 * <li>function-call IPIs (kernel/smp.c, on_each_cpu with wait=1): a target takes the
 *     IPI at the send time if its interrupts are on then, or when it turns them on; the
 *     sender spins until the last target ran the function; an idle target is woken.
 *     A running target's TLB changes take effect at its next shared-state hypercall (its
 *     position between two of those depends on the quantum, that point does not).
 * </ul>
 * A set of CPUs that wait for each other for ever (a spinner with interrupts off that the
 * lock holder's IPI waits for) is reported through {@link LockupReporter} and ends the run.
 */
public final class SmpTime {
    /** What this class reads of the scheduler's per-CPU state. */
    public interface CpuView {
        boolean idle(int cpu);

        boolean irqsDisabled(int cpu);
    }

    /** A function run on a CPU by IPI; MMU effects go through {@code mmu} (run now or at the next sync point). */
    @FunctionalInterface
    public interface IpiFunction {
        void run(Cpu cpu, Consumer<Runnable> mmu);
    }

    /** Told about CPUs that wait for each other for ever (a cycle of waits). */
    @FunctionalInterface
    public interface LockupReporter {
        /**
         * @param cycle the CPUs of the cycle, each waiting for the next (the last for the first)
         * @param why per CPU of the cycle, what it waits for
         */
        void lockup(int[] cycle, String[] why);
    }

    private record PendingCall(int sender, IpiFunction func, long sent) {
    }

    /** A sender spinning in on_each_cpu until {@code outstanding} targets ran the function. */
    private static final class IpiWait {
        final long firstSend;
        long lastDone;
        int outstanding;
        final List<Runnable> after = new ArrayList<>();

        IpiWait(long firstSend, long lastDone, int outstanding) {
            this.firstSend = firstSend;
            this.lastDone = lastDone;
            this.outstanding = outstanding;
        }
    }

    private final Machine machine;
    private final CpuView view;
    private final boolean deferRemoteMmu;
    private final long ipiReceive;
    private final TimedLock[] spinningOn;
    private final boolean[] parkRequest;
    private final boolean[] resume;
    private final IpiWait[] waits;
    /** Writes of spinningOn and waits (what blocked() answers from): see {@link #blockedChanges}. */
    private long blockedChanges;
    private final List<ArrayDeque<PendingCall>> pending = new ArrayList<>();
    private final List<List<Runnable>> deferredMmu = new ArrayList<>();
    private final long[] ipiWaitCycles;
    private final long[] handlerCycles;
    private final Map<String, long[]> spinByLock = new TreeMap<>();
    private final Map<String, long[]> contendedByLock = new TreeMap<>();
    private final List<Long> shootdownLatency = new ArrayList<>();
    private LockupReporter reporter = (cycle, why) -> { };

    /**
     * Without a scheduler (unit tests of one subsystem): every CPU is taken to have its
     * interrupts on, and IPIs take effect at once.
     */
    public static SmpTime immediate(Machine machine) {
        return new SmpTime(machine, new CpuView() {
            @Override
            public boolean idle(int cpu) {
                return false;
            }

            @Override
            public boolean irqsDisabled(int cpu) {
                return false;
            }
        }, false);
    }

    public SmpTime(Machine machine, CpuView view) {
        this(machine, view, true);
    }

    private SmpTime(Machine machine, CpuView view, boolean deferRemoteMmu) {
        this.machine = machine;
        this.view = view;
        this.deferRemoteMmu = deferRemoteMmu;
        this.ipiReceive = machine.cycleModel().ipiReceive();
        int n = machine.cpus().size();
        this.spinningOn = new TimedLock[n];
        this.parkRequest = new boolean[n];
        this.resume = new boolean[n];
        this.waits = new IpiWait[n];
        this.ipiWaitCycles = new long[n];
        this.handlerCycles = new long[n];
        for (int i = 0; i < n; i++) {
            pending.add(new ArrayDeque<>());
            deferredMmu.add(new ArrayList<>());
        }
    }

    public void setLockupReporter(LockupReporter r) {
        this.reporter = r;
    }

    /** The CPU spins on a lock or waits for IPIs: it runs no guest code until that ends. */
    public boolean blocked(int cpu) {
        return spinningOn[cpu] != null || waits[cpu] != null;
    }

    /**
     * How many times any CPU's {@link #blocked} state was written (a spin began or was
     * handed the lock, an IPI wait began or ended): the kernel asks this before it trusts a
     * bound it computed from which CPUs may act.
     */
    public long blockedChanges() {
        return blockedChanges;
    }

    /** Whether {@code cpu} waits for IPIs it sent (on_each_cpu). */
    public boolean waitingForIpis(int cpu) {
        return waits[cpu] != null;
    }

    /** The lock {@code cpu} spins on, or null. */
    public TimedLock spinningOn(int cpu) {
        return spinningOn[cpu];
    }

    /** Whether the hypercall just handled on {@code cpu} must be issued again later (consumes the request). */
    public boolean takeParkRequest(int cpu) {
        boolean p = parkRequest[cpu];
        parkRequest[cpu] = false;
        return p;
    }

    /**
     * Whether the hypercall about to run on {@code cpu} is the re-issue of one that spun on
     * a lock (its entry cost was paid by the first issue); consumes the mark.
     */
    public boolean takeResume(int cpu) {
        boolean r = resume[cpu];
        resume[cpu] = false;
        return r;
    }

    // ---- locks ----

    /**
     * spin_lock() of {@code l} by {@code cpu} at its clock: true when taken (spin charged
     * if the last release lies ahead); false when the CPU must spin until granted (it is
     * blocked and the hypercall is issued again once it holds the lock).
     */
    public boolean lock(TimedLock l, Cpu cpu) {
        TimedLock.Grant g = l.acquire(cpu.id(), cpu.cycles());
        if (g == null) {
            spinningOn[cpu.id()] = l;
            blockedChanges++;
            parkRequest[cpu.id()] = true;
            resume[cpu.id()] = true;
            checkLockup();
            return false;
        }
        chargeSpin(l, cpu, g.spin());
        return true;
    }

    /** spin_unlock(): at this CPU's clock, or when its IPI wait ends if it is waiting. */
    public void unlock(TimedLock l, Cpu cpu) {
        IpiWait w = waits[cpu.id()];
        if (w != null) {
            w.after.add(() -> unlock(l, cpu));
            return;
        }
        TimedLock.Grant g = l.release(cpu.id(), cpu.cycles());
        if (g != null) {
            Cpu next = machine.cpu(g.cpu());
            spinningOn[g.cpu()] = null;
            blockedChanges++;
            chargeSpin(l, next, Math.max(0, g.at() - next.cycles()));
        }
    }

    private void chargeSpin(TimedLock l, Cpu cpu, long spin) {
        if (spin <= 0) {
            return;
        }
        cpu.charge(CycleCategory.LOCK_SPIN, spin);
        spinByLock.computeIfAbsent(l.name(), k -> new long[spinningOn.length])[cpu.id()] += spin;
        contendedByLock.computeIfAbsent(l.name(), k -> new long[spinningOn.length])[cpu.id()]++;
        l.contended(cpu.id(), spin);
    }

    // ---- function-call IPIs ----

    /**
     * on_each_cpu(func, info, wait=1) from {@code self}: an IPI to every other CPU, then
     * func locally, then the wait. A target with interrupts on (or idle) runs func at the
     * send time; one with interrupts off keeps it pending until it turns them on, and the
     * sender waits (blocked) until then.
     */
    public void onEachCpu(Cpu self, IpiFunction func) {
        long first = self.cycles();
        long lastDone = Long.MIN_VALUE;
        int outstanding = 0;
        for (Cpu t : machine.cpus()) {
            if (t == self) {
                continue;
            }
            long sent = self.cycles();
            machine.sendIpi(self, t);
            if (view.idle(t.id())) {
                t.idleUntil(sent); // an idle CPU is woken by the IPI
                lastDone = Math.max(lastDone, sent + handle(t, func, Runnable::run));
            } else if (!view.irqsDisabled(t.id())) {
                List<Runnable> later = deferredMmu.get(t.id());
                Consumer<Runnable> mmu = deferRemoteMmu ? later::add : Runnable::run;
                lastDone = Math.max(lastDone, sent + handle(t, func, mmu));
            } else {
                pending.get(t.id()).addLast(new PendingCall(self.id(), func, sent));
                outstanding++;
            }
        }
        func.run(self, Runnable::run);
        if (lastDone == Long.MIN_VALUE && outstanding == 0) {
            return; // no other CPU
        }
        IpiWait w = new IpiWait(first, lastDone, outstanding);
        if (outstanding == 0) {
            finish(self, w);
        } else {
            waits[self.id()] = w;
            blockedChanges++;
            checkLockup();
        }
    }

    /** The IPI handler on {@code t}: entry and ACK, then func. Returns the cycles it took. */
    private long handle(Cpu t, IpiFunction func, Consumer<Runnable> mmu) {
        long before = t.chargedCycles();
        t.charge(CycleCategory.IPI_RECEIVE, ipiReceive);
        func.run(t, mmu);
        long h = t.chargedCycles() - before;
        handlerCycles[t.id()] += h;
        return h;
    }

    private void finish(Cpu sender, IpiWait w) {
        waits[sender.id()] = null;
        blockedChanges++;
        long wait = w.lastDone - sender.cycles();
        if (wait > 0) {
            sender.charge(CycleCategory.IPI_WAIT, wait);
            ipiWaitCycles[sender.id()] += wait;
        }
        shootdownLatency.add(Math.max(w.lastDone, sender.cycles()) - w.firstSend);
        for (Runnable r : w.after) {
            r.run();
        }
    }

    /**
     * {@code cpu} is at a shared-state hypercall (its clock is the earliest): TLB changes
     * of IPIs it took while running take effect, and if its interrupts are on, the calls
     * pending on it run now.
     */
    public void syncPoint(Cpu cpu) {
        applyDeferredMmu(cpu);
        if (!view.irqsDisabled(cpu.id())) {
            deliverPending(cpu);
        }
    }

    /** The CPU halted or went idle: pending TLB changes take effect. */
    public void applyDeferredMmu(Cpu cpu) {
        List<Runnable> l = deferredMmu.get(cpu.id());
        if (!l.isEmpty()) {
            List<Runnable> run = new ArrayList<>(l);
            l.clear();
            run.forEach(Runnable::run);
        }
    }

    private void deliverPending(Cpu t) {
        ArrayDeque<PendingCall> q = pending.get(t.id());
        while (!q.isEmpty()) {
            PendingCall p = q.pollFirst();
            long at = t.cycles();
            long done = at + handle(t, p.func(), Runnable::run);
            IpiWait w = waits[p.sender()];
            w.lastDone = Math.max(w.lastDone, done);
            if (--w.outstanding == 0) {
                finish(machine.cpu(p.sender()), w);
            }
        }
    }

    // ---- lockups ----

    /** Looks for a cycle of waits (spinner -> lock owner, IPI sender -> target with IRQs off). */
    private void checkLockup() {
        int n = spinningOn.length;
        for (int start = 0; start < n; start++) {
            int[] path = new int[n + 1];
            boolean[] seen = new boolean[n];
            int len = 0;
            int c = start;
            while (c >= 0 && !seen[c]) {
                seen[c] = true;
                path[len++] = c;
                c = waitsFor(c);
            }
            if (c == start && len > 0) {
                int[] cycle = Arrays.copyOf(path, len);
                String[] why = new String[len];
                for (int i = 0; i < len; i++) {
                    why[i] = describeWait(cycle[i]);
                }
                reporter.lockup(cycle, why);
                return;
            }
        }
    }

    /** The one CPU {@code c} waits for, or -1 (several pending targets: the first). */
    private int waitsFor(int c) {
        if (spinningOn[c] != null) {
            return spinningOn[c].owner();
        }
        if (waits[c] != null) {
            for (int t = 0; t < pending.size(); t++) {
                for (PendingCall p : pending.get(t)) {
                    if (p.sender() == c) {
                        return t;
                    }
                }
            }
        }
        return -1;
    }

    private String describeWait(int c) {
        if (spinningOn[c] != null) {
            return String.format("spinning on %s (held by CPU %d) with interrupts %s", spinningOn[c].name(),
                    spinningOn[c].owner(), view.irqsDisabled(c) ? "off" : "on");
        }
        return String.format("waiting in on_each_cpu() for CPU %d to take its function-call IPI", waitsFor(c));
    }

    // ---- figures for the report ----

    /** The figures so far. */
    public SmpReport report() {
        return SmpReport.of(ipiWaitCycles, handlerCycles, spinByLock, contendedByLock, shootdownLatency);
    }

    public long ipiWaitCycles(int cpu) {
        return ipiWaitCycles[cpu];
    }

    public long ipiHandlerCycles(int cpu) {
        return handlerCycles[cpu];
    }

    /** Spin cycles per lock name, per CPU (names in order). */
    public Map<String, long[]> spinCyclesByLock() {
        return spinByLock;
    }

    public Map<String, long[]> contentionsByLock() {
        return contendedByLock;
    }

    /** Per on_each_cpu with other CPUs: cycles from the first send to the last completion. */
    public List<Long> shootdownLatencies() {
        return shootdownLatency;
    }
}
