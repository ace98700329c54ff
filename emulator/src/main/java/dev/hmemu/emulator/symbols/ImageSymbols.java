package dev.hmemu.emulator.symbols;

import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.emulator.elf.ElfSections;
import dev.hmemu.emulator.elf.ElfSymbol;
import dev.hmemu.emulator.elf.Symbolizer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An image's code addresses as a user wants them: {@code function+0xoff/0xsize} from the
 * ELF symbol table and, when the image has DWARF debug info, the source line. For an
 * address inside inlined code (every guest kernel call is a static inline hypercall) the
 * line is the call line of the outermost inline, i.e. the line of the function the symbol
 * names, which is the line a user wrote.
 */
public final class ImageSymbols {
    private final Symbolizer symtab;
    /** The DWARF tables, read at the first lookup that needs a line (many runs never do). */
    private Supplier<Dwarf> source;
    private volatile Dwarf dwarf;

    private record Dwarf(LineTable lines, InlineSites inlines) {
    }

    public ImageSymbols(Symbolizer symtab, LineTable lines, InlineSites inlines) {
        this.symtab = symtab;
        this.dwarf = new Dwarf(lines, inlines);
    }

    private ImageSymbols(Symbolizer symtab, Supplier<Dwarf> source) {
        this.symtab = symtab;
        this.source = source;
    }

    /**
     * The image's symbol table and, if present, its .debug_line and .debug_info. The DWARF
     * sections are parsed at the first lookup of a source line, not here: a run that reports
     * nothing never needs them. Parsing keeps what it could read of a damaged section, so
     * when it happens changes no result.
     */
    public static ImageSymbols of(ElfImage image) {
        ElfSections s = image.sections();
        byte[] debugLine = s.get(".debug_line").orElse(null);
        if (debugLine == null) {
            return new ImageSymbols(image.symbols(), LineTable.empty(), InlineSites.empty());
        }
        return new ImageSymbols(image.symbols(), () -> {
            byte[] str = s.get(".debug_str").orElse(null);
            LineTable lines = LineTable.parse(debugLine, s.get(".debug_line_str").orElse(null), str);
            InlineSites inl = InlineSites.parse(s.get(".debug_info").orElse(null), s.get(".debug_abbrev").orElse(null),
                    s.get(".debug_ranges").orElse(null), s.get(".debug_rnglists").orElse(null), lines);
            return new Dwarf(lines, inl);
        });
    }

    private synchronized Dwarf dwarf() {
        if (dwarf == null) {
            dwarf = source.get();
            source = null;
        }
        return dwarf;
    }

    public boolean hasLineInfo() {
        return dwarf().lines().rows() > 0;
    }

    /** The symbol table alone (function+off/size). */
    public Symbolizer symtab() {
        return symtab;
    }

    /** True if {@code pc} lies inside a function of the symbol table. */
    public boolean inFunction(long pc) {
        return symtab.inFunction(pc);
    }

    /** An address that is executing or faulting (EIP). */
    public CodeLocation locate(long pc) {
        return locate(pc, pc);
    }

    /**
     * A return address from a back-trace: symbolized as itself (as Linux prints it) but its
     * function and line are looked up at {@code ra - 1}, the call instruction, so a call
     * at the very end of a function is not attributed to the next one.
     */
    public CodeLocation locateReturn(long ra) {
        return locate(ra, ra - 1);
    }

    private CodeLocation locate(long pc, long lookup) {
        Optional<ElfSymbol> fn = symtab.functionAt(lookup);
        String symbol = fn.map(f -> String.format("%s+0x%x/0x%x", f.name(), pc - f.value(), f.size()))
                .orElse(String.format("0x%08x", pc));
        Dwarf d = dwarf();
        Optional<SourceLine> where = d.inlines().outermostCall(lookup).or(() -> d.lines().lookup(lookup));
        return new CodeLocation(pc, symbol, fn.map(ElfSymbol::name).orElse(null),
                where.map(SourceLine::file).orElse(null), where.map(SourceLine::line).orElse(0));
    }
}
