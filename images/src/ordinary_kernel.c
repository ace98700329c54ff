// SPDX-License-Identifier: MIT
/*
 * Ordinary kernel code around memcpy_to_page(), as a driver would write it: a
 * list of chunks under a mutex, copied into highmem pages with min_t() and
 * list_for_each_entry_safe(). It must build unchanged and run clean.
 */
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>

struct chunk {
	struct list_head node;
	size_t len;
	u8 data[300];
};

static LIST_HEAD(chunks);
static DEFINE_MUTEX(chunks_lock);

static int queue_chunk(u8 fill, size_t len)
{
	struct chunk *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->len = min_t(size_t, len, sizeof(c->data));
	memset(c->data, fill, c->len);
	mutex_lock(&chunks_lock);
	list_add_tail(&c->node, &chunks);
	mutex_unlock(&chunks_lock);
	return 0;
}

/* Drains the list into the page; returns the bytes written. */
static size_t flush_chunks(struct page *page)
{
	struct chunk *c, *tmp;
	size_t off = 0;

	mutex_lock(&chunks_lock);
	list_for_each_entry_safe(c, tmp, &chunks, node) {
		size_t n = min_t(size_t, c->len, PAGE_SIZE - off);

		memcpy_to_page(page, off, (const char *)c->data, n);
		off += n;
		list_del(&c->node);
		kfree(c);
	}
	mutex_unlock(&chunks_lock);
	return off;
}

static int __init ordinary_init(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	size_t written, i;
	u8 *p;
	int bad = 0;

	if (!page)
		return -ENOMEM;
	for (i = 0; i < 20; i++)
		if (queue_chunk((u8)i, 250))
			return -ENOMEM;
	written = flush_chunks(page);
	p = kmap_local_page(page);
	for (i = 0; i < written; i++)
		bad += p[i] != (u8)(i / 250);
	kunmap_local(p);
	__free_page(page);
	pr_info("ordinary_kernel: wrote %zu bytes, %d bad, list %s\n", written, bad,
		list_empty(&chunks) ? "empty" : "not empty");
	return written == PAGE_SIZE && !bad && list_empty(&chunks) ? 0 : 1;
}
module_init(ordinary_init);
