package dev.hmemu.gdbstub;

import java.nio.charset.StandardCharsets;

/** One unit of what gdb sends, as {@link GdbFrameDecoder} frames it. */
public sealed interface GdbFrame {

    /** A {@code $payload#xx} packet with a good checksum; {@code payload} is unescaped. */
    record Packet(byte[] payload) implements GdbFrame {
        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && java.util.Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Packet[" + text() + "]";
        }
    }

    /** {@code +}: the last packet arrived. */
    record Ack() implements GdbFrame {
    }

    /** {@code -}: the last packet arrived damaged; send it again. */
    record Nack() implements GdbFrame {
    }

    /** The 0x03 byte between packets: gdb's Ctrl-C. */
    record Interrupt() implements GdbFrame {
    }

    /** A packet that cannot be used (bad checksum, too long, bad escape). */
    record Corrupt(String reason) implements GdbFrame {
    }
}
