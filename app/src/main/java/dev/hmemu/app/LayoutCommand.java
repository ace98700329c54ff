package dev.hmemu.app;

import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.kernel.layout.Layout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hmemu layout}: the kernel virtual address layout for the given options. */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Print the kernel address layout (lowmem, vmalloc, pkmap, fixmap kmap_local slots).")
public final class LayoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cpus", description = "CPUs (NR_CPUS for the fixmap), 1..16 (default: ${DEFAULT-VALUE}).")
    int cpus = MachineConfig.defaults().cpus();

    @Mixin
    MachineOptions options = new MachineOptions();

    @Override
    public Integer call() {
        MachineConfig mc = options.machineConfig(cpus);
        Layout l = Layout.compute(options.kernelConfig(), mc.memoryBytes(), mc.cpus(), mc.paging());
        for (String line : l.describe()) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }
}
