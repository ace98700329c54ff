package dev.hmemu.emulator;

import dev.hmemu.mmu.PagingMode;
import dev.hmemu.mmu.TlbConfig;

/**
 * How to build a machine.
 *
 * @param cpus 1..16
 * @param memoryBytes guest physical memory (default 2 GiB, up to 16 GiB)
 * @param paging PAE (default) or legacy 2-level
 * @param tlb per-CPU TLB geometry
 * @param maxPhysAddrBits MAXPHYADDR for reserved-bit checks (36 like classic PAE CPUs)
 * @param quantum instructions a CPU runs before the scheduler picks again
 */
public record MachineConfig(int cpus, long memoryBytes, PagingMode paging, TlbConfig tlb, int maxPhysAddrBits,
                            long quantum, CycleCosts costs) {
    public static final long MAX_MEMORY = 16L << 30;

    public MachineConfig {
        if (cpus < 1 || cpus > 16) {
            throw new IllegalArgumentException("--cpus must be 1..16, got " + cpus);
        }
        if (memoryBytes < (16L << 20) || memoryBytes > MAX_MEMORY || memoryBytes % (1L << 20) != 0) {
            throw new IllegalArgumentException(String.format(
                    "--mem must be a whole number of MiB from 16M to 16G, got %d bytes", memoryBytes));
        }
        if (paging == PagingMode.LEGACY && memoryBytes > (4L << 30)) {
            throw new IllegalArgumentException("legacy 2-level paging addresses at most 4G of memory");
        }
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be >= 1");
        }
    }

    public static MachineConfig defaults() {
        return new MachineConfig(1, 2L << 30, PagingMode.PAE, TlbConfig.defaults(), 36, 20_000,
                CycleCosts.defaults());
    }

    public MachineConfig withCpus(int n) {
        return new MachineConfig(n, memoryBytes, paging, tlb, maxPhysAddrBits, quantum, costs);
    }

    public MachineConfig withMemory(long bytes) {
        return new MachineConfig(cpus, bytes, paging, tlb, maxPhysAddrBits, quantum, costs);
    }

    public MachineConfig withPaging(PagingMode mode) {
        return new MachineConfig(cpus, memoryBytes, mode, tlb, maxPhysAddrBits, quantum, costs);
    }

    public MachineConfig withTlb(TlbConfig t) {
        return new MachineConfig(cpus, memoryBytes, paging, t, maxPhysAddrBits, quantum, costs);
    }

    public MachineConfig withQuantum(long q) {
        return new MachineConfig(cpus, memoryBytes, paging, tlb, maxPhysAddrBits, q, costs);
    }

    public MachineConfig withCosts(CycleCosts c) {
        return new MachineConfig(cpus, memoryBytes, paging, tlb, maxPhysAddrBits, quantum, c);
    }
}
