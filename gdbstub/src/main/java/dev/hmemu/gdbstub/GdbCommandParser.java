package dev.hmemu.gdbstub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A pure function from a packet's payload to a {@link GdbCommand}. */
public final class GdbCommandParser {
    private GdbCommandParser() {
    }

    public static GdbCommand parse(byte[] payload) {
        String p = new String(payload, StandardCharsets.ISO_8859_1);
        try {
            return parse(p, payload);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return new GdbCommand.Malformed(p.length() > 64 ? p.substring(0, 64) + "..." : p, e.getMessage());
        }
    }

    private static GdbCommand parse(String p, byte[] raw) {
        if (p.isEmpty()) {
            return new GdbCommand.Unsupported(p);
        }
        switch (p.charAt(0)) {
            case '?':
                return new GdbCommand.StopReasonQuery();
            case 'g':
                return new GdbCommand.ReadRegisters();
            case 'G':
                return new GdbCommand.WriteRegisters(HexCodec.decode(p.substring(1)));
            case 'p':
                return new GdbCommand.ReadRegister(Integer.parseInt(p.substring(1), 16));
            case 'P': {
                int eq = p.indexOf('=');
                return new GdbCommand.WriteRegister(Integer.parseInt(p.substring(1, eq), 16),
                        HexCodec.decode(p.substring(eq + 1)));
            }
            case 'm': {
                long[] al = addressLength(p.substring(1));
                return new GdbCommand.ReadMemory(al[0], (int) al[1]);
            }
            case 'M': {
                int colon = p.indexOf(':');
                long[] al = addressLength(p.substring(1, colon));
                byte[] data = HexCodec.decode(p.substring(colon + 1));
                return data.length == al[1] ? new GdbCommand.WriteMemory(al[0], data)
                        : new GdbCommand.Malformed(p, "length does not match the data");
            }
            case 'X': {
                int colon = p.indexOf(':');
                long[] al = addressLength(p.substring(1, colon));
                byte[] data = Arrays.copyOfRange(raw, colon + 1, raw.length);
                return data.length == al[1] ? new GdbCommand.WriteMemory(al[0], data)
                        : new GdbCommand.Malformed(p, "length does not match the data");
            }
            case 'c':
            case 'C':
                return new GdbCommand.Resume(List.of(new GdbCommand.ResumeAction(false, -1)));
            case 's':
            case 'S':
                return new GdbCommand.Resume(List.of(new GdbCommand.ResumeAction(true, 0)));
            case 'Z':
            case 'z':
                return breakpoint(p);
            case 'H':
                return new GdbCommand.SetThread(p.charAt(1), threadId(p.substring(2)));
            case 'T':
                return new GdbCommand.ThreadAlive(threadId(p.substring(1)));
            case 'D':
                return new GdbCommand.Detach();
            case 'k':
                return new GdbCommand.Kill();
            case 'v':
                return v(p);
            case 'q':
            case 'Q':
                return query(p);
            default:
                return new GdbCommand.Unsupported(p);
        }
    }

    private static GdbCommand v(String p) {
        if (p.equals("vCont?")) {
            return new GdbCommand.VContQuery();
        }
        if (p.startsWith("vCont;")) {
            List<GdbCommand.ResumeAction> actions = new ArrayList<>();
            for (String a : p.substring(6).split(";")) {
                String[] at = a.split(":", 2);
                char k = at[0].charAt(0);
                if (k != 'c' && k != 'C' && k != 's' && k != 'S') {
                    return new GdbCommand.Unsupported(p); // vCont;t and r are not offered
                }
                actions.add(new GdbCommand.ResumeAction(k == 's' || k == 'S', at.length > 1 ? threadId(at[1]) : -1));
            }
            return new GdbCommand.Resume(List.copyOf(actions));
        }
        if (p.startsWith("vKill")) {
            return new GdbCommand.Kill();
        }
        return new GdbCommand.Unsupported(p);
    }

    private static GdbCommand query(String p) {
        if (p.startsWith("qSupported")) {
            return new GdbCommand.QuerySupported(p.length() > 11 ? p.substring(11) : "");
        }
        if (p.equals("QStartNoAckMode")) {
            return new GdbCommand.StartNoAckMode();
        }
        if (p.startsWith("qXfer:")) {
            String[] f = p.split(":", 5);
            if (f.length < 5 || !f[2].equals("read")) {
                return new GdbCommand.Unsupported(p);
            }
            long[] ol = addressLength(f[4]);
            return new GdbCommand.XferRead(f[1], f[3], ol[0], ol[1]);
        }
        if (p.equals("qfThreadInfo")) {
            return new GdbCommand.ThreadInfoFirst();
        }
        if (p.equals("qsThreadInfo")) {
            return new GdbCommand.ThreadInfoNext();
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            return new GdbCommand.ThreadExtraInfo(threadId(p.substring(17)));
        }
        if (p.equals("qC")) {
            return new GdbCommand.CurrentThread();
        }
        if (p.startsWith("qAttached")) {
            return new GdbCommand.Attached();
        }
        if (p.equals("qOffsets")) {
            return new GdbCommand.Offsets();
        }
        if (p.startsWith("qRcmd,")) {
            return new GdbCommand.Monitor(new String(HexCodec.decode(p.substring(6)), StandardCharsets.ISO_8859_1));
        }
        return new GdbCommand.Unsupported(p);
    }

    private static GdbCommand breakpoint(String p) {
        String[] f = p.substring(1).split("[,;]");
        int type = Integer.parseInt(f[0]);
        if (type < 0 || type > 4) {
            return new GdbCommand.Unsupported(p);
        }
        return new GdbCommand.Breakpoint(p.charAt(0) == 'Z', type, Long.parseUnsignedLong(f[1], 16),
                Integer.parseInt(f[2], 16));
    }

    /** "ADDR,LENGTH" in hex. */
    private static long[] addressLength(String s) {
        int comma = s.indexOf(',');
        long a = Long.parseUnsignedLong(s.substring(0, comma), 16);
        long n = Long.parseLong(s.substring(comma + 1), 16);
        if (a > 0xffffffffL || n < 0 || n > (1 << 20)) {
            throw new NumberFormatException("address or length out of range: " + s);
        }
        return new long[] {a, n};
    }

    /** A thread id: hex, "-1" for all, "0" for any; a "pPID." prefix is dropped. */
    static int threadId(String s) {
        String t = s;
        if (t.startsWith("p")) {
            int dot = t.indexOf('.');
            t = dot < 0 ? "-1" : t.substring(dot + 1);
        }
        if (t.equals("-1")) {
            return -1;
        }
        return Integer.parseInt(t, 16);
    }
}
