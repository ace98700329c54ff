package dev.hmemu.gdbstub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Frames gdb's byte stream: {@code +}, {@code -}, the 0x03 interrupt byte, and
 * {@code $payload#xx} packets (checksum checked, {@code }}-escapes undone). Anything else
 * between packets is noise and skipped. A state machine over single bytes, so a packet
 * may arrive split anywhere; bad input becomes a {@link GdbFrame.Corrupt} frame, never an
 * exception, and never more than {@code maxPacket} bytes are held.
 */
public final class GdbFrameDecoder extends ByteToMessageDecoder {
    private enum State { IDLE, PAYLOAD, ESCAPE, CHECKSUM1, CHECKSUM2, SKIP_TO_END, SKIP_SUM }

    private final int maxPacket;
    private State state = State.IDLE;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int sum;
    private int given;
    private int skipped;
    private String skipReason;

    /** @param maxPacket the longest payload accepted (escaped bytes counted once) */
    public GdbFrameDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int b = in.readByte() & 0xff;
            GdbFrame f = step(b);
            if (f != null) {
                out.add(f);
            }
        }
    }

    private GdbFrame step(int b) {
        switch (state) {
            case IDLE:
                return idle(b);
            case PAYLOAD:
                if (b == '#') {
                    state = State.CHECKSUM1;
                    return null;
                }
                if (b == '$') { // a new packet starts: the old one was cut
                    startPacket();
                    return new GdbFrame.Corrupt("packet cut by '$'");
                }
                sum += b;
                if (b == '}') {
                    state = State.ESCAPE;
                    return null;
                }
                return append(b);
            case ESCAPE:
                if (b == '#') {
                    return skip("escape before '#'", State.SKIP_SUM);
                }
                if (b == '$') {
                    startPacket();
                    return new GdbFrame.Corrupt("escape before '$'");
                }
                sum += b;
                state = State.PAYLOAD;
                return append(b ^ 0x20);
            case CHECKSUM1:
                given = hexValue(b) << 4;
                state = State.CHECKSUM2;
                return null;
            case CHECKSUM2:
                given |= hexValue(b);
                state = State.IDLE;
                if (given < 0 || given != (sum & 0xff)) {
                    return new GdbFrame.Corrupt(given < 0 ? "checksum is not hex" : "checksum mismatch");
                }
                byte[] p = payload.toByteArray();
                payload.reset();
                return new GdbFrame.Packet(p);
            case SKIP_TO_END:
                if (b == '#') {
                    state = State.SKIP_SUM;
                    skipped = 0;
                } else if (b == '$') {
                    startPacket();
                    return new GdbFrame.Corrupt(skipReason);
                }
                return null;
            case SKIP_SUM: // the two checksum characters of a discarded packet
                if (++skipped >= 2) {
                    state = State.IDLE;
                    return new GdbFrame.Corrupt(skipReason);
                }
                return null;
            default:
                throw new IllegalStateException(state.toString());
        }
    }

    private GdbFrame idle(int b) {
        switch (b) {
            case '+':
                return new GdbFrame.Ack();
            case '-':
                return new GdbFrame.Nack();
            case 0x03:
                return new GdbFrame.Interrupt();
            case '$':
                startPacket();
                return null;
            default:
                return null; // noise between packets
        }
    }

    private void startPacket() {
        state = State.PAYLOAD;
        payload.reset();
        sum = 0;
    }

    private GdbFrame skip(String reason, State next) {
        payload.reset();
        skipReason = reason;
        skipped = 0;
        state = next;
        return null;
    }

    private GdbFrame append(int b) {
        if (payload.size() >= maxPacket) {
            return skip("packet longer than " + maxPacket + " bytes", State.SKIP_TO_END);
        }
        payload.write(b);
        return null;
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -0x1000;
    }
}
