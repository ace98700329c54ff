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
        int lo = 0;
        int hi = functions.size() - 1;
        ElfSymbol best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ElfSymbol s = functions.get(mid);
            if (s.value() <= addr) {
                best = s;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best == null || (best.size() > 0 && addr >= best.value() + best.size())) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** {@code name+0xoff/0xsize}, or the bare hex address. */
    public String symbolize(long addr) {
        return functionAt(addr)
                .map(s -> String.format("%s+0x%x/0x%x", s.name(), addr - s.value(), s.size()))
                .orElse(String.format("0x%08x", addr));
    }
}
