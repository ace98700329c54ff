package dev.hmemu.app;

import dev.hmemu.app.test.TestCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** hmemu's command line: {@code hmemu run|demo|build|bench|layout}. */
@Command(name = "hmemu", mixinStandardHelpOptions = true, version = "hmemu 0.1.0",
        description = "Cycle-level x86-32 PAE MMU/highmem emulator: run kernel-style C tests on N CPUs and "
                + "see every kmap PTE write, TLB flush and IPI.",
        subcommands = {RunCommand.class, DemoCommand.class, BuildCommand.class, BenchCommand.class,
                LayoutCommand.class, TestCommand.class, HelpCommand.class})
public final class Main {

    /** Exit status for usage or input errors. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for an internal error of hmemu (an exception that is a bug, not bad input). */
    public static final int EXIT_INTERNAL = 6;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an internal error, print its full stack trace.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with hmemu's error handling: bad input exits 2, anything else is internal (6). */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof IllegalArgumentException || e instanceof UsageException) {
                err.println("hmemu: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return EXIT_USAGE;
            }
            err.println("hmemu: internal error: " + e);
            printTrace(main.debug, e, err);
            return EXIT_INTERNAL;
        });
        // a bad option is one line naming it (the help is one --help away), exit 2
        cl.setParameterExceptionHandler((e, badArgs) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("hmemu: " + e.getMessage().lines().findFirst().orElse("bad option")
                    + " (see 'hmemu " + (c.getCommandName().equals("hmemu") ? "" : c.getCommandName() + " ")
                    + "--help')");
            return EXIT_USAGE;
        });
        return cl;
    }

    /** The whole trace with --debug, else a hint that --debug shows it. */
    static void printTrace(boolean debug, Throwable e, PrintWriter err) {
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println("hmemu: this is a bug in hmemu; run again with --debug for the stack trace");
        }
        err.flush();
    }

    /** Whether --debug was given (on the command or any subcommand). */
    static boolean debug(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main m && m.debug;
    }
}
