package dev.hmemu.emulator.debug;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.mmu.TlbEntry;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.Map;

/**
 * The debugger's {@code monitor} commands: the emulator's own (tlb, pt, stats,
 * break-on/off, help) and those the kernel adds through {@link KernelDebugViews}.
 * Output is console text; nothing here changes what the run measures.
 */
final class Monitor {
    private final Machine machine;
    private final KernelEvents events;
    private final KernelDebugViews views;

    Monitor(Machine machine, KernelEvents events, KernelDebugViews views) {
        this.machine = machine;
        this.events = events;
        this.views = views;
    }

    /** Runs {@code line}; {@code cpu} is the debugger's current CPU (whose page tables {@code pt} walks). */
    String run(int cpu, String line) {
        String[] w = line.strip().split("\\s+", 2);
        String name = w[0];
        String args = w.length > 1 ? w[1].strip() : "";
        return switch (name) {
            case "", "help" -> help();
            case "tlb" -> tlb(args);
            case "pt" -> pt(cpu, args);
            case "stats" -> stats();
            case "break-on" -> breakOn(args, true);
            case "break-off" -> breakOn(args, false);
            default -> views.commands().containsKey(name) ? views.run(name, args)
                    : "unknown monitor command '" + name + "'; try 'monitor help'\n";
        };
    }

    private String help() {
        StringBuilder b = new StringBuilder("hmemu monitor commands:\n");
        b.append("  tlb [CPU]          the modelled TLB's valid entries (vaddr, paddr, flags, global)\n");
        b.append("  pt VADDR           the page walk of VADDR through the current thread's CPU's CR3\n");
        b.append("  stats              instructions, cycles, IPIs and TLB counters per CPU\n");
        b.append("  break-on EVENT     stop when the kernel reports EVENT; break-off EVENT to stop that\n");
        b.append("  help               this list\n");
        for (Map.Entry<String, String> e : views.commands().entrySet()) {
            b.append(String.format("  %-18s %s%n", e.getKey(), e.getValue()));
        }
        if (!events.known().isEmpty()) {
            b.append("events: ").append(String.join(", ", events.known())).append('\n');
        }
        return b.toString();
    }

    private String tlb(String args) {
        StringBuilder b = new StringBuilder();
        for (Cpu c : machine.cpus()) {
            if (!args.isEmpty() && !args.equals(Integer.toString(c.id()))) {
                continue;
            }
            var entries = c.mmu().tlb().entries();
            b.append(String.format("CPU %d: %d valid TLB entries%n", c.id(), entries.size()));
            b.append("  vaddr     paddr       size  flags\n");
            for (TlbEntry e : entries) {
                b.append(String.format("  %08x  %09x  %-4s  %s%s%s%s%s%n", e.linearPage(), e.physPage(),
                        e.pageSize() == 4096 ? "4K" : (e.pageSize() >> 20) + "M",
                        e.writable() ? "RW" : "RO", e.user() ? " U" : " S", e.executable() ? "" : " NX",
                        e.dirty() ? " D" : "", e.global() ? " global" : ""));
            }
        }
        return b.length() == 0 ? "no CPU " + args + "\n" : b.toString();
    }

    private String pt(int cpu, String args) {
        long va;
        try {
            va = Long.decode(args.startsWith("0x") || args.startsWith("0X") ? args : "0x" + args);
        } catch (NumberFormatException e) {
            return "usage: monitor pt VADDR (hex)\n";
        }
        Cpu c = machine.cpu(cpu);
        return "CPU " + cpu + ": " + PageTableDump.walk(c.mmu().cr(), machine.memory(), va);
    }

    private String stats() {
        StringBuilder b = new StringBuilder();
        b.append("cpu  instructions        cycles  ipis-sent  ipis-recv   tlb-miss   walks  invlpg  flush-ng  flush-all\n");
        for (Cpu c : machine.cpus()) {
            TlbStatsSnapshot t = c.tlbStats();
            b.append(String.format("%3d  %12d  %12d  %9d  %9d  %9d  %6d  %6d  %8d  %9d%n", c.id(), c.engine().debug().executedInstructions(),
                    c.cycles(), machine.ipisSent(c.id()), machine.ipisReceived(c.id()), t.misses(), t.walks(),
                    t.invlpgFlushes(), t.nonGlobalFlushes(), t.fullFlushes()));
        }
        String k = views.commands().containsKey("vmstat") ? views.run("vmstat", "") : "";
        return b.append(k).toString();
    }

    private String breakOn(String event, boolean on) {
        if (event.isEmpty() || !events.set(event, on)) {
            return "unknown event '" + event + "'; events: " + String.join(", ", events.known()) + "\n";
        }
        return (on ? "will stop on " : "no longer stopping on ") + event + "\n";
    }
}
