package dev.hmemu.kernel.hcall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java hypercall numbers and the guest's hcall.h say the same thing. */
class HypercallAbiTest {
    private static final Path HEADER = Path.of("..", "images", "runtime", "include", "hmemu", "hcall.h");

    @Test
    void enumMatchesTheGuestHeader() throws IOException {
        String src = Files.readString(HEADER);
        String body = src.substring(src.indexOf("enum hm_hcall_nr"), src.indexOf("HC_NR_MAX"));
        Matcher m = Pattern.compile("(HC_[A-Z_]+)\\s*=\\s*(\\d+)").matcher(body);
        Map<String, Integer> header = new TreeMap<>();
        while (m.find()) {
            header.put(m.group(1).substring(3), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> java = new TreeMap<>();
        for (Hypercall h : Hypercall.values()) {
            java.put(h.name(), h.number());
        }
        assertEquals(header, java);
    }

    @Test
    void restartValueMatchesTheGuestHeader() throws IOException {
        Matcher m = Pattern.compile("#define HM_RESTART \\((-?\\d+)\\)").matcher(Files.readString(HEADER));
        m.find();
        assertEquals(Integer.parseInt(m.group(1)), Hypercall.RESTART);
    }
}
