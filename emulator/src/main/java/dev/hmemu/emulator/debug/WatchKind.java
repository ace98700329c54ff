package dev.hmemu.emulator.debug;

/** What a watchpoint watches, with the code the engine's hook uses. */
public enum WatchKind {
    WRITE(1), READ(2), ACCESS(3);

    private final int code;

    WatchKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static WatchKind ofCode(int code) {
        for (WatchKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("watch kind " + code);
    }
}
