package dev.hmemu.app;

import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.report.Finding;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.kernel.stats.PhaseLog;
import dev.hmemu.kernel.stats.Snapshot;
import dev.hmemu.mmu.TlbStatsSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The machine-readable result of a run ({@code --json FILE}). */
final class JsonReport {
    private JsonReport() {
    }

    static String render(RunResult r) {
        Map<String, Object> root = Json.object();
        root.put("image", r.image());
        root.put("cpus", r.machine().cpus());
        root.put("paging", r.machine().paging().name().toLowerCase(Locale.ROOT));
        root.put("memory_bytes", r.machine().memoryBytes());
        Map<String, Object> stop = Json.object();
        stop.put("kind", r.stop().getClass().getSimpleName());
        stop.put("detail", TextReport.describe(r.stop()));
        root.put("stop", stop);
        root.put("exit_status", r.exitStatus());
        Snapshot e = r.end();
        if (e != null) {
            List<Object> cpus = Json.array();
            for (int c = 0; c < e.cpus(); c++) {
                Map<String, Object> m = Json.object();
                m.put("cpu", c);
                m.put("instructions", e.instructions()[c]);
                m.put("cycles", e.cycles()[c]);
                Map<String, Object> kinds = Json.object();
                for (CycleCategory cat : CycleCategory.values()) {
                    kinds.put(cat.name().toLowerCase(Locale.ROOT), r.cyclesByCategory()[c][cat.ordinal()]);
                }
                m.put("cycles_by_kind", kinds);
                m.put("tlb", tlb(e.tlb()[c]));
                m.put("ipis_sent", e.ipisSent()[c]);
                m.put("ipis_received", e.ipisReceived()[c]);
                Map<String, Object> counters = Json.object();
                for (Counter k : Counter.values()) {
                    counters.put(k.linuxName(), e.counter(k, c));
                }
                m.put("counters", counters);
                if (r.smp() != null) {
                    m.put("ipi_wait_cycles", r.smp().ipiWait()[c]);
                    m.put("ipi_handler_cycles", r.smp().ipiHandler()[c]);
                    Map<String, Object> spin = Json.object();
                    for (Map.Entry<String, long[]> l : r.smp().lockSpin().entrySet()) {
                        Map<String, Object> one = Json.object();
                        one.put("spin_cycles", l.getValue()[c]);
                        one.put("contended", r.smp().lockContended().get(l.getKey())[c]);
                        spin.put(l.getKey(), one);
                    }
                    m.put("lock_spin", spin);
                }
                cpus.add(m);
            }
            root.put("per_cpu", cpus);
            if (r.smp() != null) {
                long[] lat = r.smp().latencyMinMedianMax();
                Map<String, Object> sd = Json.object();
                sd.put("count", r.smp().shootdowns());
                sd.put("min", lat[0]);
                sd.put("median", lat[1]);
                sd.put("max", lat[2]);
                root.put("shootdown_latency_cycles", sd);
            }
            root.put("totals", totals(e));
            root.put("calls", calls(e));
            List<Object> phases = Json.array();
            List<PhaseLog.Mark> marks = r.marks();
            for (int i = 1; i < marks.size(); i++) {
                Snapshot d = r.phaseAt(i);
                Map<String, Object> p = Json.object();
                p.put("label", marks.get(i).label());
                p.put("cpu", marks.get(i).cpu());
                p.put("totals", totals(d));
                p.put("calls", calls(d));
                phases.add(p);
            }
            root.put("phases", phases);
        }
        List<Object> findings = Json.array();
        for (Finding f : r.findings()) {
            Map<String, Object> m = Json.object();
            m.put("kind", f.kind().name());
            m.put("cpu", f.cpu());
            m.put("pid", f.pid());
            m.put("title", f.title());
            findings.add(m);
        }
        root.put("findings", findings);
        root.put("cost_model", r.machine().costs().asMap());
        return Json.write(root);
    }

    private static Map<String, Object> tlb(TlbStatsSnapshot t) {
        Map<String, Object> m = Json.object();
        m.put("hits", t.hits());
        m.put("misses", t.misses());
        m.put("walks", t.walks());
        m.put("evictions", t.evictions());
        m.put("invlpg", t.invlpgFlushes());
        m.put("flush_non_global", t.nonGlobalFlushes());
        m.put("flush_all", t.fullFlushes());
        return m;
    }

    private static Map<String, Object> totals(Snapshot s) {
        Map<String, Object> m = Json.object();
        m.put("instructions", Snapshot.sum(s.instructions()));
        m.put("cycles", Snapshot.sum(s.cycles()));
        m.put("busy_cycles", s.busyCycles());
        m.put("elapsed_cycles", s.elapsedCycles());
        m.put("ipis_sent", Snapshot.sum(s.ipisSent()));
        m.put("ipis_received", Snapshot.sum(s.ipisReceived()));
        long walks = 0;
        long misses = 0;
        for (TlbStatsSnapshot t : s.tlb()) {
            walks += t.walks();
            misses += t.misses();
        }
        m.put("tlb_misses", misses);
        m.put("tlb_walks", walks);
        for (Counter k : Counter.values()) {
            m.put(k.linuxName(), s.total(k));
        }
        return m;
    }

    private static Map<String, Object> calls(Snapshot s) {
        Map<String, Object> m = Json.object();
        for (Hypercall h : Hypercall.values()) {
            long n = s.calls()[h.ordinal()];
            if (n > 0) {
                Map<String, Object> c = Json.object();
                c.put("count", n);
                c.put("cycles", s.callCycles()[h.ordinal()]);
                m.put(h.linuxName(), c);
            }
        }
        return m;
    }
}
