package dev.hmemu.emulator.engine.unicorn;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads libhmemu.so, the C helper with its JNI binding (HmLib, UcLib). libunicorn is a
 * needed library of it, so the dynamic linker finds Unicorn where the system installed it.
 *
 * <p>Where from, in this order:
 * <ol>
 *   <li>the file the system property {@value #PROPERTY} names (the launcher passes the copy
 *       the build unpacked into {@code app/target/native});</li>
 *   <li>the build's resource {@value #RESOURCE} when it is a plain file (a build tree);</li>
 *   <li>that resource copied out of its jar into a temporary file, once per JVM.</li>
 * </ol>
 */
final class NativeLibrary {
    static final String PROPERTY = "hmemu.library";
    static final String RESOURCE = "linux-x86-64/libhmemu.so";

    private static boolean loaded;

    private NativeLibrary() {
    }

    /**
     * Loads it once per JVM.
     *
     * @throws UnsatisfiedLinkError when it, or the libunicorn it needs, cannot be loaded
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        System.load(locate().toString());
        loaded = true;
    }

    private static Path locate() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isEmpty()) {
            return Path.of(named).toAbsolutePath();
        }
        URL url = NativeLibrary.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new UnsatisfiedLinkError(RESOURCE + " is not on the class path (the emulator module was built "
                    + "without it) and -D" + PROPERTY + " is not set");
        }
        if (url.getProtocol().equals("file")) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw linkError("cannot use " + url, e);
            }
        }
        try (InputStream in = url.openStream()) {
            Path tmp = Files.createTempFile("libhmemu", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw linkError("cannot copy " + url + " to a temporary file", e);
        }
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(message + ": " + cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
