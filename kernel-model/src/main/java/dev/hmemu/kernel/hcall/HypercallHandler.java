package dev.hmemu.kernel.hcall;

/**
 * The kernel-model function behind one hypercall. Returns the value for {@code ret}; a
 * handler that must sleep or spin puts the task to sleep (or not), calls
 * {@link Hcall#endSlice()} and returns {@link Hypercall#RESTART}: the guest issues the
 * same hypercall again when it runs next, and the handler re-checks its condition, as
 * Linux re-checks after schedule() returns.
 */
@FunctionalInterface
public interface HypercallHandler {
    long handle(Hcall call);
}
