package dev.hmemu.kernel.base;

import dev.hmemu.emulator.CycleCosts;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The kernel model's cycle figures, read once from the {@code kernel.*} keys of the cycle
 * model (kernel-model's {@code cycle-model.properties}, plus {@code --cost} overrides). Every
 * figure must be there and every {@code kernel.*} key must be one of these: a key the model
 * does not read, or one it reads but nobody set, is an error when the kernel starts. What
 * each figure stands for and where it comes from is in docs/cost-model.md.
 *
 * @param callDefault    kernel.call.default: a hypercall with no figure of its own
 * @param calls          kernel.call.NAME: the work behind hypercall NAME (its Linux name)
 * @param pkmapClearSlot kernel.pkmap.clear_slot: per count-1 slot cleared by flush_all_zero_pkmaps
 * @param pkmapScanSlot  kernel.pkmap.scan_slot: per pkmap_count entry scanned by flush_all_zero_pkmaps
 * @param pkmapNextSlot  kernel.pkmap.next_slot: per cursor step of map_new_virtual
 * @param contextSwitch  kernel.context_switch: switch_to + finish_task_switch
 * @param spin           kernel.spin: one failed spin_lock attempt
 * @param softirq        kernel.softirq: irq_enter/irq_exit around one timer callback
 * @param uaccessPage    kernel.uaccess.page: one full page copied by copy_{from,to}_user
 * @param vmapPte        kernel.vmap.pte: one PTE written by vmap_pages_range or cleared by vunmap_range_noflush
 */
public record KernelCosts(long callDefault, Map<String, Long> calls, long pkmapClearSlot, long pkmapScanSlot,
                          long pkmapNextSlot, long contextSwitch, long spin, long softirq, long uaccessPage,
                          long vmapPte) {
    static final String PREFIX = "kernel.";
    static final String CALL_PREFIX = "kernel.call.";
    static final String CALL_DEFAULT = "kernel.call.default";
    /** The figures other than kernel.call.*, in component order. */
    static final Set<String> FIGURES = Set.of("kernel.pkmap.clear_slot", "kernel.pkmap.scan_slot",
            "kernel.pkmap.next_slot", "kernel.context_switch", "kernel.spin", "kernel.softirq", "kernel.uaccess.page",
            "kernel.vmap.pte");

    public KernelCosts {
        calls = Map.copyOf(calls);
    }

    /**
     * The {@code kernel.*} figures of {@code costs}.
     *
     * @param callNames the Linux names of the hypercalls (the NAME in kernel.call.NAME)
     * @throws IllegalArgumentException a figure is missing, or a kernel.* key is not one the model reads
     */
    public static KernelCosts from(CycleCosts costs, Collection<String> callNames) {
        Map<String, Long> all = costs.asMap();
        Set<String> unknown = new TreeSet<>();
        Map<String, Long> calls = new TreeMap<>();
        for (Map.Entry<String, Long> e : all.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX) || key.equals(CALL_DEFAULT) || FIGURES.contains(key)) {
                continue;
            }
            String call = key.startsWith(CALL_PREFIX) ? key.substring(CALL_PREFIX.length()) : null;
            if (call != null && callNames.contains(call)) {
                calls.put(call, e.getValue());
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cycle model: kernel key(s) the model does not read: " + unknown
                    + " (kernel.call.NAME needs a hypercall's Linux name; see docs/cost-model.md)");
        }
        return new KernelCosts(require(all, CALL_DEFAULT), calls, require(all, "kernel.pkmap.clear_slot"),
                require(all, "kernel.pkmap.scan_slot"), require(all, "kernel.pkmap.next_slot"),
                require(all, "kernel.context_switch"), require(all, "kernel.spin"), require(all, "kernel.softirq"),
                require(all, "kernel.uaccess.page"), require(all, "kernel.vmap.pte"));
    }

    /** The figure of the hypercall named {@code linuxName}, or {@link #callDefault}. */
    public long call(String linuxName) {
        return calls.getOrDefault(linuxName, callDefault);
    }

    private static long require(Map<String, Long> all, String key) {
        Long v = all.get(key);
        if (v == null) {
            throw new IllegalArgumentException("cycle model: kernel figure '" + key
                    + "' is missing (kernel-model's cycle-model.properties must set it)");
        }
        return v;
    }
}
