package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PageFaultCodeTest {

    @Test
    void describeUsesLinuxWordingForAKernelReadOfANotPresentPage() {
        assertEquals("supervisor read access in kernel mode\nerror_code(0x0000) - not-present page",
                PageFaultCode.describe(0));
    }

    @Test
    void accessLineChecksInstrBeforeWrite() {
        assertEquals("supervisor write access in kernel mode", PageFaultCode.access(0x3));
        assertEquals("user read access in user mode", PageFaultCode.access(0x5));
        assertEquals("supervisor instruction fetch in kernel mode", PageFaultCode.access(0x13));
        assertEquals("user write access in kernel mode", PageFaultCode.access(0x6, false));
    }

    @Test
    void reasonPrefersReservedBitOverPermissions() {
        assertEquals("not-present page", PageFaultCode.reason(0x2));
        assertEquals("permissions violation", PageFaultCode.reason(0x3));
        assertEquals("reserved bit violation", PageFaultCode.reason(0x9));
        assertEquals("protection keys violation", PageFaultCode.reason(0x21));
    }

    @Test
    void accessBitsReportInstrOnlyWhenAsked() {
        assertEquals(0x14, PageFaultCode.accessBits(AccessType.FETCH, true, true));
        assertEquals(0x4, PageFaultCode.accessBits(AccessType.FETCH, true, false));
        assertEquals(0x2, PageFaultCode.accessBits(AccessType.WRITE, false, true));
        assertEquals(0x0, PageFaultCode.accessBits(AccessType.READ, false, true));
    }
}
