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
 *   <li>that resource copied out of its jar into a temporary file, once per JVM; the file
 *       is deleted as soon as it is loaded (the mapping stays), so a JVM that is killed
 *       leaves nothing behind.</li>
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
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isEmpty()) {
            System.load(Path.of(named).toAbsolutePath().toString());
        } else {
            loadResource();
        }
        loaded = true;
    }

    private static void loadResource() {
        URL url = NativeLibrary.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new UnsatisfiedLinkError(RESOURCE + " is not on the class path (the emulator module was built "
                    + "without it) and -D" + PROPERTY + " is not set");
        }
        if (url.getProtocol().equals("file")) {
            Path file;
            try {
                file = Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw linkError("cannot use " + url, e);
            }
            System.load(file.toString());
            return;
        }
        Path tmp;
        try (InputStream in = url.openStream()) {
            tmp = Files.createTempFile("libhmemu", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw linkError("cannot copy " + url + " to a temporary file", e);
        }
        try {
            System.load(tmp.toString());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                tmp.toFile().deleteOnExit();
            }
        }
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(message + ": " + cause);
        e.initCause(cause);
        return e;
    }
}
