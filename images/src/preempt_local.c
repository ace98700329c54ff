// SPDX-License-Identifier: MIT
/*
 * Preemption while kmap_local mappings are live.
 *
 * Two kthreads bound to CPU 0 each map two pages of their own with
 * kmap_local_page() and then spin for 3 million iterations without ever
 * calling cond_resched(), so only timer-tick preemption can switch between
 * them. Both use the same fixmap slots of CPU 0; the scheduler must clear a
 * task's slots when it is switched out and restore them when it comes back.
 * Every 100000 iterations each thread checks that its mappings still show its
 * own pages' contents, and notes whether the other thread ran meanwhile.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define NR_THREADS	2
#define PAGES_EACH	2
#define ROUNDS		30
#define ITERS_PER_ROUND	100000
#define WORDS		(PAGE_SIZE / sizeof(u32))

struct spinner {
	int id;
	struct page *pages[PAGES_EACH];
	struct completion done;
	unsigned int bad_words;
	unsigned int interleavings;	/* checks that found the other thread had run */
	int cpu_start, cpu_end;
	unsigned long jiffies_start, jiffies_end;
};

static struct spinner spinners[NR_THREADS];
static volatile int last_runner = -1;

static u32 pattern(int id, int page, unsigned int word)
{
	return ((u32)id << 28) ^ ((u32)page << 24) ^ (word * 2654435761U);
}

static unsigned int check_mapping(const u32 *p, int id, int page)
{
	unsigned int w, bad = 0;

	for (w = 0; w < WORDS; w++)
		bad += p[w] != pattern(id, page, w);
	return bad;
}

static int spinner_fn(void *data)
{
	struct spinner *s = data;
	u32 *map[PAGES_EACH];
	unsigned int round, i;
	int k;

	s->cpu_start = smp_processor_id();
	s->jiffies_start = jiffies;
	for (k = 0; k < PAGES_EACH; k++)
		map[k] = kmap_local_page(s->pages[k]);

	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < ITERS_PER_ROUND; i++)
			barrier();	/* a busy loop the compiler must keep */
		for (k = 0; k < PAGES_EACH; k++)
			s->bad_words += check_mapping(map[k], s->id, k);
		if (last_runner != s->id) {
			if (last_runner >= 0)
				s->interleavings++;
			last_runner = s->id;
		}
	}

	for (k = PAGES_EACH - 1; k >= 0; k--)
		kunmap_local(map[k]);
	s->cpu_end = smp_processor_id();
	s->jiffies_end = jiffies;
	complete(&s->done);
	return 0;
}

int main(void)
{
	unsigned int w, bad = 0, interleavings = 0;
	bool ok = true;
	int t, k;

	for (t = 0; t < NR_THREADS; t++) {
		struct spinner *s = &spinners[t];

		s->id = t;
		init_completion(&s->done);
		for (k = 0; k < PAGES_EACH; k++) {
			u32 *p;

			s->pages[k] = alloc_page(GFP_HIGHUSER);
			if (!s->pages[k]) {
				pr_err("preempt_local: out of pages\n");
				return 1;
			}
			p = kmap_local_page(s->pages[k]);
			for (w = 0; w < WORDS; w++)
				p[w] = pattern(t, k, w);
			kunmap_local(p);
		}
	}

	pr_info("preempt_local: %d kthreads on CPU 0, %d live kmap_local mappings each, "
		"%d x %d busy iterations, no cond_resched()\n",
		NR_THREADS, PAGES_EACH, ROUNDS, ITERS_PER_ROUND);
	hmemu_mark("spin");
	for (t = 0; t < NR_THREADS; t++) {
		struct task_struct *task = kthread_run_on_cpu(spinner_fn, &spinners[t], 0,
							      "spinner/%u");

		if (IS_ERR(task)) {
			pr_err("preempt_local: cannot start spinner %d\n", t);
			return 1;
		}
	}
	for (t = 0; t < NR_THREADS; t++)
		wait_for_completion(&spinners[t].done);
	hmemu_mark("end");

	for (t = 0; t < NR_THREADS; t++) {
		struct spinner *s = &spinners[t];

		pr_info("preempt_local: spinner %d: cpu %d..%d, jiffies %lu..%lu, "
			"%u bad words, saw the other spinner run %u times\n",
			t, s->cpu_start, s->cpu_end, s->jiffies_start, s->jiffies_end,
			s->bad_words, s->interleavings);
		bad += s->bad_words;
		interleavings += s->interleavings;
		if (s->cpu_start != 0 || s->cpu_end != 0)
			ok = false;
		for (k = 0; k < PAGES_EACH; k++)
			__free_page(s->pages[k]);
	}
	if (!interleavings)
		pr_warn("preempt_local: the spinners never interleaved (no tick preemption?)\n");
	ok = ok && bad == 0;
	pr_info("preempt_local: %s\n", ok ? "OK: mappings survived preemption" : "FAIL");
	return ok ? 0 : 1;
}
