package dev.hmemu.app.test;

import dev.hmemu.kernel.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The names tests use for findings in {@code HMEMU_EXPECT_FINDING(name)}: every finding
 * kind's exact string ({@link Finding.Kind#id()}), finer names for the other end-of-run
 * leak checks, {@code leak} for any leak, and {@code warn}/{@code bug}/{@code oops} also for
 * the specific kinds Linux prints as a WARN, a BUG or an oops.
 */
public final class FindingNames {
    /** Every name a test may declare. */
    public static final List<String> NAMES = names();

    private static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Finding.Kind k : Finding.Kind.values()) {
            n.add(k.id());
        }
        n.addAll(List.of("pagefault_disabled_leak", "migrate_disable_leak", "irqs_disabled_leak", "preempt_count_leak",
                "spinlock_leak", "softirq_leak"));
        return List.copyOf(n);
    }

    private FindingNames() {
    }

    static boolean known(String name) {
        return NAMES.contains(name);
    }

    /** The most specific name of {@code f}. */
    public static String of(Finding f) {
        return f.kind() == Finding.Kind.LEAK ? leakName(f.title()) : f.kind().id();
    }

    /** True when the declared {@code name} covers {@code f}. */
    static boolean matches(String name, Finding f) {
        return name.equals(of(f)) || (name.equals("leak") && leak(f.kind()))
                || name.equals(f.kind().linuxReport().toLowerCase(Locale.ROOT));
    }

    private static boolean leak(Finding.Kind k) {
        return k == Finding.Kind.LEAK || k == Finding.Kind.KMAP_LEAK || k == Finding.Kind.KMAP_LOCAL_LEAK
                || k == Finding.Kind.PAGE_LEAK;
    }

    private static String leakName(String title) {
        if (title.contains("still kmap()ed")) {
            return "kmap_leak";
        } else if (title.contains("kmap_local slot")) {
            return "kmap_local_leak";
        } else if (title.contains("alloc_pages() not freed")) {
            return "page_leak";
        } else if (title.contains("pagefault_disabled")) {
            return "pagefault_disabled_leak";
        } else if (title.contains("migration_disabled")) {
            return "migrate_disable_leak";
        } else if (title.contains("irqs disabled")) {
            return "irqs_disabled_leak";
        } else if (title.contains("preempt_count")) {
            return "preempt_count_leak";
        } else if (title.contains("spinlock")) {
            return "spinlock_leak";
        } else if (title.contains("softirq")) {
            return "softirq_leak";
        }
        return "leak";
    }
}
