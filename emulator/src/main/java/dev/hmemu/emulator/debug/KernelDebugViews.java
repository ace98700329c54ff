package dev.hmemu.emulator.debug;

import java.util.List;
import java.util.Map;

/**
 * The extension point through which the guest kernel's own views reach a debugger that
 * knows only the emulator: monitor commands (e.g. {@code kmap}), what each CPU runs, and
 * the events a debugger can break on. Implemented by the kernel model; every method is
 * called on the machine thread while the machine is stopped, except that the kernel
 * calls its {@link KernelEventSink} at the moment an event happens.
 */
public interface KernelDebugViews {

    /** Monitor commands the kernel adds, name to one-line help. */
    Map<String, String> commands();

    /** Runs monitor command {@code name} with {@code args}; returns console text (lines end in \n). */
    String run(String name, String args);

    /** What {@code cpu} runs, e.g. {@code "task reader (pid 2)"}, or null if unknown. */
    String cpuActivity(int cpu);

    /** The event names the kernel reports to its sink (e.g. shootdown, wrap, warn). */
    List<String> events();

    /** Where the kernel reports events from now on. */
    void setEventSink(KernelEventSink sink);

    /** No kernel views. */
    KernelDebugViews NONE = new KernelDebugViews() {
        @Override
        public Map<String, String> commands() {
            return Map.of();
        }

        @Override
        public String run(String name, String args) {
            throw new IllegalArgumentException("no kernel command " + name);
        }

        @Override
        public String cpuActivity(int cpu) {
            return null;
        }

        @Override
        public List<String> events() {
            return List.of();
        }

        @Override
        public void setEventSink(KernelEventSink sink) {
        }
    };
}
