package dev.hmemu.kernel.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContendedLockTest {

    @Test
    void aFreeLockIsTakenWithoutSpinning() {
        ContendedLock l = new ContendedLock("kmap_lock");
        assertEquals(0, l.acquire(0, 100));
        assertTrue(l.held());
        l.release(0, 150);
        assertFalse(l.held());
        assertEquals(List.of(new ContendedLock.Hold(0, 100, 150)), l.holds());
        assertEquals(0, l.contended());
    }

    @Test
    void anotherCpusHoldCoveringTheMomentIsWaitedOut() {
        ContendedLock l = new ContendedLock("kmap_lock");
        l.acquire(0, 100);
        l.release(0, 500);
        assertEquals(380, l.acquire(1, 120), "CPU 1 asks at 120, inside CPU 0's [100, 500)");
        l.release(1, 600);
        assertEquals(new ContendedLock.Hold(1, 500, 600), l.holds().get(1), "held from the end of the spin");
        assertEquals(1, l.contended());
        assertEquals(380, l.spinCycles());
    }

    @Test
    void overlappingHoldsChainAndOwnHoldsNeverDelay() {
        ContendedLock l = new ContendedLock("kmap_lock");
        l.acquire(2, 50);
        l.release(2, 300);
        l.acquire(1, 250);
        l.release(1, 250); // a zero-length hold is not remembered
        l.acquire(3, 0);
        l.release(3, 10);
        assertEquals(0, l.acquire(2, 60), "its own hold does not delay CPU 2");
        l.release(2, 400);
        assertEquals(2, l.holds().stream().filter(h -> h.cpu() == 2).count());
        assertEquals(345, l.acquire(0, 55), "[50,300) then [60,400): spins to 400");
        l.release(0, 410);
    }

    @Test
    void holdsEndedByEveryClockAreForgotten() {
        ContendedLock l = new ContendedLock("kmap_lock");
        for (int i = 0; i < 1000; i++) {
            l.acquire(i % 2, 10L * i);
            l.release(i % 2, 10L * i + 5);
        }
        l.forgetEndedBy(9_000);
        assertEquals(100, l.holds().size());
        assertEquals(0, l.acquire(1, 9_992), "inside CPU 1's own hold [9990, 9995)");
        l.release(1, 9_996);
    }

    @Test
    void takingItTwiceOrReleasingAnotherCpusHoldIsAnError() {
        ContendedLock l = new ContendedLock("kmap_lock");
        l.acquire(0, 0);
        assertThrows(IllegalStateException.class, () -> l.acquire(1, 5));
        assertThrows(IllegalStateException.class, () -> l.release(1, 5));
    }
}
