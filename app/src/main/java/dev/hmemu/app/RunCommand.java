package dev.hmemu.app;

import dev.hmemu.emulator.elf.ElfImage;
import java.io.IOException;
import java.io.PrintWriter;
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
            "Exit status: 0 clean; 1 main returned non-zero; 2 usage or input error; 3 WARN/BUG/leak finding;",
            "4 oops or fatal fault; 5 a limit stopped it."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Guest ELF file, or a shipped image name.")
    String image;

    @Mixin
    MachineOptions options = new MachineOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "Do not echo the guest console.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ElfImage elf = Images.load(image);
        var mc = options.machineConfig();
        var kc = options.kernelConfig();
        java.io.PrintStream console = quiet ? null : new java.io.PrintStream(new WriterStream(out), true);
        RunResult r = Session.run(elf, mc, kc, options.limits(), console);
        java.io.StringWriter sw = new java.io.StringWriter();
        try (java.io.PrintStream ps = new java.io.PrintStream(new WriterStream(sw), true)) {
            TextReport.print(r, ps);
        }
        out.print(sw);
        out.flush();
        if (json != null) {
            Files.writeString(json, JsonReport.render(r));
        }
        return r.exitStatus();
    }
}
