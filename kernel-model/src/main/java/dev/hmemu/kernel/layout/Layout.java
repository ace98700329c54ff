package dev.hmemu.kernel.layout;

/** STUB: replaced by the mm/highmem engineer. */
public record Layout(boolean pae, long maxLowPfn, long maxPfn) {
}
