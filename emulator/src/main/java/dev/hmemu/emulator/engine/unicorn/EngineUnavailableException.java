package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.emulator.engine.EngineException;

/** libunicorn 2.1 or libhmemu is missing: the message says what to install. */
public final class EngineUnavailableException extends EngineException {
    EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
