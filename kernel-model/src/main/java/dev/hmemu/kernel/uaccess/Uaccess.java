package dev.hmemu.kernel.uaccess;

import dev.hmemu.emulator.CycleCategory;
import dev.hmemu.kernel.base.GuestMemory;
import dev.hmemu.kernel.base.KernelCosts;
import dev.hmemu.kernel.hcall.Hcall;
import dev.hmemu.kernel.hcall.Hypercall;
import dev.hmemu.kernel.hcall.HypercallTable;
import dev.hmemu.kernel.report.LinuxSite;
import dev.hmemu.kernel.report.Reports;
import dev.hmemu.kernel.sched.SchedApi;
import dev.hmemu.kernel.mm.MmApi;
import dev.hmemu.kernel.stats.KernelStats;
import dev.hmemu.kernel.sched.Task;
import dev.hmemu.kernel.stats.Counter;
import dev.hmemu.mmu.AccessType;
import dev.hmemu.mmu.WalkResult;

/**
 * User memory access: include/linux/uaccess.h and lib/usercopy.c (copy_from_user,
 * copy_to_user, __copy_from_user_inatomic) and arch/x86's get_user/put_user.
 *
 * <p>access_ok() first (the range must lie below TASK_SIZE_MAX; nothing is touched
 * otherwise). Then the copy goes page by page, as the CPU would fault on each page: a user
 * page that is not present (or not writable, for a write) takes a page fault, which is
 * serviced by demand paging only when !faulthandler_disabled(); otherwise, or when the
 * address is not user memory, the exception table's fixup ends the copy there. copy_*
 * return the bytes not copied, get_user/put_user -EFAULT (get_user also zeroes the
 * destination). A fixup is counted in {@link Counter#UACCESS_FIXUPS}; nothing here oopses.
 */
public final class Uaccess {
    public static final int EFAULT = 14;
    /** TASK_SIZE_MAX on x86-32 = PAGE_OFFSET. */
    static final long TASK_SIZE_MAX = GuestMemory.PAGE_OFFSET;
    static final int PAGE_SIZE = 4096;
    /** PTE bits (_PAGE_PRESENT, _PAGE_RW, _PAGE_USER) and the frame address of a PAE or legacy PTE. */
    static final long PAGE_PRESENT = 0x1;
    static final long PAGE_RW = 0x2;
    static final long PAGE_USER = 0x4;
    static final long PTE_PFN_MASK = 0x000f_ffff_ffff_f000L;


    private final GuestMemory memory;
    private final MmApi mm;
    private final SchedApi sched;
    private final KernelStats stats;
    private final Reports reports;
    private final long pageCopyCost;

    /**
     * @param pageCopyCost cycles for one full page copied ({@link KernelCosts#uaccessPage})
     */
    public Uaccess(GuestMemory memory, MmApi mm, SchedApi sched, KernelStats stats, Reports reports,
                   long pageCopyCost) {
        this.memory = memory;
        this.mm = mm;
        this.sched = sched;
        this.stats = stats;
        this.reports = reports;
        this.pageCopyCost = pageCopyCost;
    }

    public void register(HypercallTable t) {
        t.register(Hypercall.COPY_FROM_USER, c -> {
            mightFault(c, LinuxSite.COPY_FROM_USER_MIGHT_FAULT);
            return copyFromUser(c, c.arg(0), c.arg(1), c.arg(2));
        });
        t.register(Hypercall.COPY_FROM_USER_INATOMIC, c -> copyFromUser(c, c.arg(0), c.arg(1), c.arg(2)));
        t.register(Hypercall.COPY_TO_USER, c -> {
            mightFault(c, LinuxSite.COPY_TO_USER_MIGHT_FAULT);
            return copyToUser(c, c.arg(0), c.arg(1), c.arg(2));
        });
        t.register(Hypercall.GET_USER, c -> {
            mightFault(c, LinuxSite.GET_USER_MIGHT_FAULT);
            return getUser(c);
        });
        t.register(Hypercall.PUT_USER, c -> {
            mightFault(c, LinuxSite.PUT_USER_MIGHT_FAULT);
            return putUser(c);
        });
    }

    /**
     * might_fault() (mm/memory.c __might_fault): a user access may sleep to fault a page
     * in, so it is checked like might_sleep() unless page faults are disabled (then the
     * access is fixed up instead of sleeping). Sites: v6.1's ({@link LinuxSite}).
     */
    private void mightFault(Hcall call, LinuxSite site) {
        Task t = sched.current(call.cpuId());
        if (t != null && t.pagefaultDisabled == 0) {
            sched.mightSleep(call, site.file(), site.line());
        }
    }

    /** access_ok(addr, size): the whole range below TASK_SIZE_MAX. */
    static boolean accessOk(long addr, long size) {
        return size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size;
    }

    /**
     * _copy_from_user() and __copy_from_user_inatomic(): the bytes not copied (the guest
     * zeroes that tail for copy_from_user, as upstream does).
     */
    public long copyFromUser(Hcall call, long to, long from, long n) {
        if (!accessOk(from, n)) {
            return n;
        }
        return copy(call, from, to, n, false);
    }

    /** _copy_to_user(): the bytes not copied. */
    public long copyToUser(Hcall call, long to, long from, long n) {
        if (!accessOk(to, n)) {
            return n;
        }
        return copy(call, to, from, n, true);
    }

    /** get_user(x, ptr) for sizes 1, 2, 4 (8 as two words): 0, or -EFAULT with x zeroed. */
    private long getUser(Hcall call) {
        long kdst = call.arg(0);
        long usrc = call.arg(1);
        int size = call.argInt(2);
        if (!sizeOk(call, size)) {
            return -EFAULT;
        }
        if (!accessOk(usrc, size) || copy(call, usrc, kdst, size, false) != 0) {
            memory.write(kdst, new byte[size]);
            return -EFAULT;
        }
        return 0;
    }

    /** put_user(x, ptr): 0 or -EFAULT. */
    private long putUser(Hcall call) {
        long udst = call.arg(0);
        long ksrc = call.arg(1);
        int size = call.argInt(2);
        if (!sizeOk(call, size)) {
            return -EFAULT;
        }
        if (!accessOk(udst, size) || copy(call, udst, ksrc, size, true) != 0) {
            return -EFAULT;
        }
        return 0;
    }

    private boolean sizeOk(Hcall call, int size) {
        if (size == 1 || size == 2 || size == 4 || size == 8) {
            return true;
        }
        reports.warnOnce(ctx(call), "uaccess-size", "arch/x86/include/asm/uaccess.h", "__get_user_bad");
        return false;
    }

    /**
     * raw_copy_{from,to}_user(): page by page between user {@code user} and kernel
     * {@code kernel}; stops at the first user page that cannot be accessed.
     *
     * @return the bytes not copied
     */
    private long copy(Hcall call, long user, long kernel, long n, boolean toUser) {
        GuestMemory m = memory;
        long done = 0;
        while (done < n) {
            long uva = user + done;
            int chunk = (int) Math.min(n - done, PAGE_SIZE - (uva & (PAGE_SIZE - 1)));
            long pa = userPage(call, uva, toUser ? AccessType.WRITE : AccessType.READ);
            if (pa < 0) {
                stats.count(Counter.UACCESS_FIXUPS, call.cpuId());
                break;
            }
            if (toUser) {
                m.physical().write(pa, m.read(kernel + done, chunk), 0, chunk);
            } else {
                byte[] buf = new byte[chunk];
                m.physical().read(pa, buf, 0, chunk);
                m.write(kernel + done, buf);
            }
            call.cpu().charge(CycleCategory.KERNEL, pageCopyCost * chunk / PAGE_SIZE);
            done += chunk;
        }
        return n - done;
    }

    /**
     * The physical address of user {@code va} for {@code access}, faulting the page in if
     * the fault handler may run; -1 when the access ends in the exception-table fixup.
     */
    private long userPage(Hcall call, long va, AccessType access) {
        long pa = accessible(call, va, access);
        if (pa >= 0) {
            return pa;
        }
        stats.count(Counter.PAGE_FAULTS, call.cpuId());
        if (sched.faulthandlerDisabled(call.cpuId()) || !mm.handleUserFault(va, access)) {
            return -1; // bad_area_nosemaphore -> kernelmode_fixup_or_oops -> fixup_exception
        }
        stats.count(Counter.DEMAND_PAGED, call.cpuId());
        call.cpu().syncEngineTlb();
        return accessible(call, va, access);
    }

    /**
     * The physical address of {@code va} if this CPU can make the access (a supervisor
     * access through its TLB, so a TLB miss walks and costs as on hardware, and sets A/D),
     * to a user page; else -1.
     */
    private long accessible(Hcall call, long va, AccessType access) {
        WalkResult r = call.cpu().translate(va, access);
        if (!(r instanceof WalkResult.Mapped m) || !m.user()) {
            return -1;
        }
        return m.physical() + PAGE_SIZE <= memory.physical().size() ? m.physical() : -1;
    }

    private Reports.Context ctx(Hcall call) {
        Task t = sched.current(call.cpuId());
        return new Reports.Context(call.cpu(), t == null ? 0 : t.pid,
                t == null ? "swapper/" + call.cpuId() : t.comm);
    }
}
