package dev.hmemu.emulator.engine;

import dev.hmemu.mmu.PhysicalMemory;

/**
 * Guest physical memory held in host memory: reserved up front, backed lazily by the
 * host OS on first touch, so unused guest memory costs nothing.
 */
public interface HostMemory extends AutoCloseable {
    /** Java view of the same bytes the engines see. */
    PhysicalMemory physical();

    long size();

    /** Host address of guest physical address 0 (for the engine's mapping only). */
    long hostAddress();

    @Override
    void close();
}
