package dev.hmemu.emulator.engine;

/**
 * The i386 segment registers, with Unicorn's id ({@code UC_X86_REG_*}) and the register
 * number in GDB's i386 target description. Read by the debugger only: hmemu's guests run
 * flat, so task switches never save them.
 */
public enum X86Segment {
    CS(11, 10), SS(49, 11), DS(17, 12), ES(28, 13), FS(32, 14), GS(33, 15);

    private final int unicornId;
    private final int gdbIndex;

    X86Segment(int unicornId, int gdbIndex) {
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
