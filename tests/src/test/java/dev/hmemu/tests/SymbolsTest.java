package dev.hmemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.app.Main;
import dev.hmemu.emulator.elf.ElfImage;
import dev.hmemu.emulator.elf.ElfSegment;
import dev.hmemu.emulator.elf.ElfSymbol;
import dev.hmemu.emulator.symbols.CodeLocation;
import dev.hmemu.emulator.symbols.ImageSymbols;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ELF + DWARF symbolizer on images gcc 12 really builds (hmemu build: -g, frame pointers). */
class SymbolsTest {
    private static final String SRC = """
            #include <linux/highmem.h>
            #include <linux/gfp.h>

            static noinline void *grab(struct page *p)
            {
            	void *a = kmap(p);
            	return a;
            }

            static noinline void drop(struct page *p)
            {
            	kunmap(p);
            }

            int main(void)
            {
            	struct page *p = alloc_page(GFP_HIGHUSER);
            	char *a = grab(p);
            	a[0] = 1;
            	drop(p);
            	__free_page(p);
            	return 0;
            }
            """;

    @TempDir
    Path tmp;

    private ElfImage build(String name, String src) throws Exception {
        Path c = tmp.resolve(name + ".c");
        Files.writeString(c, src);
        Path elf = tmp.resolve(name + ".elf");
        assertEquals(0, Main.execute("build", "-o", elf.toString(), c.toString()));
        return ElfImage.read(elf);
    }

    /** Addresses of the hypercall instructions (outl %eax, $0xE9 = E7 E9) inside {@code fn}. */
    private static List<Long> hypercalls(ElfImage img, Path elf, String fn) throws Exception {
        ElfSymbol s = img.symbols().find(fn).orElseThrow();
        byte[] file = Files.readAllBytes(elf);
        List<Long> out = new ArrayList<>();
        for (ElfSegment seg : img.segments()) {
            if (s.value() < seg.vaddr() || s.value() >= seg.vaddr() + seg.fileSize()) {
                continue;
            }
            for (long a = s.value(); a + 1 < s.value() + s.size(); a++) {
                int o = (int) (seg.fileOffset() + a - seg.vaddr());
                if ((file[o] & 0xff) == 0xE7 && (file[o + 1] & 0xff) == 0xE9) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private static int lineOf(String src, String text) {
        String[] lines = src.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }

    @Test
    void aHypercallInlinedIntoATestFunctionIsThatFunctionAndTheLineOfTheCall() throws Exception {
        ElfImage img = build("calls", SRC);
        ImageSymbols syms = ImageSymbols.of(img);
        assertTrue(syms.hasLineInfo());
        Path elf = tmp.resolve("calls.elf");
        List<Long> inGrab = hypercalls(img, elf, "grab");
        assertFalse(inGrab.isEmpty(), "kmap's hypercall is inlined into grab");
        for (long pc : inGrab) {
            CodeLocation l = syms.locate(pc);
            assertEquals("grab", l.function());
            assertTrue(l.symbol().matches("grab\\+0x[0-9a-f]+/0x[0-9a-f]+"), l.symbol());
            assertEquals("calls.c", l.file(), l.toString());
            assertEquals(lineOf(SRC, "kmap(p)"), l.line(), l.toString());
        }
        for (long pc : hypercalls(img, elf, "drop")) {
            CodeLocation l = syms.locate(pc);
            assertEquals("calls.c:" + lineOf(SRC, "kunmap(p)"), l.fileLine(), l.toString());
        }
        ElfSymbol main = img.symbols().find("main").orElseThrow();
        CodeLocation m = syms.locate(main.value());
        assertEquals("main+0x0/0x" + Long.toHexString(main.size()), m.symbol());
        assertEquals("calls.c", m.file());
    }

    @Test
    void anAddressOutsideEveryFunctionIsBareHexWithoutALine() throws Exception {
        ImageSymbols syms = ImageSymbols.of(build("bare", SRC));
        CodeLocation l = syms.locate(0x1000);
        assertEquals("0x00001000", l.symbol());
        assertEquals(null, l.function());
        assertEquals(null, l.file());
    }

    @Test
    void anImageWithoutDebugInfoStillHasSymbols() throws Exception {
        ElfImage img = build("stripped", SRC);
        Path elf = tmp.resolve("stripped.elf");
        Path out = tmp.resolve("stripped-nodebug.elf");
        Process p = new ProcessBuilder("objcopy", "--strip-debug", elf.toString(), out.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        ImageSymbols syms = ImageSymbols.of(ElfImage.read(out));
        assertFalse(syms.hasLineInfo());
        CodeLocation l = syms.locate(img.symbols().find("grab").orElseThrow().value());
        assertEquals("grab", l.function());
        assertNotNull(l.symbol());
        assertEquals(null, l.file());
    }
}
