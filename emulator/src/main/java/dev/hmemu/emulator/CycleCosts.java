package dev.hmemu.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The cycle model's figures: key to cycles. Defaults come from
 * {@code cycle-model.properties} files on the class path (the emulator's and the kernel
 * model's), each naming its source; any figure can be overridden from a file or a
 * {@code KEY=VALUE} string. Unknown keys are an error, so a typo does not pass silently.
 */
public final class CycleCosts {
    /** Resource that every module may ship with its own defaults. */
    public static final String RESOURCE = "dev/hmemu/cycle-model.properties";
    /**
     * Largest cost of one event (10^9 cycles, a second at 1 GHz): with at most a few
     * billion events per run, no clock can overflow.
     */
    public static final long MAX_VALUE = 1_000_000_000L;
    /** Largest CPI, in thousandths (CPI 1000). */
    public static final long MAX_CPI_MILLI = 1_000_000L;
    private static final String CPI_KEY = "cpi.milli";

    /** {@link #defaults()}, once read (the figures are immutable). */
    private static volatile CycleCosts defaults;

    private final Map<String, Long> values;

    private CycleCosts(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The defaults from every {@link #RESOURCE} on the class path (read once per JVM). */
    public static CycleCosts defaults() {
        CycleCosts d = defaults;
        if (d == null) {
            d = load();
            defaults = d;
        }
        return d;
    }

    private static CycleCosts load() {
        Map<String, Long> v = new TreeMap<>();
        try {
            var urls = CycleCosts.class.getClassLoader().getResources(RESOURCE);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    Properties p = new Properties();
                    p.load(in);
                    p.forEach((k, val) -> v.put(k.toString(), parse(k.toString(), val.toString())));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        return new CycleCosts(v);
    }

    /** Exactly these figures (no defaults): for checking what a layer accepts. */
    public static CycleCosts of(Map<String, Long> values) {
        return new CycleCosts(values);
    }

    /** These figures with {@code key} set to {@code value}; the key must exist. */
    public CycleCosts with(String key, long value) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("unknown cycle-model key '" + key + "'; known: " + values.keySet());
        }
        long max = key.equals(CPI_KEY) ? MAX_CPI_MILLI : MAX_VALUE;
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("cycle-model value for '" + key + "' must be 0.." + max + ", got " + value);
        }
        Map<String, Long> v = new TreeMap<>(values);
        v.put(key, value);
        return new CycleCosts(v);
    }

    /** Applies a {@code KEY=VALUE} override. */
    public CycleCosts with(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("cycle-model override must be KEY=VALUE, got '" + assignment + "'");
        }
        String key = assignment.substring(0, eq).trim();
        return with(key, parse(key, assignment.substring(eq + 1)));
    }

    /** Applies every entry of a properties file. */
    public CycleCosts withFile(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        CycleCosts c = this;
        for (String k : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            c = c.with(k, parse(k, p.getProperty(k)));
        }
        return c;
    }

    public long get(String key) {
        Long v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("cycle-model key '" + key + "' has no default");
        }
        return v;
    }

    public Map<String, Long> asMap() {
        return values;
    }

    private static long parse(String key, String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            if (s.trim().matches("[+-]?[0-9]+")) { // a whole number, out of range for a long
                throw new IllegalArgumentException("cycle-model value for '" + key + "' must be 0.." + MAX_VALUE
                        + ", got " + s.trim(), e);
            }
            throw new IllegalArgumentException("cycle-model value for '" + key + "' is not a whole number: '" + s + "'");
        }
    }
}
