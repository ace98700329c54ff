package dev.hmemu.gdbstub;

import dev.hmemu.emulator.debug.ControlRegisterValues;
import dev.hmemu.emulator.debug.StoppedMachine;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.emulator.engine.X86Segment;

/**
 * The register file of target.xml, by gdb register number: 0-9 general registers, eip
 * and eflags ({@link X86Reg#gdbIndex()}), 10-15 segments ({@link X86Segment#gdbIndex()}),
 * 16-31 x87, 32-40 SSE (not emulated state: reported as reset values), 41-45 cr0, cr2,
 * cr3, cr4 and efer from the MMU model.
 */
final class GdbRegisters {
    static final int COUNT = 46;
    private static final int FIRST_ST = 16;
    private static final int FCTRL = 24;
    private static final int FIRST_XMM = 32;
    private static final int MXCSR = 40;
    private static final int CR0 = 41;
    private static final int EFER = 45;
    private static final X86Reg[] GENERAL = new X86Reg[10];
    private static final X86Segment[] SEGMENTS = new X86Segment[16];

    static {
        for (X86Reg r : X86Reg.values()) {
            GENERAL[r.gdbIndex()] = r;
        }
        for (X86Segment s : X86Segment.values()) {
            SEGMENTS[s.gdbIndex()] = s;
        }
    }

    private GdbRegisters() {
    }

    /** Size in bytes of register {@code n}, or 0 if there is none. */
    static int size(int n) {
        if (n < 0 || n >= COUNT) {
            return 0;
        }
        if (n >= FIRST_ST && n < FCTRL) {
            return 10;
        }
        if (n >= FIRST_XMM && n < MXCSR) {
            return 16;
        }
        return n == EFER ? 8 : 4;
    }

    /** Appends register {@code n} of {@code cpu} in target byte order. */
    static void append(StringBuilder b, StoppedMachine m, int cpu, int n, ControlRegisterValues cr) {
        long v;
        if (n < 10) {
            v = m.register(cpu, GENERAL[n]) & 0xffffffffL;
        } else if (n < FIRST_ST) {
            v = m.segment(cpu, SEGMENTS[n]) & 0xffffffffL;
        } else if (n == FCTRL) {
            v = 0x37f; // x87 state is not emulated: the FNINIT value
        } else if (n == MXCSR) {
            v = 0x1f80;
        } else if (n >= CR0) {
            v = switch (n) {
                case CR0 -> cr.cr0();
                case CR0 + 1 -> cr.cr2();
                case CR0 + 2 -> cr.cr3();
                case CR0 + 3 -> cr.cr4();
                default -> cr.efer();
            };
        } else {
            v = 0;
        }
        int size = size(n);
        HexCodec.appendLittleEndian(b, v, Math.min(size, 8));
        for (int i = 8; i < size; i++) {
            b.append("00");
        }
    }

    /** Registers a stop reply carries (gdb numbers): eax..edi, eip, eflags. */
    static final int EXPEDITED = 10;

    /** Appends {@code nn:value;} for each expedited register of {@code cpu}, for a T stop reply. */
    static void appendExpedited(StringBuilder b, StoppedMachine m, int cpu) {
        for (int n = 0; n < EXPEDITED; n++) {
            HexCodec.appendLittleEndian(b, n, 1);
            b.append(':');
            append(b, m, cpu, n, null);
            b.append(';');
        }
    }

    /** The whole file, for {@code g}. */
    static String all(StoppedMachine m, int cpu) {
        ControlRegisterValues cr = m.controlRegisters(cpu);
        StringBuilder b = new StringBuilder(700);
        for (int n = 0; n < COUNT; n++) {
            append(b, m, cpu, n, cr);
        }
        return b.toString();
    }

    static String one(StoppedMachine m, int cpu, int n) {
        StringBuilder b = new StringBuilder(32);
        append(b, m, cpu, n, m.controlRegisters(cpu));
        return b.toString();
    }

    /** Writes register {@code n} if it is one the guest can change (general, eip, eflags). */
    static boolean write(StoppedMachine m, int cpu, int n, byte[] data, int off) {
        if (n < 10 && data.length - off >= 4) {
            m.setRegister(cpu, GENERAL[n], (int) HexCodec.littleEndian(data, off, 4));
            return true;
        }
        return false;
    }

    /** Byte offset of register {@code n} in the {@code g} packet's data. */
    static int offset(int n) {
        int o = 0;
        for (int i = 0; i < n; i++) {
            o += size(i);
        }
        return o;
    }
}
