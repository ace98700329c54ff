package dev.hmemu.emulator.engine;

/** An engine error: a failed native call, with its code and context in hex. */
public class EngineException extends RuntimeException {
    private final int code;

    public EngineException(String message, int code) {
        super(message);
        this.code = code;
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
        this.code = -1;
    }

    /** The engine's error code (Unicorn's uc_err), or -1. */
    public int code() {
        return code;
    }
}
