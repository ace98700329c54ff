package dev.hmemu.emulator.engine.unicorn;

import dev.hmemu.mmu.TlbConfig;
import dev.hmemu.mmu.TlbMirror;
import java.nio.ByteBuffer;

/**
 * The model TLB's copy in libhmemu (hm_mtlb), written through a direct buffer: a slot
 * write is a few stores, no native call. The C fill hook answers the engine's refills of
 * pages found there; {@link #setStale} makes it send every fill to Java instead.
 */
final class NativeTlbMirror implements TlbMirror {
    private static final int SLOT_BYTES = 32;
    private static final int OFF_WP = 0;
    private static final int OFF_STALE = 4;

    private final ByteBuffer mem;
    private final int slotBase;
    private final int largeFirst;

    private NativeTlbMirror(ByteBuffer mem, int slotBase, int largeFirst) {
        this.mem = mem;
        this.slotBase = slotBase;
        this.largeFirst = largeFirst;
    }

    /** The mirror of CPU {@code hm}'s model TLB, or null when the geometry does not fit it. */
    static NativeTlbMirror create(long hm, TlbConfig tlb, long physSize) {
        int sets0 = tlb.entries4k() / tlb.ways4k();
        int sets1 = tlb.entriesLarge() / tlb.waysLarge();
        long addr = HmLib.hm_cpu_mtlb(hm, tlb.ways4k(), sets0, tlb.waysLarge(), sets1, physSize);
        if (addr == 0) {
            return null;
        }
        int base = HmLib.hm_mtlb_slot_offset();
        int slots = tlb.entries4k() + tlb.entriesLarge();
        ByteBuffer b = HmLib.nativeView(addr, base + (long) slots * SLOT_BYTES);
        return new NativeTlbMirror(b, base, tlb.entries4k());
    }

    private int offset(int bank, int slot) {
        return slotBase + (bank == SMALL ? slot : largeFirst + slot) * SLOT_BYTES;
    }

    @Override
    public void store(int bank, int slot, long linearPage, long physPage, long pageSize, int flags) {
        int o = offset(bank, slot);
        mem.putLong(o + 8, physPage);
        mem.putLong(o + 16, pageSize);
        mem.putInt(o + 24, flags);
        mem.putLong(o, linearPage);
    }

    @Override
    public void invalidate(int bank, int slot) {
        mem.putLong(offset(bank, slot), -1L);
    }

    @Override
    public void writeProtect(boolean wp) {
        mem.putInt(OFF_WP, wp ? 1 : 0);
    }

    /** While true, every fill goes to Java (it owes the engine a flush). */
    void setStale(boolean stale) {
        mem.putInt(OFF_STALE, stale ? 1 : 0);
    }
}
