package dev.hmemu.kernel.smp;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPUs waited for each other, per CPU: cycles spinning in on_each_cpu() until
 * the IPI targets were done, cycles in the IPI handler, cycles spinning on each lock (and
 * how often it was contended); and per shootdown (an on_each_cpu() that reached other
 * CPUs) its latency, from the first IPI sent to the last target done.
 */
public record SmpReport(long[] ipiWait, long[] ipiHandler, Map<String, long[]> lockSpin,
                        Map<String, long[]> lockContended, long[] shootdownLatency) {

    public SmpReport {
        ipiWait = ipiWait.clone();
        ipiHandler = ipiHandler.clone();
        lockSpin = copy(lockSpin);
        lockContended = copy(lockContended);
        shootdownLatency = shootdownLatency.clone();
        Arrays.sort(shootdownLatency);
    }

    private static Map<String, long[]> copy(Map<String, long[]> m) {
        Map<String, long[]> c = new TreeMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return Collections.unmodifiableMap(c);
    }

    static SmpReport of(long[] ipiWait, long[] ipiHandler, Map<String, long[]> lockSpin,
                        Map<String, long[]> lockContended, List<Long> latencies) {
        return new SmpReport(ipiWait, ipiHandler, lockSpin, lockContended,
                latencies.stream().mapToLong(Long::longValue).toArray());
    }

    public int shootdowns() {
        return shootdownLatency.length;
    }

    /** Minimum, median (the lower middle one) and maximum latency; zeros when there was none. */
    public long[] latencyMinMedianMax() {
        int n = shootdownLatency.length;
        if (n == 0) {
            return new long[] {0, 0, 0};
        }
        return new long[] {shootdownLatency[0], shootdownLatency[(n - 1) / 2], shootdownLatency[n - 1]};
    }
}
