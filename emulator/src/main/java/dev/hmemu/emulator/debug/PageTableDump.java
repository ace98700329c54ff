package dev.hmemu.emulator.debug;

import dev.hmemu.mmu.ControlRegisters;
import dev.hmemu.mmu.PhysicalMemory;

/**
 * {@code monitor pt VADDR}: the page walk of one address, entry by entry, read from
 * physical memory without touching the TLB or A/D bits.
 */
final class PageTableDump {
    private PageTableDump() {
    }

    static String walk(ControlRegisters cr, PhysicalMemory mem, long va) {
        va &= 0xffffffffL;
        StringBuilder b = new StringBuilder();
        b.append(String.format("%08x: cr3=%08x %s paging%n", va, cr.cr3(), cr.pae() ? "PAE" : "2-level"));
        if (!cr.pg()) {
            return b.append("paging is off: physical = virtual\n").toString();
        }
        if (cr.pae()) {
            int i3 = (int) (va >>> 30);
            long pdpte = cr.pdpte(i3);
            line(b, "PDPTE", i3, cr.pdptAddress() + 8L * i3, pdpte);
            if ((pdpte & 1) == 0) {
                return b.append("not present at PDPTE\n").toString();
            }
            int i2 = (int) ((va >>> 21) & 0x1ff);
            long pdeAt = (pdpte & 0x000f_ffff_ffff_f000L) + 8L * i2;
            long pde = read64(mem, pdeAt);
            line(b, "PDE", i2, pdeAt, pde);
            if ((pde & 1) == 0) {
                return b.append("not present at PDE\n").toString();
            }
            if ((pde & 0x80) != 0) {
                long pa = (pde & 0x000f_ffff_ffe0_0000L) | (va & 0x1f_ffff);
                return b.append(String.format("2 MiB page: physical %x%n", pa)).toString();
            }
            int i1 = (int) ((va >>> 12) & 0x1ff);
            long pteAt = (pde & 0x000f_ffff_ffff_f000L) + 8L * i1;
            long pte = read64(mem, pteAt);
            line(b, "PTE", i1, pteAt, pte);
            if ((pte & 1) == 0) {
                return b.append("not present at PTE\n").toString();
            }
            return b.append(String.format("physical %x%n", (pte & 0x000f_ffff_ffff_f000L) | (va & 0xfff))).toString();
        }
        int i2 = (int) (va >>> 22);
        long pdeAt = (cr.cr3() & 0xffff_f000L) + 4L * i2;
        long pde = read32(mem, pdeAt);
        line(b, "PDE", i2, pdeAt, pde);
        if ((pde & 1) == 0) {
            return b.append("not present at PDE\n").toString();
        }
        if ((pde & 0x80) != 0 && cr.pse()) {
            long pa = (pde & 0xffc0_0000L) | (va & 0x3f_ffff);
            return b.append(String.format("4 MiB page: physical %x%n", pa)).toString();
        }
        int i1 = (int) ((va >>> 12) & 0x3ff);
        long pteAt = (pde & 0xffff_f000L) + 4L * i1;
        long pte = read32(mem, pteAt);
        line(b, "PTE", i1, pteAt, pte);
        if ((pte & 1) == 0) {
            return b.append("not present at PTE\n").toString();
        }
        return b.append(String.format("physical %x%n", (pte & 0xffff_f000L) | (va & 0xfff))).toString();
    }

    private static long read64(PhysicalMemory mem, long pa) {
        return pa + 8 <= mem.size() ? mem.readLong(pa) : 0;
    }

    private static long read32(PhysicalMemory mem, long pa) {
        return pa + 4 <= mem.size() ? mem.readInt(pa) & 0xffffffffL : 0;
    }

    private static void line(StringBuilder b, String level, int index, long at, long value) {
        b.append(String.format("  %-5s [%3d] @%09x = %016x  %s%n", level, index, at, value, flags(value)));
    }

    /** The set flags by their Intel names. */
    static String flags(long v) {
        String[] names = {"P", "RW", "US", "PWT", "PCD", "A", "D", "PS", "G"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((v & (1L << i)) != 0) {
                b.append(b.length() == 0 ? "" : " ").append(names[i]);
            }
        }
        if (v < 0) {
            b.append(b.length() == 0 ? "" : " ").append("NX");
        }
        return b.length() == 0 ? "-" : b.toString();
    }
}
