package dev.hmemu.app;

import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.debug.DebugController;
import dev.hmemu.emulator.debug.KernelDebugViews;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.gdbstub.GdbServer;
import dev.hmemu.kernel.base.KernelConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** {@code run --gdb [PORT]}, {@code --gdb-host}, {@code --gdb-nowait}: the run under the gdb stub. */
public final class GdbOptions {
    @Option(names = "--gdb", arity = "0..1", paramLabel = "PORT", fallbackValue = "0",
            description = "Serve the gdb remote protocol on PORT (no PORT: a free one) and wait for gdb before the"
                    + " first instruction.")
    Integer port;

    @Option(names = "--gdb-host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address the gdb stub listens on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--gdb-nowait", description = "With --gdb: start at once; gdb may connect later.")
    boolean noWait;

    boolean enabled() {
        return port != null;
    }

    RunResult run(ElfImage elf, MachineConfig mc, KernelConfig kc, RunLimits limits, PrintStream console,
                  PrintWriter out) {
        if (port < 0 || port > 65535) {
            throw new UsageException("--gdb: port must be 0..65535, got " + port);
        }
        DebugController debug = new DebugController(!noWait, KernelDebugViews.NONE);
        try (GdbServer server = new GdbServer(debug, mc.cpus())) {
            InetSocketAddress at;
            try {
                at = server.start(host, port);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("--gdb: interrupted while binding", e);
            } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
                throw new UsageException("--gdb: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            out.printf(noWait ? "hmemu: gdb can connect on %s:%d%n" : "hmemu: waiting for gdb on %s:%d%n",
                    at.getAddress().getHostAddress(), at.getPort());
            out.flush();
            return Session.run(elf, mc, kc, limits, console, debug);
        }
    }
}
