package dev.hmemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.mm.FakeEngine;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.mm.SparseHostMemory;
import dev.hmemu.kernel.report.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The three sides of every hypercall agree: the C ABI (hcall.h), a Java handler registered
 * by the booted kernel, and a C stub in the guest runtime that makes the call; and the
 * boot-info block the kernel writes has the layout of the C struct.
 */
class HypercallWiringTest {
    private static final Path RUNTIME = Path.of("..", "images", "runtime");
    private static final Path HCALL_H = RUNTIME.resolve(Path.of("include", "hmemu", "hcall.h"));

    private static Kernel bootedKernel() {
        MachineConfig mc = MachineConfig.defaults().withCpus(2).withMemory(256L << 20);
        Machine machine = new Machine(mc, new SparseHostMemory(mc.memoryBytes()), (id, cb) -> new FakeEngine());
        return new Kernel(machine, ModelFixture.testImage(), KernelConfig.defaults(), new Console(null));
    }

    @Test
    void everyHypercallHasAJavaHandler() {
        assertEquals(EnumSet.allOf(Hypercall.class), bootedKernel().handled());
    }

    @Test
    void everyHypercallHasACStubInTheRuntime() throws IOException {
        String header = Files.readString(HCALL_H);
        int enumStart = header.indexOf("enum hm_hcall_nr");
        int enumEnd = header.indexOf("};", enumStart);
        StringBuilder runtime = new StringBuilder(header.substring(0, enumStart)).append(header.substring(enumEnd));
        try (Stream<Path> files = Files.walk(RUNTIME)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(c|h|S)$") && !p.equals(HCALL_H)).sorted()
                    .toList()) {
                runtime.append(Files.readString(f));
            }
        }
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\bHC_([A-Z0-9_]+)\\b").matcher(runtime);
        while (m.find()) {
            used.add(m.group(1));
        }
        Set<String> missing = Stream.of(Hypercall.values()).map(Enum::name).filter(n -> !used.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "hypercalls no runtime code makes");
    }

    @Test
    void bootInfoLayoutMatchesTheCStruct() throws IOException {
        String header = Files.readString(HCALL_H);
        int start = header.indexOf("struct hm_boot_info {");
        String body = header.substring(header.indexOf('{', start) + 1, header.indexOf("};", start));
        List<String> fields = new ArrayList<>();
        Matcher m = Pattern.compile("(unsigned int|void \\*|u32)\\s*(\\w+)\\s*;").matcher(body);
        while (m.find()) {
            fields.add(m.group(2));
        }
        int declared = body.split(";", -1).length - 1;
        assertEquals(declared, fields.size(), "every field is one 32-bit word: " + body);
        assertEquals(fields, Kernel.BOOT_INFO_FIELDS);
        assertEquals(Kernel.BOOT_MAGIC, define(header, "HM_BOOT_MAGIC"));
        assertEquals(Kernel.BOOT_FORCE_MAP, define(header, "HM_BOOT_FORCE_MAP"));
        assertEquals(Kernel.BOOT_DEBUG_KMAP_LOCAL, define(header, "HM_BOOT_DEBUG_KMAP_LOCAL"));
        assertEquals(Kernel.BOOT_PAE, define(header, "HM_BOOT_PAE"));
    }

    @Test
    void theBootedKernelWritesTheBlockTheGuestReads() {
        Kernel k = bootedKernel();
        assertTrue(k.bootInfoWord("magic") == Kernel.BOOT_MAGIC);
        assertEquals(2, k.bootInfoWord("nr_cpus"));
        assertEquals(0xC0000000L, k.bootInfoWord("page_offset"));
        assertEquals(k.layout().maxLowPfn(), k.bootInfoWord("max_low_pfn"));
        assertEquals(k.layout().maxPfn(), k.bootInfoWord("max_pfn"));
        assertEquals(Kernel.BOOT_PAE, k.bootInfoWord("flags"));
        assertEquals(KernelConfig.defaults().hz(), k.bootInfoWord("hz"));
    }

    private static long define(String header, String name) {
        Matcher m = Pattern.compile("#define " + name + "\\s+(0x[0-9a-fA-F]+|\\d+)").matcher(header);
        assertTrue(m.find(), name);
        return Long.decode(m.group(1));
    }
}
