// SPDX-License-Identifier: MIT
/*
 * The demo: the same work over 2048 highmem pages, once with kmap() and once
 * with kmap_local_page().
 *
 * One kthread per online CPU takes its share of the pages; for each page it
 * maps it, checksums words 1..1023, checks and rewrites the stamp in word 0,
 * and unmaps it. With kmap() every 512 fresh mappings wrap the pkmap pool,
 * and each wrap flushes the TLB of every CPU (IPIs); kmap_local_page() only
 * ever flushes one local TLB entry per unmap. The host's report compares the
 * phases "kmap" and "kmap_local".
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define NR_PAGES	2048
#define WORDS		(PAGE_SIZE / sizeof(u32))

#define STAMP_FILLED	0x46494c4cU	/* "FILL" */
#define STAMP_KMAP	0x4b4d4150U	/* "KMAP" */
#define STAMP_LOCAL	0x4c4f434cU	/* "LOCL" */

enum map_kind { USE_KMAP, USE_KMAP_LOCAL };

struct worker {
	enum map_kind kind;
	unsigned int first, last;	/* pages [first, last) */
	u32 expect_stamp, new_stamp;
	unsigned int bad_stamps;
	struct completion done;
};

static struct page *pages[NR_PAGES];
static u32 csum_kmap[NR_PAGES], csum_local[NR_PAGES], csum_fill[NR_PAGES];
static struct worker workers[NR_CPUS];

/* Word w of page n: n * 0x9e3779b1 + w * 40503, built incrementally when filling. */
#define PATTERN_PAGE_STEP	0x9e3779b1U
#define PATTERN_WORD_STEP	40503U

/* Words 1..1023 (word 0 carries the stamp), eight at a time. */
static u32 checksum_words(const u32 *p)
{
	u32 s0 = p[1] + p[2] + p[3] + p[4], s1 = p[5] + p[6] + p[7];
	const u32 *q = p + 8, *end = p + WORDS;

	for (; q < end; q += 8) {
		s0 += q[0] + q[1] + q[2] + q[3];
		s1 += q[4] + q[5] + q[6] + q[7];
	}
	return s0 + s1;
}

static u32 visit(struct worker *w, u32 *p)
{
	u32 sum = checksum_words(p);

	if (p[0] != w->expect_stamp)
		w->bad_stamps++;
	p[0] = w->new_stamp;
	return sum;
}

static int worker_fn(void *data)
{
	struct worker *w = data;
	u32 *sums = w->kind == USE_KMAP ? csum_kmap : csum_local;
	unsigned int i;

	for (i = w->first; i < w->last; i++) {
		if (w->kind == USE_KMAP) {
			u32 *p = kmap(pages[i]);

			sums[i] = visit(w, p);
			kunmap(pages[i]);
		} else {
			u32 *p = kmap_local_page(pages[i]);

			sums[i] = visit(w, p);
			kunmap_local(p);
		}
	}
	complete(&w->done);
	return 0;
}

static unsigned int run_phase(const char *name, enum map_kind kind, u32 expect, u32 stamp,
			      unsigned int ncpus)
{
	unsigned int cpu, bad = 0;

	hmemu_mark(name);
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct worker *w = &workers[cpu];
		struct task_struct *t;

		w->kind = kind;
		w->first = NR_PAGES * cpu / ncpus;
		w->last = NR_PAGES * (cpu + 1) / ncpus;
		w->expect_stamp = expect;
		w->new_stamp = stamp;
		w->bad_stamps = 0;
		init_completion(&w->done);
		t = kthread_run_on_cpu(worker_fn, w, cpu, "kmap_demo/%u");
		if (IS_ERR(t)) {
			pr_err("kmap_vs_local: cannot start a worker on cpu %u\n", cpu);
			BUG();
		}
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		wait_for_completion(&workers[cpu].done);
		bad += workers[cpu].bad_stamps;
	}
	return bad;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), i, w, bad_kmap, bad_local, mismatches = 0;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	pr_info("kmap_vs_local: %u highmem pages, %u CPUs, one kthread per CPU\n",
		NR_PAGES, ncpus);

	for (i = 0; i < NR_PAGES; i++) {
		u32 *p, v;

		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i]) {
			pr_err("kmap_vs_local: out of pages at %u\n", i);
			return 1;
		}
		if (!PageHighMem(pages[i])) {
			pr_err("kmap_vs_local: page %u (pfn %lu) is not highmem\n",
			       i, page_to_pfn(pages[i]));
			return 1;
		}
		/* filled through kmap_local so the pkmap pool is untouched before the phases */
		p = kmap_local_page(pages[i]);
		p[0] = STAMP_FILLED;
		v = i * PATTERN_PAGE_STEP;
		for (w = 1; w < WORDS; w++)
			p[w] = (v += PATTERN_WORD_STEP);
		csum_fill[i] = checksum_words(p);
		kunmap_local(p);
	}

	pr_info("kmap_vs_local: phase kmap: kmap()/kunmap() per page\n");
	bad_kmap = run_phase("kmap", USE_KMAP, STAMP_FILLED, STAMP_KMAP, ncpus);
	pr_info("kmap_vs_local: phase kmap_local: kmap_local_page()/kunmap_local() per page\n");
	bad_local = run_phase("kmap_local", USE_KMAP_LOCAL, STAMP_KMAP, STAMP_LOCAL, ncpus);
	hmemu_mark("end");

	for (i = 0; i < NR_PAGES; i++) {
		if (csum_kmap[i] != csum_fill[i] || csum_local[i] != csum_fill[i]) {
			if (mismatches < 8)
				pr_err("kmap_vs_local: page %u: checksums fill %08x kmap %08x local %08x\n",
				       i, csum_fill[i], csum_kmap[i], csum_local[i]);
			mismatches++;
		}
		__free_page(pages[i]);
	}

	pr_info("kmap_vs_local: %u checksum mismatches, %u/%u bad stamps (kmap/kmap_local)\n",
		mismatches, bad_kmap, bad_local);
	if (mismatches || bad_kmap || bad_local) {
		pr_err("kmap_vs_local: FAIL\n");
		return 1;
	}
	pr_info("kmap_vs_local: OK: both phases saw identical page contents\n");
	return 0;
}
