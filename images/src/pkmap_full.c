// SPDX-License-Identifier: MIT
/*
 * kmap() sleeps when every pkmap slot is held.
 *
 * main holds 512 kmap()s of distinct pages: 511 fresh slots, then the 512th
 * wraps (no count-1 slot exists, so nothing is flushed) and takes slot 0.
 * That is the whole pool. A kthread on the same CPU then kmap()s a 513th page:
 * a full scan finds no free slot, so it sleeps on pkmap_map_wait. main sleeps
 * 10 ms (the kthread runs and blocks), checks the kthread is still waiting,
 * kunmap()s one page (count 2 -> 1, which wakes the waiter), and waits for
 * the kthread. The woken kthread's next scan wraps, flushes the freed slot
 * and takes it. An event counter orders what happened.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define LAST_PKMAP_MAX	1024	/* legacy paging; PAE has 512 */
#define LAST_PKMAP	((int)hmemu_last_pkmap())

static struct page *pages[LAST_PKMAP_MAX + 1];
static void *held[LAST_PKMAP_MAX];

/* event order: each step takes the next number */
static unsigned int seq;
static unsigned int ev_waiter_start, ev_main_kunmap, ev_waiter_mapped;
static void *waiter_addr;
static DECLARE_COMPLETION(waiter_done);

static int waiter_fn(void *unused)
{
	u32 *p;

	(void)unused;
	ev_waiter_start = ++seq;
	pr_info("pkmap_full: waiter: kmap() of page %d, the pool is full\n", LAST_PKMAP + 1);
	p = kmap(pages[LAST_PKMAP]);	/* sleeps until main's kunmap */
	ev_waiter_mapped = ++seq;
	waiter_addr = p;
	pr_info("pkmap_full: waiter: got %px\n", p);
	p[0] = 0x600d;
	kunmap(pages[LAST_PKMAP]);
	complete(&waiter_done);
	return 0;
}

int main(void)
{
	struct task_struct *t;
	unsigned int i;
	int cpu;
	bool ok;

	for (i = 0; i <= LAST_PKMAP; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i] || !PageHighMem(pages[i])) {
			pr_err("pkmap_full: no highmem page %u\n", i);
			return 1;
		}
	}

	for (i = 0; i < LAST_PKMAP; i++)
		held[i] = kmap(pages[i]);
	pr_info("pkmap_full: holding %d kmaps (every pkmap slot)\n", LAST_PKMAP);

	hmemu_mark("full");
	cpu = smp_processor_id();
	t = kthread_run_on_cpu(waiter_fn, NULL, cpu, "pkmap_waiter/%u");
	if (IS_ERR(t)) {
		pr_err("pkmap_full: cannot start the waiter\n");
		return 1;
	}
	msleep(10);
	pr_info("pkmap_full: after msleep(10): waiter started=%u mapped=%u\n",
		ev_waiter_start, ev_waiter_mapped);

	hmemu_mark("kunmap");
	ev_main_kunmap = ++seq;
	kunmap(pages[0]);
	pr_info("pkmap_full: main: kunmap() of page 1 (%px)\n", held[0]);
	wait_for_completion(&waiter_done);
	hmemu_mark("done");

	pr_info("pkmap_full: order: waiter start %u, main kunmap %u, waiter mapped %u\n",
		ev_waiter_start, ev_main_kunmap, ev_waiter_mapped);
	ok = ev_waiter_start && ev_waiter_start < ev_main_kunmap &&
	     ev_main_kunmap < ev_waiter_mapped;
	if (waiter_addr != held[0])
		pr_info("pkmap_full: note: the waiter got %px, not the freed slot %px\n",
			waiter_addr, held[0]);

	for (i = 1; i < LAST_PKMAP; i++)
		kunmap(pages[i]);
	for (i = 0; i <= LAST_PKMAP; i++)
		__free_page(pages[i]);

	pr_info("pkmap_full: %s\n", ok ? "OK: the waiter slept until a slot was released"
				       : "FAIL: wrong order of events");
	return ok ? 0 : 1;
}
