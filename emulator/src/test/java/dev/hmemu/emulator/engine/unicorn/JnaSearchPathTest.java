package dev.hmemu.emulator.engine.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The linker configuration as ldconfig reads it: comments, include globs in name order (no hidden files), nesting. */
class JnaSearchPathTest {
    @TempDir
    Path dir;

    @Test
    void readsFoldersCommentsAndIncludesInNameOrder() throws IOException {
        Path d = Files.createDirectory(dir.resolve("ld.so.conf.d"));
        Files.writeString(d.resolve("b.conf"), "/opt/b/lib   # second by name\n");
        Files.writeString(d.resolve("a.conf"), "# a comment line\n\t/opt/a/lib\n/opt/a/lib32 extra words\n");
        Files.writeString(d.resolve("c.conf.disabled"), "/opt/never\n");
        Files.writeString(d.resolve(".hidden.conf"), "/opt/hidden\n");
        Files.writeString(d.resolve("nested.conf"), "include " + dir.resolve("more") + "/x?.conf\n");
        Path more = Files.createDirectory(dir.resolve("more"));
        Files.writeString(more.resolve("x1.conf"), "/opt/x1\n");
        Files.writeString(more.resolve("x12.conf"), "/opt/x12\n");
        Path main = dir.resolve("ld.so.conf");
        Files.writeString(main, "/usr/first\ninclude ld.so.conf.d/*.conf\nincludes-not-a-keyword\nrelative/ignored\n");
        assertEquals(List.of("/usr/first", "/opt/a/lib", "/opt/a/lib32", "/opt/b/lib", "/opt/x1"),
                JnaSearchPath.configured(main));
    }

    @Test
    void anIncludeLoopStopsAndMissingFilesGiveNothing() throws IOException {
        Path self = dir.resolve("loop.conf");
        Files.writeString(self, "/opt/loop\ninclude " + self + "\n");
        List<String> folders = JnaSearchPath.configured(self);
        assertTrue(folders.size() > 1 && folders.stream().allMatch("/opt/loop"::equals), folders.toString());
        assertEquals(List.of(), JnaSearchPath.configured(dir.resolve("absent.conf")));
        assertEquals(List.of(), JnaSearchPath.configured(dir.resolve("no-such-dir/x.conf")));
    }

    @Test
    void bracketClassesMatchToo() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("a1.conf"), "/opt/a1\n");
        Files.writeString(d.resolve("b1.conf"), "/opt/b1\n");
        Files.writeString(d.resolve("c1.conf"), "/opt/c1\n");
        Path main = dir.resolve("main.conf");
        Files.writeString(main, "include d/[ab]1.conf\n");
        assertEquals(List.of("/opt/a1", "/opt/b1"), JnaSearchPath.configured(main));
    }

    @Test
    void globsMatchLikeTheShell() {
        assertTrue(JnaSearchPath.matches("*.conf", 0, "libc.conf", 0));
        assertFalse(JnaSearchPath.matches("*.conf", 0, "libc.conf~", 0));
        assertTrue(JnaSearchPath.matches("zz*_*.conf", 0, "zz_i386-biarch-compat.conf", 0));
        assertTrue(JnaSearchPath.matches("x?.conf", 0, "x1.conf", 0));
        assertFalse(JnaSearchPath.matches("x?.conf", 0, "x12.conf", 0));
        assertTrue(JnaSearchPath.matches("exact", 0, "exact", 0));
        assertFalse(JnaSearchPath.matches("exact", 0, "exactly", 0));
    }
}
