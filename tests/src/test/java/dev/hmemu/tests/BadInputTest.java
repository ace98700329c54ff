package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Images;
import dev.hmemu.app.Main;
import dev.hmemu.app.RunResult;
import dev.hmemu.app.UsageException;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a clear message and a clean exit status: never a JVM crash or a hang. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static byte[] shipped(String name) throws IOException {
        try (InputStream in = Images.class.getClassLoader().getResourceAsStream(Images.RESOURCE_DIR + name + ".elf")) {
            return in.readAllBytes();
        }
    }

    @Test
    void truncatedElfIsRejectedWithAClearMessage() throws IOException {
        byte[] full = shipped("hello");
        Path cut = tmp.resolve("cut.elf");
        Files.write(cut, Arrays.copyOf(full, 200));
        UsageException e = assertThrows(UsageException.class, () -> Images.load(cut.toString()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(Main.EXIT_USAGE, Main.execute("run", cut.toString()));
    }

    @Test
    void nonI386ElfIsRejectedWithAClearMessage() throws IOException {
        byte[] elf = shipped("hello");
        elf[18] = 62; // e_machine = EM_X86_64
        Path p = tmp.resolve("amd64.elf");
        Files.write(p, elf);
        UsageException e = assertThrows(UsageException.class, () -> Images.load(p.toString()));
        assertTrue(e.getMessage().contains("EM_386"), e.getMessage());
        Path host = Path.of("/bin/true");
        UsageException e2 = assertThrows(UsageException.class, () -> Images.load(host.toString()));
        assertTrue(e2.getMessage().contains("32-bit"), e2.getMessage());
    }

    @Test
    void missingImageIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, Main.execute("run", tmp.resolve("nope.elf").toString()));
    }

    @Test
    void jumpToUnmappedAddressOopsWithTheFaultingAddress() {
        RunResult r = Guests.run("jump_unmapped", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        StopReason.Oops o = assertInstanceOf(StopReason.Oops.class, r.stop());
        assertTrue(o.report().contains("BUG: unable to handle page fault for address: 10000000"), o.report());
        assertTrue(o.report().contains("#PF: supervisor instruction fetch in kernel mode"), o.report());
    }

    @Test
    void writeToReadOnlyPageOopsWithAProtectionFault() {
        RunResult r = Guests.run("write_rodata", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        StopReason.Oops o = assertInstanceOf(StopReason.Oops.class, r.stop());
        assertTrue(o.report().contains("#PF: supervisor write access in kernel mode"), o.report());
        assertTrue(o.report().contains("error_code(0x0003) - permissions violation"), o.report());
    }

    @Test
    void guestThatNeverStopsIsStoppedByTheInstructionLimit() {
        RunResult r = Guests.run("spin_forever", Guests.machine(1), KernelConfig.defaults(),
                new RunLimits(5_000_000, 0, 60_000));
        assertEquals(5, r.exitStatus(), Guests.why(r));
        assertEquals("instructions", assertInstanceOf(StopReason.LimitReached.class, r.stop()).limit());
    }

    @Test
    void guestThatNeverStopsIsStoppedByTheWallClock() {
        assertEquals(5, Main.execute("run", "spin_forever", "--quiet", "--max-instructions", "0", "--timeout", "1"));
    }
}
