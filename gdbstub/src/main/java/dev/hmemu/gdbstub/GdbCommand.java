package dev.hmemu.gdbstub;

import java.util.List;

/**
 * A gdb packet's meaning, as {@link GdbCommandParser} reads it. Thread ids are gdb's:
 * CPU n is thread n + 1; 0 means any thread and -1 all threads.
 */
public sealed interface GdbCommand {

    record QuerySupported(String features) implements GdbCommand {
    }

    record StartNoAckMode() implements GdbCommand {
    }

    /** {@code qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH} */
    record XferRead(String object, String annex, long offset, long length) implements GdbCommand {
    }

    /** {@code ?} */
    record StopReasonQuery() implements GdbCommand {
    }

    record ReadRegisters() implements GdbCommand {
    }

    record WriteRegisters(byte[] data) implements GdbCommand {
    }

    record ReadRegister(int number) implements GdbCommand {
    }

    record WriteRegister(int number, byte[] data) implements GdbCommand {
    }

    record ReadMemory(long address, int length) implements GdbCommand {
    }

    /** {@code M} (hex) or {@code X} (binary): the data already decoded. */
    record WriteMemory(long address, byte[] data) implements GdbCommand {
    }

    /** One action of {@code vCont}: {@code c}, {@code s} (signals ignored) for thread {@code thread} (-1 all). */
    record ResumeAction(boolean step, int thread) {
    }

    /** {@code c}, {@code s}, {@code C}, {@code S} and {@code vCont;...}: resume, maybe stepping one thread. */
    record Resume(List<ResumeAction> actions) implements GdbCommand {
    }

    record VContQuery() implements GdbCommand {
    }

    /** {@code Z}/{@code z}: type 0 software, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint. */
    record Breakpoint(boolean insert, int type, long address, int kind) implements GdbCommand {
    }

    /** {@code Hg}/{@code Hc} */
    record SetThread(char operation, int thread) implements GdbCommand {
    }

    record ThreadInfoFirst() implements GdbCommand {
    }

    record ThreadInfoNext() implements GdbCommand {
    }

    record ThreadExtraInfo(int thread) implements GdbCommand {
    }

    /** {@code T thread}: is it alive? */
    record ThreadAlive(int thread) implements GdbCommand {
    }

    record CurrentThread() implements GdbCommand {
    }

    record Attached() implements GdbCommand {
    }

    record Offsets() implements GdbCommand {
    }

    record Detach() implements GdbCommand {
    }

    record Kill() implements GdbCommand {
    }

    /** {@code qRcmd}: a monitor command line. */
    record Monitor(String line) implements GdbCommand {
    }

    /** A packet this stub does not implement: answered with the empty packet. */
    record Unsupported(String packet) implements GdbCommand {
    }

    /** A packet that is not well formed: answered with an error. */
    record Malformed(String packet, String why) implements GdbCommand {
    }
}
