package dev.hmemu.emulator.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named sections of an ELF32 file that are not loaded (e.g. the DWARF {@code .debug_*}
 * sections), found through the section-name string table (e_shstrndx). A malformed or
 * missing table gives no sections rather than an error: they only serve diagnostics.
 */
public final class ElfSections {
    private static final int SHT_NOBITS = 8;

    private final byte[] data;
    private final Map<String, long[]> ranges;

    private ElfSections(byte[] data, Map<String, long[]> ranges) {
        this.data = data;
        this.ranges = ranges;
    }

    static ElfSections of(byte[] data) {
        Map<String, long[]> ranges = new HashMap<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getInt(32) & 0xffffffffL;
            int shentsize = b.getShort(46) & 0xffff;
            int shnum = b.getShort(48) & 0xffff;
            int shstrndx = b.getShort(50) & 0xffff;
            if (shoff == 0 || shentsize < 40 || shstrndx >= shnum || shoff + (long) shnum * shentsize > data.length) {
                return new ElfSections(data, ranges);
            }
            int strHdr = (int) (shoff + (long) shstrndx * shentsize);
            long strOff = b.getInt(strHdr + 16) & 0xffffffffL;
            long strSize = b.getInt(strHdr + 20) & 0xffffffffL;
            if (strOff + strSize > data.length) {
                return new ElfSections(data, ranges);
            }
            for (int i = 0; i < shnum; i++) {
                int o = (int) (shoff + (long) i * shentsize);
                long nameOff = b.getInt(o) & 0xffffffffL;
                int type = b.getInt(o + 4);
                long off = b.getInt(o + 16) & 0xffffffffL;
                long size = b.getInt(o + 20) & 0xffffffffL;
                if (type == SHT_NOBITS || nameOff >= strSize || off + size > data.length) {
                    continue;
                }
                int from = (int) (strOff + nameOff);
                int end = from;
                while (end < strOff + strSize && data[end] != 0) {
                    end++;
                }
                ranges.putIfAbsent(new String(data, from, end - from, StandardCharsets.UTF_8), new long[] {off, size});
            }
        } catch (IndexOutOfBoundsException e) {
            ranges.clear();
        }
        return new ElfSections(data, ranges);
    }

    /** A copy of the named section's bytes, if the file has it. */
    public Optional<byte[]> get(String name) {
        long[] r = ranges.get(name);
        if (r == null) {
            return Optional.empty();
        }
        byte[] out = new byte[(int) r[1]];
        System.arraycopy(data, (int) r[0], out, 0, out.length);
        return Optional.of(out);
    }
}
