package dev.hmemu.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.hmemu.emulator.symbols.FrameWalker;
import dev.hmemu.emulator.symbols.StackReader;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Frame-pointer walks over a synthetic stack. */
class FrameWalkerTest {
    private static final long TEXT = 0xC0100000L;
    private final Map<Long, Long> words = new HashMap<>();
    private final StackReader mem = va -> words.containsKey(va) ? OptionalLong.of(words.get(va)) : OptionalLong.empty();
    private final FrameWalker walker = new FrameWalker(a -> a >= TEXT && a < TEXT + 0x1000);

    private void frame(long fp, long callerFp, long ret) {
        words.put(fp, callerFp);
        words.put(fp + 4, ret);
    }

    @Test
    void followsTheChainToAZeroFramePointer() {
        frame(0xC2000F00L, 0xC2000F40L, TEXT + 0x10);
        frame(0xC2000F40L, 0xC2000F80L, TEXT + 0x20);
        frame(0xC2000F80L, 0, TEXT + 0x30);
        assertArrayEquals(new long[] {TEXT + 0x10, TEXT + 0x20, TEXT + 0x30},
                walker.walk(mem, 0xC2000EF0L, 0xC2000F00L));
    }

    @Test
    void stopsAtAFrameThatDoesNotMoveUpOrAReturnAddressOutsideText() {
        frame(0xC2000F00L, 0xC2000E00L, TEXT + 0x10); // points down the stack
        frame(0xC2000E00L, 0, TEXT + 0x20);
        assertArrayEquals(new long[] {TEXT + 0x10}, walker.walk(mem, 0xC2000EF0L, 0xC2000F00L));
        words.clear();
        frame(0xC2000F00L, 0xC2000F40L, 0x1234);
        assertArrayEquals(new long[0], walker.walk(mem, 0xC2000EF0L, 0xC2000F00L));
    }

    @Test
    void garbageFramePointersGiveNothing() {
        assertArrayEquals(new long[0], walker.walk(mem, 0xC2000EF0L, 0xC2000F02L)); // misaligned
        assertArrayEquals(new long[0], walker.walk(mem, 0xC2000EF0L, 0xC2000E00L)); // below ESP
        assertArrayEquals(new long[0], walker.walk(mem, 0xC2000EF0L, 0xC3000000L)); // unreadable / too far
        assertArrayEquals(new long[0], walker.walk(mem, 0xC2000EF0L, 0));
    }

    @Test
    void aLoopIsCutAtTheFrameLimit() {
        frame(0xC2000F00L, 0xC2000F00L, TEXT + 0x10); // points to itself: fp == prev fails after one
        long[] t = walker.walk(mem, 0xC2000EF0L, 0xC2000F00L);
        assertArrayEquals(new long[] {TEXT + 0x10}, t);
    }
}
