package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import dev.hmemu.app.Session;
import dev.hmemu.emulator.StopReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Exit statuses and internal errors, as the README's table promises. */
class ErrorsTest {
    @TempDir
    Path tmp;

    /** A command that hits a bug inside hmemu. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            return explode();
        }

        private static int explode() {
            throw new IllegalStateException("a broken invariant", new ArithmeticException("the root cause"));
        }
    }

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), err.toString()};
    }

    @Test
    void anInternalErrorExitsSixWithAHintAndNoTrace() {
        String[] r = run("boom");
        assertEquals("6", r[0]);
        assertTrue(r[1].contains("hmemu: internal error: java.lang.IllegalStateException: a broken invariant"), r[1]);
        assertTrue(r[1].contains("--debug"), r[1]);
        assertFalse(r[1].contains("\tat "), r[1]);
    }

    @Test
    void debugPrintsTheWholeTraceWithItsCause() {
        for (String[] args : new String[][] {{"boom", "--debug"}, {"--debug", "boom"}}) {
            String[] r = run(args);
            assertEquals("6", r[0]);
            assertTrue(r[1].contains("at dev.hmemu.tests.ErrorsTest$Boom.explode"), r[1]);
            assertTrue(r[1].contains("Caused by: java.lang.ArithmeticException: the root cause"), r[1]);
        }
    }

    @Test
    void eachWayARunEndsHasItsOwnStatus() {
        assertEquals(0, Session.exitStatus(new StopReason.GuestExited(0), true));
        assertEquals(1, Session.exitStatus(new StopReason.GuestExited(3), true));
        assertEquals(3, Session.exitStatus(new StopReason.GuestExited(0), false));
        assertEquals(4, Session.exitStatus(new StopReason.Oops("BUG: unable to handle page fault"), false));
        assertEquals(4, Session.exitStatus(new StopReason.KernelBug("kernel BUG at mm/highmem.c:1"), false));
        assertEquals(4, Session.exitStatus(new StopReason.MachineError("bad port I/O"), true));
        assertEquals(5, Session.exitStatus(new StopReason.LimitReached("cycles", 1), true));
        assertEquals(6, Session.exitStatus(new StopReason.MachineError("internal error", new IllegalStateException()),
                true));
        assertEquals(7, Session.exitStatus(new StopReason.Deadlock("every CPU is idle"), true));
    }

    @Test
    void aGuestWaitingForACompletionNobodyCompletesDeadlocksWithStatusSeven() throws Exception {
        Path src = tmp.resolve("stuck.c");
        Files.writeString(src, """
                #include <linux/completion.h>
                int main(void)
                {
                    DECLARE_COMPLETION_ONSTACK(never);
                    wait_for_completion(&never);
                    return 0;
                }
                """);
        Path elf = tmp.resolve("stuck.elf");
        assertEquals(0, Main.execute("build", "-o", elf.toString(), src.toString()));
        assertEquals(7, Main.execute("run", "-q", elf.toString()));
    }
}
