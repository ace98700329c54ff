package dev.hmemu.app.test;

import dev.hmemu.kernel.report.Finding;
import java.util.List;

/**
 * The names tests use for findings in {@code HMEMU_EXPECT_FINDING(name)}: one per kind of
 * report, and finer names for the end-of-run leak checks. {@code leak} matches any leak.
 */
public final class FindingNames {
    /** Every name a test may declare. */
    public static final List<String> NAMES = List.of("warn", "bug", "oops", "sleep_in_atomic", "leak", "kmap_leak",
            "kmap_local_leak", "page_leak", "pagefault_disabled_leak", "migrate_disable_leak", "irqs_disabled_leak",
            "preempt_count_leak", "spinlock_leak", "softirq_leak");

    private FindingNames() {
    }

    static boolean known(String name) {
        return NAMES.contains(name);
    }

    /** The most specific name of {@code f}. */
    public static String of(Finding f) {
        return switch (f.kind()) {
            case WARN -> "warn";
            case BUG -> "bug";
            case OOPS -> "oops";
            case SLEEP_IN_ATOMIC -> "sleep_in_atomic";
            case LEAK -> leakName(f.title());
        };
    }

    /** True when the declared {@code name} covers {@code f}. */
    static boolean matches(String name, Finding f) {
        return name.equals(of(f)) || (name.equals("leak") && f.kind() == Finding.Kind.LEAK);
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
