package dev.hmemu.mmu;

/**
 * #GP raised by a control-register write, e.g. a MOV to CR3 under PAE whose PDPT holds a
 * present PDPTE with reserved bits set. The register write did not take effect.
 */
public final class GeneralProtectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;

    /** @param message what was rejected, with addresses and values in hex */
    public GeneralProtectionException(String message) {
        this(message, 0);
    }

    /**
     * @param message   what was rejected
     * @param errorCode the #GP error code (0 for control-register faults)
     */
    public GeneralProtectionException(String message, int errorCode) {
        super("#GP(" + errorCode + "): " + message);
        this.errorCode = errorCode;
    }

    /** The #GP error code pushed by the CPU. */
    public int errorCode() {
        return errorCode;
    }
}
