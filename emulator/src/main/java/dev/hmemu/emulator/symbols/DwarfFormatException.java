package dev.hmemu.emulator.symbols;

/** Malformed or unsupported DWARF; the symbolizer then works without line information. */
final class DwarfFormatException extends RuntimeException {
    DwarfFormatException(String message) {
        super(message);
    }
}
