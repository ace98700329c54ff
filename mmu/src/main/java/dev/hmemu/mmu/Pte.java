package dev.hmemu.mmu;

/**
 * A 64-bit PAE paging entry as a value, for dumps and assertions. {@code toString} prints
 * the raw value in hex followed by its set flags.
 */
public record Pte(long value) {

    /** _PAGE_PRESENT. */
    public boolean present() {
        return (value & PteBits._PAGE_PRESENT) != 0;
    }

    /** _PAGE_RW. */
    public boolean writable() {
        return (value & PteBits._PAGE_RW) != 0;
    }

    /** _PAGE_USER. */
    public boolean user() {
        return (value & PteBits._PAGE_USER) != 0;
    }

    /** _PAGE_ACCESSED. */
    public boolean accessed() {
        return (value & PteBits._PAGE_ACCESSED) != 0;
    }

    /** _PAGE_DIRTY. */
    public boolean dirty() {
        return (value & PteBits._PAGE_DIRTY) != 0;
    }

    /** _PAGE_PSE (meaningful in a PDE). */
    public boolean large() {
        return (value & PteBits._PAGE_PSE) != 0;
    }

    /** _PAGE_GLOBAL. */
    public boolean global() {
        return (value & PteBits._PAGE_GLOBAL) != 0;
    }

    /** _PAGE_NX. */
    public boolean nx() {
        return (value & PteBits._PAGE_NX) != 0;
    }

    /** Frame number, bits 51:12. */
    public long pfn() {
        return PteBits.pfn(value);
    }

    /** Physical address of the frame (bits 51:12, low bits clear). */
    public long physAddr() {
        return value & PteBits.PTE_PFN_MASK;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("0x%016x", value));
        sb.append(" [");
        int len = sb.length();
        flag(sb, present(), "P");
        flag(sb, writable(), "RW");
        flag(sb, user(), "US");
        flag(sb, accessed(), "A");
        flag(sb, dirty(), "D");
        flag(sb, large(), "PS");
        flag(sb, global(), "G");
        flag(sb, nx(), "NX");
        if (sb.length() == len) {
            sb.append('-');
        }
        return sb.append(']').toString();
    }

    private static void flag(StringBuilder sb, boolean on, String name) {
        if (on) {
            if (sb.charAt(sb.length() - 1) != '[') {
                sb.append(' ');
            }
            sb.append(name);
        }
    }
}
