package dev.hmemu.mmu;

import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_PSE;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

/** Builds PAE page tables in a {@link SparseMemory} for tests: PDPT at {@link #PDPT}, tables from 1 MiB up. */
final class PaeTables {
    static final long PDPT = 0x1000;
    /** Permissive intermediate flags: P|RW|US. */
    static final long TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;

    final SparseMemory mem;
    private long nextTable = 0x10_0000;

    PaeTables(SparseMemory mem) {
        this.mem = mem;
    }

    PaeTables() {
        this(new SparseMemory(64L << 30));
    }

    long allocTable() {
        long a = nextTable;
        nextTable += 0x1000;
        return a;
    }

    long pdpteAddr(long linear) {
        return PDPT + 8 * (linear >>> 30);
    }

    void setPdpte(long linear, long value) {
        mem.writeLong(pdpteAddr(linear), value);
    }

    long pdpte(long linear) {
        return mem.readLong(pdpteAddr(linear));
    }

    /** Address of the PDE for {@code linear}, creating the page directory if needed. */
    long pdeAddr(long linear) {
        long e = pdpte(linear);
        if ((e & _PAGE_PRESENT) == 0) {
            e = allocTable() | _PAGE_PRESENT;
            setPdpte(linear, e);
        }
        return (e & PteBits.PTE_PFN_MASK) + 8 * ((linear >>> 21) & 0x1FF);
    }

    /** Address of the PTE for {@code linear}, creating tables with {@code pdeFlags} if needed. */
    long pteAddr(long linear, long pdeFlags) {
        long pdeAddr = pdeAddr(linear);
        long pde = mem.readLong(pdeAddr);
        if ((pde & _PAGE_PRESENT) == 0) {
            pde = allocTable() | pdeFlags;
            mem.writeLong(pdeAddr, pde);
        }
        return (pde & PteBits.PTE_PFN_MASK) + 8 * ((linear >>> 12) & 0x1FF);
    }

    long pteAddr(long linear) {
        return pteAddr(linear, TABLE);
    }

    void setPde(long linear, long value) {
        mem.writeLong(pdeAddr(linear), value);
    }

    long pde(long linear) {
        return mem.readLong(pdeAddr(linear));
    }

    void setPte(long linear, long value) {
        mem.writeLong(pteAddr(linear), value);
    }

    long pte(long linear) {
        return mem.readLong(pteAddr(linear));
    }

    /** Maps a 4 KiB page under a permissive PDE. */
    void map4k(long linear, long phys, long pteFlags) {
        map4k(linear, phys, TABLE, pteFlags);
    }

    /** Maps a 4 KiB page; {@code pdeFlags} apply only if the page table is created now. */
    void map4k(long linear, long phys, long pdeFlags, long pteFlags) {
        mem.writeLong(pteAddr(linear, pdeFlags), phys | pteFlags);
    }

    /** Maps a 2 MiB page. */
    void map2m(long linear, long phys, long flags) {
        setPde(linear, phys | flags | _PAGE_PSE);
    }

    /** Control registers with CR3 at the PDPT, PDPTEs loaded, paging and WP on, NXE as given. */
    ControlRegisters registers(boolean nxe) {
        ControlRegisters cr = new ControlRegisters();
        cr.setCr0(ControlRegisters.CR0_PG | ControlRegisters.CR0_WP | ControlRegisters.CR0_PE);
        cr.setCr4(ControlRegisters.CR4_PAE | ControlRegisters.CR4_PGE);
        cr.setEfer(nxe ? ControlRegisters.EFER_NXE : 0);
        cr.setCr3(PDPT);
        cr.loadPdptes(mem, 36);
        return cr;
    }

    /** An MMU with paging enabled the way Linux does it (NXE, PAE|PGE, CR3, then CR0 = 0x80050033). */
    Mmu mmu(TlbConfig config) {
        Mmu mmu = new Mmu(mem, PagingMode.PAE, config, 36);
        mmu.setEfer(ControlRegisters.EFER_NXE);
        mmu.writeCr4(ControlRegisters.CR4_PAE | ControlRegisters.CR4_PGE);
        mmu.loadCr3(PDPT);
        mmu.writeCr0(0x8005_0033L);
        return mmu;
    }

    Mmu mmu() {
        return mmu(TlbConfig.defaults());
    }
}
