package dev.hmemu.kernel.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.emulator.CycleCosts;
import dev.hmemu.kernel.hcall.Hypercall;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The kernel model's cost record: every kernel.* figure from the properties file, nothing else accepted. */
class KernelCostsTest {

    private static KernelCosts from(Map<String, Long> v) {
        return KernelCosts.from(CycleCosts.of(v), Hypercall.linuxNames());
    }

    @Test
    void theShippedFiguresAreReadIntoTheRecord() {
        CycleCosts costs = CycleCosts.defaults();
        KernelCosts k = KernelCosts.from(costs, Hypercall.linuxNames());
        assertEquals(costs.get("kernel.spin"), k.spin());
        assertEquals(costs.get("kernel.context_switch"), k.contextSwitch());
        assertEquals(costs.get("kernel.call.kmap"), k.call("kmap"));
        assertEquals(costs.get("kernel.call.default"), k.call("kmap_to_page"), "a call with no figure of its own");
    }

    @Test
    void aMissingFigureIsAnErrorAtStartUp() {
        Map<String, Long> v = new TreeMap<>(CycleCosts.defaults().asMap());
        v.remove("kernel.softirq");
        var e = assertThrows(IllegalArgumentException.class, () -> from(v));
        assertTrue(e.getMessage().contains("'kernel.softirq' is missing"), e.getMessage());
    }

    @Test
    void anUnknownKernelKeyIsAnErrorAtStartUp() {
        Map<String, Long> v = new TreeMap<>(CycleCosts.defaults().asMap());
        v.put("kernel.spinn", 100L);
        v.put("kernel.call.no_such_call", 5L);
        var e = assertThrows(IllegalArgumentException.class, () -> from(v));
        assertTrue(e.getMessage().contains("kernel.spinn") && e.getMessage().contains("kernel.call.no_such_call"),
                e.getMessage());
    }

    @Test
    void everyKernelKeyOfTheShippedFileIsRead() {
        long kernelKeys = CycleCosts.defaults().asMap().keySet().stream().filter(k -> k.startsWith("kernel.")).count();
        KernelCosts k = KernelCosts.from(CycleCosts.defaults(), Hypercall.linuxNames());
        assertEquals(kernelKeys, KernelCosts.FIGURES.size() + 1 + k.calls().size());
    }
}
