package dev.hmemu.app;

import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.elf.ElfImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu run IMAGE}: boots the kernel model, runs the guest, prints the summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a guest ELF image (or a shipped image by name) and print its console and a summary.",
            "Exit status: 0 clean; 1 main returned non-zero; 2 usage or input error; 3 a finding (WARN,",
            "might_sleep splat, leak, ...); 4 an oops, a BUG (kmap_local overflow, mem*_page bounds too) or",
            "pkmap exhaustion; 5 a limit stopped it; 6 internal error of hmemu (--debug prints the stack",
            "trace); 7 deadlock (every CPU idle, no task can be woken)."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Guest ELF file, or a shipped image name.")
    String image;

    @Option(names = "--cpus", description = "Emulated CPUs, 1..16 (default: ${DEFAULT-VALUE}).")
    int cpus = MachineConfig.defaults().cpus();

    @Mixin
    MachineOptions options = new MachineOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "Do not echo the guest console.")
    boolean quiet;

    @Option(names = "--findings-only",
            description = "Print only the findings (each in Linux's format, then hmemu's explanation); no console echo or summary.")
    boolean findingsOnly;

    @Mixin
    GdbOptions gdb = new GdbOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json != null) {
            OutputPaths.checkWritable(json, "--json");
        }
        var limits = options.limits();
        ElfImage elf = Images.load(image);
        var mc = options.machineConfig(cpus);
        var kc = options.kernelConfig();
        PrintStream console = quiet || findingsOnly ? null : new PrintStream(new WriterStream(out), true);
        RunResult r;
        if (gdb.enabled()) {
            r = gdb.run(elf, mc, kc, limits, console, out);
        } else {
            r = Session.run(elf, mc, kc, limits, console);
        }
        StringWriter sw = new StringWriter();
        try (PrintStream ps = new PrintStream(new WriterStream(sw), true)) {
            if (findingsOnly) {
                TextReport.printFindings(r, ps);
            } else {
                TextReport.print(r, ps);
            }
        }
        out.print(sw);
        out.flush();
        if (json != null) {
            try {
                Files.writeString(json, JsonReport.render(r));
            } catch (IOException e) {
                spec.commandLine().getErr().println("hmemu: cannot write --json " + json + ": " + e.getMessage());
                return Main.EXIT_USAGE;
            }
        }
        if (r.stop() instanceof StopReason.MachineError e && e.internal()) {
            Main.printTrace(Main.debug(spec), e.cause(), spec.commandLine().getErr());
        }
        return r.exitStatus();
    }
}
