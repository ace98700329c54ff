package dev.hmemu.emulator;

import dev.hmemu.emulator.bench.BareGuest;
import java.util.ArrayList;
import java.util.List;

/** A {@link BareGuest} that records faults, hypercalls and slices for assertions. */
class TinyGuest extends BareGuest {
    final List<PageFault> faults = new ArrayList<>();
    final List<Long> hypercalls = new ArrayList<>();
    int slices;

    TinyGuest(byte[] code) {
        super(code);
    }

    @Override
    public boolean hypercall(Cpu cpu, long argBlock) {
        hypercalls.add(argBlock);
        return super.hypercall(cpu, argBlock);
    }

    @Override
    public FaultAction pageFault(Cpu cpu, PageFault fault) {
        faults.add(fault);
        return super.pageFault(cpu, fault);
    }

    @Override
    public void sliceEnded(Cpu cpu, dev.hmemu.emulator.engine.EngineExit exit) {
        slices++;
        super.sliceEnded(cpu, exit);
    }
}
