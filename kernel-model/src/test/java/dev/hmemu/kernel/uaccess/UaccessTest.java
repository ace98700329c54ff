package dev.hmemu.kernel.uaccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.sched.SchedFixture;
import dev.hmemu.kernel.stats.Counter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UaccessTest {
    private static final long USER = 0x08000000L;
    private static final long EFAULT = -14;

    private static SchedFixture withUserPages(int pages) {
        SchedFixture f = new SchedFixture(1);
        f.mm.userRegion(USER, pages * 4096L);
        return f;
    }

    @Test
    void copyFromUserOfAnUntouchedPageUnderPagefaultDisableReturnsTheBytesNotCopied() {
        SchedFixture f = withUserPages(2);
        long kbuf = f.scratch(64);
        f.run(0, Hypercall.PAGEFAULT_DISABLE);
        assertEquals(64, f.run(0, Hypercall.COPY_FROM_USER, kbuf, USER, 64).ret());
        assertEquals(64, f.run(0, Hypercall.COPY_FROM_USER_INATOMIC, kbuf, USER, 64).ret());
        assertEquals(0, f.mm.faults, "the fault handler did not run");
        assertEquals(2, f.total(Counter.UACCESS_FIXUPS));
    }

    @Test
    void copyFromUserDemandPagesAnUntouchedPageWhenFaultsAreAllowed() {
        SchedFixture f = withUserPages(2);
        long kbuf = f.scratch(64);
        assertEquals(0, f.run(0, Hypercall.COPY_FROM_USER, kbuf, USER + 100, 64).ret());
        assertEquals(1, f.mm.faults);
        assertEquals(1, f.total(Counter.DEMAND_PAGED));
        assertEquals(0, f.total(Counter.UACCESS_FIXUPS));
    }

    @Test
    void copyToUserStopsAtTheFirstPageThatCannotBeFaultedIn() {
        SchedFixture f = withUserPages(2);
        long frame = f.mm.mapUser(USER);
        long kbuf = f.scratch(256);
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        f.memory.write(kbuf, data);
        f.run(0, Hypercall.PAGEFAULT_DISABLE);
        assertEquals(56, f.run(0, Hypercall.COPY_TO_USER, USER + 4096 - 200, kbuf, 256).ret());
        byte[] copied = new byte[200];
        f.memory.physical().read(frame + 4096 - 200, copied, 0, 200);
        assertArrayEquals(Arrays.copyOf(data, 200), copied);
        f.run(0, Hypercall.PAGEFAULT_ENABLE);
        assertEquals(0, f.run(0, Hypercall.COPY_TO_USER, USER + 4096 - 200, kbuf, 256).ret());
    }

    @Test
    void getUserUnderPagefaultDisableIsEfaultAndZeroesTheDestination() {
        SchedFixture f = withUserPages(1);
        long kdst = f.scratch(4);
        f.memory.writeU32(kdst, 0xdeadbeefL);
        f.run(0, Hypercall.PAGEFAULT_DISABLE);
        assertEquals(EFAULT, f.run(0, Hypercall.GET_USER, kdst, USER, 4).ret());
        assertEquals(0, f.memory.readU32(kdst));
        assertEquals(EFAULT, f.run(0, Hypercall.PUT_USER, USER, kdst, 4).ret());
        f.run(0, Hypercall.PAGEFAULT_ENABLE);
        f.memory.writeU32(kdst, 0x12345678L);
        assertEquals(0, f.run(0, Hypercall.PUT_USER, USER, kdst, 4).ret());
        f.memory.writeU32(kdst, 0);
        assertEquals(0, f.run(0, Hypercall.GET_USER, kdst, USER, 4).ret());
        assertEquals(0x12345678L, f.memory.readU32(kdst));
    }

    @Test
    void aSpinlockHeldMeansInAtomicSoFaultsAreNotServiced() {
        SchedFixture f = withUserPages(1);
        long lock = f.scratch(12);
        f.run(0, Hypercall.SPIN_LOCK, lock);
        assertEquals(EFAULT, f.run(0, Hypercall.GET_USER, f.scratch(4), USER, 4).ret());
        assertEquals(0, f.mm.faults);
    }

    @Test
    void addressesOutsideUserRegionsFailWithoutAnOops() {
        SchedFixture f = withUserPages(1);
        long kbuf = f.scratch(16);
        assertEquals(16, f.run(0, Hypercall.COPY_FROM_USER, kbuf, USER + 0x100000, 16).ret(), "no region there");
        assertEquals(16, f.run(0, Hypercall.COPY_FROM_USER, kbuf, 0xC0001000L, 16).ret(), "access_ok fails");
        assertEquals(EFAULT, f.run(0, Hypercall.GET_USER, kbuf, 0xfffffffeL, 4).ret());
        assertEquals(1, f.total(Counter.UACCESS_FIXUPS), "access_ok failures touch nothing");
    }
}
