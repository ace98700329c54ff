package dev.hmemu.gdbstub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Owns the wire format of what the stub sends: {@code +}/{@code -}, and replies framed as
 * {@code $payload#xx} with {@code $ # } *} escaped as {@code }} + (byte ^ 0x20) and runs
 * of 4 or more equal bytes run-length encoded ({@code x*n}, count + 29, never a count
 * character that would read as {@code $}, {@code #}, {@code +} or {@code -}).
 */
public final class GdbPacketEncoder extends MessageToByteEncoder<GdbOutbound> {

    @Override
    protected void encode(ChannelHandlerContext ctx, GdbOutbound msg, ByteBuf out) {
        if (msg instanceof GdbOutbound.Ack) {
            out.writeByte('+');
        } else if (msg instanceof GdbOutbound.Nack) {
            out.writeByte('-');
        } else if (msg instanceof GdbOutbound.Reply r) {
            frame(r.payload(), out);
        }
    }

    /** Writes one framed packet. */
    static void frame(byte[] payload, ByteBuf out) {
        out.ensureWritable(payload.length + payload.length / 8 + 8);
        out.writeByte('$');
        int sum = 0;
        int i = 0;
        while (i < payload.length) {
            int b = payload[i] & 0xff;
            int run = 1;
            boolean escaped = b == '$' || b == '#' || b == '}' || b == '*';
            while (!escaped && i + run < payload.length && payload[i + run] == payload[i] && run < 98) {
                run++;
            }
            sum += put(b, out);
            int extra = run - 1;
            if (extra >= 3) {
                int n = extra;
                while (n == 6 || n == 7 || n == 14 || n == 16) { // '#', '$', '+', '-' as counts
                    n--;
                }
                out.writeByte('*');
                out.writeByte(n + 29);
                sum += '*' + n + 29;
                i += 1 + n;
            } else {
                i++;
            }
        }
        out.writeByte('#');
        out.writeByte(Character.forDigit((sum >> 4) & 0xf, 16));
        out.writeByte(Character.forDigit(sum & 0xf, 16));
    }

    /** One payload byte, escaped if needed; returns its checksum contribution. */
    private static int put(int b, ByteBuf out) {
        if (b == '$' || b == '#' || b == '}' || b == '*') {
            out.writeByte('}');
            out.writeByte(b ^ 0x20);
            return '}' + (b ^ 0x20);
        }
        out.writeByte(b);
        return b;
    }
}
