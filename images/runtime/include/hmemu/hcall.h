/* SPDX-License-Identifier: MIT */
/*
 * hmemu hypercall ABI (authoritative; kernel-model's Hypercall enum must match,
 * a test checks it).
 *
 * A hypercall is `outl %eax, $HM_HCALL_PORT` with %eax = guest virtual address of a
 * struct hm_hcall (on the caller's stack). The host reads nr and a[], runs the
 * kernel-model function, and writes ret. If ret == HM_RESTART the caller must issue
 * the very same hypercall again (the task slept or spun and has been resumed);
 * hm_hcall() below loops for that. No registers other than %eax are read or written.
 *
 * The outl is preceded by `jmp 1f; 1:` so that it always starts a translation block:
 * Unicorn (2.1.1) only syncs EIP at block starts, so EIP read in the OUT hook (and
 * after uc_emu_stop from that hook) is then exactly the address of the outl, with every
 * register as it was at the outl. A host may therefore save the task there and resume
 * it either at the outl (re-issue) or at outl + 2 (HM_HCALL_INSN_LEN: continue).
 * Without the jmp, EIP would be the start of an earlier block while the registers had
 * already advanced: not a resumable state.
 */
#ifndef _HMEMU_HCALL_H
#define _HMEMU_HCALL_H

#define HM_HCALL_PORT 0xE9
#define HM_RESTART (-516) /* like -ERESTART_RESTARTBLOCK: re-issue */
#define HM_HCALL_INSN_LEN 2 /* outl %eax, $imm8 = E7 ib */

enum hm_hcall_nr {
	/* console, run control, reports */
	HC_PRINTK = 0,            /* a0=buf, a1=len */
	HC_EXIT = 1,              /* a0=status: main returned (init task) */
	HC_BUG = 2,               /* a0=kind (0 BUG,1 WARN_ON,2 WARN with message), a1=file, a2=line, a3=func, a4=cond text or 0, a5=caller eip */
	HC_BOOT_INFO = 3,         /* -> struct hm_boot_info * */

	/* pages and slabs */
	HC_ALLOC_PAGES = 10,      /* a0=gfp, a1=order -> struct page * or 0 */
	HC_FREE_PAGES = 11,       /* a0=page, a1=order */
	HC_KMALLOC = 12,          /* a0=size, a1=gfp -> ptr or 0 */
	HC_KFREE = 13,            /* a0=ptr */
	HC_PAGE_ADDRESS = 14,     /* a0=page -> vaddr or 0 */
	HC_USER_ALLOC = 15,       /* a0=len -> user vaddr (lazily mapped) */

	/* highmem */
	HC_KMAP = 20,             /* a0=page -> vaddr (may sleep: HM_RESTART) */
	HC_KUNMAP = 21,           /* a0=page */
	HC_KMAP_LOCAL_PAGE = 22,  /* a0=page -> vaddr */
	HC_KUNMAP_LOCAL = 23,     /* a0=vaddr */
	HC_KMAP_ATOMIC = 24,      /* a0=page -> vaddr */
	HC_KUNMAP_ATOMIC = 25,    /* a0=vaddr */
	HC_KMAP_FLUSH_UNUSED = 26,
	HC_KMAP_TO_PAGE = 27,     /* a0=vaddr -> page */

	/* execution context */
	HC_PREEMPT_DISABLE = 30,
	HC_PREEMPT_ENABLE = 31,
	HC_PAGEFAULT_DISABLE = 32,
	HC_PAGEFAULT_ENABLE = 33,
	HC_PAGEFAULT_DISABLED = 34, /* -> 0/1 */
	HC_IN_ATOMIC = 35,          /* -> 0/1 */
	HC_LOCAL_IRQ_DISABLE = 36,
	HC_LOCAL_IRQ_ENABLE = 37,
	HC_IRQS_DISABLED = 38,      /* -> 0/1 */
	HC_LOCAL_IRQ_SAVE = 39,     /* -> flags */
	HC_LOCAL_IRQ_RESTORE = 40,  /* a0=flags */
	HC_SPIN_LOCK = 41,          /* a0=lock (spins: HM_RESTART) */
	HC_SPIN_UNLOCK = 42,        /* a0=lock */
	HC_SPIN_LOCK_IRQSAVE = 43,  /* a0=lock -> flags */
	HC_SPIN_UNLOCK_IRQRESTORE = 44, /* a0=lock, a1=flags */
	HC_MIGHT_SLEEP = 45,        /* a0=file, a1=line */
	HC_PREEMPT_COUNT = 46,      /* -> preempt_count() */
	HC_SPIN_LOCK_INIT = 47,     /* a0=lock, a1=name or 0 */

	/* tasks and scheduling */
	HC_SCHEDULE = 50,
	HC_COND_RESCHED = 51,       /* -> 1 if it rescheduled */
	HC_MSLEEP = 52,             /* a0=ms */
	HC_SMP_PROCESSOR_ID = 53,
	HC_NUM_ONLINE_CPUS = 54,
	HC_CURRENT = 55,            /* -> struct task_struct * */
	HC_KTHREAD_CREATE = 56,     /* a0=fn, a1=data, a2=name, a3=cpu or -1 -> task or 0 */
	HC_WAKE_UP_PROCESS = 57,    /* a0=task */
	HC_KTHREAD_STOP = 58,       /* a0=task -> exit code (sleeps) */
	HC_KTHREAD_SHOULD_STOP = 59,
	HC_KTHREAD_EXIT = 60,       /* a0=ret: the thread function returned */
	HC_INIT_COMPLETION = 61,    /* a0=completion */
	HC_COMPLETE = 62,           /* a0=completion */
	HC_WAIT_FOR_COMPLETION = 63,/* a0=completion (sleeps) */
	HC_COMPLETE_ALL = 64,       /* a0=completion */
	HC_QUEUE_WORK_ON = 66,      /* a0=cpu (-1 = any), a1=work -> bool queued */
	HC_FLUSH_WORK = 67,         /* a0=work -> bool waited (sleeps) */
	HC_WORKER_NEXT = 68,        /* kworker: -> next work (sleeps when none) */
	HC_MOD_TIMER = 69,          /* a0=timer, a1=expires -> was pending */
	HC_DEL_TIMER_SYNC = 70,     /* a0=timer -> was pending */
	HC_SOFTIRQ_RETURN = 71,     /* end of a timer callback trampoline */
	HC_WORK_DONE = 72,          /* kworker: a0=work finished */

	/* uaccess */
	HC_COPY_FROM_USER = 80,     /* a0=to, a1=from, a2=n -> bytes not copied */
	HC_COPY_TO_USER = 81,       /* a0=to, a1=from, a2=n -> bytes not copied */
	HC_GET_USER = 82,           /* a0=kernel dst, a1=user src, a2=size -> 0 / -EFAULT */
	HC_PUT_USER = 83,           /* a0=user dst, a1=kernel src, a2=size -> 0 / -EFAULT */
	HC_COPY_FROM_USER_INATOMIC = 84, /* a0=to, a1=from, a2=n -> bytes not copied */

	/* measurement */
	HC_MARK = 90,               /* a0=label string: a named phase boundary in the report */

	/* vmalloc area (mm/vmalloc.c's page-table half; the guest keeps the area lists) */
	HC_VMALLOC_INFO = 95,       /* a0=unsigned long[2] <- VMALLOC_START, VMALLOC_END */
	HC_VMAP_PAGES_RANGE = 96,   /* a0=addr, a1=struct page *pages[], a2=nr -> 0 / -errno */
	HC_VUNMAP_RANGE_NOFLUSH = 97, /* a0=start, a1=end: clear PTEs, no TLB flush */
	HC_FLUSH_TLB_KERNEL_RANGE = 98, /* a0=start, a1=end (TLB_FLUSH_ALL = -1) */
	HC_NR_MAX = 100
};

struct hm_hcall {
	unsigned int nr;
	unsigned int a[6];
	int ret;
};

/* Filled by the host before boot; found through HC_BOOT_INFO. */
struct hm_boot_info {
	unsigned int magic;        /* HM_BOOT_MAGIC */
	unsigned int nr_cpus;
	unsigned int page_offset;  /* 0xC0000000 */
	void *mem_map;             /* struct page array in lowmem */
	unsigned int max_low_pfn;  /* first highmem pfn */
	unsigned int max_pfn;
	unsigned int flags;        /* HM_BOOT_* */
	unsigned int hz;
};
#define HM_BOOT_MAGIC 0x484d454d /* "HMEM" */
#define HM_BOOT_FORCE_MAP 1
#define HM_BOOT_DEBUG_KMAP_LOCAL 2
#define HM_BOOT_PAE 4

static inline long hm_hcall6(unsigned int nr, unsigned long a0, unsigned long a1,
			     unsigned long a2, unsigned long a3, unsigned long a4,
			     unsigned long a5)
{
	struct hm_hcall c = { nr, { a0, a1, a2, a3, a4, a5 }, 0 };
	do {
		__asm__ volatile("jmp 1f\n1:\toutl %%eax, %[port]"
				 : : "a"(&c), [port] "i"(HM_HCALL_PORT) : "memory");
	} while (c.ret == HM_RESTART);
	return c.ret;
}
#define hm_hcall0(nr) hm_hcall6(nr, 0, 0, 0, 0, 0, 0)
#define hm_hcall1(nr, a) hm_hcall6(nr, (unsigned long)(a), 0, 0, 0, 0, 0)
#define hm_hcall2(nr, a, b) hm_hcall6(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0, 0)
#define hm_hcall3(nr, a, b, c) \
	hm_hcall6(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0, 0)
#define hm_hcall4(nr, a, b, c, d) \
	hm_hcall6(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), \
		  (unsigned long)(d), 0, 0)

#endif
