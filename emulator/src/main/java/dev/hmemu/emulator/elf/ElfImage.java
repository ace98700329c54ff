package dev.hmemu.emulator.elf;

import dev.hmemu.mmu.PhysicalMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An ELF32 i386 executable: its PT_LOAD segments (loaded at their physical addresses)
 * and its symbol table, kept for symbolization. Every malformation is an
 * {@link ElfFormatException} naming what is wrong.
 */
public final class ElfImage {
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int EM_386 = 3;
    private static final int ET_EXEC = 2;
    /** Largest image file hmemu reads. */
    public static final long MAX_FILE_BYTES = 256L << 20;
    /** Most program headers accepted. */
    public static final int MAX_PHNUM = 64;
    /** Most memory all PT_LOAD segments together may ask for (p_memsz summed). */
    public static final long MAX_IMAGE_MEMORY = 512L << 20;
    private static final long PAGE = 4096;

    private final String name;
    private final byte[] data;
    private final long entry;
    private final List<ElfSegment> segments;
    private final Symbolizer symbols;

    private ElfImage(String name, byte[] data, long entry, List<ElfSegment> segments, Symbolizer symbols) {
        this.name = name;
        this.data = data;
        this.entry = entry;
        this.segments = segments;
        this.symbols = symbols;
    }

    /** Reads and checks an image file: a regular file of at most {@link #MAX_FILE_BYTES}. */
    public static ElfImage read(Path file) throws IOException, ElfFormatException {
        if (Files.isDirectory(file)) {
            throw new ElfFormatException(file + ": is a directory, not an ELF file");
        }
        if (!Files.exists(file)) {
            throw new ElfFormatException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ElfFormatException(file + ": not a regular file (a FIFO, socket or device); hmemu reads images from files");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new ElfFormatException(String.format("%s: %d bytes; hmemu reads images up to %d MiB", file, size,
                    MAX_FILE_BYTES >> 20));
        }
        if (!Files.isReadable(file)) {
            throw new ElfFormatException(file + ": not readable (permission denied)");
        }
        return parse(file.getFileName().toString(), Files.readAllBytes(file));
    }

    public static ElfImage parse(String name, byte[] data) throws ElfFormatException {
        if (data.length < 52) {
            throw new ElfFormatException(name + ": truncated ELF header (" + data.length + " bytes, need 52)");
        }
        if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ElfFormatException(name + ": not an ELF file (bad magic)");
        }
        if (data[4] != 1) {
            throw new ElfFormatException(name + ": not a 32-bit ELF (EI_CLASS=" + data[4] + "); hmemu runs i386 guests");
        }
        if (data[5] != 1) {
            throw new ElfFormatException(name + ": not little-endian");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_386) {
            throw new ElfFormatException(name + ": e_machine is " + machine + ", not EM_386 (3)");
        }
        if (type != ET_EXEC) {
            throw new ElfFormatException(name + ": e_type is " + type + ", not ET_EXEC (static executable)");
        }
        long entry = u32(b, 24);
        long phoff = u32(b, 28);
        long shoff = u32(b, 32);
        int phentsize = b.getShort(42) & 0xffff;
        int phnum = b.getShort(44) & 0xffff;
        int shentsize = b.getShort(46) & 0xffff;
        int shnum = b.getShort(48) & 0xffff;
        if (phnum == 0) {
            throw new ElfFormatException(name + ": no program headers");
        }
        if (phnum > MAX_PHNUM) {
            throw new ElfFormatException(name + ": " + phnum + " program headers; at most " + MAX_PHNUM);
        }
        if (phentsize < 32 || phoff + (long) phnum * phentsize > data.length) {
            throw new ElfFormatException(name + ": truncated program header table");
        }
        List<ElfSegment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            if (b.getInt(o) != PT_LOAD) {
                continue;
            }
            ElfSegment s = new ElfSegment(u32(b, o + 8), u32(b, o + 12), u32(b, o + 4), u32(b, o + 16),
                    u32(b, o + 20), b.getInt(o + 24));
            if (s.fileOffset() + s.fileSize() > data.length) {
                throw new ElfFormatException(String.format("%s: truncated: segment %d needs file bytes up to %#x, file has %#x",
                        name, i, s.fileOffset() + s.fileSize(), data.length));
            }
            if (s.memSize() < s.fileSize()) {
                throw new ElfFormatException(name + ": segment " + i + " has p_memsz < p_filesz");
            }
            checkPlacement(name, i, s);
            segs.add(s);
        }
        if (segs.isEmpty()) {
            throw new ElfFormatException(name + ": no PT_LOAD segment");
        }
        checkTogether(name, segs);
        boolean entryMapped = segs.stream().anyMatch(s -> s.executable() && entry >= s.vaddr()
                && entry < s.vaddr() + s.memSize());
        if (!entryMapped) {
            throw new ElfFormatException(String.format("%s: entry point %08x is not in an executable segment", name, entry));
        }
        List<ElfSymbol> syms = readSymbols(name, b, data.length, shoff, shentsize, shnum);
        return new ElfImage(name, data, entry, Collections.unmodifiableList(segs), new Symbolizer(syms));
    }

    /** One PT_LOAD: page-aligned, below 4 GiB, within the size limit. */
    private static void checkPlacement(String name, int i, ElfSegment s) throws ElfFormatException {
        if (s.memSize() > MAX_IMAGE_MEMORY) {
            throw new ElfFormatException(String.format("%s: segment %d: p_memsz %#x is over the %d MiB limit for an image",
                    name, i, s.memSize(), MAX_IMAGE_MEMORY >> 20));
        }
        if (s.vaddr() + s.memSize() > 0x1_0000_0000L) {
            throw new ElfFormatException(String.format("%s: segment %d: %08x+%#x runs past 4 GiB", name, i, s.vaddr(),
                    s.memSize()));
        }
        if (s.vaddr() % PAGE != 0 || s.paddr() % PAGE != 0) {
            throw new ElfFormatException(String.format(
                    "%s: segment %d: misaligned PT_LOAD (p_vaddr %08x, p_paddr %08x): hmemu needs page-aligned segments",
                    name, i, s.vaddr(), s.paddr()));
        }
    }

    /** All PT_LOADs: no two share a page, total memory within the limit. */
    private static void checkTogether(String name, List<ElfSegment> segs) throws ElfFormatException {
        long total = 0;
        for (int i = 0; i < segs.size(); i++) {
            ElfSegment a = segs.get(i);
            total += a.memSize();
            long aEnd = (a.vaddr() + a.memSize() + PAGE - 1) & -PAGE;
            for (int j = i + 1; j < segs.size(); j++) {
                ElfSegment c = segs.get(j);
                long cEnd = (c.vaddr() + c.memSize() + PAGE - 1) & -PAGE;
                if (a.vaddr() < cEnd && c.vaddr() < aEnd) {
                    throw new ElfFormatException(String.format(
                            "%s: PT_LOAD segments overlap: %08x-%08x and %08x-%08x (page-rounded)", name, a.vaddr(),
                            aEnd, c.vaddr(), cEnd));
                }
            }
        }
        if (total > MAX_IMAGE_MEMORY) {
            throw new ElfFormatException(String.format("%s: PT_LOAD segments need %#x bytes; the limit is %d MiB", name,
                    total, MAX_IMAGE_MEMORY >> 20));
        }
    }

    private static List<ElfSymbol> readSymbols(String name, ByteBuffer b, int len, long shoff, int shentsize,
                                               int shnum) throws ElfFormatException {
        List<ElfSymbol> out = new ArrayList<>();
        if (shoff == 0 || shnum == 0) {
            return out;
        }
        if (shentsize < 40 || shoff + (long) shnum * shentsize > len) {
            throw new ElfFormatException(name + ": truncated section header table");
        }
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * shentsize);
            if (b.getInt(o + 4) != SHT_SYMTAB) {
                continue;
            }
            long off = u32(b, o + 16);
            long size = u32(b, o + 20);
            int link = b.getInt(o + 24);
            if (off + size > len || link < 0 || link >= shnum) {
                throw new ElfFormatException(name + ": truncated symbol table");
            }
            int so = (int) (shoff + (long) link * shentsize);
            long stroff = u32(b, so + 16);
            long strsize = u32(b, so + 20);
            if (stroff + strsize > len) {
                throw new ElfFormatException(name + ": truncated string table");
            }
            for (long p = off; p + 16 <= off + size; p += 16) {
                int nameOff = b.getInt((int) p);
                long value = u32(b, (int) p + 4);
                long sz = u32(b, (int) p + 8);
                int info = b.get((int) p + 12) & 0xff;
                int symType = info & 0xf;
                if ((symType != 1 && symType != 2) || nameOff <= 0 || nameOff >= strsize) {
                    continue; // only OBJECT and FUNC
                }
                out.add(new ElfSymbol(cString(b, (int) (stroff + nameOff), (int) (stroff + strsize)), value, sz,
                        symType == 2));
            }
        }
        return out;
    }

    private static String cString(ByteBuffer b, int from, int limit) {
        int end = from;
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - from];
        b.get(from, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    /** Copies every segment to its physical address and zeroes the rest of its memory size. */
    public void load(PhysicalMemory mem) throws ElfFormatException {
        checkFits(mem.size());
        for (ElfSegment s : segments) {
            mem.write(s.paddr(), data, (int) s.fileOffset(), (int) s.fileSize());
            if (s.memSize() > s.fileSize()) {
                mem.fill(s.paddr() + s.fileSize(), s.memSize() - s.fileSize(), (byte) 0);
            }
        }
    }

    /** Fails unless every segment fits in {@code memoryBytes} of physical memory (checked before any write). */
    public void checkFits(long memoryBytes) throws ElfFormatException {
        for (ElfSegment s : segments) {
            if (s.paddr() + s.memSize() > memoryBytes) {
                throw new ElfFormatException(String.format("%s: segment at physical %08x+%#x does not fit in %d MiB",
                        name, s.paddr(), s.memSize(), memoryBytes >> 20));
            }
        }
    }

    public String name() {
        return name;
    }

    public long entry() {
        return entry;
    }

    public List<ElfSegment> segments() {
        return segments;
    }

    public Symbolizer symbols() {
        return symbols;
    }

    /** The file's non-loaded sections (DWARF debug info and the like). */
    public ElfSections sections() {
        return ElfSections.of(data);
    }

    /** Address of a symbol, if present. */
    public Optional<Long> symbol(String sym) {
        return symbols.address(sym);
    }
}
