package dev.hmemu.gdbstub;

/** The protocol's hex encoding of bytes and little-endian register values. */
final class HexCodec {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private HexCodec() {
    }

    static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new NumberFormatException("odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new NumberFormatException("not hex: " + hex.substring(2 * i, 2 * i + 2));
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    static void append(StringBuilder b, byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            b.append(DIGITS[(data[i] >> 4) & 0xf]).append(DIGITS[data[i] & 0xf]);
        }
    }

    static String encode(byte[] data) {
        StringBuilder b = new StringBuilder(data.length * 2);
        append(b, data, 0, data.length);
        return b.toString();
    }

    /** {@code bytes} bytes of {@code value}, little-endian. */
    static void appendLittleEndian(StringBuilder b, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            int v = (int) (value >>> (8 * i)) & 0xff;
            b.append(DIGITS[v >> 4]).append(DIGITS[v & 0xf]);
        }
    }

    static long littleEndian(byte[] data, int off, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = v << 8 | (data[off + i] & 0xff);
        }
        return v;
    }
}
