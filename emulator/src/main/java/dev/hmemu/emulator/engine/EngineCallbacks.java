package dev.hmemu.emulator.engine;

import dev.hmemu.mmu.AccessType;

/** What the engine asks the rest of the emulator; called on the machine thread. */
public interface EngineCallbacks {

    /** Result of {@link #tlbFill} that refuses the access: a page fault. */
    long FILL_FAULT = -1;

    /**
     * Translates the page holding {@code vaddr} for an access of {@code type}.
     *
     * @return the physical page address ORed with the permissions
     *     ({@link #PERM_READ}, {@link #PERM_WRITE}, {@link #PERM_EXEC}), or
     *     {@link #FILL_FAULT}
     */
    long tlbFill(long vaddr, AccessType type);

    /**
     * The guest wrote {@code value} to I/O port {@code port} (the hypercall instruction).
     *
     * @return true to stop the engine at the next block boundary
     */
    boolean portWrite(int port, int value);

    int PERM_READ = 1;
    int PERM_WRITE = 2;
    int PERM_EXEC = 4;

    /**
     * Set in a {@link #tlbFill} result when the fill made the model drop translations:
     * the engine forgets its cached translations before the next block (not inside the
     * fill, which may be running in the middle of translating a block).
     */
    int FLUSH_PENDING = 8;

    /**
     * The guest is about to execute an MMU instruction ({@code INSN_*}), seen exactly at
     * the instruction; the engine skips it unless the answer is {@link #INSN_ENGINE}.
     * {@link #INSN_TRANSLATE} asks, without side effects, for the physical page of a
     * code page ({@code a0}) the engine is executing.
     *
     * @return the instruction's result (TSC, control-register value, physical page; 0 if
     *     none), {@link #INSN_STOP} to stop at the next block start (the reason is kept by
     *     the callee), or {@link #INSN_ENGINE}
     */
    default long mmuInstruction(int kind, long a0, long a1) {
        return INSN_ENGINE;
    }

    int INSN_TRANSLATE = 0;
    /** rdtsc: the result is the TSC. */
    int INSN_RDTSC = 1;
    /** rdtscp: the result is the TSC; the engine sets ECX to the CPU number. */
    int INSN_RDTSCP = 2;
    /** invlpg: {@code a0} is the linear address. */
    int INSN_INVLPG = 3;
    /** mov from CR{@code a0}: the result is its value. */
    int INSN_MOV_FROM_CR = 4;
    /** mov {@code a1} to CR{@code a0}. */
    int INSN_MOV_TO_CR = 5;
    int INSN_WBINVD = 6;
    int INSN_INVD = 7;
    /** wrmsr: {@code a0} = ECX, {@code a1} = EDX:EAX. */
    int INSN_WRMSR = 8;
    /** An MMU instruction hmemu cannot emulate (16-bit addressing) at {@code a0}. */
    int INSN_UNSUPPORTED = 9;

    long INSN_STOP = -1;
    long INSN_ERROR = -2;
    long INSN_ENGINE = -3;
}
