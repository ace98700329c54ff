package dev.hmemu.gdbstub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The target description gdb reads with {@code qXfer:features:read:target.xml}. */
final class TargetDescription {
    static final String ANNEX = "target.xml";
    private final String xml;

    TargetDescription() {
        try (InputStream in = TargetDescription.class.getResourceAsStream("target.xml")) {
            if (in == null) {
                throw new IllegalStateException("target.xml missing from the gdbstub jar");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code qXfer} reply for {@code offset,length}: {@code m} + data, or {@code l} + the last data. */
    String read(long offset, long length) {
        if (offset >= xml.length()) {
            return "l";
        }
        int from = (int) offset;
        int to = (int) Math.min(xml.length(), offset + length);
        return (to == xml.length() ? "l" : "m") + xml.substring(from, to);
    }
}
