package dev.hmemu.emulator.debug;

/** Receives kernel events (on the machine thread, at the moment they happen). */
@FunctionalInterface
public interface KernelEventSink {
    /**
     * @param cpu the CPU the event happened on
     * @param event one of {@link KernelDebugViews#events()}
     * @param detail one line saying what happened
     */
    void event(int cpu, String event, String detail);
}
