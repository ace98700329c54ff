package dev.hmemu.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;

/** An OutputStream onto a command's Writer (ISO-8859-1 bytes: guest text is 8-bit). */
final class WriterStream extends OutputStream {
    private final Writer w;

    WriterStream(Writer w) {
        this.w = w;
    }

    @Override
    public void write(int b) {
        try {
            w.write((char) (b & 0xff));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
