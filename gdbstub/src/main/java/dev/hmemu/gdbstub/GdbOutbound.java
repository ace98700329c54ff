package dev.hmemu.gdbstub;

import java.nio.charset.StandardCharsets;

/** What the stub sends: {@link GdbPacketEncoder} turns it into bytes. */
public sealed interface GdbOutbound {

    /** {@code +} */
    record Ack() implements GdbOutbound {
    }

    /** {@code -} */
    record Nack() implements GdbOutbound {
    }

    /**
     * A reply packet; the encoder escapes and run-length encodes {@code payload} and adds
     * the {@code $...#xx} framing.
     */
    record Reply(byte[] payload) implements GdbOutbound {
        public static Reply of(String text) {
            return new Reply(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reply r && java.util.Arrays.equals(payload, r.payload);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Reply[" + text() + "]";
        }
    }
}
