package dev.hmemu.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The emulator's cost record: every figure from the properties file, nothing else accepted. */
class CycleModelTest {

    @Test
    void theShippedFiguresAreReadIntoTheRecord() {
        CycleCosts costs = CycleCosts.defaults();
        CycleModel m = CycleModel.from(costs);
        assertEquals(costs.get("walk.data"), m.walkData());
        assertEquals(costs.get("ipi.receive"), m.ipiReceive());
        assertEquals(costs.get("cpi.milli") * 3, m.instructionCycles(3000));
    }

    @Test
    void aMissingFigureIsAnErrorAtStartUp() {
        Map<String, Long> v = new TreeMap<>(CycleCosts.defaults().asMap());
        v.remove("invlpg");
        var e = assertThrows(IllegalArgumentException.class, () -> CycleModel.from(CycleCosts.of(v)));
        assertTrue(e.getMessage().contains("'invlpg' is missing"), e.getMessage());
    }

    @Test
    void aKeyNothingReadsIsAnErrorAtStartUp() {
        Map<String, Long> v = new TreeMap<>(CycleCosts.defaults().asMap());
        v.put("walk.dta", 45L);
        var e = assertThrows(IllegalArgumentException.class, () -> CycleModel.from(CycleCosts.of(v)));
        assertTrue(e.getMessage().contains("walk.dta"), e.getMessage());
    }

    @Test
    void kernelKeysAreLeftToTheKernelModel() {
        Map<String, Long> v = new TreeMap<>(CycleCosts.defaults().asMap());
        v.put("kernel.anything", 1L);
        assertEquals(CycleModel.from(CycleCosts.defaults()), CycleModel.from(CycleCosts.of(v)));
    }
}
