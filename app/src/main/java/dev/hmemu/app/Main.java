package dev.hmemu.app;

import dev.hmemu.app.test.TestCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** hmemu's command line: {@code hmemu run|demo|build|bench|layout}. */
@Command(name = "hmemu", mixinStandardHelpOptions = true, version = "hmemu 0.1.0",
        description = "Cycle-level x86-32 PAE MMU/highmem emulator: run kernel-style C tests on N CPUs and "
                + "see every kmap PTE write, TLB flush and IPI.")
public final class Main {
    /**
     * The subcommands, in the order the help lists them. Added by hand rather than through
     * {@code @Command(subcommands)}: a command line naming one of them builds only that one,
     * as picocli's model of each command is built by reflection and costs start-up time.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("run", RunCommand::new);
        m.put("demo", DemoCommand::new);
        m.put("build", BuildCommand::new);
        m.put("bench", BenchCommand::new);
        m.put("layout", LayoutCommand::new);
        m.put("test", TestCommand::new);
        m.put("help", HelpCommand::new);
        return m;
    }

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
        // One number format whatever the host's locale: reports, JSON and KTAP read the same
        // everywhere (a German locale would print 1,50 for 1.50). en-US is also the JDK's fast
        // path, where other locales load locale data (tens of milliseconds) at the first format.
        Locale.setDefault(Locale.US);
        String first = args.length > 0 ? args[0] : "";
        boolean one = SUBCOMMANDS.containsKey(first) && !first.equals("help");
        return commandLine(one ? first : null).execute(args);
    }

    /** The command line with hmemu's error handling: bad input exits 2, anything else is internal (6). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The same with only subcommand {@code only} (null: all of them). */
    private static CommandLine commandLine(String only) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        SUBCOMMANDS.forEach((name, make) -> {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, make.get());
            }
        });
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
