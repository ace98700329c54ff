package dev.hmemu.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** hmemu's command line: {@code hmemu run|demo|build|bench|layout}. */
@Command(name = "hmemu", mixinStandardHelpOptions = true, version = "hmemu 0.1.0",
        description = "Cycle-level x86-32 PAE MMU/highmem emulator: run kernel-style C tests on N CPUs and "
                + "see every kmap PTE write, TLB flush and IPI.",
        subcommands = {RunCommand.class, DemoCommand.class, BuildCommand.class, BenchCommand.class,
                LayoutCommand.class, dev.hmemu.app.test.TestCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit status for usage or input errors. */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("hmemu: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof IllegalArgumentException || e instanceof UsageException ? EXIT_USAGE : 4;
        });
        return cl.execute(args);
    }
}
