package dev.hmemu.kernel.report;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.emulator.symbols.CodeLocation;
import dev.hmemu.emulator.symbols.FrameWalker;
import dev.hmemu.emulator.symbols.ImageSymbols;
import dev.hmemu.emulator.symbols.StackReader;
import dev.hmemu.mmu.PhysicalMemory;
import dev.hmemu.mmu.WalkResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures call sites at hypercalls (EIP plus a frame-pointer walk, no side effects on the
 * guest) and symbolizes them when a finding is reported; reads code bytes for oopses.
 */
public final class CallSites {
    private final ImageSymbols symbols;
    private final PhysicalMemory memory;
    private final FrameWalker walker;

    public CallSites(ImageSymbols symbols, PhysicalMemory memory) {
        this.symbols = symbols;
        this.memory = memory;
        this.walker = new FrameWalker(symbols::inFunction);
    }

    public ImageSymbols symbols() {
        return symbols;
    }

    /** Where {@code cpu} is now: its EIP and the return addresses of its frames. */
    public RawSite capture(Cpu cpu) {
        long eip = cpu.reg(X86Reg.EIP) & 0xffffffffL;
        long esp = cpu.reg(X86Reg.ESP) & 0xffffffffL;
        long ebp = cpu.reg(X86Reg.EBP) & 0xffffffffL;
        if (memory == null) {
            return new RawSite(eip, new long[0]);
        }
        return new RawSite(eip, walker.walk(StackReader.of(cpu.mmu(), memory), esp, ebp));
    }

    /**
     * The symbolized site. When the address is inside the guest runtime (an out-of-line copy
     * of a static inline from include/, or runtime/*.c) the site is the first caller outside
     * it, so it names the line the user wrote; the back-trace continues above that.
     */
    public CallSite resolve(String role, RawSite raw) {
        CodeLocation at = symbols.locate(raw.pc());
        if (internal(at.file())) {
            long[] r = raw.returns();
            for (int i = 0; i < r.length; i++) {
                CodeLocation caller = symbols.locateReturn(r[i]);
                if (caller.file() != null && !internal(caller.file())) {
                    RawSite above = new RawSite(r[i], java.util.Arrays.copyOfRange(r, i + 1, r.length));
                    return new CallSite(role, r[i], caller.symbol(), caller.file(), caller.line(), backtrace(above));
                }
            }
        }
        return new CallSite(role, raw.pc(), at.symbol(), at.file(), at.line(), backtrace(raw));
    }

    /** Source of the guest runtime (hmemu build's DWARF names): its headers and its own .c/.S files. */
    private static boolean internal(String file) {
        return file != null && (file.startsWith("include/") || file.startsWith("runtime/"));
    }

    /** Whether the return address {@code pc} is in the guest runtime's own .c/.S files (runtime/...). */
    public boolean inRuntimeSource(long pc) {
        String file = symbols.locateReturn(pc).file();
        return file != null && file.startsWith("runtime/");
    }

    /** A site whose pc is a return address (e.g. of an out-of-line BUG/WARN reporter): looked up at pc - 1. */
    public CallSite resolveReturn(String role, RawSite raw) {
        CodeLocation at = symbols.locateReturn(raw.pc());
        return new CallSite(role, raw.pc(), at.symbol(), at.file(), at.line(), backtrace(raw));
    }

    /** The callers of a raw site, symbolized. */
    public List<Frame> backtrace(RawSite raw) {
        List<Frame> frames = new ArrayList<>();
        for (long ra : raw.returns()) {
            CodeLocation l = symbols.locateReturn(ra);
            frames.add(new Frame(ra, l.symbol(), l.file(), l.line()));
        }
        return frames;
    }

    /** The frame of an address that is executing (EIP). */
    public Frame frame(long pc) {
        CodeLocation l = symbols.locate(pc);
        return new Frame(pc, l.symbol(), l.file(), l.line());
    }

    /**
     * The 64 code bytes show_opcodes() prints around {@code eip} (42 before, 21 after),
     * read through {@code cpu}'s page tables without side effects; null if any is unmapped.
     */
    public byte[] codeBytes(Cpu cpu, long eip) {
        if (memory == null) {
            return null;
        }
        byte[] out = new byte[64];
        long start = (eip - 42) & 0xffffffffL;
        for (int i = 0; i < out.length; i++) {
            long va = (start + i) & 0xffffffffL;
            WalkResult r = cpu.mmu().debugTranslate(va);
            if (!(r instanceof WalkResult.Mapped m) || m.physical() >= memory.size()) {
                return null;
            }
            out[i] = (byte) memory.readByte(m.physical());
        }
        return out;
    }
}
