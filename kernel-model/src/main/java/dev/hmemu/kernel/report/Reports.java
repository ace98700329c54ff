package dev.hmemu.kernel.report;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.elf.Symbolizer;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.mmu.PageFaultCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.Set;

/**
 * Linux-style reports (WARN, BUG, oops, might_sleep splats), written to the console and
 * recorded as findings. Formats follow the reference's section 8 (x86-32, v6.1-era text,
 * "Oops: %04lx [#%d] PREEMPT SMP").
 */
public final class Reports {
    /** Who is running: a snapshot for a report's CPU/PID/Comm line. */
    public record Context(Cpu cpu, int pid, String comm) {
    }

    private static final String CUT_HERE = "------------[ cut here ]------------";
    private static final String END_TRACE = "---[ end trace 0000000000000000 ]---";

    private final Console console;
    private final Symbolizer symbols;
    /** Most findings kept; the rest are counted in one last finding. */
    public static final int MAX_FINDINGS = 1000;
    /** Most WARN_ON_ONCE sites remembered; past it every further site counts as warned. */
    static final int MAX_ONCE_SITES = 10_000;

    private final List<Finding> findings = new ArrayList<>();
    private Consumer<Finding> findingListener = f -> { };
    private final Set<String> warnedOnce = new HashSet<>();
    private long droppedFindings;
    private int oopsCount;

    public Reports(Console console, Symbolizer symbols) {
        this.console = console;
        this.symbols = symbols;
    }

    public Console console() {
        return console;
    }

    /** Replaces the listener told of each finding as it is recorded (the default does nothing). */
    public void setFindingListener(Consumer<Finding> l) {
        this.findingListener = l == null ? f -> { } : l;
    }

    public List<Finding> findings() {
        return Collections.unmodifiableList(findings);
    }

    /** Findings past {@link #MAX_FINDINGS}: counted, not kept. */
    public long droppedFindings() {
        return droppedFindings;
    }

    /** Keeps a finding, or counts it once MAX_FINDINGS are kept (the count is the last finding). */
    private void record(Finding f) {
        findingListener.accept(f);
        if (findings.size() < MAX_FINDINGS) {
            findings.add(f);
            return;
        }
        droppedFindings++;
        Finding more = new Finding(f.kind(), f.cpu(), f.pid(), String.format(
                "hmemu: %d more finding(s) not kept (the first %d are listed)", droppedFindings, MAX_FINDINGS));
        if (findings.size() == MAX_FINDINGS) {
            findings.add(more);
        } else {
            findings.set(MAX_FINDINGS, more);
        }
    }

    public Symbolizer symbols() {
        return symbols;
    }

    /**
     * WARN_ON_ONCE from model code: prints once per {@code site} (like the per-call-site
     * static bool) and records a finding each first time.
     *
     * @return true if it printed
     */
    public boolean warnOnce(Context ctx, String site, String where, String func) {
        if (warnedOnce.size() >= MAX_ONCE_SITES || !warnedOnce.add(site)) {
            return false;
        }
        warn(ctx, where, func, null);
        return true;
    }

    /** WARN / WARN_ON: the cut-here block with a register dump. */
    public void warn(Context ctx, String where, String func, String message) {
        StringBuilder b = new StringBuilder();
        b.append(CUT_HERE).append('\n');
        if (message != null && !message.isEmpty()) {
            b.append(message).append('\n');
        }
        b.append(String.format("WARNING: CPU: %d PID: %d at %s %s%n", ctx.cpu().id(), ctx.pid(), where, func));
        b.append(cpuLine(ctx));
        b.append(registers(ctx.cpu(), 0));
        b.append(END_TRACE);
        console.println(b.toString());
        record(new Finding(Finding.Kind.WARN, ctx.cpu().id(), ctx.pid(), "WARNING at " + where + " " + func));
    }

    /** BUG() / BUG_ON(): prints the report and returns the exception that stops the model. */
    public KernelBugException bug(Context ctx, String where, String detail) {
        StringBuilder b = new StringBuilder();
        b.append(CUT_HERE).append('\n');
        b.append("kernel BUG at ").append(where).append("!\n");
        if (detail != null && !detail.isEmpty()) {
            b.append(detail).append('\n');
        }
        b.append(String.format("invalid opcode: 0000 [#%d] PREEMPT SMP%n", ++oopsCount));
        b.append(cpuLine(ctx));
        b.append(registers(ctx.cpu(), 0));
        b.append(END_TRACE);
        String text = b.toString();
        console.println(text);
        record(new Finding(Finding.Kind.BUG, ctx.cpu().id(), ctx.pid(), "kernel BUG at " + where));
        return new KernelBugException(text);
    }

    /** The oops for a kernel-mode page fault that nothing fixes up (docs/reports.md). */
    public String oops(Context ctx, PageFault f, String pageTableDump) {
        StringBuilder b = new StringBuilder();
        long addr = f.cr2() & 0xffffffffL;
        if (f.badPhysical()) {
            b.append(String.format("BUG: guest physical address behind %08x is outside guest memory%n", addr));
        } else if (addr < 4096) {
            b.append(String.format("BUG: kernel NULL pointer dereference, address: %08x%n", addr));
        } else {
            b.append(String.format("BUG: unable to handle page fault for address: %08x%n", addr));
        }
        String[] pf = PageFaultCode.describe(f.errorCode()).split("\n");
        b.append("#PF: ").append(pf[0]).append('\n');
        b.append("#PF: ").append(pf.length > 1 ? pf[1] : "").append('\n');
        if (pageTableDump != null) {
            b.append(pageTableDump).append('\n');
        }
        b.append(String.format("Oops: %04x [#%d] PREEMPT SMP%n", f.errorCode() & 0xffff, ++oopsCount));
        b.append(cpuLine(ctx));
        b.append(registers(ctx.cpu(), addr));
        b.append(String.format("CR2: %016x%n", addr));
        b.append(END_TRACE);
        String text = b.toString();
        console.println(text);
        record(new Finding(Finding.Kind.OOPS, ctx.cpu().id(), ctx.pid(), text.lines().findFirst().orElse("")));
        return text;
    }

    /** __might_resched's "sleeping function called from invalid context" splat (docs/reports.md). */
    public void sleepInAtomic(Context ctx, String file, int line, boolean inAtomic, boolean irqsDisabled,
                              int preemptCount, int expected) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("BUG: sleeping function called from invalid context at %s:%d%n", file, line));
        b.append(String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s%n",
                inAtomic ? 1 : 0, irqsDisabled ? 1 : 0, ctx.pid(), ctx.comm()));
        b.append(String.format("preempt_count: %x, expected: %x%n", preemptCount, expected));
        b.append(cpuLine(ctx));
        b.append("Call Trace:\n ").append(symbols.symbolize(ctx.cpu().reg(X86Reg.EIP) & 0xffffffffL)).append('\n');
        console.println(b.toString());
        record(new Finding(Finding.Kind.SLEEP_IN_ATOMIC, ctx.cpu().id(), ctx.pid(),
                "sleeping function called from invalid context at " + file + ":" + line));
    }

    /**
     * A lockup found by the watchdogs (kernel/watchdog_hld.c, v6.1): {@code header} (e.g.
     * "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"), the modules line, the
     * locked-up CPU's registers and call trace, then every other CPU involved as an NMI
     * backtrace. Returns the text; the finding is a BUG.
     */
    public String lockup(String header, List<Context> cpus, List<long[]> traces, String notes) {
        StringBuilder b = new StringBuilder();
        b.append(header).append('\n');
        b.append("Modules linked in:\n");
        for (int i = 0; i < cpus.size(); i++) {
            Context c = cpus.get(i);
            if (i == 1) {
                StringBuilder to = new StringBuilder();
                for (int j = 1; j < cpus.size(); j++) {
                    to.append(j > 1 ? "," : "").append(cpus.get(j).cpu().id());
                }
                b.append(String.format("Sending NMI from CPU %d to CPUs %s:%n", first(cpus).cpu().id(), to));
            }
            if (i > 0) {
                b.append("NMI backtrace for cpu ").append(c.cpu().id()).append('\n');
            }
            b.append(cpuLine(c));
            b.append(registers(c.cpu(), 0));
            b.append("Call Trace:\n");
            for (long ret : traces.get(i)) {
                b.append(' ').append(symbols.symbolize(ret)).append('\n');
            }
        }
        if (notes != null) {
            b.append(notes);
        }
        String text = b.toString();
        console.println(text);
        Context first = cpus.get(0);
        findings.add(new Finding(Finding.Kind.BUG, first.cpu().id(), first.pid(), header));
        return text;
    }

    private static Context first(List<Context> cpus) {
        return cpus.get(0);
    }

    /** A leak or other end-of-run finding. */
    public void leak(Context ctx, String text) {
        console.println("hmemu: " + text);
        record(new Finding(Finding.Kind.LEAK, ctx.cpu().id(), ctx.pid(), text));
    }

    private String cpuLine(Context ctx) {
        return String.format("CPU: %d PID: %d Comm: %.20s Not tainted 6.1.0-hmemu #1%nHardware name: hmemu i386 PAE%n",
                ctx.cpu().id(), ctx.pid(), ctx.comm());
    }

    private String registers(Cpu cpu, long cr2) {
        StringBuilder b = new StringBuilder();
        b.append("EIP: ").append(symbols.symbolize(cpu.reg(X86Reg.EIP) & 0xffffffffL)).append('\n');
        b.append(String.format("EAX: %08x EBX: %08x ECX: %08x EDX: %08x%n", cpu.reg(X86Reg.EAX),
                cpu.reg(X86Reg.EBX), cpu.reg(X86Reg.ECX), cpu.reg(X86Reg.EDX)));
        b.append(String.format("ESI: %08x EDI: %08x EBP: %08x ESP: %08x%n", cpu.reg(X86Reg.ESI),
                cpu.reg(X86Reg.EDI), cpu.reg(X86Reg.EBP), cpu.reg(X86Reg.ESP)));
        b.append(String.format("DS: 007b ES: 007b FS: 00d8 GS: 0000 SS: 0068 EFLAGS: %08x%n",
                cpu.reg(X86Reg.EFLAGS)));
        b.append(String.format("CR0: %08x CR2: %08x CR3: %08x CR4: %08x%n", cpu.mmu().cr().cr0(),
                cr2, cpu.mmu().cr().cr3(), cpu.mmu().cr().cr4()));
        return b.toString();
    }
}
