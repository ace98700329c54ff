package dev.hmemu.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu build -o OUT.elf SRC.c...}: compiles a C test against the guest runtime. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Compile C test sources against the hmemu guest runtime (gcc -m32 -ffreestanding -g "
                + "-fno-omit-frame-pointer).")
public final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-o", required = true, paramLabel = "OUT.elf", description = "Output image.")
    Path output;

    @Option(names = "--no-frame-pointer",
            description = "Let gcc omit frame pointers (call traces in reports then stop at the faulting function).")
    boolean noFramePointer;

    @Parameters(arity = "1..*", paramLabel = "SRC.c", description = "C sources.")
    List<Path> sources;

    @Override
    public Integer call() throws IOException, InterruptedException {
        OutputPaths.checkWritable(output, "-o");
        for (Path src : sources) {
            if (!Files.isRegularFile(src)) {
                throw new UsageException(src + ": " + (Files.isDirectory(src) ? "is a directory" : "no such file"));
            }
        }
        Path script = Images.home().resolve("images/build-image.sh");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        if (!noFramePointer) {
            cmd.add("--frame-pointer"); // -g is always on; frame pointers give reports their call traces
        }
        cmd.add(output.toString());
        for (Path s : sources) {
            cmd.add(s.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        if (rc == 0 && !Files.isRegularFile(output)) {
            spec.commandLine().getErr().println("hmemu: build did not produce " + output);
            return Main.EXIT_USAGE;
        }
        if (rc != 0) {
            spec.commandLine().getErr().println("hmemu: build failed (gcc exit " + rc + ")");
            return Main.EXIT_USAGE;
        }
        spec.commandLine().getOut().println("built " + output);
        return 0;
    }
}
