package dev.hmemu.emulator.debug;

/** A CPU's control registers as the MMU model holds them (not the engine's). */
public record ControlRegisterValues(long cr0, long cr2, long cr3, long cr4, long efer) {
    @Override
    public String toString() {
        return String.format("cr0=%08x cr2=%08x cr3=%08x cr4=%08x efer=%x", cr0, cr2, cr3, cr4, efer);
    }
}
