package dev.hmemu.emulator.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Address to {@code symbol+0xoff/0xsize}, as Linux's %pS prints it. */
public final class Symbolizer {
    private final List<ElfSymbol> functions;
    /** The functions' start addresses and sizes, in the same order (lookups without boxing). */
    private final long[] starts;
    private final long[] sizes;
    private final Map<String, ElfSymbol> byName = new HashMap<>();

    Symbolizer(List<ElfSymbol> symbols) {
        List<ElfSymbol> f = new ArrayList<>();
        for (ElfSymbol s : symbols) {
            byName.putIfAbsent(s.name(), s);
            if (s.function()) {
                f.add(s);
            }
        }
        f.sort(Comparator.comparingLong(ElfSymbol::value));
        this.functions = f;
        this.starts = f.stream().mapToLong(ElfSymbol::value).toArray();
        this.sizes = f.stream().mapToLong(ElfSymbol::size).toArray();
    }

    public Optional<Long> address(String name) {
        ElfSymbol s = byName.get(name);
        return s == null ? Optional.empty() : Optional.of(s.value());
    }

    public Optional<ElfSymbol> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The function containing {@code addr}, or empty. */
    public Optional<ElfSymbol> functionAt(long addr) {
        int i = containing(addr);
        return i < 0 ? Optional.empty() : Optional.of(functions.get(i));
    }

    /** Whether {@code addr} is inside a function ({@link #functionAt} is not empty). */
    public boolean inFunction(long addr) {
        return containing(addr) >= 0;
    }

    /**
     * The index of the function containing {@code addr}: the last one starting at or
     * below it, if its size reaches {@code addr} (a size of 0 always does); else -1.
     */
    private int containing(long addr) {
        int lo = 0;
        int hi = starts.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= addr) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best < 0 || (sizes[best] > 0 && addr >= starts[best] + sizes[best])) {
            return -1;
        }
        return best;
    }

    /** {@code name+0xoff/0xsize}, or the bare hex address. */
    public String symbolize(long addr) {
        return functionAt(addr)
                .map(s -> String.format("%s+0x%x/0x%x", s.name(), addr - s.value(), s.size()))
                .orElse(String.format("0x%08x", addr));
    }
}
