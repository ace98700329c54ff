package dev.hmemu.gdbstub;

import dev.hmemu.emulator.debug.StopEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the stub's codec over the packets gdb sends first, once, on a throw-away
 * {@link EmbeddedChannel}, while the server waits for gdb: the classes are loaded and
 * their code has run before gdb's first packet, which otherwise waits for all of that
 * (over a second on a busy machine). Touches no machine.
 */
final class CodecWarmUp {
    private static final List<String> PACKETS = List.of("qSupported:multiprocess+;swbreak+;hwbreak+",
            "vMustReplyEmpty", "QStartNoAckMode", "Hg0", "qXfer:features:read:target.xml:0,1000", "qTStatus", "?",
            "qfThreadInfo", "qsThreadInfo", "qAttached", "Hc-1", "qOffsets", "g", "p8", "mc0100000,40",
            "vCont;s:1;c", "vCont;c", "Z0,c0100000,1", "z0,c0100000,1", "qThreadExtraInfo,1", "qRcmd,68656c70",
            "Xc0100000,1:\u0090", "D", "k");

    private CodecWarmUp() {
    }

    /** Classes a connection needs that the codec alone does not load. */
    private static final List<String> CLASSES = List.of("io.netty.channel.socket.nio.NioSocketChannel",
            "dev.hmemu.gdbstub.GdbSessionHandler", "dev.hmemu.gdbstub.GdbRegisters");

    /** Decodes, parses and answers (encodes) each packet of {@link #PACKETS} once. */
    static void run() {
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, CodecWarmUp.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return; // only a warm-up: the connection loads what it needs anyway
            }
        }
        EmbeddedChannel ch = new EmbeddedChannel(new GdbFrameDecoder(GdbSessionHandler.PACKET_SIZE + 64),
                new GdbPacketEncoder());
        try {
            for (String p : PACKETS) {
                ByteBuf frame = Unpooled.buffer();
                GdbPacketEncoder.frame(p.getBytes(StandardCharsets.ISO_8859_1), frame);
                ch.writeInbound(frame);
                for (Object f; (f = ch.readInbound()) != null; ) {
                    if (f instanceof GdbFrame.Packet packet) {
                        GdbCommandParser.parse(packet.payload());
                    }
                }
            }
            ch.writeOutbound(GdbOutbound.Reply.of(new TargetDescription().read(0, 0x1000)),
                    GdbOutbound.Reply.of(StopReplies.of(new StopEvent.Stepped(0, 0), false)),
                    GdbOutbound.Reply.of(HexCodec.encode(new byte[64])), new GdbOutbound.Ack());
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ReferenceCountUtil.release(o);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
