package dev.hmemu.kernel;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCosts;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.GuestKernel;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.elf.ElfFormatException;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallHandler;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.highmem.Highmem;
import dev.hmemu.kernel.highmem.HighmemApi;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.Mm;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.Scheduler;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.tlb.TlbFlush;

/**
 * The kernel model: implements {@link GuestKernel} for the machine, wires the
 * subsystems (mm, highmem, tlb, sched) and dispatches hypercalls to them.
 */
public final class Kernel implements GuestKernel {
    /** ret value for an unknown hypercall (-ENOSYS). */
    static final int ENOSYS = -38;
    private static final int HCALL_BLOCK_SIZE = 32;

    private final ElfImage image;
    private final KernelConfig config;
    private final Console console;
    private final HypercallTable table = new HypercallTable();
    private Machine machine;
    private GuestMemory memory;
    private KernelStats stats;
    private Reports reports;
    private MmApi mm;
    private TlbFlush tlbFlush;
    private HighmemApi highmem;
    private SchedApi sched;
    private PhaseLog phases;
    private long bootInfo;
    private long[] callCosts;
    private CycleCosts costs;
    private StopReason outcome;

    public Kernel(ElfImage image, KernelConfig config, Console console) {
        this.image = image;
        this.config = config;
        this.console = console;
    }

    // ---- accessors for the subsystems ----

    public Machine machine() {
        return machine;
    }

    public KernelConfig config() {
        return config;
    }

    public ElfImage image() {
        return image;
    }

    public GuestMemory memory() {
        return memory;
    }

    public KernelStats stats() {
        return stats;
    }

    public Reports reports() {
        return reports;
    }

    public MmApi mm() {
        return mm;
    }

    public Layout layout() {
        return mm.layout();
    }

    public TlbFlush tlbFlush() {
        return tlbFlush;
    }

    public HighmemApi highmem() {
        return highmem;
    }

    public SchedApi sched() {
        return sched;
    }

    public PhaseLog phases() {
        return phases;
    }

    public int nrCpus() {
        return machine.cpus().size();
    }

    /** A cost from the cycle model (kernel.* keys live in kernel-model's properties). */
    public long cost(String key) {
        return costs.get(key);
    }

    /** Report context for whoever runs on {@code cpu}. */
    public Reports.Context ctx(int cpu) {
        Task t = sched == null ? null : sched.current(cpu);
        return new Reports.Context(machine.cpu(cpu), t == null ? 0 : t.pid, t == null ? "swapper/" + cpu : t.comm);
    }

    /** Stops the run with a finished outcome (an oops or a BUG found outside a hypercall). */
    public void stop(StopReason reason) {
        if (outcome == null) {
            outcome = reason;
        }
    }

    // ---- GuestKernel ----

    @Override
    public void boot(Machine m) {
        this.machine = m;
        this.costs = m.config().costs();
        this.callCosts = callCosts(costs);
        this.stats = new KernelStats(m.cpus().size());
        this.reports = new Reports(console, image.symbols());
        this.memory = new GuestMemory(m.memory(), () -> m.cpu(0).mmu());
        try {
            image.load(m.memory());
        } catch (ElfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.mm = Mm.boot(this);
        for (Cpu c : m.cpus()) {
            mm.activate(c);
        }
        this.tlbFlush = new TlbFlush(this);
        this.highmem = new Highmem(this);
        this.sched = new Scheduler(this);
        this.phases = new PhaseLog(this);
        registerOwn(table);
        mm.register(table);
        highmem.register(table);
        sched.register(table);
        this.bootInfo = writeBootInfo();
        sched.startInit(image.entry());
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

    private long writeBootInfo() {
        long bi = mm.kmalloc(32);
        Layout l = mm.layout();
        memory.writeU32(bi, 0x484d454dL);
        memory.writeU32(bi + 4, machine.cpus().size());
        memory.writeU32(bi + 8, GuestMemory.PAGE_OFFSET);
        memory.writeU32(bi + 12, mm.memMap());
        memory.writeU32(bi + 16, l.maxLowPfn());
        memory.writeU32(bi + 20, l.maxPfn());
        int flags = (config.forceMap() ? 1 : 0) | (config.debugKmapLocal() ? 2 : 0) | (l.pae() ? 4 : 0);
        memory.writeU32(bi + 24, flags);
        memory.writeU32(bi + 28, config.hz());
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
            throw reports.bug(ctx(c.cpuId()), where, cond);
        }
        String fn = reports.symbols().symbolize(c.arg(5));
        reports.warn(ctx(c.cpuId()), where, func == null ? fn : func, cond);
        return 0;
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
            long before = totalCycles();
            cpu.charge(CycleCategory.KERNEL, callCost(h));
            Hcall call = new Hcall(cpu, h, args);
            long ret = fn.handle(call);
            memory.writeU32(argBlock + HCALL_BLOCK_SIZE - 4, ret);
            stats.recordCall(h, totalCycles() - before);
            return call.endSliceRequested() || outcome != null;
        } catch (KernelBugException e) {
            stop(new StopReason.KernelBug(e.report()));
            return true;
        } catch (GuestAccessException e) {
            String text = reports.oops(ctx(cpu.id()),
                    new PageFault(e.address(), dev.hmemu.mmu.AccessType.READ, 0,
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
    private static long[] callCosts(CycleCosts costs) {
        long[] c = new long[Hypercall.values().length];
        long dflt = costs.get("kernel.call.default");
        for (Hypercall h : Hypercall.values()) {
            String key = "kernel.call." + h.linuxName();
            c[h.ordinal()] = costs.asMap().containsKey(key) ? costs.get(key) : dflt;
        }
        return c;
    }

    /**
     * Cycles charged on all CPUs for events (instructions do not advance during a
     * hypercall; idle catch-up when a CPU is woken is not the call's cost).
     */
    private long totalCycles() {
        long t = 0;
        for (Cpu c : machine.cpus()) {
            t += c.chargedCycles();
        }
        return t;
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
        String text = reports.oops(ctx(cpu.id()), fault, fault.badPhysical() ? null : mm.dumpPagetable(addr));
        stop(new StopReason.Oops(text));
        return FaultAction.STOP;
    }

    @Override
    public void sliceEnded(Cpu cpu, EngineExit exit) {
        if (outcome == null) {
            sched.sliceEnded(cpu, exit);
        }
    }

    @Override
    public boolean runnable(Cpu cpu) {
        return outcome == null && sched.runnable(cpu);
    }

    @Override
    public long nextEventCycle() {
        return sched.nextEventCycle();
    }

    @Override
    public void idleUntil(long cycle) {
        sched.idleUntil(cycle);
    }

    @Override
    public StopReason outcome() {
        if (outcome == null && sched != null && sched.allDone()) {
            checkLeaksAtExit();
            outcome = new StopReason.GuestExited(sched.exitStatus());
        }
        return outcome;
    }

    /** What a test left behind when the run ended cleanly: kmap()s not undone, pages not freed. */
    private void checkLeaksAtExit() {
        int mapped = highmem.pkmapMappedCount();
        if (mapped > 0) {
            reports.leak(ctx(0), mapped + " highmem page(s) still kmap()ed at exit (pkmap_count >= 2): missing kunmap()");
        }
        long pages = mm.pagesInUse();
        if (pages > 0) {
            reports.leak(ctx(0), pages + " page(s) from alloc_pages() not freed at exit");
        }
    }
}
