package dev.hmemu.emulator.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DWARF line-number information of an image ({@code .debug_line}, versions 2 to 5, as
 * gcc 12 emits it for {@code -m32 -g}): every unit's header and file table is read and its
 * line-number program run through the state machine of DWARF 5 section 6.2; the rows of all
 * sequences are kept sorted by address for {@link #lookup}.
 */
public final class LineTable {
    private static final int DW_LNS_COPY = 1;
    private static final int DW_LNS_ADVANCE_PC = 2;
    private static final int DW_LNS_ADVANCE_LINE = 3;
    private static final int DW_LNS_SET_FILE = 4;
    private static final int DW_LNS_SET_COLUMN = 5;
    private static final int DW_LNS_NEGATE_STMT = 6;
    private static final int DW_LNS_SET_BASIC_BLOCK = 7;
    private static final int DW_LNS_CONST_ADD_PC = 8;
    private static final int DW_LNS_FIXED_ADVANCE_PC = 9;
    private static final int DW_LNE_END_SEQUENCE = 1;
    private static final int DW_LNE_SET_ADDRESS = 2;
    private static final int DW_LNE_DEFINE_FILE = 3;
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;

    /** Rows sorted by address: address, file (index into {@link #names}), line; line 0 ends a sequence. */
    private final long[] addrs;
    private final int[] files;
    private final int[] lines;
    private final List<String> names;
    /** Per unit (by .debug_line offset): DWARF file number -> index into {@link #names}. */
    private final Map<Long, int[]> unitFiles;

    private LineTable(long[] addrs, int[] files, int[] lines, List<String> names, Map<Long, int[]> unitFiles) {
        this.addrs = addrs;
        this.files = files;
        this.lines = lines;
        this.names = names;
        this.unitFiles = unitFiles;
    }

    /** An empty table (no debug info). */
    public static LineTable empty() {
        return new LineTable(new long[0], new int[0], new int[0], List.of(), Map.of());
    }

    /**
     * Parses every unit of {@code debugLine}. A unit that is malformed ends the parse; the
     * units before it are kept.
     *
     * @param lineStr .debug_line_str (DWARF 5 DW_FORM_line_strp), or null
     * @param str     .debug_str (DW_FORM_strp), or null
     */
    public static LineTable parse(byte[] debugLine, byte[] lineStr, byte[] str) {
        Builder b = new Builder(lineStr, str);
        ByteCursor c = new ByteCursor(debugLine, 0);
        try {
            while (!c.atEnd()) {
                b.unit(c);
            }
        } catch (DwarfFormatException e) {
            // keep what was read
        }
        return b.build();
    }

    /** The row covering {@code pc}: the last row at or below it in its sequence. */
    public Optional<SourceLine> lookup(long pc) {
        int lo = 0;
        int hi = addrs.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (addrs[mid] <= pc) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best < 0 || lines[best] == 0) {
            return Optional.empty();
        }
        return Optional.of(new SourceLine(names.get(files[best]), lines[best]));
    }

    /** The path of DWARF file number {@code file} of the unit at {@code stmtList}, if known. */
    public Optional<String> fileName(long stmtList, long file) {
        int[] map = unitFiles.get(stmtList);
        if (map == null || file < 0 || file >= map.length || map[(int) file] < 0) {
            return Optional.empty();
        }
        return Optional.of(names.get(map[(int) file]));
    }

    public int rows() {
        return addrs.length;
    }

    /** Collects rows and file names while units are parsed. */
    private static final class Builder {
        private final ByteCursor lineStr;
        private final ByteCursor str;
        private final List<long[]> rows = new ArrayList<>(); // {addr, nameIndex, line, order}
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> nameIndex = new HashMap<>();
        private final Map<Long, int[]> unitFiles = new HashMap<>();

        Builder(byte[] lineStr, byte[] str) {
            this.lineStr = lineStr == null ? null : new ByteCursor(lineStr, 0);
            this.str = str == null ? null : new ByteCursor(str, 0);
        }

        void unit(ByteCursor c) {
            long unitOffset = c.pos();
            long length = c.u32();
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = c.u64();
                offsetSize = 8;
            }
            long end = c.pos() + length;
            if (end > c.size() || length < 0) {
                throw new DwarfFormatException("line unit runs past the section");
            }
            int version = c.u16();
            if (version < 2 || version > 5) {
                c.seek(end); // unknown version: skip the unit
                return;
            }
            int addrSize = 4;
            if (version >= 5) {
                addrSize = c.u8();
                c.u8(); // segment_selector_size
            }
            long headerLength = c.unsigned(offsetSize);
            long programStart = c.pos() + headerLength;
            int minInst = c.u8();
            if (version >= 4) {
                c.u8(); // maximum_operations_per_instruction (VLIW only)
            }
            boolean defaultIsStmt = c.u8() != 0;
            int lineBase = c.s8();
            int lineRange = c.u8();
            int opcodeBase = c.u8();
            if (lineRange == 0 || opcodeBase == 0) {
                throw new DwarfFormatException("bad line program header");
            }
            int[] stdLengths = new int[opcodeBase];
            for (int i = 1; i < opcodeBase; i++) {
                stdLengths[i] = c.u8();
            }
            List<Integer> fileMap = new ArrayList<>();
            if (version >= 5) {
                List<String> dirs = entries(c, addrSize, offsetSize, null);
                for (String f : entries(c, addrSize, offsetSize, dirs)) {
                    fileMap.add(intern(f));
                }
            } else {
                List<String> dirs = new ArrayList<>();
                dirs.add(""); // index 0: the compilation directory
                for (String d = c.cstring(); !d.isEmpty(); d = c.cstring()) {
                    dirs.add(d);
                }
                fileMap.add(-1); // file numbers start at 1 before DWARF 5
                for (String f = c.cstring(); !f.isEmpty(); f = c.cstring()) {
                    long dir = c.uleb();
                    c.uleb();
                    c.uleb();
                    fileMap.add(intern(join(dirs, dir, f)));
                }
            }
            c.seek(programStart);
            run(c, end, addrSize, minInst, defaultIsStmt, lineBase, lineRange, opcodeBase, stdLengths, fileMap);
            unitFiles.put(unitOffset, fileMap.stream().mapToInt(Integer::intValue).toArray());
            c.seek(end);
        }

        /** A DWARF 5 directory or file-name table; files are joined with their directory. */
        private List<String> entries(ByteCursor c, int addrSize, int offsetSize, List<String> dirs) {
            int formatCount = c.u8();
            int[][] format = new int[formatCount][2];
            for (int i = 0; i < formatCount; i++) {
                format[i][0] = (int) c.uleb();
                format[i][1] = (int) c.uleb();
            }
            long count = c.uleb();
            List<String> out = new ArrayList<>();
            for (long n = 0; n < count; n++) {
                String path = "";
                long dir = 0;
                for (int[] f : format) {
                    if (f[0] == DW_LNCT_PATH) {
                        path = string(c, f[1], addrSize, offsetSize);
                    } else if (f[0] == DW_LNCT_DIRECTORY_INDEX) {
                        dir = DwarfForm.read(c, f[1], addrSize, offsetSize, 0);
                    } else {
                        DwarfForm.read(c, f[1], addrSize, offsetSize, 0);
                    }
                }
                out.add(dirs == null ? path : join(dirs, dir, path));
            }
            return out;
        }

        private String string(ByteCursor c, int form, int addrSize, int offsetSize) {
            if (form == DwarfForm.STRING) {
                return c.cstring();
            }
            long off = DwarfForm.read(c, form, addrSize, offsetSize, 0);
            ByteCursor table = form == DwarfForm.LINE_STRP ? lineStr : form == DwarfForm.STRP ? str : null;
            return table == null ? "?" : table.stringAt(off);
        }

        /**
         * Directory 0 is the compilation directory: names relative to it are kept relative
         * (with hmemu build's prefix maps they read like the kernel's "mm/highmem.c").
         */
        private static String join(List<String> dirs, long dir, String name) {
            if (name.startsWith("/") || dir <= 0 || dir >= dirs.size() || dirs.get((int) dir).isEmpty()) {
                return name;
            }
            String d = dirs.get((int) dir);
            return d.endsWith("/") ? d + name : d + "/" + name;
        }

        private int intern(String name) {
            return nameIndex.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
        }

        private void run(ByteCursor c, long end, int addrSize, int minInst, boolean defaultIsStmt, int lineBase,
                         int lineRange, int opcodeBase, int[] stdLengths, List<Integer> fileMap) {
            long address = 0;
            long file = 1;
            long line = 1;
            while (c.pos() < end) {
                int op = c.u8();
                if (op >= opcodeBase) {
                    int adj = op - opcodeBase;
                    address += (long) (adj / lineRange) * minInst;
                    line += lineBase + adj % lineRange;
                    emit(address, file, line, fileMap);
                    continue;
                }
                switch (op) {
                    case 0 -> {
                        long len = c.uleb();
                        long next = c.pos() + len;
                        if (len == 0) {
                            break;
                        }
                        int sub = c.u8();
                        if (sub == DW_LNE_END_SEQUENCE) {
                            rows.add(new long[] {address, -1, 0, rows.size()});
                            address = 0;
                            file = 1;
                            line = 1;
                        } else if (sub == DW_LNE_SET_ADDRESS) {
                            address = c.unsigned((int) Math.min(8, len - 1));
                        } else if (sub == DW_LNE_DEFINE_FILE) {
                            fileMap.add(intern(c.cstring()));
                        }
                        c.seek(next);
                    }
                    case DW_LNS_COPY -> emit(address, file, line, fileMap);
                    case DW_LNS_ADVANCE_PC -> address += c.uleb() * minInst;
                    case DW_LNS_ADVANCE_LINE -> line += c.sleb();
                    case DW_LNS_SET_FILE -> file = c.uleb();
                    case DW_LNS_SET_COLUMN -> c.uleb();
                    case DW_LNS_NEGATE_STMT, DW_LNS_SET_BASIC_BLOCK -> { }
                    case DW_LNS_CONST_ADD_PC -> address += (long) ((255 - opcodeBase) / lineRange) * minInst;
                    case DW_LNS_FIXED_ADVANCE_PC -> address += c.u16();
                    default -> {
                        for (int i = 0; i < stdLengths[op]; i++) {
                            c.uleb();
                        }
                    }
                }
            }
        }

        private void emit(long address, long file, long line, List<Integer> fileMap) {
            int name = file >= 0 && file < fileMap.size() && fileMap.get((int) file) >= 0 ? fileMap.get((int) file)
                    : intern("?");
            rows.add(new long[] {address & 0xffffffffL, name, Math.max(1, line), rows.size()});
        }

        LineTable build() {
            // by address; at one address an end of sequence sorts before rows that start
            // another sequence, and later rows (higher views) after earlier ones
            rows.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                    : a[2] == 0 && b[2] != 0 ? -1 : a[2] != 0 && b[2] == 0 ? 1 : Long.compare(a[3], b[3]));
            long[] addrs = new long[rows.size()];
            int[] files = new int[rows.size()];
            int[] lines = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                long[] r = rows.get(i);
                addrs[i] = r[0];
                files[i] = (int) r[1];
                lines[i] = (int) r[2];
            }
            return new LineTable(addrs, files, lines, List.copyOf(names), Map.copyOf(unitFiles));
        }
    }

    @Override
    public String toString() {
        return "LineTable[" + addrs.length + " rows, " + Arrays.stream(files).distinct().count() + " files]";
    }
}
