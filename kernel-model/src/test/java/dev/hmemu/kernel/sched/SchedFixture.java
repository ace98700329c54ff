package dev.hmemu.kernel.sched;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.elf.ElfFormatException;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.emulator.engine.EngineExit;
import dev.hmemu.emulator.engine.HostMemory;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.highmem.HighmemApi;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.kernel.mm.FakeEngine;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.KernelBugException;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.uaccess.Uaccess;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.SparseMemory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import dev.hmemu.kernel.smp.SmpTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Scheduler} on a machine of fake engines (no Unicorn, no guest code), with a fake
 * mm (bump allocators, demand-paged user regions) and a highmem stub that records
 * kmap_local sched_out/in. Paging is off, so guest virtual = physical. "Running" a task
 * means issuing its hypercalls on the CPU where it is current, then ending the slice.
 */
public final class SchedFixture {
    public static final long INIT_ENTRY = 0x1000;
    public static final long KTHREAD_ENTRY = 0x1100;
    public static final long SOFTIRQ_ENTRY = 0x1200;
    public static final long KWORKER_FN = 0x1300;
    public static final long JIFFIES = 0x1400;
    /** Guest scratch memory for test structs (completions, locks, timers...). */
    public static final long SCRATCH = 0x00080000;

    public final Machine machine;
    public final KernelConfig config;
    public final GuestMemory memory;
    public final KernelStats stats;
    public final Console console = new Console(null);
    public final Reports reports;
    public final FakeMm mm = new FakeMm();
    public final FakeHighmem highmem = new FakeHighmem();
    public final Runqueues rqs;
    public final Scheduler sched;
    public final SmpTime smp;
    public final HypercallTable table = new HypercallTable();
    public StopReason stopped;
    private final ElfImage image;

    public SchedFixture(int cpus) {
        this(cpus, KernelConfig.defaults().withTickCycles(100_000));
    }

    public SchedFixture(int cpus, KernelConfig config) {
        MachineConfig mc = MachineConfig.defaults().withCpus(cpus).withMemory(64L << 20);
        SparseMemory phys = new SparseMemory(64L << 20);
        this.machine = new Machine(mc, new Host(phys), (id, cb) -> new FakeEngine());
        this.config = config;
        this.image = tinyImage();
        this.memory = new GuestMemory(machine.memory(), () -> machine.cpu(0).mmu());
        this.stats = new KernelStats(cpus);
        this.reports = new Reports(console, image.symbols());
        for (Cpu c : machine.cpus()) {
            mm.activate(c);
        }
        this.rqs = new Runqueues(machine, config.tickCycles());
        KernelCosts costs = KernelCosts.from(mc.costs(), Hypercall.linuxNames());
        this.smp = new SmpTime(machine, rqs.cpuView());
        this.sched = new Scheduler(new SchedEnv(machine, config, costs, memory, stats, reports, rqs, mm, highmem,
                image, this::stop, smp));
        sched.register(table);
        new Uaccess(memory, mm, sched, stats, reports, costs.uaccessPage()).register(table);
        sched.startInit(INIT_ENTRY);
    }

    // ---- driving ----

    /** The result of one hypercall: its return value and whether it asked to end the slice. */
    public record Result(long ret, boolean endSlice) {
        public boolean restart() {
            return ret == Hypercall.RESTART;
        }
    }

    /** Issues hypercall {@code h} on {@code cpu} (as the task current there). */
    public Result call(int cpu, Hypercall h, long... args) {
        long[] a = new long[6];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] & 0xffffffffL;
        }
        Cpu c = machine.cpu(cpu);
        Hcall call = new Hcall(c, h, a);
        c.charge(CycleCategory.KERNEL, 20);
        long ret = table.get(h).handle(call);
        return new Result((int) ret, call.endSliceRequested());
    }

    /** The slice of {@code cpu} ends (after a hypercall that ended it, or a quantum). */
    public void endSlice(int cpu) {
        Cpu c = machine.cpu(cpu);
        sched.sliceEnded(c, new EngineExit(EngineExit.Reason.PORT_STOP, c.eip(), 0, null));
    }

    /** Issues the call and, if it asked to, ends the slice. */
    public Result run(int cpu, Hypercall h, long... args) {
        Result r = call(cpu, h, args);
        if (r.endSlice()) {
            endSlice(cpu);
        }
        return r;
    }

    /** Advances {@code cpu}'s clock by {@code cycles} of guest work, then ends its slice. */
    public void work(int cpu, long cycles) {
        machine.cpu(cpu).charge(CycleCategory.KERNEL, cycles);
        endSlice(cpu);
    }

    /** What the machine does when no CPU is runnable: returns false on deadlock. */
    public boolean idle() {
        long t = sched.nextEventCycle();
        if (t < 0) {
            return false;
        }
        sched.idleUntil(t);
        return true;
    }

    public Task current(int cpu) {
        return sched.current(cpu);
    }

    public long cycles(int cpu) {
        return machine.cpu(cpu).cycles();
    }

    public long total(Counter c) {
        return stats.total(c);
    }

    /** A kthread made with KTHREAD_CREATE from {@code cpu} (bound to {@code bind}, or -1). */
    public Task kthread(int cpu, String name, int bind) {
        long nameAddr = scratch(32);
        memory.write(nameAddr, (name + "\0").getBytes(StandardCharsets.ISO_8859_1));
        Result r = call(cpu, Hypercall.KTHREAD_CREATE, 0x5000, 0x6000, nameAddr, bind);
        return sched.task(r.ret());
    }

    private long scratchNext = SCRATCH;

    /** Zeroed guest memory for a test struct. */
    public long scratch(int size) {
        long a = scratchNext;
        scratchNext += (size + 15) & ~15;
        return a;
    }

    public List<Finding> findings(Finding.Kind kind) {
        return reports.findings().stream().filter(f -> f.kind() == kind).toList();
    }

    // ---- the parts ----

    public Machine machine() {
        return machine;
    }

    public KernelConfig config() {
        return config;
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

    public HighmemApi highmem() {
        return highmem;
    }

    public Optional<Long> symbol(String name) {
        return image.symbol(name);
    }

    public void stop(StopReason reason) {
        if (stopped == null) {
            stopped = reason;
        }
    }

    // ---- fakes ----

    /** Records kmap_local sched_out/in calls as "out:pid@cpu" / "in:pid@cpu". */
    public static final class FakeHighmem implements HighmemApi {
        public final List<String> calls = new ArrayList<>();

        @Override
        public void register(HypercallTable table) {
        }

        @Override
        public void kmapLocalSchedOut(Task t, int cpu) {
            calls.add("out:" + t.pid + "@" + cpu);
        }

        @Override
        public void kmapLocalSchedIn(Task t, int cpu) {
            calls.add("in:" + t.pid + "@" + cpu);
        }

        @Override
        public void checkInvariants() {
        }

        @Override
        public int pkmapMappedCount() {
            return 0;
        }
    }

    /**
     * Bump allocators for kmalloc (from 1 MiB) and stacks (from 4 MiB); user regions whose
     * pages get frames (from 32 MiB) on the first fault, with a P|RW|U PTE in real PAE
     * tables (low 64 MiB identity-mapped for the kernel side), so CPUs translate through
     * their TLBs as in a run.
     */
    public final class FakeMm implements MmApi {
        private static final long PDPT = 0x03F00000L;
        private static final long PD = PDPT + 0x1000;
        private long ptNext = PDPT + 0x10000;
        private boolean tablesBuilt;
        private long kmallocNext = 0x00100000;
        private long stackNext = 0x00400000;
        private long frameNext = 0x02000000;
        private final TreeMap<Long, Long> regions = new TreeMap<>();
        private final Map<Long, Long> ptes = new LinkedHashMap<>();
        public int faults;

        /** A user region of {@code len} bytes at {@code start}, nothing mapped. */
        public long userRegion(long start, long len) {
            regions.put(start, start + len);
            return start;
        }

        /** Maps the page of {@code va} now (as if touched before). */
        public long mapUser(long va) {
            long frame = frameNext;
            frameNext += 4096;
            ptes.put(va & ~0xfffL, frame | 0x7);
            buildTables();
            var mem = machine.memory();
            long pde = PD + 0x1000L * ((va >>> 30) & 3) + 8L * ((va >>> 21) & 511);
            if ((mem.readLong(pde) & 1) == 0) {
                mem.writeLong(pde, ptNext | 0x67);
                ptNext += 0x1000;
            }
            long pt = mem.readLong(pde) & ~0xfffL;
            mem.writeLong(pt + 8L * ((va >>> 12) & 511), frame | 0x7);
            return frame;
        }

        private void buildTables() {
            if (tablesBuilt) {
                return;
            }
            tablesBuilt = true;
            var mem = machine.memory();
            for (int i = 0; i < 4; i++) {
                mem.writeLong(PDPT + 8L * i, (PD + 0x1000L * i) | 1);
            }
            for (int i = 0; i < 32; i++) {
                mem.writeLong(PD + 8L * i, ((long) i << 21) | 0x83);
            }
        }

        @Override
        public Layout layout() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void activate(Cpu cpu) {
            buildTables();
            cpu.mmu().setEfer(1L << 11);
            cpu.mmu().writeCr4(0x20 | 0x80);
            cpu.loadCr3(PDPT);
            cpu.mmu().writeCr0(0x80050033L);
        }

        @Override
        public void register(HypercallTable table) {
        }

        /** Stacks handed back (this fake never reuses them). */
        int freedStacks;

        @Override
        public long kmalloc(long size) {
            long a = kmallocNext;
            kmallocNext += (size + 15) & ~15;
            return a;
        }

        @Override
        public void kfree(long va) {
        }

        @Override
        public long allocStack(int size) {
            long a = stackNext;
            stackNext += size;
            return a;
        }

        @Override
        public void freeStack(long va, int size) {
            freedStacks++;
        }

        @Override
        public long memMap() {
            return 0;
        }

        @Override
        public int structPageSize() {
            return 32;
        }

        @Override
        public long pageToPfn(long page) {
            return 0;
        }

        @Override
        public long pfnToPage(long pfn) {
            return 0;
        }

        @Override
        public boolean pageHighMem(long page) {
            return false;
        }

        @Override
        public boolean handleUserFault(long va, AccessType access) {
            faults++;
            if (!isUserRegion(va, 1) || ptes.containsKey(va & ~0xfffL)) {
                return false;
            }
            mapUser(va);
            return true;
        }

        @Override
        public boolean isUserRegion(long va, long len) {
            Map.Entry<Long, Long> r = regions.floorEntry(va);
            return r != null && va + Math.max(len, 1) <= r.getValue();
        }

        @Override
        public long readPte(long va) {
            return ptes.getOrDefault(va & ~0xfffL, 0L);
        }

        @Override
        public String dumpPagetable(long va) {
            return "";
        }

        @Override
        public long pagesInUse() {
            return 0;
        }
    }

    private record Host(SparseMemory phys) implements HostMemory {
        @Override
        public PhysicalMemory physical() {
            return phys;
        }

        @Override
        public long size() {
            return phys.size();
        }

        @Override
        public long hostAddress() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** An ELF32 i386 executable with one text segment and the runtime's symbols. */
    static ElfImage tinyImage() {
        Map<String, long[]> syms = new LinkedHashMap<>();
        syms.put("_start", new long[] {INIT_ENTRY, 2});
        syms.put("hm_kthread_entry", new long[] {KTHREAD_ENTRY, 2});
        syms.put("hm_softirq_timer_entry", new long[] {SOFTIRQ_ENTRY, 2});
        syms.put("hm_kworker_fn", new long[] {KWORKER_FN, 2});
        syms.put("jiffies", new long[] {JIFFIES, 1});
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = ByteBuffer.allocate(16 * (syms.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        symtab.position(16);
        for (Map.Entry<String, long[]> e : syms.entrySet()) {
            symtab.putInt(strtab.size()).putInt((int) e.getValue()[0]).putInt(4)
                    .put((byte) (0x10 | e.getValue()[1])).put((byte) 0).putShort((short) 1);
            strtab.writeBytes((e.getKey() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        int text = 0x1000 - 0x1000 + 0x100; // file offset of the segment
        int textSize = 0x500;
        int symOff = text + textSize;
        int strOff = symOff + symtab.capacity();
        int shOff = (strOff + strtab.size() + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(shOff + 3 * 40).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1).putInt(24, (int) INIT_ENTRY)
                .putInt(28, 52).putInt(32, shOff).putShort(40, (short) 52).putShort(42, (short) 32)
                .putShort(44, (short) 1).putShort(46, (short) 40).putShort(48, (short) 3);
        b.putInt(52, 1).putInt(56, text).putInt(60, 0x1000).putInt(64, 0x1000).putInt(68, textSize)
                .putInt(72, textSize).putInt(76, 5).putInt(80, 0x1000);
        b.put(symOff, symtab.array());
        b.put(strOff, strtab.toByteArray());
        int sh1 = shOff + 40;
        b.putInt(sh1 + 4, 2).putInt(sh1 + 16, symOff).putInt(sh1 + 20, symtab.capacity()).putInt(sh1 + 24, 2)
                .putInt(sh1 + 36, 16);
        int sh2 = shOff + 80;
        b.putInt(sh2 + 4, 3).putInt(sh2 + 16, strOff).putInt(sh2 + 20, strtab.size());
        try {
            return ElfImage.parse("sched-test", b.array());
        } catch (ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws the model's BUG report as the test failure text if a call BUGs unexpectedly. */
    static KernelBugException expectBug(Runnable r) {
        try {
            r.run();
        } catch (KernelBugException e) {
            return e;
        }
        throw new AssertionError("expected a kernel BUG");
    }
}
