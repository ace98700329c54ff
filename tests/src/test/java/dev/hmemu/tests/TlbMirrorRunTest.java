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
