package dev.hmemu.emulator;

/**
 * Limits that stop a run cleanly.
 *
 * @param maxInstructions guest instructions over all CPUs (0 = none)
 * @param maxCycles cycle clock of any CPU (0 = none)
 * @param maxWallMillis host wall time (0 = none)
 */
public record RunLimits(long maxInstructions, long maxCycles, long maxWallMillis) {
    public static RunLimits defaults() {
        return new RunLimits(2_000_000_000L, 0, 60_000);
    }
}
