package dev.hmemu.app;

import dev.hmemu.emulator.elf.ElfFormatException;
import dev.hmemu.emulator.elf.ElfImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds guest images: a path on disk, or the name of an image shipped inside hmemu
 * (built from images/src/NAME.c, e.g. {@code kmap_vs_local}).
 */
public final class Images {
    /** Class-path folder of the shipped images. */
    public static final String RESOURCE_DIR = "dev/hmemu/images/";

    private Images() {
    }

    /** Loads {@code spec}: an existing file, else a shipped image of that name. */
    public static ElfImage load(String spec) {
        Path p = Paths.get(spec);
        try {
            if (Files.exists(p) || spec.contains("/")) {
                return ElfImage.read(p);
            }
            String name = spec.endsWith(".elf") ? spec : spec + ".elf";
            try (InputStream in = Images.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
                if (in != null) {
                    return ElfImage.parse(name, in.readAllBytes());
                }
            }
        } catch (ElfFormatException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException("cannot read " + spec + ": " + e.getMessage(), e);
        }
        throw new UsageException(spec + ": no such file, and no shipped image of that name");
    }

    /** The project folder (for building images): -Dhmemu.home, or found from the jar's place. */
    public static Path home() {
        String h = System.getProperty("hmemu.home");
        if (h != null) {
            return Paths.get(h);
        }
        try {
            Path jar = Paths.get(Images.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("images/build-image.sh"))) {
                    return d;
                }
            }
        } catch (Exception e) {
            // fall through
        }
        throw new UsageException("cannot find the hmemu project folder; run through ./hmemu or set -Dhmemu.home");
    }
}
