package dev.hmemu.emulator.symbols;

/** DW_FORM_* codes (DWARF 4 and 5, plus the GNU extensions gcc may emit) and how to read or skip them. */
final class DwarfForm {
    static final int ADDR = 0x01;
    static final int BLOCK2 = 0x03;
    static final int BLOCK4 = 0x04;
    static final int DATA2 = 0x05;
    static final int DATA4 = 0x06;
    static final int DATA8 = 0x07;
    static final int STRING = 0x08;
    static final int BLOCK = 0x09;
    static final int BLOCK1 = 0x0a;
    static final int DATA1 = 0x0b;
    static final int FLAG = 0x0c;
    static final int SDATA = 0x0d;
    static final int STRP = 0x0e;
    static final int UDATA = 0x0f;
    static final int REF_ADDR = 0x10;
    static final int REF1 = 0x11;
    static final int REF2 = 0x12;
    static final int REF4 = 0x13;
    static final int REF8 = 0x14;
    static final int REF_UDATA = 0x15;
    static final int INDIRECT = 0x16;
    static final int SEC_OFFSET = 0x17;
    static final int EXPRLOC = 0x18;
    static final int FLAG_PRESENT = 0x19;
    static final int STRX = 0x1a;
    static final int ADDRX = 0x1b;
    static final int REF_SUP4 = 0x1c;
    static final int STRP_SUP = 0x1d;
    static final int DATA16 = 0x1e;
    static final int LINE_STRP = 0x1f;
    static final int REF_SIG8 = 0x20;
    static final int IMPLICIT_CONST = 0x21;
    static final int LOCLISTX = 0x22;
    static final int RNGLISTX = 0x23;
    static final int REF_SUP8 = 0x24;
    static final int STRX1 = 0x25;
    static final int STRX4 = 0x28;
    static final int ADDRX1 = 0x29;
    static final int ADDRX4 = 0x2c;
    static final int GNU_ADDR_INDEX = 0x1f01;
    static final int GNU_STR_INDEX = 0x1f02;
    static final int GNU_REF_ALT = 0x1f20;
    static final int GNU_STRP_ALT = 0x1f21;

    private DwarfForm() {
    }

    /**
     * Reads a value of {@code form}: constants, addresses, references and offsets as their
     * number; blocks, strings and flags are skipped and give 0.
     *
     * @param offsetSize 4 (32-bit DWARF) or 8
     */
    static long read(ByteCursor c, int form, int addrSize, int offsetSize, long implicitConst) {
        switch (form) {
            case ADDR:
                return c.unsigned(addrSize);
            case DATA1: case REF1: case FLAG: case STRX1: case ADDRX1:
                return c.u8();
            case DATA2: case REF2:
                return c.u16();
            case DATA4: case REF4: case REF_SUP4:
                return c.u32();
            case DATA8: case REF8: case REF_SIG8: case REF_SUP8:
                return c.u64();
            case 0x26: case 0x2a: // strx2, addrx2
                return c.u16();
            case 0x27: case 0x2b: // strx3, addrx3
                return c.unsigned(3);
            case STRX4: case ADDRX4:
                return c.u32();
            case SDATA:
                return c.sleb();
            case UDATA: case REF_UDATA: case STRX: case ADDRX: case LOCLISTX: case RNGLISTX:
            case GNU_ADDR_INDEX: case GNU_STR_INDEX:
                return c.uleb();
            case STRP: case REF_ADDR: case SEC_OFFSET: case STRP_SUP: case LINE_STRP:
            case GNU_REF_ALT: case GNU_STRP_ALT:
                return c.unsigned(offsetSize);
            case STRING:
                c.cstring();
                return 0;
            case BLOCK1:
                c.skip(c.u8());
                return 0;
            case BLOCK2:
                c.skip(c.u16());
                return 0;
            case BLOCK4:
                c.skip(c.u32());
                return 0;
            case BLOCK: case EXPRLOC:
                c.skip(c.uleb());
                return 0;
            case DATA16:
                c.skip(16);
                return 0;
            case FLAG_PRESENT:
                return 1;
            case IMPLICIT_CONST:
                return implicitConst;
            case INDIRECT:
                return read(c, (int) c.uleb(), addrSize, offsetSize, implicitConst);
            default:
                throw new DwarfFormatException(String.format("unknown DW_FORM 0x%x", form));
        }
    }
}
