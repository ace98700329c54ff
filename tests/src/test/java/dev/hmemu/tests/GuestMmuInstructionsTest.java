package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.RunResult;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.kernel.base.KernelConfig;
import org.junit.jupiter.api.Test;

/**
 * The guest's own MMU instructions reach the model exactly at the instruction, rdtsc is
 * the modelled clock, and code stays coherent across CPUs and host writes.
 */
class GuestMmuInstructionsTest {

    @Test
    void invlpgCr3ReloadAndPgeToggleDropWhatHardwareDrops() {
        RunResult r = Guests.run("mmu_insns", 1);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains("mmu_insns: retargeted, no invlpg (stale TLB): 58585858 (ok)"), r.console());
        assertTrue(r.console().contains("mmu_insns: after invlpg: 59595959 (ok)"), r.console());
        assertTrue(r.console().contains("mmu_insns: user after CR3 reload: 59595959 (ok)"), r.console());
        assertTrue(r.console().contains("mmu_insns: kernel (global) after CR3 reload: 58585858 (ok)"), r.console());
        assertTrue(r.console().contains("mmu_insns: kernel after CR4.PGE toggle: 59595959 (ok)"), r.console());
        assertTrue(r.console().contains("mmu_insns: cr0 PG=1 cr4 PAE=1 PGE=1 cr3 set"), r.console());
    }

    @Test
    void clearingCr0PgStopsTheRunWithAReport() {
        RunResult r = Guests.run("cr_unsupported", 1);
        assertEquals(4, r.exitStatus(), Guests.why(r));
        StopReason.MachineError e = assertInstanceOf(StopReason.MachineError.class, r.stop());
        assertTrue(e.message().startsWith("CPU0: unsupported paging-mode change at EIP c01"), e.message());
        assertTrue(e.message().contains("to CR0 clears CR0.PG (CR0 was 0x80050033)"), e.message());
        assertTrue(!r.console().contains("not reached"), r.console());
    }

    @Test
    void rdtscIsTheModelledClockAndTheSameEveryRunAndQuantum() {
        String first = null;
        for (long quantum : new long[] {20_000, 20_000, 13, 777}) {
            RunResult r = Guests.run("rdtsc_clock", MachineConfig.defaults().withCpus(2).withQuantum(quantum),
                    KernelConfig.defaults(), new RunLimits(100_000_000L, 0, 60_000));
            assertEquals(0, r.exitStatus(), Guests.why(r));
            String line = r.console().lines().filter(l -> l.startsWith("rdtsc_clock: t0=")).findFirst().orElseThrow();
            if (first == null) {
                first = line;
            }
            assertEquals(first, line, "quantum " + quantum);
        }
    }

    @Test
    void codePatchedByAnotherCpuAndByCopyToUserRunsTheNewInstructions() {
        RunResult r = Guests.run("xmodify", 2);
        assertEquals(0, r.exitStatus(), Guests.why(r));
        assertTrue(r.console().contains("xmodify: CPU1 ran 1, then 2 after the patch"), r.console());
        assertTrue(r.console().contains("xmodify: copy_to_user code ran 3, then 4"), r.console());
    }
}
