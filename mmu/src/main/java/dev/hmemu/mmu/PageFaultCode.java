package dev.hmemu.mmu;

/**
 * #PF error-code bits (Linux {@code enum x86_pf_error_code}) and the wording Linux's
 * {@code show_fault_oops()} prints for them.
 */
public final class PageFaultCode {
    /** Bit 0: 0 = page not present, 1 = protection violation (or reserved bit). */
    public static final int PROT = 1;
    /** Bit 1: the access was a write. */
    public static final int WRITE = 1 << 1;
    /** Bit 2: the access came from user mode (CPL 3). */
    public static final int USER = 1 << 2;
    /** Bit 3: a reserved bit was set in a paging-structure entry. */
    public static final int RSVD = 1 << 3;
    /** Bit 4: instruction fetch (reported only under PAE with EFER.NXE=1, or with SMEP). */
    public static final int INSTR = 1 << 4;
    /** Bit 5: protection-keys violation (never produced by hmemu). */
    public static final int PK = 1 << 5;

    private PageFaultCode() {
    }

    /**
     * The access bits of an error code (WRITE, USER, INSTR) for an access.
     *
     * @param reportInstr whether INSTR is reported for fetches (PAE with EFER.NXE=1)
     */
    public static int accessBits(AccessType type, boolean user, boolean reportInstr) {
        int code = user ? USER : 0;
        if (type == AccessType.WRITE) {
            code |= WRITE;
        } else if (type == AccessType.FETCH && reportInstr) {
            code |= INSTR;
        }
        return code;
    }

    /** True if the fault was a protection (or reserved-bit) fault rather than not-present. */
    public static boolean isProtection(int code) {
        return (code & PROT) != 0;
    }

    /**
     * Linux's access line, e.g. {@code "supervisor read access in kernel mode"}: the first
     * word from USER, then INSTR before WRITE; the mode is taken from the USER bit.
     */
    public static String access(int code) {
        return access(code, (code & USER) != 0);
    }

    /**
     * Linux's access line with the mode given separately (it comes from the saved registers,
     * which differ from the USER bit for implicit supervisor accesses from user mode).
     */
    public static String access(int code, boolean userModeRegs) {
        String who = (code & USER) != 0 ? "user" : "supervisor";
        String what = (code & INSTR) != 0 ? "instruction fetch"
                : (code & WRITE) != 0 ? "write access" : "read access";
        return who + " " + what + " in " + (userModeRegs ? "user" : "kernel") + " mode";
    }

    /**
     * Linux's reason: {@code "not-present page"}, {@code "reserved bit violation"},
     * {@code "protection keys violation"} or {@code "permissions violation"}.
     */
    public static String reason(int code) {
        if ((code & PROT) == 0) {
            return "not-present page";
        }
        if ((code & RSVD) != 0) {
            return "reserved bit violation";
        }
        if ((code & PK) != 0) {
            return "protection keys violation";
        }
        return "permissions violation";
    }

    /**
     * The two lines Linux prints, without the {@code "#PF: "} prefixes, joined by a newline:
     * <pre>
     * supervisor read access in kernel mode
     * error_code(0x0000) - not-present page
     * </pre>
     */
    public static String describe(int code) {
        return access(code) + "\n" + String.format("error_code(0x%04x) - ", code & 0xFFFF) + reason(code);
    }
}
