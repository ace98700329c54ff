package dev.hmemu.mmu;

/**
 * Paging-related register state of one CPU: CR0, CR3, CR4, IA32_EFER and the four PAE
 * PDPTE registers.
 *
 * <p>The setters are raw: they change one value and nothing else. Architectural side effects
 * of a MOV to a control register (PDPTE loads, TLB flushes) belong to {@link Mmu}, whose
 * {@code loadCr3}/{@code writeCr0}/{@code writeCr4} should be used for guest writes.
 */
public final class ControlRegisters {
    /** CR0.PE, protection enable. */
    public static final long CR0_PE = 1L;
    /** CR0.WP, supervisor writes honour R/W. */
    public static final long CR0_WP = 1L << 16;
    /** CR0.NW, not write-through. */
    public static final long CR0_NW = 1L << 29;
    /** CR0.CD, cache disable. */
    public static final long CR0_CD = 1L << 30;
    /** CR0.PG, paging. */
    public static final long CR0_PG = 1L << 31;
    /** CR4.PSE, 4 MiB pages in legacy paging. */
    public static final long CR4_PSE = 1L << 4;
    /** CR4.PAE. */
    public static final long CR4_PAE = 1L << 5;
    /** CR4.PGE, global pages. */
    public static final long CR4_PGE = 1L << 7;
    /** CR4.SMEP (not enforced by the walkers; only its PDPTE/TLB side effects are modelled). */
    public static final long CR4_SMEP = 1L << 20;
    /** IA32_EFER.NXE, execute-disable enable. */
    public static final long EFER_NXE = 1L << 11;

    /** PDPTE reserved bits below bit 12: 2:1 and 8:5. */
    static final long PDPTE_RESERVED_LOW = 0x1E6L;

    private long cr0;
    private long cr3;
    private long cr4;
    private long efer;
    private final long[] pdptes = new long[4];

    /** CR0. */
    public long cr0() {
        return cr0;
    }

    /** CR3. */
    public long cr3() {
        return cr3;
    }

    /** CR4. */
    public long cr4() {
        return cr4;
    }

    /** IA32_EFER. */
    public long efer() {
        return efer;
    }

    /** Sets CR0 without side effects. */
    public void setCr0(long value) {
        cr0 = value & 0xFFFF_FFFFL;
    }

    /** Sets CR3 without side effects (no PDPTE load, no flush). */
    public void setCr3(long value) {
        cr3 = value & 0xFFFF_FFFFL;
    }

    /** Sets CR4 without side effects. */
    public void setCr4(long value) {
        cr4 = value & 0xFFFF_FFFFL;
    }

    /** Sets IA32_EFER without side effects. */
    public void setEfer(long value) {
        efer = value;
    }

    /** CR0.WP (bit 16). */
    public boolean wp() {
        return (cr0 & CR0_WP) != 0;
    }

    /** CR0.PG (bit 31). */
    public boolean pg() {
        return (cr0 & CR0_PG) != 0;
    }

    /** CR4.PAE (bit 5). */
    public boolean pae() {
        return (cr4 & CR4_PAE) != 0;
    }

    /** CR4.PGE (bit 7). */
    public boolean pge() {
        return (cr4 & CR4_PGE) != 0;
    }

    /** CR4.PSE (bit 4). */
    public boolean pse() {
        return (cr4 & CR4_PSE) != 0;
    }

    /** EFER.NXE (bit 11). */
    public boolean nxe() {
        return (efer & EFER_NXE) != 0;
    }

    /** PDPTE register {@code index} (0..3), as last loaded. */
    public long pdpte(int index) {
        return pdptes[index];
    }

    /** A copy of the four PDPTE registers. */
    public long[] pdptes() {
        return pdptes.clone();
    }

    /** Physical address of the PAE PDPT named by CR3 (bits 31:5). */
    public long pdptAddress() {
        return cr3 & 0xFFFF_FFE0L;
    }

    /**
     * Loads the four PDPTE registers from the 32-byte-aligned PDPT at CR3[31:5].
     *
     * @param mem             physical memory holding the PDPT
     * @param maxPhysAddrBits MAXPHYADDR; bits 63:MAXPHYADDR of a present PDPTE are reserved
     * @throws GeneralProtectionException if a present PDPTE has reserved bits (2:1, 8:5 or
     *         63:MAXPHYADDR) set; the registers keep their old values
     */
    public void loadPdptes(PhysicalMemory mem, int maxPhysAddrBits) {
        long reserved = PDPTE_RESERVED_LOW | PaeWalker.bitsFrom(maxPhysAddrBits);
        long base = pdptAddress();
        long[] fresh = new long[4];
        for (int i = 0; i < 4; i++) {
            long e = mem.readLong(base + 8L * i);
            if ((e & PteBits._PAGE_PRESENT) != 0 && (e & reserved) != 0) {
                throw new GeneralProtectionException("PDPTE " + i + " at 0x" + Long.toHexString(base + 8L * i)
                        + " = 0x" + Long.toHexString(e) + " has reserved bits 0x" + Long.toHexString(e & reserved)
                        + " (CR3=0x" + Long.toHexString(cr3) + ")");
            }
            fresh[i] = e;
        }
        System.arraycopy(fresh, 0, pdptes, 0, 4);
    }

    @Override
    public String toString() {
        return "ControlRegisters[cr0=0x" + Long.toHexString(cr0) + ", cr3=0x" + Long.toHexString(cr3)
                + ", cr4=0x" + Long.toHexString(cr4) + ", efer=0x" + Long.toHexString(efer)
                + ", pdptes=[0x" + Long.toHexString(pdptes[0]) + ", 0x" + Long.toHexString(pdptes[1])
                + ", 0x" + Long.toHexString(pdptes[2]) + ", 0x" + Long.toHexString(pdptes[3]) + "]]";
    }
}
