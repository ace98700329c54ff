package dev.hmemu.gdbstub;

import dev.hmemu.emulator.debug.DebugMemoryException;
import dev.hmemu.emulator.debug.DebugTarget;
import dev.hmemu.emulator.debug.StopEvent;
import dev.hmemu.emulator.debug.StoppedMachine;
import dev.hmemu.emulator.debug.WatchKind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * One gdb connection: acknowledges and retransmits, parses each packet and carries it out,
 * one small method per command. Runs on the connection's event loop. At a stop (where gdb
 * sends nearly all its packets) a command that needs the machine runs at once on this
 * thread against the stopped machine ({@link DebugTarget#runIfStopped}): one packet, one
 * reply, no thread hand-off. Otherwise it is posted to {@link DebugTarget} and answered
 * when the machine thread has done it; neither side ever waits for the other to run.
 */
final class GdbSessionHandler extends SimpleChannelInboundHandler<GdbFrame> {
    /** PacketSize offered in qSupported (hex 20000): a 64 KiB memory read fits in one reply. */
    static final int PACKET_SIZE = 0x20000;

    private final DebugTarget target;
    private final int cpuCount;
    private final TargetDescription description = new TargetDescription();
    private final Set<Long> hardwareBreakpoints = new HashSet<>();
    private ChannelHandlerContext ctx;
    private boolean noAck;
    private GdbOutbound.Reply lastSent;
    /** What a stop now answers: nothing, a '?' on a running machine, or a resume. */
    private enum Waiting { NONE, QUERY, RESUME }

    private Waiting waiting = Waiting.NONE;
    private boolean detached;
    private int gCpu;
    private int cCpu = -1;
    /** Commands posted to the machine thread and not answered yet: later ones queue behind them. */
    private int posted;

    GdbSessionHandler(DebugTarget target, int cpuCount) {
        this.target = target;
        this.cpuCount = cpuCount;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
        target.setStopListener(e -> c.executor().execute(() -> onStop(e)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        target.setStopListener(null);
        if (!detached) {
            detached = true;
            target.detach(); // a disconnect lets the run go on to its end
        }
        c.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext c, GdbFrame frame) {
        if (frame instanceof GdbFrame.Packet p) {
            if (!noAck) {
                c.writeAndFlush(new GdbOutbound.Ack());
            }
            dispatch(GdbCommandParser.parse(p.payload()));
        } else if (frame instanceof GdbFrame.Nack) {
            if (lastSent != null && !noAck) {
                c.writeAndFlush(lastSent);
            }
        } else if (frame instanceof GdbFrame.Interrupt) {
            target.interrupt();
        } else if (frame instanceof GdbFrame.Corrupt) {
            if (!noAck) {
                c.writeAndFlush(new GdbOutbound.Nack());
            }
        }
        // Ack: nothing to do
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        c.close();
    }

    // ---- replies ----

    private void send(String text) {
        GdbOutbound.Reply r = GdbOutbound.Reply.of(text);
        lastSent = r;
        ctx.writeAndFlush(r);
    }

    /**
     * Runs {@code action} against the stopped machine and sends its text: here and now if
     * the machine waits in a stop and nothing posted earlier is unanswered, else on the
     * machine thread (the reply then comes from the event loop when it is done).
     */
    private void onMachine(Function<StoppedMachine, String> action) {
        if (posted == 0) {
            String[] text = new String[1];
            try {
                if (target.runIfStopped(m -> text[0] = action.apply(m))) {
                    send(text[0]);
                    return;
                }
            } catch (RuntimeException e) {
                send(errorReply(e));
                return;
            }
        }
        posted++;
        target.call(action).whenComplete((text, err) -> ctx.executor().execute(() -> {
            posted--;
            send(err == null ? text : errorReply(err));
        }));
    }

    private static String errorReply(Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return e instanceof DebugMemoryException ? "E14" : "E01";
    }

    private void onStop(StopEvent e) {
        int cpu = StopReplies.cpu(e);
        if (cpu >= 0) {
            gCpu = cpu;
        }
        if (waiting == Waiting.NONE || (waiting == Waiting.RESUME && e instanceof StopEvent.Started)) {
            return; // the start-up stop, reported before a resume posted early was carried out
        }
        waiting = Waiting.NONE;
        if (e instanceof StopEvent.KernelEvent k) {
            console("hmemu: break-on " + k.event() + ": " + k.detail() + "\n");
        }
        send(stopReply(e));
    }

    /**
     * The stop reply for {@code e}; with the stopped CPU's general registers, eip and
     * eflags (expedited) when the machine still waits in that very stop, so that gdb
     * needs no {@code g} packet to go on after a step or breakpoint.
     */
    private String stopReply(StopEvent e) {
        boolean hw = e instanceof StopEvent.Breakpoint b && hardwareBreakpoints.contains(b.pc());
        String reply = StopReplies.of(e, hw);
        if (!(e instanceof StopEvent.OnCpu on) || posted > 0) {
            return reply;
        }
        StringBuilder b = new StringBuilder(reply);
        if (!target.runIfStopped(m -> {
            if (target.lastStop() == e) {
                GdbRegisters.appendExpedited(b, m, on.cpu());
            }
        })) {
            return reply;
        }
        return b.toString();
    }

    /** An {@code O} packet: text for gdb's console while the target runs. */
    private void console(String text) {
        GdbOutbound.Reply r = GdbOutbound.Reply.of("O" + HexCodec.encode(text.getBytes(StandardCharsets.UTF_8)));
        ctx.writeAndFlush(r);
    }

    // ---- dispatch: one small method per command ----

    private void dispatch(GdbCommand cmd) {
        if (cmd instanceof GdbCommand.QuerySupported) {
            send("PacketSize=" + Integer.toHexString(PACKET_SIZE)
                    + ";qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+");
        } else if (cmd instanceof GdbCommand.StartNoAckMode) {
            send("OK");
            noAck = true;
        } else if (cmd instanceof GdbCommand.XferRead x) {
            send(x.object().equals("features") && x.annex().equals(TargetDescription.ANNEX)
                    ? description.read(x.offset(), x.length()) : "E00");
        } else if (cmd instanceof GdbCommand.StopReasonQuery) {
            stopReasonQuery();
        } else if (cmd instanceof GdbCommand.ReadRegisters) {
            int cpu = gCpu;
            onMachine(m -> GdbRegisters.all(m, cpu));
        } else if (cmd instanceof GdbCommand.WriteRegisters w) {
            writeRegisters(w.data());
        } else if (cmd instanceof GdbCommand.ReadRegister r) {
            readRegister(r.number());
        } else if (cmd instanceof GdbCommand.WriteRegister w) {
            writeRegister(w.number(), w.data());
        } else if (cmd instanceof GdbCommand.ReadMemory r) {
            int cpu = gCpu;
            onMachine(m -> HexCodec.encode(m.readVirtual(cpu, r.address(), r.length())));
        } else if (cmd instanceof GdbCommand.WriteMemory w) {
            writeMemory(w.address(), w.data());
        } else if (cmd instanceof GdbCommand.VContQuery) {
            send("vCont;c;C;s;S");
        } else if (cmd instanceof GdbCommand.Resume r) {
            resume(r);
        } else if (cmd instanceof GdbCommand.Breakpoint b) {
            breakpoint(b);
        } else if (cmd instanceof GdbCommand.SetThread t) {
            setThread(t);
        } else if (cmd instanceof GdbCommand.ThreadInfoFirst) {
            threadInfo();
        } else if (cmd instanceof GdbCommand.ThreadInfoNext) {
            send("l");
        } else if (cmd instanceof GdbCommand.ThreadExtraInfo t) {
            threadExtraInfo(t.thread());
        } else if (cmd instanceof GdbCommand.ThreadAlive t) {
            send(t.thread() >= 1 && t.thread() <= cpuCount ? "OK" : "E01");
        } else if (cmd instanceof GdbCommand.CurrentThread) {
            send("QC" + Integer.toHexString(gCpu + 1));
        } else if (cmd instanceof GdbCommand.Attached) {
            send("1"); // attached to a running machine: quitting gdb detaches, the run goes on
        } else if (cmd instanceof GdbCommand.Offsets) {
            send("Text=0;Data=0;Bss=0");
        } else if (cmd instanceof GdbCommand.Detach) {
            detach();
        } else if (cmd instanceof GdbCommand.Kill) {
            kill();
        } else if (cmd instanceof GdbCommand.Monitor mon) {
            monitor(mon.line());
        } else if (cmd instanceof GdbCommand.Malformed) {
            send("E01");
        } else {
            send(""); // unsupported
        }
    }

    private void stopReasonQuery() {
        StopEvent last = target.lastStop();
        if (last != null) {
            onStop(last);
            send(stopReply(last));
            return;
        }
        waiting = Waiting.QUERY; // connected to a running machine: stop it, answer with the stop
        target.interrupt();
    }

    private void writeRegisters(byte[] data) {
        int cpu = gCpu;
        onMachine(m -> {
            for (int n = 0; n < 10; n++) {
                GdbRegisters.write(m, cpu, n, data, GdbRegisters.offset(n));
            }
            return "OK";
        });
    }

    private void readRegister(int n) {
        if (GdbRegisters.size(n) == 0) {
            send("E01");
            return;
        }
        int cpu = gCpu;
        onMachine(m -> GdbRegisters.one(m, cpu, n));
    }

    private void writeRegister(int n, byte[] data) {
        int cpu = gCpu;
        onMachine(m -> GdbRegisters.write(m, cpu, n, data, 0) || GdbRegisters.size(n) > 0 ? "OK" : "E01");
    }

    private void writeMemory(long address, byte[] data) {
        if (data.length == 0) {
            send("OK"); // gdb's probe for X
            return;
        }
        int cpu = gCpu;
        onMachine(m -> {
            m.writeVirtual(cpu, address, data);
            return "OK";
        });
    }

    private void resume(GdbCommand.Resume r) {
        int step = -1;
        for (GdbCommand.ResumeAction a : r.actions()) {
            if (a.step()) {
                int t = a.thread();
                step = t > 0 ? t - 1 : (cCpu >= 0 ? cCpu : gCpu);
                break;
            }
        }
        waiting = Waiting.RESUME;
        target.resume(step);
    }

    private void breakpoint(GdbCommand.Breakpoint b) {
        int cpu = gCpu;
        if (b.type() <= 1) {
            if (b.type() == 1) {
                if (b.insert()) {
                    hardwareBreakpoints.add(b.address());
                } else {
                    hardwareBreakpoints.remove(b.address());
                }
            }
            onMachine(m -> {
                if (b.insert()) {
                    return m.insertBreakpoint(b.address()) ? "OK" : "E22";
                }
                m.removeBreakpoint(b.address());
                return "OK";
            });
            return;
        }
        WatchKind kind = b.type() == 2 ? WatchKind.WRITE : b.type() == 3 ? WatchKind.READ : WatchKind.ACCESS;
        onMachine(m -> {
            if (b.insert()) {
                return m.insertWatchpoint(cpu, b.address(), b.kind(), kind) ? "OK" : "E22";
            }
            m.removeWatchpoint(b.address(), b.kind(), kind);
            return "OK";
        });
    }

    private void setThread(GdbCommand.SetThread t) {
        int tid = t.thread();
        if (tid > cpuCount) {
            send("E01");
            return;
        }
        if (t.operation() == 'g' && tid > 0) {
            gCpu = tid - 1;
        } else if (t.operation() == 'c') {
            cCpu = tid > 0 ? tid - 1 : -1;
        }
        send("OK");
    }

    private void threadInfo() {
        StringBuilder b = new StringBuilder("m");
        for (int i = 1; i <= cpuCount; i++) {
            b.append(i == 1 ? "" : ",").append(Integer.toHexString(i));
        }
        send(b.toString());
    }

    private void threadExtraInfo(int thread) {
        if (thread < 1 || thread > cpuCount) {
            send("E01");
            return;
        }
        onMachine(m -> HexCodec.encode(m.cpuDescription(thread - 1).getBytes(StandardCharsets.UTF_8)));
    }

    private void detach() {
        detached = true;
        waiting = Waiting.NONE;
        target.detach();
        send("OK");
    }

    private void kill() {
        detached = true;
        waiting = Waiting.NONE;
        target.interrupt();
        target.kill();
        send("OK"); // vKill wants it; after k gdb does not read it
    }

    private void monitor(String line) {
        int cpu = gCpu;
        onMachine(m -> {
            String out = m.monitor(cpu, line);
            return out.isEmpty() ? "OK" : HexCodec.encode(out.getBytes(StandardCharsets.UTF_8));
        });
    }
}
