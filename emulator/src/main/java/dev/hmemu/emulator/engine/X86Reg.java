package dev.hmemu.emulator.engine;

/**
 * The i386 registers hmemu reads and writes, with Unicorn's id ({@code UC_X86_REG_*})
 * and the register number in GDB's i386 target description.
 */
public enum X86Reg {
    EAX(19, 0), ECX(22, 1), EDX(24, 2), EBX(21, 3), ESP(30, 4), EBP(20, 5), ESI(29, 6),
    EDI(23, 7), EIP(26, 8), EFLAGS(25, 9);

    private final int unicornId;
    private final int gdbIndex;

    X86Reg(int unicornId, int gdbIndex) {
        this.unicornId = unicornId;
        this.gdbIndex = gdbIndex;
    }

    public int unicornId() {
        return unicornId;
    }

    public int gdbIndex() {
        return gdbIndex;
    }
}
