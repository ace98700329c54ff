// SPDX-License-Identifier: MIT
/*
 * Decompressing an extent into its pages (the shape of btrfs's zlib/lzo
 * decompression, which streams output into the extent's page-cache pages).
 *
 * The "compressed" input is a run-length stream in lowmem: records of
 * { u16 length (1..4096), u8 value }. It expands to exactly 1200 highmem
 * pages. The decompressor keeps one output page mapped at a time: kmap()ed
 * while it is filled, then kunmap()ed (phase "kmap"); the second pass does
 * the same with kmap_local_page()/kunmap_local() (phase "kmap_local").
 * After each pass ("check_kmap", "check_kmap_local") the first and last byte
 * of every run piece is checked, and a few pages are checked in full.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <hmemu.h>

#define NR_PAGES	1200
#define OUT_BYTES	((unsigned long)NR_PAGES * PAGE_SIZE)
#define RUN_MAX		4096
#define REC_SIZE	3
#define FULL_CHECK_EVERY 100	/* pages checked byte by byte */

static struct page *pages[NR_PAGES];
static u8 *comp;		/* the compressed stream (kmalloc, lowmem) */
static size_t comp_len;

static u32 rng_state = 0x1badb002;

static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Build the compressed stream: random runs that add up to OUT_BYTES exactly. */
static int make_stream(void)
{
	unsigned long produced = 0;
	size_t cap = (OUT_BYTES / 512) * REC_SIZE;	/* runs average ~1 KiB */

	comp = kmalloc(cap, GFP_KERNEL);
	if (!comp)
		return -ENOMEM;
	comp_len = 0;
	while (produced < OUT_BYTES) {
		u32 r = rng();
		unsigned int len = 64 + (r % (2 * 1024 - 64));
		u8 val = (u8)(r >> 24);

		if (len > OUT_BYTES - produced)
			len = OUT_BYTES - produced;
		if (comp_len + REC_SIZE > cap)
			return -ENOSPC;
		comp[comp_len] = len & 0xff;
		comp[comp_len + 1] = len >> 8;
		comp[comp_len + 2] = val;
		comp_len += REC_SIZE;
		produced += len;
	}
	return 0;
}

/* The decompressor's output cursor: one page mapped at a time. */
struct out_cursor {
	bool use_local;
	unsigned int page_nr;
	unsigned int off;
	char *kaddr;
};

static void cursor_map(struct out_cursor *c)
{
	struct page *page = pages[c->page_nr];

	c->kaddr = c->use_local ? kmap_local_page(page) : kmap(page);
}

static void cursor_unmap(struct out_cursor *c)
{
	if (c->use_local)
		kunmap_local(c->kaddr);
	else
		kunmap(pages[c->page_nr]);
	c->kaddr = NULL;
}

static int rle_decompress(const u8 *src, size_t srclen, bool use_local)
{
	struct out_cursor c = { use_local, 0, 0, NULL };
	size_t in = 0;

	cursor_map(&c);
	while (in + REC_SIZE <= srclen) {
		unsigned int len = src[in] | (src[in + 1] << 8);
		u8 val = src[in + 2];

		in += REC_SIZE;
		if (len == 0 || len > RUN_MAX)
			goto corrupt;
		while (len) {
			unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - c.off);

			memset(c.kaddr + c.off, val, chunk);
			c.off += chunk;
			len -= chunk;
			if (c.off < PAGE_SIZE)
				continue;
			cursor_unmap(&c);
			c.page_nr++;
			c.off = 0;
			if (c.page_nr == NR_PAGES) {
				if (len || in != srclen)
					return -EOVERFLOW;	/* more output than pages */
				return 0;
			}
			cursor_map(&c);
		}
	}
corrupt:
	cursor_unmap(&c);
	return -EINVAL;		/* the stream ended early or is corrupt */
}

/* Run pieces: check their first and last byte; some pages in full. */
static unsigned int check_pages(void)
{
	unsigned int page_nr = 0, off = 0, bad = 0, b;
	size_t in = 0;
	u8 *kaddr = kmap_local_page(pages[0]);

	while (in + REC_SIZE <= comp_len && page_nr < NR_PAGES) {
		unsigned int len = comp[in] | (comp[in + 1] << 8);
		u8 val = comp[in + 2];

		in += REC_SIZE;
		while (len) {
			unsigned int chunk = min_t(unsigned int, len, PAGE_SIZE - off);

			if (kaddr[off] != val || kaddr[off + chunk - 1] != val)
				bad++;
			if (page_nr % FULL_CHECK_EVERY == 0)
				for (b = 0; b < chunk; b++)
					bad += kaddr[off + b] != val;
			off += chunk;
			len -= chunk;
			if (off == PAGE_SIZE) {
				kunmap_local(kaddr);
				off = 0;
				if (++page_nr == NR_PAGES)
					return bad;
				kaddr = kmap_local_page(pages[page_nr]);
			}
		}
	}
	kunmap_local(kaddr);
	return bad + 1;		/* the stream did not cover every page */
}

static bool run_pass(const char *phase, const char *check_phase, bool use_local)
{
	unsigned int i, bad;
	int ret;

	for (i = 0; i < NR_PAGES; i++)
		clear_highpage(pages[i]);

	hmemu_mark(phase);
	ret = rle_decompress(comp, comp_len, use_local);
	hmemu_mark(check_phase);
	bad = check_pages();
	pr_info("extent_decompress: phase %s: decompress returned %d, %u bad bytes\n",
		phase, ret, bad);
	return ret == 0 && bad == 0;
}

int main(void)
{
	unsigned int i;
	bool ok;

	for (i = 0; i < NR_PAGES; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (!pages[i]) {
			pr_err("extent_decompress: out of pages at %u\n", i);
			return 1;
		}
	}
	if (make_stream()) {
		pr_err("extent_decompress: cannot build the compressed stream\n");
		return 1;
	}
	pr_info("extent_decompress: %zu compressed bytes (%zu runs) -> %u highmem pages\n",
		comp_len, comp_len / REC_SIZE, NR_PAGES);

	ok = run_pass("kmap", "check_kmap", false);
	ok &= run_pass("kmap_local", "check_kmap_local", true);
	hmemu_mark("end");

	for (i = 0; i < NR_PAGES; i++)
		__free_page(pages[i]);
	kfree(comp);

	pr_info("extent_decompress: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
