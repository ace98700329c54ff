package dev.hmemu.gdbstub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frame decoder and packet encoder, fed through Netty's EmbeddedChannel. */
class GdbCodecTest {
    private EmbeddedChannel in;

    @BeforeEach
    void setUp() {
        in = new EmbeddedChannel(new GdbFrameDecoder(4096));
    }

    @AfterEach
    void nothingLeftOver() {
        assertFalse(in.finish(), "no frame left unread");
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String packet(String payload) {
        int sum = 0;
        for (char c : payload.toCharArray()) {
            sum += c;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    private List<GdbFrame> frames() {
        List<GdbFrame> out = new ArrayList<>();
        for (Object o; (o = in.readInbound()) != null; ) {
            out.add((GdbFrame) o);
        }
        return out;
    }

    private static String encode(GdbOutbound msg) {
        EmbeddedChannel out = new EmbeddedChannel(new GdbPacketEncoder());
        out.writeOutbound(msg);
        ByteBuf b = out.readOutbound();
        String s = b.toString(StandardCharsets.ISO_8859_1);
        b.release();
        assertFalse(out.finish());
        return s;
    }

    @Test
    void goodChecksumGivesAPacketBadOneACorruptFrame() {
        in.writeInbound(bytes(packet("qSupported:swbreak+") + "$g#00"));
        List<GdbFrame> f = frames();
        assertEquals("qSupported:swbreak+", ((GdbFrame.Packet) f.get(0)).text());
        assertEquals(new GdbFrame.Corrupt("checksum mismatch"), f.get(1));
    }

    @Test
    void acksNacksAndTheInterruptByteAreFramesOfTheirOwn() {
        in.writeInbound(bytes("+-\u0003" + packet("c") + "+"));
        List<GdbFrame> f = frames();
        assertInstanceOf(GdbFrame.Ack.class, f.get(0));
        assertInstanceOf(GdbFrame.Nack.class, f.get(1));
        assertInstanceOf(GdbFrame.Interrupt.class, f.get(2));
        assertEquals("c", ((GdbFrame.Packet) f.get(3)).text());
        assertInstanceOf(GdbFrame.Ack.class, f.get(4));
    }

    @Test
    void escapedBytesAreUnescapedAndCountInTheChecksumAsSent() {
        // X packet with the bytes '#', '$', '}' and '*' escaped as '}' + (b ^ 0x20)
        String raw = "X100,4:}\u0003}\u0004}]}\n";
        in.writeInbound(bytes(packet(raw)));
        GdbFrame.Packet p = (GdbFrame.Packet) frames().get(0);
        byte[] data = java.util.Arrays.copyOfRange(p.payload(), 7, p.payload().length);
        assertArrayEquals(new byte[] {'#', '$', '}', '*'}, data);
    }

    @Test
    void aPacketSplitAtEveryByteBoundaryDecodesTheSame() {
        String wire = "+" + packet("vCont;s:2;c") + packet("m c0100000,40") + "\u0003";
        for (int cut = 0; cut <= wire.length(); cut++) {
            in.writeInbound(bytes(wire.substring(0, cut)));
            in.writeInbound(bytes(wire.substring(cut)));
            List<GdbFrame> f = frames();
            assertEquals(4, f.size(), "cut at " + cut);
            assertEquals("vCont;s:2;c", ((GdbFrame.Packet) f.get(1)).text());
            assertEquals("m c0100000,40", ((GdbFrame.Packet) f.get(2)).text());
        }
        for (int i = 0; i < wire.length(); i++) { // and one byte at a time
            in.writeInbound(bytes(wire.substring(i, i + 1)));
        }
        assertEquals(4, frames().size());
    }

    @Test
    void malformedPacketsBecomeCorruptFramesAndDecodingGoesOn() {
        in.writeInbound(bytes("$abc#zz" + "$ab}#00" + "$abc" + packet("g")));
        List<GdbFrame> f = frames();
        assertEquals(new GdbFrame.Corrupt("checksum is not hex"), f.get(0));
        assertEquals(new GdbFrame.Corrupt("escape before '#'"), f.get(1));
        assertEquals(new GdbFrame.Corrupt("packet cut by '$'"), f.get(2));
        assertEquals("g", ((GdbFrame.Packet) f.get(3)).text());
        assertEquals(4, f.size());
    }

    @Test
    void aMegabyteOfGarbageYieldsNoPacketAndLeavesTheDecoderUsable() {
        byte[] junk = new byte[1 << 20];
        new Random(7).nextBytes(junk);
        for (int i = 0; i < junk.length; i++) {
            if (junk[i] == '$' || junk[i] == '+' || junk[i] == '-' || junk[i] == 3) {
                junk[i] = 'x';
            }
        }
        in.writeInbound(Unpooled.wrappedBuffer(junk));
        assertNull(in.readInbound());
        in.writeInbound(bytes(packet("?")));
        assertEquals("?", ((GdbFrame.Packet) frames().get(0)).text());
    }

    @Test
    void anOversizedPacketIsDroppedWithoutHoldingItAndTheNextOneDecodes() {
        String big = "M0,1:" + "a".repeat(100_000);
        in.writeInbound(bytes(packet(big) + packet("g")));
        List<GdbFrame> f = frames();
        assertEquals(new GdbFrame.Corrupt("packet longer than 4096 bytes"), f.get(0));
        assertEquals("g", ((GdbFrame.Packet) f.get(1)).text());
    }

    @Test
    void encoderFramesEscapesAndChecksums() {
        assertEquals("+", encode(new GdbOutbound.Ack()));
        assertEquals("-", encode(new GdbOutbound.Nack()));
        assertEquals("$OK#9a", encode(GdbOutbound.Reply.of("OK")));
        assertEquals("$#00", encode(GdbOutbound.Reply.of("")));
        String s = encode(new GdbOutbound.Reply(new byte[] {'a', '#', 'b', '$', '}', '*'}));
        assertEquals("$a}\u0003b}\u0004}]}\n#", s.substring(0, s.length() - 2));
    }

    @Test
    void encoderRunLengthEncodesAndTheDecoderSeesTheSamePayloadLength() {
        String zeros = "0".repeat(64);
        String s = encode(GdbOutbound.Reply.of("T05" + zeros + "1"));
        assertTrue(s.length() < 30, "run-length encoded: " + s);
        assertTrue(s.contains("0*"), s);
        for (int n = 1; n <= 200; n++) { // every run length, including those whose count would read as #, $, + or -
            String payload = "x".repeat(n) + "y";
            assertEquals(payload, expandRle(encode(GdbOutbound.Reply.of(payload))), "run of " + n);
        }
    }

    /** gdb's reading of a reply: checks the checksum and expands runs. */
    private static String expandRle(String wire) {
        assertEquals('$', wire.charAt(0));
        int hash = wire.lastIndexOf('#');
        String body = wire.substring(1, hash);
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum += c;
            assertFalse(c == '$' || c == '#', "no framing character inside: " + wire);
        }
        assertEquals(String.format("%02x", sum & 0xff), wire.substring(hash + 1));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '*') {
                int n = body.charAt(++i) - 29;
                char last = b.charAt(b.length() - 1);
                b.append(String.valueOf(last).repeat(n));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
