package dev.hmemu.app.test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads one named section's bytes from an ELF32 file (the expectations a test declares). */
final class ElfSections {
    private ElfSections() {
    }

    /** The contents of section {@code name}, or empty when the file has none (or no section table). */
    static Optional<byte[]> section(byte[] elf, String name) {
        if (elf.length < 52) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getInt(32) & 0xffffffffL;
        int shentsize = b.getShort(46) & 0xffff;
        int shnum = b.getShort(48) & 0xffff;
        int shstrndx = b.getShort(50) & 0xffff;
        if (shoff == 0 || shentsize < 40 || shstrndx >= shnum || shoff + (long) shnum * shentsize > elf.length) {
            return Optional.empty();
        }
        int strHeader = (int) (shoff + (long) shstrndx * shentsize);
        long strOff = b.getInt(strHeader + 16) & 0xffffffffL;
        long strSize = b.getInt(strHeader + 20) & 0xffffffffL;
        if (strOff + strSize > elf.length) {
            return Optional.empty();
        }
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            long nameOff = b.getInt(h) & 0xffffffffL;
            if (!nameAt(elf, strOff + nameOff, strOff + strSize, wanted)) {
                continue;
            }
            long off = b.getInt(h + 16) & 0xffffffffL;
            long size = b.getInt(h + 20) & 0xffffffffL;
            if (off + size > elf.length) {
                return Optional.empty();
            }
            byte[] out = new byte[(int) size];
            System.arraycopy(elf, (int) off, out, 0, out.length);
            return Optional.of(out);
        }
        return Optional.empty();
    }

    private static boolean nameAt(byte[] elf, long at, long limit, byte[] wanted) {
        if (at + wanted.length >= limit) {
            return false;
        }
        for (int k = 0; k < wanted.length; k++) {
            if (elf[(int) at + k] != wanted[k]) {
                return false;
            }
        }
        return elf[(int) at + wanted.length] == 0;
    }
}
