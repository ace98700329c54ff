package dev.hmemu.kernel.highmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.hmemu.emulator.Cpu;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.mm.KernelPageTables;
import dev.hmemu.kernel.mm.ModelFixture;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.Counter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared fixture helpers of the highmem tests: counter snapshots and hypercall shorthands. */
final class HighmemTestSupport {
    /** Guest memory of the fixtures: 1 GiB, about 138 MiB of it highmem. */
    static final long MEM = 1L << 30;
    /** Rows of {@link #snap}: the four TLB counters, then IPIs sent and received. */
    static final int REMOTE = 0;
    static final int RECEIVED = 1;
    static final int FLUSH_ALL = 2;
    static final int FLUSH_ONE = 3;
    static final int SENT = 4;
    static final int RECV = 5;

    private HighmemTestSupport() {
    }

    static long[][] snap(ModelFixture f) {
        int n = f.machine.cpus().size();
        long[][] s = new long[6][n];
        for (int c = 0; c < n; c++) {
            s[REMOTE][c] = f.counter(Counter.NR_TLB_REMOTE_FLUSH, c);
            s[RECEIVED][c] = f.counter(Counter.NR_TLB_REMOTE_FLUSH_RECEIVED, c);
            s[FLUSH_ALL][c] = f.counter(Counter.NR_TLB_LOCAL_FLUSH_ALL, c);
            s[FLUSH_ONE][c] = f.counter(Counter.NR_TLB_LOCAL_FLUSH_ONE, c);
            s[SENT][c] = f.machine.ipisSent(c);
            s[RECV][c] = f.machine.ipisReceived(c);
        }
        return s;
    }

    static long[][] delta(ModelFixture f, long[][] before) {
        long[][] now = snap(f);
        for (int r = 0; r < now.length; r++) {
            for (int c = 0; c < now[r].length; c++) {
                now[r][c] -= before[r][c];
            }
        }
        return now;
    }

    static void assertNoTlbEvent(ModelFixture f, long[][] before) {
        long[][] d = delta(f, before);
        long[] zero = new long[f.machine.cpus().size()];
        for (int r = 0; r < d.length; r++) {
            assertArrayEquals(zero, d[r], "row " + r);
        }
    }

    static long[] perCpu(int cpus, int cpu, long v) {
        long[] a = new long[cpus];
        a[cpu] = v;
        return a;
    }

    static long[] all(int cpus, long v) {
        long[] a = new long[cpus];
        Arrays.fill(a, v);
        return a;
    }

    static long kmap(ModelFixture f, int cpu, long page) {
        return f.hcall(cpu, Hypercall.KMAP, page);
    }

    static void kunmap(ModelFixture f, int cpu, long page) {
        f.hcall(cpu, Hypercall.KUNMAP, page);
    }

    static long kmapLocal(ModelFixture f, int cpu, long page) {
        return f.hcall(cpu, Hypercall.KMAP_LOCAL_PAGE, page);
    }

    static void kunmapLocal(ModelFixture f, int cpu, long addr) {
        f.hcall(cpu, Hypercall.KUNMAP_LOCAL, addr);
    }

    static long pte(ModelFixture f, long va) {
        KernelPageTables pt = f.mm.pageTables();
        return pt.ptepGet(pt.virtToKpte(va));
    }

    static long pfn(ModelFixture f, long page) {
        return f.mm.pageToPfn(page);
    }

    static boolean cached(Cpu c, long va) {
        return c.mmu().tlb().entries().stream().anyMatch(e -> e.covers(va));
    }

    static long warnings(ModelFixture f, String func) {
        return f.findings().stream().filter(x -> x.kind().linuxReport().equals("WARN") && x.title().contains(func)).count();
    }

    /** kmap + kunmap of {@code n} fresh highmem pages on CPU 0: slots 1..n left at count 1. */
    static List<Long> kmapKunmapFresh(ModelFixture f, int n) {
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long p = f.highPage();
            kmap(f, 0, p);
            kunmap(f, 0, p);
            pages.add(p);
        }
        return pages;
    }
}
