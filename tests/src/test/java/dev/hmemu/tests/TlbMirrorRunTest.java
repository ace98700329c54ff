package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Images;
import dev.hmemu.app.RunResult;
import dev.hmemu.app.Session;
import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.report.Finding;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The native mirror of the model's TLB answers engine refills in C: the run must be the
 * same as with every fill answered in Java (misses, walks, evictions, cycles, console),
 * and the mirror must actually have answered refills.
 */
class TlbMirrorRunTest {
    private record Outcome(RunResult result, long mirrored) {
    }

    private static Outcome run(String image, int cpus, Function<MachineConfig, Machine> machines) {
        Machine[] made = new Machine[1];
        RunResult r = Session.run(Images.load(image), Guests.machine(cpus), KernelConfig.defaults(),
                new RunLimits(500_000_000L, 0, 300_000), null, cfg -> made[0] = machines.apply(cfg));
        long mirrored = 0;
        for (Cpu c : made[0].cpus()) {
            mirrored += c.mirroredTlbHits();
        }
        return new Outcome(r, mirrored);
    }

    /**
     * A kmap_local slot entry that may be stale is taken out of the mirror when the slot's
     * PTE is written, so the model sees its next use: the findings are the same whether the
     * mirror answers refills or not.
     */
    @Test
    void staleAndCrossContextUsesAreFoundWithTheMirrorToo() {
        record Case(String image, int cpus, Finding.Kind kind) {
        }
        for (Case c : List.of(new Case("diag_stale_tlb", 1, Finding.Kind.STALE_TLB_ACCESS),
                new Case("diag_cross_context", 2, Finding.Kind.LOCAL_MAPPING_CROSS_CONTEXT))) {
            Outcome with = run(c.image(), c.cpus(), Machine::create);
            Outcome without = run(c.image(), c.cpus(), Machine::createWithoutTlbMirror);
            assertTrue(with.result().findings().stream().anyMatch(f -> f.kind() == c.kind()), Guests.why(with.result()));
            assertEquals(without.result().findings(), with.result().findings(), c.image());
            assertEquals(Guests.deterministicTlb(without.result().end()), Guests.deterministicTlb(with.result().end()));
            assertTrue(with.mirrored() > 0, "refills answered in C: " + with.mirrored());
        }
    }

    @Test
    void kmapVsLocalIsTheSameWithAndWithoutTheMirror() {
        for (int cpus : new int[] {1, 2}) {
            Outcome with = run("kmap_vs_local", cpus, Machine::create);
            Outcome without = run("kmap_vs_local", cpus, Machine::createWithoutTlbMirror);
            assertEquals(0, with.result().exitStatus(), Guests.why(with.result()));
            assertEquals(Guests.deterministicTlb(without.result().end()), Guests.deterministicTlb(with.result().end()));
            assertEquals(java.util.Arrays.toString(without.result().end().cycles()),
                    java.util.Arrays.toString(with.result().end().cycles()));
            assertEquals(java.util.Arrays.toString(without.result().end().instructions()),
                    java.util.Arrays.toString(with.result().end().instructions()));
            assertEquals(without.result().console(), with.result().console());
            assertTrue(with.mirrored() > 1000, "refills answered in C: " + with.mirrored());
            assertEquals(0, without.mirrored());
        }
    }
}
