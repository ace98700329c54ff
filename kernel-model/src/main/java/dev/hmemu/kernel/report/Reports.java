package dev.hmemu.kernel.report;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.PageFault;
import dev.hmemu.emulator.elf.Symbolizer;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.emulator.symbols.ImageSymbols;
import dev.hmemu.emulator.symbols.InlineSites;
import dev.hmemu.emulator.symbols.LineTable;
import dev.hmemu.mmu.PageFaultCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.Set;

/**
 * Linux-style reports (WARN, BUG, oops, might_sleep splats) in Linux v6.1's format, each
 * followed by hmemu's own lines (prefixed "hmemu: ": the finding's kind, its call sites
 * with their back-traces, and an explanation), written to the console and recorded as
 * {@link Finding}s. Formats: x86-32, v6.1 ("Oops: %04lx [#%d] PREEMPT SMP", "Code:" bytes,
 * CR0-CR4, "Call Trace:" from frame pointers, the executive summary after the end marker).
 */
public final class Reports {
    /** Who is running: a snapshot for a report's CPU/PID/Comm line. */
    public record Context(Cpu cpu, int pid, String comm) {
    }

    /** What hmemu adds to a finding: call sites and an explanation (either may be empty). */
    public record Detail(List<CallSite> callSites, String explanation) {
        public static final Detail NONE = new Detail(List.of(), null);

        public Detail {
            callSites = List.copyOf(callSites);
        }
    }

    private static final String CUT_HERE = "------------[ cut here ]------------";
    private static final String END_TRACE = "---[ end trace 0000000000000000 ]---";
    private static final String MODULES = "Modules linked in:";

    private final Console console;
    private final CallSites sites;
    /** Most findings kept; the rest are counted in one last finding. */
    public static final int MAX_FINDINGS = 1000;
    /** Most WARN_ON_ONCE sites remembered; past it every further site counts as warned. */
    static final int MAX_ONCE_SITES = 10_000;

    private final List<Finding> findings = new ArrayList<>();
    private Consumer<Finding> findingListener = f -> { };
    private final Set<String> warnedOnce = new HashSet<>();
    private long droppedFindings;
    private int oopsCount;

    public Reports(Console console, CallSites sites) {
        this.console = console;
        this.sites = sites;
    }

    /** Reports symbolized from the symbol table only (no debug info, no stack walks). */
    public Reports(Console console, Symbolizer symbols) {
        this(console, new CallSites(new ImageSymbols(symbols, LineTable.empty(), InlineSites.empty()), null));
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
    private void keep(Finding f) {
        findingListener.accept(f);
        if (findings.size() < MAX_FINDINGS) {
            findings.add(f);
            return;
        }
        droppedFindings++;
        String msg = String.format("hmemu: %d more finding(s) not kept (the first %d are listed)",
                droppedFindings, MAX_FINDINGS);
        Finding more = new Finding(f.kind(), msg, f.cpu(), f.task(), f.pid(), 0, null, null, 0, List.of(), null, msg);
        if (findings.size() == MAX_FINDINGS) {
            findings.add(more);
        } else {
            findings.set(MAX_FINDINGS, more);
        }
    }

    public Symbolizer symbols() {
        return sites.symbols().symtab();
    }

    public CallSites sites() {
        return sites;
    }

    /**
     * WARN_ON_ONCE from model code: prints once per {@code site} (like the per-call-site
     * static bool) and records a finding each first time.
     *
     * @return true if it printed
     */
    public boolean warnOnce(Context ctx, String site, String where, String func) {
        return warnOnce(ctx, Finding.Kind.WARN, site, where, func, null, Detail.NONE);
    }

    /** WARN_ON_ONCE with a finding kind, message and hmemu's detail. */
    public boolean warnOnce(Context ctx, Finding.Kind kind, String site, String where, String func, String message,
                            Detail detail) {
        if (warnedOnce.size() >= MAX_ONCE_SITES || !warnedOnce.add(site)) {
            return false;
        }
        warn(ctx, kind, where, func, message, detail);
        return true;
    }

    /** WARN / WARN_ON: the cut-here block with a register dump. */
    public void warn(Context ctx, String where, String func, String message) {
        warn(ctx, Finding.Kind.WARN, where, func, message, Detail.NONE);
    }

    /** v6.1's __warn(): cut here, (WARN's message), WARNING: line, modules, show_regs, end marker. */
    public void warn(Context ctx, Finding.Kind kind, String where, String func, String message, Detail detail) {
        StringBuilder b = new StringBuilder();
        b.append(CUT_HERE).append('\n');
        if (message != null && !message.isEmpty() && kind == Finding.Kind.WARN) {
            b.append(message).append('\n');
        }
        b.append(String.format("WARNING: CPU: %d PID: %d at %s %s%n", ctx.cpu().id(), ctx.pid(), where, func));
        b.append(MODULES).append('\n');
        b.append(showRegs(ctx, 0));
        b.append(END_TRACE).append('\n');
        String title = kind == Finding.Kind.WARN || message == null ? "WARNING at " + where + " " + func : message;
        record(ctx, kind, title, b, detail);
    }

    /** BUG() / BUG_ON(): prints the report and returns the exception that stops the model. */
    public KernelBugException bug(Context ctx, String where, String detail) {
        return bug(ctx, Finding.Kind.BUG, where, detail, Detail.NONE);
    }

    /**
     * v6.1's BUG on x86: cut here, "kernel BUG at file:line!", die("invalid opcode"):
     * header, show_regs, modules, end marker, executive summary. {@code cond} (the failed
     * condition, not part of Linux's text) goes into hmemu's lines.
     */
    public KernelBugException bug(Context ctx, Finding.Kind kind, String where, String cond, Detail detail) {
        StringBuilder b = new StringBuilder();
        b.append(CUT_HERE).append('\n');
        b.append("kernel BUG at ").append(where).append("!\n");
        b.append(String.format("invalid opcode: 0000 [#%d] PREEMPT SMP%n", ++oopsCount));
        b.append(showRegs(ctx, 0));
        b.append(MODULES).append('\n');
        b.append(END_TRACE).append('\n');
        b.append(registers(ctx.cpu(), 0));
        String title = "kernel BUG at " + where;
        Detail d = detail;
        if (cond != null && !cond.isEmpty()) {
            d = new Detail(detail.callSites(), detail.explanation() == null ? cond : cond + "\n" + detail.explanation());
        }
        String text = record(ctx, kind, title, b, d);
        return new KernelBugException(text);
    }

    /** The oops for a kernel-mode page fault that nothing fixes up (docs/reports.md). */
    public String oops(Context ctx, PageFault f, String pageTableDump) {
        return oops(ctx, Finding.Kind.OOPS, f, pageTableDump, Detail.NONE);
    }

    /**
     * v6.1's page_fault_oops(): the BUG: line, the #PF lines, the page-table dump, the Oops
     * header, show_regs (CPU/Hardware name, EIP, Code, registers, CR0-CR4, Call Trace),
     * modules, CR2, the end marker and the executive summary.
     */
    public String oops(Context ctx, Finding.Kind kind, PageFault f, String pageTableDump, Detail detail) {
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
        b.append(showRegs(ctx, addr));
        b.append(MODULES).append('\n');
        b.append(String.format("CR2: %016x%n", addr));
        b.append(END_TRACE).append('\n');
        b.append(registers(ctx.cpu(), addr));
        String first = b.toString().lines().findFirst().orElse("");
        return record(ctx, kind, first, b, detail);
    }

    /** __might_resched's "sleeping function called from invalid context" splat (docs/reports.md). */
    public void sleepInAtomic(Context ctx, String file, int line, boolean inAtomic, boolean irqsDisabled,
                              int preemptCount, int expected) {
        sleepInAtomic(ctx, file, line, inAtomic, irqsDisabled, preemptCount, expected, null, Detail.NONE);
    }

    /**
     * v6.1's __might_resched() report: the BUG: line, in_atomic/irqs_disabled/non_block/pid/name,
     * preempt_count, RCU nest depth (CONFIG_PREEMPT_RCU), "Preemption disabled at:" with the site
     * that raised preempt_count (CONFIG_DEBUG_PREEMPT; when preempt_count != expected), then
     * dump_stack(): CPU/Hardware name and the Call Trace.
     *
     * @param preemptDisabledAt where preempt_count last left 0 on this CPU, or null
     */
    public void sleepInAtomic(Context ctx, String file, int line, boolean inAtomic, boolean irqsDisabled,
                              int preemptCount, int expected, RawSite preemptDisabledAt, Detail detail) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("BUG: sleeping function called from invalid context at %s:%d%n", file, line));
        b.append(String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s%n",
                inAtomic ? 1 : 0, irqsDisabled ? 1 : 0, ctx.pid(), ctx.comm()));
        b.append(String.format("preempt_count: %x, expected: %x%n", preemptCount, expected));
        b.append("RCU nest depth: 0, expected: 0\n");
        if (preemptCount != expected) {
            b.append("Preemption disabled at:\n");
            if (preemptDisabledAt != null) {
                b.append(String.format("[<%08x>] %s%n", preemptDisabledAt.pc(),
                        sites.frame(preemptDisabledAt.pc()).symbol()));
            } else {
                b.append("[<00000000>] 0x0\n");
            }
        }
        b.append(cpuLine(ctx));
        b.append(callTrace(ctx.cpu()));
        List<CallSite> cs = new ArrayList<>();
        cs.add(sites.resolve("might_sleep", sites.capture(ctx.cpu())));
        if (preemptDisabledAt != null) {
            cs.add(sites.resolve("preempt_disable", preemptDisabledAt));
        }
        cs.addAll(detail.callSites());
        String expl = detail.explanation() != null ? detail.explanation()
                : "a function that may sleep ran with preemption or interrupts disabled; Linux prints this once per "
                + "second and carries on, and would schedule away while atomic if it really slept. Move the call "
                + "out of the atomic section (e.g. kmap_local_page() instead of kmap_atomic()).";
        record(ctx, Finding.Kind.SLEEP_IN_ATOMIC, "sleeping function called from invalid context at " + file + ":"
                + line, b, new Detail(cs, expl));
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
                b.append(' ').append(symbols().symbolize(ret)).append('\n');
            }
        }
        if (notes != null) {
            b.append(notes);
        }
        String text = b.toString();
        console.println(text);
        Context first = cpus.get(0);
        long pc = first.cpu().reg(X86Reg.EIP) & 0xffffffffL;
        Frame at = sites.frame(pc);
        String why = notes == null ? "" : notes.replace("hmemu: ", "");
        keep(new Finding(Finding.Kind.BUG, header, first.cpu().id(), first.comm(), first.pid(), pc, at.symbol(),
                at.file(), at.line(), List.of(), why + "A CPU waited for ever with interrupts off (hard lockup) or "
                + "without scheduling (soft lockup): Linux's watchdog prints this report; the run stops.", text));
        return text;
    }

    private static Context first(List<Context> cpus) {
        return cpus.get(0);
    }

    /** A leak or other end-of-run finding (hmemu's own report). */
    public void leak(Context ctx, String text) {
        leak(ctx, Finding.Kind.LEAK, text, Detail.NONE);
    }

    /** A finding hmemu reports on its own (no Linux text exists for it): "hmemu: " lines only. */
    public void leak(Context ctx, Finding.Kind kind, String text, Detail detail) {
        StringBuilder b = new StringBuilder();
        b.append("hmemu: ").append(text).append('\n');
        record(ctx, kind, text, b, detail, false);
    }

    /**
     * Appends hmemu's lines, prints the whole report and records the finding.
     *
     * @return the printed text
     */
    private String record(Context ctx, Finding.Kind kind, String message, StringBuilder linux, Detail detail) {
        return record(ctx, kind, message, linux, detail, true);
    }

    private String record(Context ctx, Finding.Kind kind, String message, StringBuilder linux, Detail detail,
                          boolean atCpu) {
        StringBuilder b = new StringBuilder(linux);
        if (atCpu || !detail.callSites().isEmpty() || detail.explanation() != null) {
            b.append(hmemuLines(kind, message, detail, atCpu));
        }
        String text = b.toString();
        console.println(text);
        long pc = atCpu ? ctx.cpu().reg(X86Reg.EIP) & 0xffffffffL : 0;
        Frame at = atCpu ? sites.frame(pc) : null;
        keep(new Finding(kind, message, ctx.cpu().id(), ctx.comm(), ctx.pid(), pc,
                at == null ? null : at.symbol(), at == null ? null : at.file(), at == null ? 0 : at.line(),
                detail.callSites(), detail.explanation(), text));
        return text;
    }

    /** hmemu's part of a report: kind and message, each call site with its callers, the explanation. */
    private static String hmemuLines(Finding.Kind kind, String message, Detail detail, boolean withHeader) {
        StringBuilder b = new StringBuilder();
        if (withHeader) {
            b.append("hmemu: ").append(kind.id()).append(": ").append(message).append('\n');
        }
        for (CallSite s : detail.callSites()) {
            b.append(String.format("hmemu:   %-12s at %s%n", s.role(), s.where()));
            for (Frame f : s.backtrace()) {
                b.append(String.format("hmemu:   %-12s    called from %s%n", "", f));
            }
        }
        if (detail.explanation() != null) {
            for (String l : detail.explanation().split("\n")) {
                b.append("hmemu: ").append(l).append('\n');
            }
        }
        return b.toString();
    }

    private String cpuLine(Context ctx) {
        return String.format("CPU: %d PID: %d Comm: %.20s Not tainted 6.1.0-hmemu #1%nHardware name: hmemu i386 PAE%n",
                ctx.cpu().id(), ctx.pid(), ctx.comm());
    }

    /** show_regs() for kernel-mode regs: CPU/Hardware name, __show_regs(SHOW_REGS_ALL), the call trace. */
    private String showRegs(Context ctx, long cr2) {
        return cpuLine(ctx) + registers(ctx.cpu(), cr2) + callTrace(ctx.cpu());
    }

    /** " function+0xoff/0xsize" per frame: the EIP's function, then the frame-pointer return addresses. */
    private String callTrace(Cpu cpu) {
        StringBuilder b = new StringBuilder("Call Trace:\n");
        RawSite now = sites.capture(cpu);
        b.append(' ').append(sites.frame(now.pc()).symbol()).append('\n');
        for (Frame f : sites.backtrace(now)) {
            b.append(' ').append(f.symbol()).append('\n');
        }
        return b.toString();
    }

    /** __show_regs(): EIP, Code (show_opcodes), the general registers, segments, CR0-CR4. */
    private String registers(Cpu cpu, long cr2) {
        StringBuilder b = new StringBuilder();
        long eip = cpu.reg(X86Reg.EIP) & 0xffffffffL;
        b.append("EIP: ").append(sites.frame(eip).symbol()).append('\n');
        byte[] code = sites.codeBytes(cpu, eip);
        if (code == null) {
            b.append(String.format("Code: Unable to access opcode bytes at 0x%x.%n", (eip - 42) & 0xffffffffL));
        } else {
            b.append("Code:");
            for (int i = 0; i < code.length; i++) {
                b.append(i == 42 ? String.format(" <%02x>", code[i] & 0xff) : String.format(" %02x", code[i] & 0xff));
            }
            b.append('\n');
        }
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
