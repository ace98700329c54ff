package dev.hmemu.emulator.elf;

/** The file is not a loadable i386 ELF executable; the message says why. */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String message) {
        super(message);
    }
}
