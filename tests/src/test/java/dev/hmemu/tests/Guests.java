package dev.hmemu.tests;

import dev.hmemu.app.Images;
import dev.hmemu.app.RunResult;
import dev.hmemu.app.Session;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.Snapshot;

/** Runs shipped guest images (built from images/src/*.c) on real Unicorn. */
final class Guests {
    private Guests() {
    }

    static MachineConfig machine(int cpus) {
        return MachineConfig.defaults().withCpus(cpus);
    }

    static RunResult run(String image, int cpus) {
        return run(image, machine(cpus), KernelConfig.defaults(), new RunLimits(500_000_000L, 0, 120_000));
    }

    static RunResult run(String image, MachineConfig mc, KernelConfig kc, RunLimits limits) {
        return Session.run(Images.load(image), mc, kc, limits, null);
    }

    /** A short diagnostic for assertion messages. */
    static String why(RunResult r) {
        String console = r.console();
        if (console.length() > 4000) {
            console = console.substring(console.length() - 4000);
        }
        return "stop=" + r.stop() + " exit=" + r.exitStatus() + " findings=" + r.findings() + "\n" + console;
    }

    /** The TLB figures that depend only on the guest: everything but hits (engine refills). */
    static String deterministicTlb(Snapshot s) {
        StringBuilder b = new StringBuilder();
        for (var t : s.tlb()) {
            b.append(java.util.List.of(t.misses(), t.walks(), t.evictions(), t.invlpgFlushes(), t.nonGlobalFlushes(),
                    t.fullFlushes(), t.entriesInvalidated())).append(' ');
        }
        return b.toString();
    }

    static long ipis(Snapshot s) {
        return Snapshot.sum(s.ipisSent());
    }

    static long total(Snapshot s, Counter c) {
        return s.total(c);
    }
}
