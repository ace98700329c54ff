package dev.hmemu.app;

/** Bad input from the user (a missing file, a malformed option): exit status 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
