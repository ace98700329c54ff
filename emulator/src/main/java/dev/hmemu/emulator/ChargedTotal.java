package dev.hmemu.emulator;

/**
 * The cycles charged for events on all CPUs of a machine, kept as they are charged (the
 * kernel reads the sum around every hypercall).
 */
final class ChargedTotal {
    long cycles;
    /** Changes of any CPU's clock other than by instructions: charges, idle time. */
    long changes;
}
