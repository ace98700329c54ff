package dev.hmemu.kernel;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.GuestKernel;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.debug.KernelDebugViews;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.elf.ElfFormatException;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.base.GuestAccessException;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.debug.KernelViews;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallHandler;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.highmem.Highmem;
import dev.hmemu.kernel.highmem.KmapLocalSlots;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.Mm;
import dev.hmemu.emulator.symbols.ImageSymbols;
import dev.hmemu.kernel.report.CallSite;
import dev.hmemu.kernel.report.CallSites;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.RawSite;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.Runqueues;
import dev.hmemu.kernel.sched.SchedEnv;
import dev.hmemu.kernel.sched.Scheduler;
import dev.hmemu.kernel.smp.HardLockup;
import dev.hmemu.kernel.smp.SharedState;
import dev.hmemu.kernel.smp.SmpTime;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.tlb.TlbFlush;
import dev.hmemu.kernel.uaccess.Uaccess;
import dev.hmemu.kernel.vmalloc.Vmalloc;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.WalkResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kernel model: implements {@link GuestKernel} for the machine, builds and wires the
 * subsystems, and dispatches hypercalls to them.
 *
 * <h2>Boot order</h2>
 * The constructor is the only place that builds a subsystem, and it builds each one from
 * parts that already exist, in this order (roughly Linux's start_kernel()):
 * <ol>
 * <li>the base parts: {@link KernelStats}, {@link Reports}, {@link GuestMemory} over the
 *     machine's physical memory, {@link KernelCosts} read once from the cycle model (an
 *     unknown or missing kernel figure fails here), and the image loaded into memory;</li>
 * <li>{@link Runqueues}: the per-CPU scheduler state, every CPU idle, so that anything that
 *     reports a WARN/BUG can name the task running on a CPU ({@link #ctx});</li>
 * <li>mm ({@link Mm#boot}: layout, swapper_pg_dir, mem_map, page allocator, high_memory),
 *     then paging switched on for every CPU;</li>
 * <li>{@link TlbFlush} (arch/x86/mm/tlb.c), over the machine and the counters;</li>
 * <li>{@link KmapLocalSlots}: the kmap_local fixmap slots, over mm's page tables and the
 *     TLB flush; the scheduler calls them at a context switch;</li>
 * <li>the {@link Scheduler}, over mm (stacks, task_structs), the run queues and the slots;</li>
 * <li>{@link Uaccess} and {@link Highmem}, over mm and the scheduler;</li>
 * <li>the {@link PhaseLog} (its "boot" mark is taken here);</li>
 * <li>every subsystem's hypercalls registered in one {@link HypercallTable}, then the
 *     boot-info block written (it is the last kmalloc of boot).</li>
 * </ol>
 * {@link #boot} then only creates the init task. No subsystem takes the {@code Kernel}:
 * each constructor lists the parts it uses, so a package never depends on one built after
 * it (a test keeps kernel-model's packages free of cycles). To add a subsystem, build it
 * here at the first point where all its parts exist and register its hypercalls with the
 * others (CONTRIBUTING.md walks through an example).
 */
public final class Kernel implements GuestKernel {
    /** ret value for an unknown hypercall (-ENOSYS). */
    static final int ENOSYS = -38;
    private static final int HCALL_BLOCK_SIZE = 32;

    private final Machine machine;
    private final ElfImage image;
    private final KernelConfig config;
    private final Console console;
    private final KernelStats stats;
    private final Reports reports;
    private final GuestMemory memory;
    /** Per CPU, while boundSet: the latest clock at which it may act on shared state (setParkBound). */
    private final long[] actUntil;
    private final boolean[] boundSet;
    private final long[] callCosts;
    private final Runqueues rqs;
    private final SmpTime smp;
    private final Mm mm;
    private final TlbFlush tlbFlush;
    private final KmapLocalSlots kmapLocalSlots;
    private final Scheduler sched;
    private final Uaccess uaccess;
    private final Highmem highmem;
    private final Vmalloc vmalloc;
    private final PhaseLog phases;
    private final HypercallTable table = new HypercallTable();
    private final long bootInfo;
    private StopReason outcome;

    /**
     * Boots the kernel model on {@code machine} up to the point where init can start: loads
     * {@code image} into its memory and builds every subsystem in boot order.
     *
     * @throws IllegalArgumentException bad input: an ELF that does not load, an image beyond
     *     lowmem, a cycle model with unknown or missing kernel figures
     */
    public Kernel(Machine machine, ElfImage image, KernelConfig config, Console console) {
        this.machine = machine;
        this.image = image;
        this.config = config;
        this.console = console;
        KernelCosts costs = KernelCosts.from(machine.config().costs(), Hypercall.linuxNames());
        this.callCosts = callCosts(costs);
        this.stats = new KernelStats(machine.cpus().size());
        this.reports = new Reports(console, new CallSites(ImageSymbols.of(image), machine.memory()));
        this.memory = new GuestMemory(machine.memory(), () -> machine.cpu(0).mmu());
        this.actUntil = new long[machine.cpus().size()];
        this.boundSet = new boolean[machine.cpus().size()];
        try {
            image.load(machine.memory());
        } catch (ElfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.rqs = new Runqueues(machine, config.tickCycles());
        this.smp = new SmpTime(machine, rqs.cpuView());
        smp.setLockupReporter(new HardLockup(machine, reports, rqs::ctx, c -> rqs.perCpu(c).irqsDisabled,
                this::stop)::report);
        this.mm = Mm.boot(machine, config, memory, reports, rqs::ctx, image.segments());
        for (Cpu c : machine.cpus()) {
            mm.activate(c);
        }
        this.tlbFlush = new TlbFlush(machine, stats, smp, config.tlbSinglePageFlushCeiling());
        this.kmapLocalSlots = new KmapLocalSlots(machine, config, mm, tlbFlush, reports, rqs::ctx);
        this.sched = new Scheduler(new SchedEnv(machine, config, costs, memory, stats, reports, rqs, mm,
                kmapLocalSlots, image, this::stop, smp));
        this.uaccess = new Uaccess(memory, mm, sched, stats, reports, costs.uaccessPage());
        this.highmem = new Highmem(machine, config, costs, mm, tlbFlush, kmapLocalSlots, sched, stats, reports,
                rqs::ctx);
        this.vmalloc = new Vmalloc(memory, mm, tlbFlush, reports, rqs::ctx, costs.vmapPte());
        this.phases = new PhaseLog(machine, stats);
        registerOwn(table);
        mm.register(table);
        highmem.register(table);
        sched.register(table);
        uaccess.register(table);
        vmalloc.register(table);
        this.bootInfo = writeBootInfo();
    }

    // ---- what a run's report reads ----

    public KernelStats stats() {
        return stats;
    }

    public Reports reports() {
        return reports;
    }

    public PhaseLog phases() {
        return phases;
    }

    /** The kernel's views and events for a debugger (the gdb stub's monitor commands, break-on events). */
    public KernelDebugViews debugViews() {
        return new KernelViews(machine, sched, highmem, mm.layout(), stats, reports, tlbFlush);
    }

    public Layout layout() {
        return mm.layout();
    }

    /** Time on shared state: IPI waits, lock spins, shootdown latencies. */
    public SmpTime smp() {
        return smp;
    }

    /** Report context for whoever runs on {@code cpu}. */
    public Reports.Context ctx(int cpu) {
        return rqs.ctx(cpu);
    }

    /** Stops the run with a finished outcome (an oops or a BUG found outside a hypercall). */
    public void stop(StopReason reason) {
        if (outcome == null) {
            outcome = reason;
            for (Cpu c : machine.cpus()) {
                c.setParkBound(Long.MAX_VALUE); // every call now goes to hypercall(), which ends the slice
            }
        }
    }

    // ---- GuestKernel ----

    /** Creates the init task at the image's entry point (everything else was built by the constructor). */
    @Override
    public void boot(Machine m) {
        if (m != machine) {
            throw new IllegalStateException("the kernel was built for another machine");
        }
        sched.startInit(image.entry());
        for (Cpu c : machine.cpus()) {
            // the engine parks a shared-state call of a CPU that is not earliest by itself
            c.enableEngineParking(GuestMemory.PAGE_OFFSET, memory.highMemory(), 0, HCALL_BLOCK_SIZE,
                    HCALL_BLOCK_SIZE - 4, Hypercall.RESTART, SharedState.numbers());
        }
    }

    /**
     * The CPUs runnable() accepted are those that may act ({@link #mayAct}: running a task,
     * not blocked), so the run loop's bound is the kernel's own; assertions check it.
     */
    @Override
    public void beforeSlice(Cpu cpu, long earliestUntil) {
        assert earliestUntil == machine.earliestUntil(cpu, this::mayAct) : "runnable() and mayAct() disagree";
        setParkBound(cpu, outcome != null ? Long.MAX_VALUE : earliestUntil);
    }

    /**
     * Until another CPU's clock or state changes, {@code cpu} may act on shared state up to
     * this clock (its engine parks later calls by itself). Others change only between
     * slices, in the shared calls of the running CPU, and in the few CPU-local calls that
     * reach other CPUs (flush_tlb_kernel_range's IPIs charge them). Such changes are
     * counted (clock changes by the machine, writes of a CPU's current task or waits by
     * the scheduler and SMP time), and after a call that changed the counts the bound is
     * set again; so it also answers {@link #earliest} until the next of those (assertions
     * check it against a scan).
     */
    private void setParkBound(Cpu cpu) {
        setParkBound(cpu, outcome != null ? Long.MAX_VALUE : machine.earliestUntil(cpu, this::mayAct));
    }

    /**
     * The bound again after a call that changed no other CPU (neither its clock nor
     * whether it may act): the same clock, which this CPU's engine now reaches in fewer
     * instructions (the call charged this CPU).
     */
    private void keepParkBound(Cpu cpu) {
        if (!boundSet[cpu.id()] || outcome != null) {
            setParkBound(cpu);
            return;
        }
        assert actUntil[cpu.id()] == machine.earliestUntil(cpu, this::mayAct)
                : "CPU " + cpu.id() + ": another CPU changed and nothing counted it";
        cpu.setParkBound(actUntil[cpu.id()]);
    }

    /** Changes of what decides whether a CPU may act ({@link #mayAct}): its current task, its waits. */
    private long actChanges() {
        return rqs.currentChanges() + smp.blockedChanges();
    }

    private void setParkBound(Cpu cpu, long until) {
        actUntil[cpu.id()] = until;
        boundSet[cpu.id()] = true;
        cpu.setParkBound(until);
    }

    /** Whether no other CPU may act on shared state before {@code cpu} (its clock is earliest). */
    private boolean earliest(Cpu cpu) {
        if (!boundSet[cpu.id()]) {
            return machine.earliest(cpu, this::mayAct);
        }
        boolean e = cpu.cycles() <= actUntil[cpu.id()];
        assert e == machine.earliest(cpu, this::mayAct) : "the bound of CPU " + cpu.id() + " is stale";
        return e;
    }

    private void registerOwn(HypercallTable t) {
        t.register(Hypercall.PRINTK, this::printk);
        t.register(Hypercall.BUG, this::guestBug);
        t.register(Hypercall.BOOT_INFO, c -> bootInfo);
        t.register(Hypercall.MARK, c -> {
            phases.mark(memory.readCString(c.arg(0), 64), c.cpuId());
            return 0;
        });
    }

    /**
     * struct hm_boot_info (runtime/include/hmemu/hcall.h), returned by HC_BOOT_INFO: these
     * fields, one 32-bit word each, in this order. A test checks it against the C struct.
     */
    static final List<String> BOOT_INFO_FIELDS = List.of("magic", "nr_cpus", "page_offset", "mem_map",
            "max_low_pfn", "max_pfn", "flags", "hz");
    /** hm_boot_info.magic: "HMEM" (HM_BOOT_MAGIC). */
    static final long BOOT_MAGIC = 0x484d454dL;
    /** hm_boot_info.flags bits (HM_BOOT_FORCE_MAP, HM_BOOT_DEBUG_KMAP_LOCAL, HM_BOOT_PAE). */
    static final int BOOT_FORCE_MAP = 1;
    static final int BOOT_DEBUG_KMAP_LOCAL = 2;
    static final int BOOT_PAE = 4;

    /** The hypercalls with a handler (every one, a test checks). */
    Set<Hypercall> handled() {
        return table.registered();
    }

    /** Field {@code name} of the boot-info block as the guest reads it. */
    long bootInfoWord(String name) {
        return memory.readU32(bootInfo + 4L * BOOT_INFO_FIELDS.indexOf(name));
    }

    /** Allocates and fills struct hm_boot_info; returns its address. */
    private long writeBootInfo() {
        long bi = mm.kmalloc(4L * BOOT_INFO_FIELDS.size());
        Layout l = mm.layout();
        int flags = (config.forceMap() ? BOOT_FORCE_MAP : 0) | (config.debugKmapLocal() ? BOOT_DEBUG_KMAP_LOCAL : 0)
                | (l.pae() ? BOOT_PAE : 0);
        long[] values = {BOOT_MAGIC, machine.cpus().size(), GuestMemory.PAGE_OFFSET, mm.memMap(), l.maxLowPfn(),
                l.maxPfn(), flags, config.hz()};
        for (int i = 0; i < values.length; i++) {
            memory.writeU32(bi + 4L * i, values[i]);
        }
        return bi;
    }

    private long printk(Hcall c) {
        int len = (int) Math.min(c.arg(1), 4096);
        String text = memory.readString(c.arg(0), len);
        console.print(text);
        return len;
    }

    /** HC_BUG from the guest's BUG()/WARN() macros. */
    private long guestBug(Hcall c) {
        int kind = c.argInt(0);
        String file = memory.readCString(c.arg(1), 256);
        int line = c.argInt(2);
        String func = memory.readCString(c.arg(3), 128);
        String cond = memory.readCString(c.arg(4), 512);
        String where = file + ":" + line;
        if (kind == 0) {
            LinuxSite bounds = boundsSite(where);
            if (bounds != null) {
                throw reports.bug(ctx(c.cpuId()), Finding.Kind.MEM_PAGE_BOUNDS, where, cond, new Reports.Detail(
                        List.of(reports.sites().resolveReturn(bounds.function(), callerSite(c, c.arg(5)))),
                        bounds.function() + "() was asked to touch bytes past the end of the page (offset + len > "
                        + "PAGE_SIZE): Linux v6.1 (CONFIG_DEBUG_VM) BUGs, without it the copy runs into the next "
                        + "page's mapping. Split the range at page boundaries."));
            }
            throw reports.bug(ctx(c.cpuId()), Finding.Kind.BUG, where, cond, new Reports.Detail(List.of(
                    reports.sites().resolveReturn("BUG", callerSite(c, c.arg(5)))), "BUG_ON()/BUG() fired: Linux kills "
                    + "the task with this oops (invalid opcode) and the kernel is tainted (D); the run stops."));
        }
        // __warn() prints the caller as %pS: the return address of the out-of-line reporter.
        // A WARN in the guest runtime's own .c files stands for a Linux site (file:line and
        // function passed by the runtime): its address would name hmemu's helper, so the
        // Linux function is printed instead.
        long caller = c.arg(5);
        String fn = reports.symbols().functionAt(caller).isPresent() && !reports.sites().inRuntimeSource(caller)
                ? reports.symbols().symbolize(caller) : func;
        Reports.Detail d = new Reports.Detail(List.of(reports.sites().resolveReturn("WARN", callerSite(c, caller))),
                kind == 1 && cond != null
                ? "WARN_ON(" + cond + ") fired: Linux prints this report, taints the kernel (W) and carries on."
                : "WARN() fired: Linux prints this report, taints the kernel (W) and carries on.");
        reports.warn(ctx(c.cpuId()), Finding.Kind.WARN, where, fn == null ? "" : fn, kind == 2 ? cond : null, d);
        return 0;
    }

    /** The BUG/WARN site: the out-of-line reporter's return address and the callers above it. */
    private RawSite callerSite(Hcall c, long caller) {
        long[] r = reports.sites().capture(c.cpu()).returns();
        if (r.length > 0 && r[0] == caller) {
            r = Arrays.copyOfRange(r, 1, r.length);
        }
        return new RawSite(caller, r);
    }

    /** The v6.1 offset + len > PAGE_SIZE checks of the mem*_page helpers and zero_user_segments. */
    private static LinuxSite boundsSite(String where) {
        for (LinuxSite s : List.of(LinuxSite.MEMCPY_PAGE_BOUNDS, LinuxSite.MEMSET_PAGE_BOUNDS,
                LinuxSite.MEMCPY_FROM_PAGE_BOUNDS, LinuxSite.MEMCPY_TO_PAGE_BOUNDS, LinuxSite.MEMZERO_PAGE_BOUNDS,
                LinuxSite.ZERO_USER_SEGMENTS_BOUNDS)) {
            if (s.where().equals(where)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean hypercall(Cpu cpu, long argBlock) {
        if (outcome != null) {
            return true;
        }
        try {
            long nr = memory.readU32(argBlock);
            long[] args = new long[6];
            for (int i = 0; i < 6; i++) {
                args[i] = memory.readU32(argBlock + 4 + 4L * i);
            }
            Hypercall h = Hypercall.of(nr);
            HypercallHandler fn = h == null ? null : table.get(h);
            if (fn == null) {
                reports.warnOnce(ctx(cpu.id()), "hcall-" + nr, "hmemu hypercall " + nr, "unknown hypercall");
                memory.writeU32(argBlock + HCALL_BLOCK_SIZE - 4, ENOSYS);
                return false;
            }
            // what the park bound was computed from: other CPUs' clocks and whether they may act
            long othersMoved = machine.clockChanges() - cpu.clockChanges();
            long actChanges = actChanges();
            boolean shared = SharedState.shared(h);
            if (shared) {
                if (!earliest(cpu)) {
                    // another CPU is earlier: it acts first; this call is issued again
                    cpu.parkHypercall(argBlock);
                    memory.writeU32(argBlock + HCALL_BLOCK_SIZE - 4, Hypercall.RESTART);
                    return true;
                }
                smp.syncPoint(cpu);
            }
            boolean resumed = smp.takeResume(cpu.id());
            long before = totalCycles();
            if (!resumed) {
                cpu.charge(CycleCategory.KERNEL, callCost(h));
            }
            Hcall call = new Hcall(cpu, h, args);
            long ret = fn.handle(call);
            memory.writeU32(argBlock + HCALL_BLOCK_SIZE - 4, ret);
            if (smp.takeParkRequest(cpu.id())) {
                cpu.parkHypercall(argBlock); // spins on a lock: issued again once it is handed over
                return true;
            }
            stats.recordCall(h, totalCycles() - before);
            if (shared) {
                smp.syncPoint(cpu); // interrupts may be on now: pending IPIs run
            }
            if (machine.clockChanges() - cpu.clockChanges() != othersMoved || actChanges() != actChanges) {
                // another CPU's clock moved or it may act now, or no longer (a lock handed
                // over, a task switched in; flush_tlb_kernel_range's IPIs from a CPU-local call)
                setParkBound(cpu);
            } else if (shared) {
                keepParkBound(cpu); // only this CPU's own clock moved
            }
            return call.endSliceRequested() || outcome != null || smp.blocked(cpu.id());
        } catch (KernelBugException e) {
            stop(new StopReason.KernelBug(e.report()));
            return true;
        } catch (GuestAccessException e) {
            String text = reports.oops(ctx(cpu.id()),
                    new PageFault(e.address(), AccessType.READ, 0,
                            cpu.reg(X86Reg.EIP) & 0xffffffffL, false),
                    "hmemu: a hypercall argument points to unmapped memory: " + e.getMessage());
            stop(new StopReason.Oops(text));
            return true;
        }
    }

    private long callCost(Hypercall h) {
        return callCosts[h.ordinal()];
    }

    /** kernel.call.NAME for every hypercall, or kernel.call.default. */
    private static long[] callCosts(KernelCosts costs) {
        long[] c = new long[Hypercall.values().length];
        for (Hypercall h : Hypercall.values()) {
            c[h.ordinal()] = costs.call(h.linuxName());
        }
        return c;
    }

    /**
     * Cycles charged on all CPUs for events (instructions do not advance during a
     * hypercall; idle catch-up when a CPU is woken is not the call's cost).
     */
    private long totalCycles() {
        return machine.chargedCycles();
    }

    @Override
    public FaultAction pageFault(Cpu cpu, PageFault fault) {
        stats.count(Counter.PAGE_FAULTS, cpu.id());
        long addr = fault.cr2();
        if (!fault.badPhysical() && addr < GuestMemory.PAGE_OFFSET && !sched.faulthandlerDisabled(cpu.id())
                && mm.handleUserFault(addr, fault.access())) {
            stats.count(Counter.DEMAND_PAGED, cpu.id());
            cpu.syncEngineTlb();
            return FaultAction.RESUME;
        }
        Reports.Detail origin = fault.badPhysical() ? null : highmem.nullDereferenceOrigin(sched.current(cpu.id()),
                addr);
        Finding.Kind kind = Finding.Kind.OOPS;
        if (origin != null) {
            kind = Finding.Kind.PAGE_ADDRESS_HIGHMEM;
        } else if (!fault.badPhysical()) {
            origin = highmem.kmapLocalFault(cpu, addr);
            if (origin != null && origin.explanation() != null && origin.explanation().contains(" is a kmap_local slot")) {
                kind = Finding.Kind.LOCAL_MAPPING_CROSS_CONTEXT;
            }
        }
        if (origin == null) {
            origin = new Reports.Detail(List.of(), String.format("A kernel-mode %s of %08x, which no page table "
                    + "entry maps (or not for this access), and no exception-table fixup applies: Linux v6.1 prints "
                    + "this oops and kills the task; the run stops. Check the pointer's origin (hmemu's CR2 is "
                    + "precise to the page).", fault.access().name().toLowerCase(Locale.ROOT), addr));
        }
        String text = reports.oops(ctx(cpu.id()), kind, fault, fault.badPhysical() ? null : mm.dumpPagetable(addr),
                origin);
        stop(new StopReason.Oops(text));
        return FaultAction.STOP;
    }

    @Override
    public void sliceEnded(Cpu cpu, EngineExit exit) {
        boundSet[cpu.id()] = false; // the run loop may change any CPU before the next slice
        if (exit.reason() == EngineExit.Reason.HALT) {
            smp.applyDeferredMmu(cpu);
        }
        if (outcome == null && !cpu.parked()) {
            sched.sliceEnded(cpu, exit); // a CPU stopped before a hypercall is inside it: no schedule point
        }
    }

    @Override
    public boolean runnable(Cpu cpu) {
        return outcome == null && !smp.blocked(cpu.id()) && sched.runnable(cpu);
    }

    /** A CPU that may still act on shared state at or after its clock: running a task, not blocked. */
    private boolean mayAct(Cpu c) {
        return rqs.perCpu(c.id()).current() != null && !smp.blocked(c.id());
    }

    @Override
    public long nextEventCycle() {
        long t = sched.nextEventCycle();
        if (t < 0 && outcome == null && highmem.pkmapMapWait().active()) {
            pkmapExhausted();
            return 0; // the machine picks up the outcome: a deadlock (exit status 7) with its finding
        }
        return t;
    }

    /**
     * Nothing can run and somebody sleeps in kmap() for a pkmap slot: the pool is exhausted
     * for good (on Linux the tasks would hang in D state). Reports who holds the slots.
     */
    private void pkmapExhausted() {
        List<CallSite> cs = new ArrayList<>();
        for (Reports.Detail d : highmem.leakedKmaps()) {
            cs.addAll(d.callSites());
        }
        int holders = cs.size();
        List<CallSite> shown = cs.size() > 16 ? cs.subList(0, 16) : cs;
        String sleepers = highmem.pkmapMapWait().toString();
        reports.leak(ctx(0), Finding.Kind.PKMAP_EXHAUSTED, String.format(
                "pkmap exhausted: every pkmap slot is held (%d kmap()s not undone) and every task that could run "
                + "is asleep, waiting for a slot (%s)", holders, sleepers),
                new Reports.Detail(shown, String.format("All %d pkmap slots are in use and nothing will kunmap(): on "
                + "Linux the kmap() callers would sleep in D state for ever (a hang; the hung-task detector would name them after 120 s). hmemu stops the run here as a deadlock (exit status 7). "
                + "The call sites above hold slots%s; each kmap() needs a kunmap() once the mapping is no longer "
                + "used, or use kmap_local_page(), which needs no shared slot.", layout().lastPkmap(),
                holders > shown.size() ? " (the first " + shown.size() + " of " + holders + ")" : "")));
        stop(new StopReason.Deadlock("pkmap exhausted: every task that can run sleeps in kmap() for a slot"));
    }

    @Override
    public void idleUntil(long cycle) {
        if (outcome != null) {
            return;
        }
        sched.idleUntil(cycle);
    }

    @Override
    public StopReason outcome() {
        if (outcome == null && sched.allDone()) {
            checkLeaksAtExit();
            outcome = new StopReason.GuestExited(sched.exitStatus());
        }
        return outcome;
    }

    /** What a test left behind when the run ended cleanly: kmap()s not undone, pages not freed. */
    private void checkLeaksAtExit() {
        int mapped = highmem.pkmapMappedCount();
        if (mapped > 0) {
            Map<Long, List<CallSite>> bySite = new LinkedHashMap<>();
            for (Reports.Detail d : highmem.leakedKmaps()) {
                for (CallSite s : d.callSites()) {
                    bySite.computeIfAbsent(s.pc(), p -> new ArrayList<>()).add(s);
                }
            }
            if (bySite.isEmpty()) {
                bySite.put(0L, List.of());
            }
            for (List<CallSite> sites : bySite.values()) {
                String from = sites.isEmpty() ? "" : " by kmap() at " + sites.get(0).where() + " ("
                        + sites.size() + " mapping(s))";
                reports.leak(ctx(0), Finding.Kind.KMAP_LEAK, mapped + " highmem page(s) still kmap()ed at exit "
                        + "(pkmap_count >= 2): missing kunmap()" + from, new Reports.Detail(
                        sites.size() > 8 ? sites.subList(0, 8) : sites, "Each kmap() holds one of the "
                        + layout().lastPkmap() + " shared pkmap slots until kunmap(); leaked slots are never "
                        + "reused, and once all are held every kmap() sleeps for ever. Add the missing kunmap(), "
                        + "or use kmap_local_page()/kunmap_local()."));
            }
        }
        long pages = mm.pagesInUse();
        if (pages > 0) {
            reports.leak(ctx(0), Finding.Kind.PAGE_LEAK, pages + " page(s) from alloc_pages() not freed at exit",
                    new Reports.Detail(List.of(), "alloc_pages() memory must be given back with __free_pages()/"
                    + "__free_page(); Linux keeps leaked pages allocated until reboot."));
        }
    }

    @Override
    public long fillWatchFrom() {
        return layout().pkmapBase();
    }

    @Override
    public void tlbFilled(Cpu cpu, long vaddr, WalkResult r, boolean tlbHit) {
        if (outcome == null) {
            highmem.tlbFilled(cpu, vaddr, r, tlbHit);
        }
    }
}
