package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.X86Reg;
import java.util.Arrays;

/** Saved general registers of a task, indexed by {@link X86Reg}. */
public final class RegisterContext {
    private final int[] values;

    RegisterContext(int[] values) {
        this.values = values.clone();
    }

    /** A fresh context: all zero but EIP, ESP and EFLAGS (IF set). */
    public static RegisterContext initial(long eip, long esp) {
        int[] v = new int[X86Reg.values().length];
        v[X86Reg.EIP.ordinal()] = (int) eip;
        v[X86Reg.ESP.ordinal()] = (int) esp;
        v[X86Reg.EFLAGS.ordinal()] = 0x202;
        return new RegisterContext(v);
    }

    public int get(X86Reg r) {
        return values[r.ordinal()];
    }

    public RegisterContext with(X86Reg r, int value) {
        int[] v = values.clone();
        v[r.ordinal()] = value;
        return new RegisterContext(v);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (X86Reg r : X86Reg.values()) {
            b.append(String.format("%s=%08x ", r, values[r.ordinal()]));
        }
        return b.toString().trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterContext c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
