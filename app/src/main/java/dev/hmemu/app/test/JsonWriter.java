package dev.hmemu.app.test;

import dev.hmemu.app.Json;
import java.util.List;
import java.util.Map;

/** The machine-readable results of {@code hmemu test} ({@code --json FILE}). */
final class JsonWriter {
    private JsonWriter() {
    }

    static String render(List<RunOutcome> outcomes, double wallSeconds) {
        Map<String, Object> root = Json.object();
        long passed = outcomes.stream().filter(RunOutcome::passed).count();
        root.put("runs", outcomes.size());
        root.put("passed", passed);
        root.put("failed", outcomes.size() - passed);
        root.put("wall_seconds", Math.round(wallSeconds * 1000) / 1000.0);
        List<Object> list = Json.array();
        for (RunOutcome o : outcomes) {
            Map<String, Object> m = Json.object();
            m.put("test", o.test());
            m.put("cpus", o.cpus());
            m.put("ok", o.passed());
            m.put("reason", o.reason());
            m.put("stop", o.stop());
            m.put("counters", o.counters());
            m.put("diagnostics", o.diagnostics());
            List<Object> cases = Json.array();
            for (KunitLog.Case c : o.kunit().cases()) {
                Map<String, Object> k = Json.object();
                k.put("suite", c.suite());
                k.put("case", c.name());
                k.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
                k.put("log", c.log());
                cases.add(k);
            }
            m.put("kunit", cases);
            m.put("wall_seconds", Math.round(o.wallSeconds() * 1000) / 1000.0);
            list.add(m);
        }
        root.put("results", list);
        return Json.write(root);
    }
}
