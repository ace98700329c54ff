// SPDX-License-Identifier: MIT
/*
 * One phase per row of the TLB table in docs/tlb-accounting.md, so the host's
 * counters can be read per row. Each row's phase holds only that operation;
 * set-up and tear-down live in the phases named prep_* and post_*.
 *
 *   kmap_free        kmap() of a fresh page, no wrap        no flush
 *   kmap_reuse       kmap() of a page already kmap()ed      no flush
 *   kunmap           kunmap() (twice: count 3 -> 2 -> 1)    no flush
 *   kmap_local_map   kmap_local_page() of highmem           no flush
 *   kunmap_local     its kunmap_local()                     1 local flush
 *   kmap_atomic_map  kmap_atomic() of highmem               no flush
 *   kunmap_atomic    its kunmap_atomic()                    1 local flush
 *   lowmem_local     kmap_local_page()+kunmap_local() of lowmem  none (no FORCE_MAP)
 *   switch_out       main, holding 2 kmap_local mappings, switches to a peer
 *                    kthread on its CPU (ends when the peer starts)   2 local flushes
 *   switch_in        the peer runs and exits, main is switched back in  no flush
 *   wrap_flush       527 fresh kmap()+kunmap(): the cursor wraps once with
 *                    count-1 slots present                  a flush on every CPU
 * ("wrap with no count-1 slots" is not set up here; see pkmap_full.)
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define LAST_PKMAP_MAX	1024	/* legacy paging; PAE has 512 */
#define LAST_PKMAP	((int)hmemu_last_pkmap())
#define NR_WRAP_MAX	(LAST_PKMAP_MAX + 15)
#define NR_WRAP		(LAST_PKMAP + 15)	/* wraps exactly once from any cursor <= 496 */

static struct page *p0, *high, *low, *sw[2];
static struct page *wrap_pages[NR_WRAP_MAX];
static unsigned int failures;

static volatile int peer_ran;
static DECLARE_COMPLETION(peer_done);

#define check(cond, fmt, ...) do { \
	if (!(cond)) { \
		failures++; \
		pr_err("tlb_rows: FAIL: " fmt "\n", ##__VA_ARGS__); \
	} \
} while (0)

static void phase(const char *name)
{
	pr_info("tlb_rows: phase %s\n", name);
	hmemu_mark(name);
}

/* The peer: a little work, no mappings. */
static int peer_fn(void *unused)
{
	unsigned int i, sum = 0;

	(void)unused;
	/* main has switched out (sched_out done); what follows up to main's next mark
	 * includes main's switch back in (sched_in: PTEs restored, no flush). */
	hmemu_mark("switch_in");
	for (i = 0; i < 1000; i++)
		sum += i;
	peer_ran = sum ? smp_processor_id() + 1 : -1;
	complete(&peer_done);
	return 0;
}

static struct page *alloc_or_die(gfp_t gfp, bool want_high)
{
	struct page *page = alloc_page(gfp);

	if (!page || PageHighMem(page) != want_high) {
		pr_err("tlb_rows: cannot allocate a %s page\n", want_high ? "highmem" : "lowmem");
		BUG();
	}
	return page;
}

int main(void)
{
	struct task_struct *peer;
	void *k, *k2, *v;
	u32 *s[2];
	unsigned int i;
	int cpu;

	p0 = alloc_or_die(GFP_HIGHUSER, true);
	high = alloc_or_die(GFP_HIGHUSER, true);
	low = alloc_or_die(GFP_KERNEL, false);
	for (i = 0; i < 2; i++) {
		sw[i] = alloc_or_die(GFP_HIGHUSER, true);
		memset_page(sw[i], 0, 0x30 + i, PAGE_SIZE);
	}
	for (i = 0; i < NR_WRAP; i++)
		wrap_pages[i] = alloc_or_die(GFP_HIGHUSER, true);

	phase("kmap_free");
	k = kmap(p0);

	phase("kmap_reuse");
	k2 = kmap(p0);

	phase("kunmap");
	kunmap(p0);
	kunmap(p0);

	phase("kmap_local_map");
	v = kmap_local_page(high);

	phase("kunmap_local");
	kunmap_local(v);

	phase("kmap_atomic_map");
	v = kmap_atomic(high);

	phase("kunmap_atomic");
	kunmap_atomic(v);

	phase("lowmem_local");
	v = kmap_local_page(low);
	kunmap_local(v);

	phase("prep_switch");
	cpu = smp_processor_id();
	peer = kthread_create_on_cpu(peer_fn, NULL, cpu, "tlb_peer/%u");
	if (IS_ERR(peer)) {
		pr_err("tlb_rows: cannot create the peer kthread\n");
		return 1;
	}
	s[0] = kmap_local_page(sw[0]);
	s[1] = kmap_local_page(sw[1]);
	pr_info("tlb_rows: main on CPU %d holds 2 kmap_local mappings; the peer is runnable\n", cpu);
	preempt_disable();		/* the switch must not happen before the mark */
	wake_up_process(peer);

	hmemu_mark("switch_out");
	preempt_enable();
	schedule();

	phase("post_switch");
	check(peer_ran == cpu + 1, "the peer did not run on CPU %d (peer_ran %d)", cpu, peer_ran);
	check(s[0][0] == 0x30303030 && s[1][PAGE_SIZE / 4 - 1] == 0x31313131,
	      "mappings not restored after the switch back in");
	kunmap_local(s[1]);
	kunmap_local(s[0]);
	wait_for_completion(&peer_done);

	phase("wrap_flush");
	for (i = 0; i < NR_WRAP; i++) {
		kmap(wrap_pages[i]);
		kunmap(wrap_pages[i]);
	}

	phase("end");
	check(k == k2, "kmap of a kmapped page returned a different address");
	__free_page(p0);
	__free_page(high);
	__free_page(low);
	__free_page(sw[0]);
	__free_page(sw[1]);
	for (i = 0; i < NR_WRAP; i++)
		__free_page(wrap_pages[i]);

	pr_info("tlb_rows: %s\n", failures ? "FAIL" : "OK");
	return failures ? 1 : 0;
}
