package dev.hmemu.emulator;

import dev.hmemu.emulator.engine.EngineCallbacks;
import dev.hmemu.emulator.engine.X86Reg;
import dev.hmemu.mmu.ControlRegisters;
import dev.hmemu.mmu.GeneralProtectionException;
import dev.hmemu.mmu.Mmu;
import dev.hmemu.mmu.TlbEntry;
import dev.hmemu.mmu.WalkResult;

/**
 * The guest's own MMU instructions on one CPU, seen exactly at the instruction (the C
 * helper hooks their addresses): invlpg, mov to/from CR0/CR2/CR3/CR4, wrmsr IA32_EFER,
 * rdtsc/rdtscp, wbinvd/invd.
 *
 * <p>Costs are those of the same operation done by the kernel model (invlpg, CR3 load,
 * full flush on a CR4.PGE toggle). The Linux vmstat counters ({@code nr_tlb_*}) are not
 * touched: Linux counts them in its flush functions (flush_tlb_one_kernel, ...), not in
 * the instruction, so a guest's bare {@code invlpg} shows in the TLB's INVLPG count and
 * in {@link #count} only. A change of paging mode the model does not support (paging or
 * protection turned off, PAE/PSE/PCIDE or EFER.NXE changed) stops the run.
 */
final class MmuInstructions {
    static final long MSR_EFER = 0xC000_0080L;
    private static final long CR4_PCIDE = 1L << 17;

    private final Cpu cpu;
    private final long[] counts = new long[EngineCallbacks.INSN_UNSUPPORTED + 1];
    private long cr2;
    private String error;

    MmuInstructions(Cpu cpu) {
        this.cpu = cpu;
    }

    /** How many times the guest executed instruction {@code kind} (EngineCallbacks.INSN_*). */
    long count(int kind) {
        return counts[kind];
    }

    /** The reason the last {@link EngineCallbacks#INSN_STOP} asked to stop, once. */
    String takeError() {
        String e = error;
        error = null;
        return e;
    }

    long cr2() {
        return cr2;
    }

    void setCr2(long value) {
        cr2 = value & 0xffffffffL;
    }

    long execute(int kind, long a0, long a1) {
        if (kind < 0 || kind >= counts.length) {
            return EngineCallbacks.INSN_ENGINE;
        }
        if (kind == EngineCallbacks.INSN_TRANSLATE) {
            return codePage(a0);
        }
        Mmu mmu = cpu.mmu();
        switch (kind) {
            case EngineCallbacks.INSN_RDTSC, EngineCallbacks.INSN_RDTSCP -> {
                counts[kind]++;
                return cpu.cycles();
            }
            case EngineCallbacks.INSN_INVLPG -> {
                counts[kind]++;
                cpu.invlpg(a0 & 0xffffffffL);
                return 0;
            }
            case EngineCallbacks.INSN_WBINVD, EngineCallbacks.INSN_INVD -> {
                counts[kind]++; // caches are not modelled: seen and counted, no cycles
                return 0;
            }
            case EngineCallbacks.INSN_MOV_FROM_CR -> {
                long v = switch ((int) a0) {
                    case 0 -> mmu.cr().cr0();
                    case 2 -> cr2;
                    case 3 -> mmu.cr().cr3();
                    case 4 -> mmu.cr().cr4();
                    default -> -1;
                };
                if (v < 0) {
                    return EngineCallbacks.INSN_ENGINE; // CR1, CR5-7: the engine raises #UD
                }
                counts[kind]++;
                return v & 0xffffffffL;
            }
            case EngineCallbacks.INSN_MOV_TO_CR -> {
                return movToCr((int) a0, a1 & 0xffffffffL);
            }
            case EngineCallbacks.INSN_WRMSR -> {
                if ((a0 & 0xffffffffL) != MSR_EFER) {
                    return EngineCallbacks.INSN_ENGINE;
                }
                counts[kind]++;
                long changed = mmu.cr().efer() ^ a1;
                if ((changed & ControlRegisters.EFER_NXE) != 0) {
                    return unsupported(String.format("wrmsr IA32_EFER %#x -> %#x changes EFER.NXE", mmu.cr().efer(), a1));
                }
                mmu.setEfer(a1);
                return 0;
            }
            default -> {
                return unsupported("an MMU instruction with 16-bit addressing");
            }
        }
    }

    private long movToCr(int n, long v) {
        Mmu mmu = cpu.mmu();
        ControlRegisters cr = mmu.cr();
        try {
            switch (n) {
                case 0 -> {
                    counts[EngineCallbacks.INSN_MOV_TO_CR]++;
                    long cleared = cr.cr0() & ~v;
                    if ((cleared & (ControlRegisters.CR0_PG | ControlRegisters.CR0_PE)) != 0) {
                        return unsupported(String.format("mov %#x to CR0 clears CR0.%s (CR0 was %#x)", v,
                                (cleared & ControlRegisters.CR0_PG) != 0 ? "PG" : "PE", cr.cr0()));
                    }
                    mmu.writeCr0(v);
                    cpu.syncEngineTlb();
                    return 0;
                }
                case 2 -> {
                    counts[EngineCallbacks.INSN_MOV_TO_CR]++;
                    cr2 = v;
                    return 0;
                }
                case 3 -> {
                    counts[EngineCallbacks.INSN_MOV_TO_CR]++;
                    cpu.loadCr3(v);
                    return 0;
                }
                case 4 -> {
                    counts[EngineCallbacks.INSN_MOV_TO_CR]++;
                    long changed = cr.cr4() ^ v;
                    long bad = changed & (ControlRegisters.CR4_PAE | ControlRegisters.CR4_PSE | CR4_PCIDE);
                    if (bad != 0) {
                        return unsupported(String.format("mov %#x to CR4 changes CR4.%s (CR4 was %#x)", v,
                                (bad & ControlRegisters.CR4_PAE) != 0 ? "PAE"
                                        : (bad & ControlRegisters.CR4_PSE) != 0 ? "PSE" : "PCIDE", cr.cr4()));
                    }
                    boolean flushes = (changed & (ControlRegisters.CR4_PGE | ControlRegisters.CR4_SMEP)) != 0;
                    mmu.writeCr4(v);
                    if (flushes) {
                        cpu.charge(CycleCategory.FLUSH_ALL, cpu.cycleModel().flushAll());
                    }
                    cpu.syncEngineTlb();
                    return 0;
                }
                default -> {
                    return EngineCallbacks.INSN_ENGINE;
                }
            }
        } catch (GeneralProtectionException e) {
            return unsupported(String.format("mov %#x to CR%d: general protection fault: %s", v, n, e.getMessage()));
        }
    }

    private long unsupported(String what) {
        error = String.format("CPU%d: unsupported paging-mode change at EIP %08x: %s; hmemu models a kernel "
                + "that keeps protected mode, paging and its paging mode (%s) on", cpu.id(),
                cpu.reg(X86Reg.EIP) & 0xffffffffL, what, cpu.mmu().mode());
        counts[EngineCallbacks.INSN_UNSUPPORTED]++;
        return EngineCallbacks.INSN_STOP;
    }

    /** Physical address of the code page at {@code vaddr}: TLB entry, else a side-effect-free walk. */
    private long codePage(long vaddr) {
        Mmu mmu = cpu.mmu();
        TlbEntry e = mmu.tlb().peek(vaddr);
        long pa;
        if (e != null) {
            pa = e.physPage() + ((vaddr & 0xffffffffL) - e.linearPage());
        } else if (mmu.debugTranslate(vaddr) instanceof WalkResult.Mapped m) {
            pa = m.physical();
        } else {
            return EngineCallbacks.INSN_STOP;
        }
        pa &= ~0xfffL;
        return pa + 4096 <= cpu.physicalSize() ? pa : EngineCallbacks.INSN_STOP;
    }
}
