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
}
