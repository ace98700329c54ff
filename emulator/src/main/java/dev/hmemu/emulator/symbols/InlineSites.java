package dev.hmemu.emulator.symbols;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where inlined code came from: every DW_TAG_inlined_subroutine of {@code .debug_info}
 * (DWARF 4 or 5) with its address ranges (low/high pc, .debug_ranges or .debug_rnglists)
 * and its call site (DW_AT_call_file/DW_AT_call_line). The guest's kmap() and every other
 * hypercall are static inline, so the line a user wants for a call site is the outermost
 * inline's call line in the function the symbol table names.
 */
public final class InlineSites {
    private static final int DW_TAG_COMPILE_UNIT = 0x11;
    private static final int DW_TAG_INLINED_SUBROUTINE = 0x1d;
    private static final int DW_AT_STMT_LIST = 0x10;
    private static final int DW_AT_LOW_PC = 0x11;
    private static final int DW_AT_HIGH_PC = 0x12;
    private static final int DW_AT_RANGES = 0x55;
    private static final int DW_AT_CALL_FILE = 0x58;
    private static final int DW_AT_CALL_LINE = 0x59;
    private static final int DW_UT_COMPILE = 1;
    private static final int DW_UT_PARTIAL = 3;
    private static final int MAX_SITES = 1 << 20;

    /** One inlined call: [lo, hi) at nesting {@code level} (0 = inlined directly into a real function). */
    private record Site(long lo, long hi, int level, SourceLine call) {
    }

    private final List<Site> sites;

    private InlineSites(List<Site> sites) {
        this.sites = sites;
    }

    public static InlineSites empty() {
        return new InlineSites(List.of());
    }

    /**
     * Parses {@code .debug_info}; a malformed unit ends the parse and keeps the sites found
     * before it. Any of the side sections may be null.
     */
    public static InlineSites parse(byte[] info, byte[] abbrev, byte[] ranges, byte[] rnglists, LineTable lines) {
        List<Site> out = new ArrayList<>();
        if (info == null || abbrev == null) {
            return new InlineSites(out);
        }
        ByteCursor c = new ByteCursor(info, 0);
        try {
            while (!c.atEnd() && out.size() < MAX_SITES) {
                unit(c, new ByteCursor(abbrev, 0), ranges, rnglists, lines, out);
            }
        } catch (DwarfFormatException e) {
            // keep what was read
        }
        return new InlineSites(List.copyOf(out));
    }

    /** The call site of the outermost inlined call covering {@code pc}, if any. */
    public Optional<SourceLine> outermostCall(long pc) {
        Site best = null;
        for (Site s : sites) {
            if (pc >= s.lo && pc < s.hi && (best == null || s.level < best.level)) {
                best = s;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.call);
    }

    public int size() {
        return sites.size();
    }

    /** One abbreviation: tag, children flag, attribute/form pairs and implicit constants. */
    private record Abbrev(int tag, boolean children, int[] attrs, int[] forms, long[] consts) {
    }

    private static Map<Long, Abbrev> abbrevs(ByteCursor c, long offset) {
        Map<Long, Abbrev> map = new HashMap<>();
        c.seek(offset);
        for (long code = c.uleb(); code != 0; code = c.uleb()) {
            int tag = (int) c.uleb();
            boolean children = c.u8() != 0;
            List<long[]> specs = new ArrayList<>();
            for (long attr = c.uleb(), form = c.uleb(); attr != 0 || form != 0; attr = c.uleb(), form = c.uleb()) {
                long k = form == DwarfForm.IMPLICIT_CONST ? c.sleb() : 0;
                specs.add(new long[] {attr, form, k});
            }
            int[] a = new int[specs.size()];
            int[] f = new int[specs.size()];
            long[] k = new long[specs.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (int) specs.get(i)[0];
                f[i] = (int) specs.get(i)[1];
                k[i] = specs.get(i)[2];
            }
            map.put(code, new Abbrev(tag, children, a, f, k));
        }
        return map;
    }

    private static void unit(ByteCursor c, ByteCursor ab, byte[] ranges, byte[] rnglists, LineTable lines,
                             List<Site> out) {
        long length = c.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = c.u64();
            offsetSize = 8;
        }
        long end = c.pos() + length;
        if (end > c.size()) {
            throw new DwarfFormatException("unit runs past .debug_info");
        }
        int version = c.u16();
        int addrSize;
        long abbrevOffset;
        if (version >= 5) {
            int type = c.u8();
            addrSize = c.u8();
            abbrevOffset = c.unsigned(offsetSize);
            if (type != DW_UT_COMPILE && type != DW_UT_PARTIAL) {
                c.seek(end);
                return;
            }
        } else if (version >= 2) {
            abbrevOffset = c.unsigned(offsetSize);
            addrSize = c.u8();
        } else {
            c.seek(end);
            return;
        }
        Map<Long, Abbrev> table = abbrevs(ab, abbrevOffset);
        long stmtList = -1;
        long cuBase = 0;
        // inline nesting level of the DIEs at each depth
        int[] levelAt = new int[256];
        int depth = 0;
        while (c.pos() < end) {
            long code = c.uleb();
            if (code == 0) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            Abbrev a = table.get(code);
            if (a == null) {
                throw new DwarfFormatException("unknown abbreviation " + code);
            }
            long low = -1;
            long high = -1;
            boolean highIsOffset = false;
            long rangesOff = -1;
            long callFile = -1;
            long callLine = -1;
            for (int i = 0; i < a.attrs.length; i++) {
                long v = DwarfForm.read(c, a.forms[i], addrSize, offsetSize, a.consts[i]);
                switch (a.attrs[i]) {
                    case DW_AT_LOW_PC -> low = v;
                    case DW_AT_HIGH_PC -> {
                        high = v;
                        highIsOffset = a.forms[i] != DwarfForm.ADDR;
                    }
                    case DW_AT_RANGES -> rangesOff = a.forms[i] == DwarfForm.RNGLISTX ? -1 : v;
                    case DW_AT_CALL_FILE -> callFile = v;
                    case DW_AT_CALL_LINE -> callLine = v;
                    case DW_AT_STMT_LIST -> {
                        if (a.tag == DW_TAG_COMPILE_UNIT) {
                            stmtList = v;
                        }
                    }
                    default -> { }
                }
            }
            if (a.tag == DW_TAG_COMPILE_UNIT && low >= 0) {
                cuBase = low;
            }
            int level = depth < levelAt.length ? levelAt[depth] : 0;
            if (a.tag == DW_TAG_INLINED_SUBROUTINE && callLine > 0 && stmtList >= 0) {
                String file = lines.fileName(stmtList, callFile).orElse("?");
                SourceLine call = new SourceLine(file, (int) callLine);
                if (low >= 0 && high >= 0) {
                    long hi = highIsOffset ? low + high : high;
                    out.add(new Site(low, hi, level, call));
                } else if (rangesOff >= 0) {
                    for (long[] r : version >= 5 ? rnglist(rnglists, rangesOff, addrSize, cuBase)
                            : rangeList(ranges, rangesOff, addrSize, cuBase)) {
                        out.add(new Site(r[0], r[1], level, call));
                    }
                }
            }
            if (a.children) {
                depth++;
                if (depth < levelAt.length) {
                    levelAt[depth] = level + (a.tag == DW_TAG_INLINED_SUBROUTINE ? 1 : 0);
                }
            }
        }
        c.seek(end);
    }

    /** A DWARF 5 range list (DW_RLE_*), without .debug_addr indexed forms. */
    private static List<long[]> rnglist(byte[] section, long offset, int addrSize, long base) {
        List<long[]> out = new ArrayList<>();
        if (section == null) {
            return out;
        }
        ByteCursor c = new ByteCursor(section, 0);
        c.seek(offset);
        while (out.size() < 4096) {
            int kind = c.u8();
            switch (kind) {
                case 0: // end_of_list
                    return out;
                case 1: // base_addressx
                    c.uleb();
                    break;
                case 2: // startx_endx
                    c.uleb();
                    c.uleb();
                    break;
                case 3: // startx_length
                    c.uleb();
                    c.uleb();
                    break;
                case 4: { // offset_pair
                    long s = c.uleb();
                    long e = c.uleb();
                    out.add(new long[] {base + s, base + e});
                    break;
                }
                case 5: // base_address
                    base = c.unsigned(addrSize);
                    break;
                case 6: { // start_end
                    long s = c.unsigned(addrSize);
                    out.add(new long[] {s, c.unsigned(addrSize)});
                    break;
                }
                case 7: { // start_length
                    long s = c.unsigned(addrSize);
                    out.add(new long[] {s, s + c.uleb()});
                    break;
                }
                default:
                    throw new DwarfFormatException("unknown DW_RLE " + kind);
            }
        }
        return out;
    }

    /** A DWARF 2-4 .debug_ranges list: address pairs, (max, base) selects a base, (0, 0) ends. */
    private static List<long[]> rangeList(byte[] section, long offset, int addrSize, long base) {
        List<long[]> out = new ArrayList<>();
        if (section == null) {
            return out;
        }
        ByteCursor c = new ByteCursor(section, 0);
        c.seek(offset);
        long max = addrSize == 8 ? -1L : (1L << (8 * addrSize)) - 1;
        while (out.size() < 4096) {
            long s = c.unsigned(addrSize);
            long e = c.unsigned(addrSize);
            if (s == 0 && e == 0) {
                return out;
            }
            if (s == max) {
                base = e;
            } else {
                out.add(new long[] {base + s, base + e});
            }
        }
        return out;
    }
}
