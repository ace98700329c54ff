package dev.hmemu.emulator.symbols;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * A frame-pointer back-trace, as Linux's frame-pointer unwinder does on x86-32 with
 * CONFIG_FRAME_POINTER: each frame is {@code [ebp] = caller's ebp, [ebp+4] = return
 * address}. The walk reads guest memory through a {@link StackReader} only (no TLB or A/D
 * change) and stops at a zero or misaligned frame pointer, a frame that does not move up
 * the stack, one more than {@link #MAX_STACK} above the first, an unreadable word, a
 * return address outside every function, or after {@link #MAX_FRAMES} frames. Code built
 * without {@code -fno-omit-frame-pointer} gives a short or empty trace, never a wrong
 * long one.
 */
public final class FrameWalker {
    public static final int MAX_FRAMES = 32;
    /** Larger than any hmemu task stack. */
    public static final long MAX_STACK = 64 * 1024;

    private final LongPredicate isText;

    /** @param isText whether an address is inside a function (a plausible return address) */
    public FrameWalker(LongPredicate isText) {
        this.isText = isText;
    }

    /**
     * The return addresses above the current frame, innermost first (the current EIP is not
     * included).
     *
     * @param esp the stack pointer (lower bound of the first frame)
     * @param ebp the frame pointer
     */
    public long[] walk(StackReader mem, long esp, long ebp) {
        long[] out = new long[MAX_FRAMES];
        int n = 0;
        long bottom = esp & 0xffffffffL;
        long fp = ebp & 0xffffffffL;
        long prev = bottom;
        while (n < MAX_FRAMES) {
            if (fp == 0 || (fp & 3) != 0 || fp < prev || fp - bottom > MAX_STACK) {
                break;
            }
            OptionalLong next = mem.readU32(fp);
            OptionalLong ret = mem.readU32(fp + 4);
            if (next.isEmpty() || ret.isEmpty() || !isText.test(ret.getAsLong())) {
                break;
            }
            out[n++] = ret.getAsLong();
            prev = fp + 8;
            fp = next.getAsLong();
        }
        return Arrays.copyOf(out, n);
    }
}
