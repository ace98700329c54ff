package dev.hmemu.emulator.symbols;

import java.nio.charset.StandardCharsets;

/**
 * A little-endian reader over a DWARF section. Reading past the end throws
 * {@link DwarfFormatException}, so a truncated section ends its parse cleanly.
 */
final class ByteCursor {
    private final byte[] data;
    private int pos;

    ByteCursor(byte[] data, int pos) {
        this.data = data;
        this.pos = pos;
    }

    int pos() {
        return pos;
    }

    void seek(long to) {
        if (to < 0 || to > data.length) {
            throw new DwarfFormatException("offset " + to + " outside a section of " + data.length + " bytes");
        }
        pos = (int) to;
    }

    void skip(long n) {
        seek(pos + n);
    }

    int size() {
        return data.length;
    }

    boolean atEnd() {
        return pos >= data.length;
    }

    int u8() {
        need(1);
        return data[pos++] & 0xff;
    }

    int s8() {
        need(1);
        return data[pos++];
    }

    int u16() {
        return u8() | (u8() << 8);
    }

    long u32() {
        return (u16() | ((long) u16() << 16)) & 0xffffffffL;
    }

    long u64() {
        return u32() | (u32() << 32);
    }

    /** An unsigned value of {@code n} bytes (1, 2, 3, 4 or 8). */
    long unsigned(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    long uleb() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    long sleb() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    String cstring() {
        int end = pos;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        if (end >= data.length) {
            throw new DwarfFormatException("unterminated string at " + pos);
        }
        String s = new String(data, pos, end - pos, StandardCharsets.UTF_8);
        pos = end + 1;
        return s;
    }

    /** The NUL-terminated string at {@code off} in this section (a .debug_str/.debug_line_str lookup). */
    String stringAt(long off) {
        int save = pos;
        seek(off);
        String s = cstring();
        pos = save;
        return s;
    }

    private void need(int n) {
        if (pos + n > data.length) {
            throw new DwarfFormatException("truncated at " + pos);
        }
    }
}
