package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** images/README.md stays true: its Images table lists exactly the images in images/src. */
class ImagesReadmeTest {
    private static final Path IMAGES = Path.of("..", "images");

    @Test
    void theImagesTableListsEveryShippedImage() throws IOException {
        String readme = Files.readString(IMAGES.resolve("README.md"));
        int start = readme.indexOf("\n## Images\n");
        assertTrue(start >= 0, "images/README.md has an Images section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> listed = section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| image "))
                .map(l -> l.substring(2, l.indexOf(" |", 1)).trim()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> shipped;
        try (Stream<Path> files = Files.list(IMAGES.resolve("src"))) {
            shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(shipped, listed);
    }

    @Test
    void theReadmeNamesTheFolderTheBuildWritesTo() throws IOException {
        String readme = Files.readString(IMAGES.resolve("README.md"));
        assertTrue(Files.isDirectory(IMAGES.resolve(Path.of("target", "classes", "dev", "hmemu", "images"))));
        assertTrue(readme.contains("images/target/classes/dev/hmemu/images"), "the output folder of the build");
    }
}
