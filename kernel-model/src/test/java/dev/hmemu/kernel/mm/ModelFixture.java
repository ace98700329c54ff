package dev.hmemu.kernel.mm;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.elf.ElfFormatException;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.highmem.Highmem;
import dev.hmemu.kernel.highmem.KmapLocalSlots;
import dev.hmemu.kernel.report.Console;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.tlb.TlbFlush;
import dev.hmemu.mmu.PagingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * mm, tlb and highmem booted the way Kernel.boot wires them, on a machine with fake
 * engines (no Unicorn, no guest code) and a {@link FakeSched}. Hypercalls are made by
 * calling the registered handlers directly.
 */
public final class ModelFixture {
    /** GFP_KERNEL. */
    public static final long GFP_KERNEL = 0xcc0;
    /** GFP_HIGHUSER. */
    public static final long GFP_HIGHUSER = 0x100cc2;
    public static final long __GFP_HIGHMEM = 0x02;
    public static final long __GFP_DMA = 0x01;
    public static final long __GFP_ZERO = 0x100;

    public final Machine machine;
    public final KernelConfig config;
    public final ElfImage image;
    public final GuestMemory memory;
    public final KernelStats stats;
    public final Console console = new Console(null);
    public final Reports reports;
    public final FakeSched sched;
    public final Mm mm;
    public final TlbFlush tlb;
    public final Highmem highmem;
    public final HypercallTable table = new HypercallTable();
    private int nextPid = 100;

    private ModelFixture(int cpus, long memory, PagingMode mode, KernelConfig cfg) {
        MachineConfig mc = MachineConfig.defaults().withCpus(cpus).withMemory(memory).withPaging(mode);
        this.machine = new Machine(mc, new SparseHostMemory(memory), (id, cb) -> new FakeEngine());
        this.config = cfg;
        this.image = testImage();
        this.memory = new GuestMemory(machine.memory(), () -> machine.cpu(0).mmu());
        this.stats = new KernelStats(cpus);
        this.reports = new Reports(console, image.symbols());
        this.sched = new FakeSched(cpus);
        this.mm = Mm.boot(machine, cfg, this.memory, reports, this::ctx, image.segments());
        for (Cpu c : machine.cpus()) {
            mm.activate(c);
        }
        this.tlb = new TlbFlush(machine, stats, cfg.tlbSinglePageFlushCeiling());
        KmapLocalSlots slots = new KmapLocalSlots(machine, cfg, mm, tlb, reports, this::ctx);
        KernelCosts costs = KernelCosts.from(mc.costs(), Hypercall.linuxNames());
        this.highmem = new Highmem(machine, cfg, costs, mm, tlb, slots, sched, stats, reports, this::ctx);
        mm.register(table);
        highmem.register(table);
        for (int c = 0; c < cpus; c++) {
            sched.setCurrent(c, newTask("task" + c));
        }
    }

    /** A PAE machine with the default kernel config. */
    public static ModelFixture boot(int cpus, long memory) {
        return new ModelFixture(cpus, memory, PagingMode.PAE, KernelConfig.defaults());
    }

    public static ModelFixture boot(int cpus, long memory, PagingMode mode, KernelConfig cfg) {
        return new ModelFixture(cpus, memory, mode, cfg);
    }

    private Reports.Context ctx(int cpu) {
        Task t = sched.current(cpu);
        return new Reports.Context(machine.cpu(cpu), t == null ? 0 : t.pid, t == null ? "swapper/" + cpu : t.comm);
    }

    /** A new task (not running anywhere). */
    public Task newTask(String comm) {
        int pid = nextPid++;
        return new Task(pid, comm, 0, 0, 8192, config.kmMaxIdx());
    }

    public Cpu cpu(int id) {
        return machine.cpu(id);
    }

    /** Makes hypercall {@code h} on {@code cpu}. */
    public long hcall(int cpu, Hypercall h, long... args) {
        return table.get(h).handle(call(cpu, h, args));
    }

    public Hcall call(int cpu, Hypercall h, long... args) {
        long[] a = new long[6];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i] & 0xFFFFFFFFL;
        }
        return new Hcall(machine.cpu(cpu), h, a);
    }

    /** alloc_pages(gfp, 0) through the hypercall; fails the test on NULL. */
    public long allocPage(long gfp) {
        long page = hcall(0, Hypercall.ALLOC_PAGES, gfp, 0);
        if (page == 0) {
            throw new AssertionError("alloc_pages returned NULL");
        }
        return page;
    }

    /** A fresh highmem page. */
    public long highPage() {
        long page = allocPage(GFP_HIGHUSER);
        if (!mm.pageHighMem(page)) {
            throw new AssertionError("expected a highmem page");
        }
        return page;
    }

    /** A fresh lowmem page. */
    public long lowPage() {
        return allocPage(GFP_KERNEL);
    }

    public long counter(Counter c, int cpu) {
        return stats.get(c, cpu);
    }

    public List<Finding> findings() {
        return reports.findings();
    }

    /**
     * A minimal ELF32 i386 image laid out like hmemu.ld: text R-X at 0xC0100000 (12 KiB),
     * rodata R-- (4 KiB), data+bss RW- (8 KiB), physical = virtual - PAGE_OFFSET.
     */
    public static ElfImage testImage() {
        int phnum = 3;
        ByteBuffer b = ByteBuffer.allocate(52 + 32 * phnum).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1});
        b.position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(0xC0100000).putInt(52).putInt(0).putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) phnum).putShort((short) 40)
                .putShort((short) 0).putShort((short) 0);
        long[][] segs = {{0xC0100000L, 0x3000, 5}, {0xC0103000L, 0x1000, 4}, {0xC0104000L, 0x2000, 6}};
        for (long[] s : segs) {
            b.putInt(1).putInt(0).putInt((int) s[0]).putInt((int) (s[0] - 0xC0000000L)).putInt(0)
                    .putInt((int) s[1]).putInt((int) s[2]).putInt(0x1000);
        }
        try {
            return ElfImage.parse("test-image", b.array());
        } catch (ElfFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
