package dev.hmemu.gdbstub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hmemu.emulator.Machine;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.emulator.StopReason;
import dev.hmemu.emulator.bench.BareGuest;
import dev.hmemu.emulator.debug.DebugController;
import dev.hmemu.emulator.debug.KernelDebugViews;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stub's pipeline on an EmbeddedChannel, driving a real machine (Unicorn) with a bare guest. */
@Timeout(60)
class GdbSessionHandlerTest {
    private Machine machine;
    private DebugController debug;
    private EmbeddedChannel ch;
    private CompletableFuture<StopReason> run;

    /** mov ecx, 200000; loop: dec ecx; jnz loop; hlt */
    private static final byte[] LOOP = {(byte) 0xb9, 0x40, 0x0d, 0x03, 0x00, 0x49, 0x75, (byte) 0xfd, (byte) 0xf4};

    @BeforeEach
    void setUp() {
        machine = Machine.create(MachineConfig.defaults().withMemory(64L << 20).withQuantum(1000));
        debug = new DebugController(true, KernelDebugViews.NONE);
        ch = new EmbeddedChannel();
        GdbServer.initPipeline(ch.pipeline(), debug, 1);
        run = CompletableFuture.supplyAsync(() -> machine.run(new BareGuest(LOOP), RunLimits.defaults(), debug));
    }

    @AfterEach
    void tearDown() {
        if (ch.isOpen()) {
            ch.close();
        }
        ch.finishAndReleaseAll();
        run.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        machine.close();
    }

    private static String packet(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    private void send(String wire) {
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
    }

    /** Everything the stub wrote until {@code want} bytes arrived (replies come from the machine thread). */
    private String received(String untilContains) {
        StringBuilder b = new StringBuilder();
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            ch.runPendingTasks();
            for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
                b.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            }
            if (b.indexOf(untilContains) >= 0) {
                return b.toString();
            }
            Thread.onSpinWait();
        }
        fail("no '" + untilContains + "' from the stub; got: " + b);
        return null;
    }

    /** The wire text with every packet's runs expanded (as gdb reads it). */
    private static String expanded(String wire) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            if (c == '*') {
                int n = wire.charAt(++i) - 29;
                b.append(String.valueOf(b.charAt(b.length() - 1)).repeat(n));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void acknowledgesEachPacketAndResendsTheLastReplyAfterANack() {
        send(packet("qSupported:swbreak+;hwbreak+"));
        String r = received("#");
        assertTrue(expanded(r).startsWith(
                "+$PacketSize=20000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+#"), r);
        String reply = r.substring(1);
        send("-");
        assertEquals(reply, received("#"));
    }

    @Test
    void aCorruptPacketIsNackedAndNoAckModeStopsAcks() {
        send("$g#00");
        assertEquals("-", received("-"));
        send(packet("QStartNoAckMode"));
        assertEquals("+" + packet("OK"), received("#"));
        send(packet("qAttached"));
        assertEquals(packet("1"), received("#"));
    }

    @Test
    void targetDescriptionNamesTheControlRegisters() {
        send(packet("qXfer:features:read:target.xml:0,ffff"));
        String r = received("</target>");
        assertTrue(r.contains("<reg name=\"cr3\""), r);
        assertTrue(r.contains("org.gnu.gdb.i386.core"), r);
        send(packet("qXfer:features:read:other.xml:0,ffff"));
        assertTrue(received("E00").endsWith(packet("E00")));
    }

    @Test
    void readsRegistersAndMemoryAndAnswersAnErrorForAnUnmappedAddress() {
        send(packet("g"));
        String g = expanded(received("#"));
        // eip (register 8) at byte offset 32: c0100000 little-endian
        assertEquals("000010c0", g.substring(2 + 64, 2 + 72), g);
        send(packet("m" + Long.toHexString(BareGuest.CODE_VA) + ",4"));
        assertTrue(received("#").startsWith("+$b9400d03#"));
        send(packet("m10000000,4"));
        assertTrue(received("#").startsWith("+$E14#"));
        send(packet("qRcmd," + HexCodec.encode("pt c0100000".getBytes(StandardCharsets.ISO_8859_1))));
        String pt = new String(HexCodec.decode(received("#").replaceAll("^\\+\\$|#..$", "")), StandardCharsets.UTF_8);
        assertTrue(pt.contains("PTE"), pt);
    }

    /** Registers 0-9 (eax..edi, eip, eflags) as a stop reply carries them. */
    private static final String EXPEDITED = "(0[0-9]:[0-9a-f]{8};){10}";

    /** {@code v} as the 4 little-endian bytes of a register in hex. */
    private static String le(long v) {
        StringBuilder b = new StringBuilder();
        HexCodec.appendLittleEndian(b, v, 4);
        return b.toString();
    }

    /** What the stub has written so far, without running the channel's pending tasks. */
    private String writtenAtOnce() {
        StringBuilder b = new StringBuilder();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    @Test
    void atAStopReadsAreAnsweredAtOnceWithoutTheMachineThread() {
        send(packet("QStartNoAckMode"));
        received("OK");
        long end = System.nanoTime() + 20_000_000_000L;
        while (!debug.runIfStopped(m -> { })) { // the machine thread waits in the start-up stop
            assertTrue(System.nanoTime() < end, "the machine did not settle in its stop");
            Thread.onSpinWait();
        }
        send(packet("?"));
        String stop = expanded(writtenAtOnce());
        assertTrue(stop.startsWith("$T05thread:1;"), stop);
        send(packet("m" + Long.toHexString(BareGuest.CODE_VA) + ",4"));
        assertEquals(packet("b9400d03"), writtenAtOnce()); // answered in the call: no task ran in between
        send(packet("g"));
        String g = expanded(writtenAtOnce());
        for (int n = 0; n < 10; n++) { // the stop reply's registers are g's
            String v = g.substring(1 + 8 * n, 1 + 8 * n + 8);
            assertTrue(stop.contains(String.format("%02x:%s;", n, v)), n + " " + v + " " + stop);
        }
        send(packet("m10000000,4"));
        assertEquals(packet("E14"), writtenAtOnce());
    }

    @Test
    void malformedPacketsAreErrorsNotCrashes() {
        send(packet("mzz,4") + packet("M0,4:zz") + packet("Z9,0,1") + packet("p999") + packet("Hgffff"));
        String r = received("E01#a6+$#00+$E01#a6+$E01#a6");
        assertFalse(r.contains("OK"), r);
        assertTrue(ch.isOpen());
    }

    @Test
    void breakpointStopsAndStepsReportThreadAndReason() {
        send(packet("Z0," + Long.toHexString(BareGuest.CODE_VA + 5) + ",1"));
        received("OK");
        send(packet("vCont;c"));
        String b = expanded(received("T05"));
        assertTrue(Pattern.compile("\\$T05swbreak:;thread:1;" + EXPEDITED + "#").matcher(b).find(), b);
        assertTrue(b.contains("08:" + le(BareGuest.CODE_VA + 5) + ";"), b); // eip: at the breakpoint
        send(packet("z0," + Long.toHexString(BareGuest.CODE_VA + 5) + ",1"));
        received("OK");
        send(packet("vCont;s:1;c"));
        String s = expanded(received("T05"));
        assertTrue(Pattern.compile("\\$T05thread:1;" + EXPEDITED + "#").matcher(s).find(), s);
        send(packet("c"));
        assertTrue(received("$W00").contains("$W00#"));
        assertInstanceOf(StopReason.GuestExited.class, run.join());
    }

    @Test
    void disconnectMidRunLetsTheRunGoOnToItsEnd() throws Exception {
        send(packet("c"));
        received("+");
        ch.close();
        assertEquals(new StopReason.GuestExited(0), run.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1 + 2 * 200_000 + 1, machine.cpu(0).instructions());
    }
}
