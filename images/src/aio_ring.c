// SPDX-License-Identifier: MIT
/*
 * An aio-style completion ring (the shape of fs/aio.c's aio_complete and
 * aio_read_events_ring): io_events spread over 4 highmem pages, the ring
 * header (head, tail) at the start of page 0. Every completion maps the
 * event's page, writes the event, unmaps it, then maps page 0 to publish
 * the new tail, all under the ring's completion lock. A reaper consumes the
 * events every 64 completions and checks them.
 *
 * 4000 completions with kmap_atomic (phase "kmap_atomic"), then 4000 with
 * kmap_local_page (phase "kmap_local").
 */
#include <linux/highmem.h>
#include <linux/spinlock.h>
#include <linux/printk.h>
#include <hmemu.h>

#define AIO_RING_MAGIC		0xa10a10a1U
#define AIO_RING_PAGES		4
#define NR_COMPLETIONS		4000
#define REAP_EVERY		64

struct io_event {
	u64 data;
	u64 obj;
	s64 res;
	s64 res2;
};

struct aio_ring {
	unsigned int id;
	unsigned int nr;		/* number of io_events */
	unsigned int head;		/* written by the reaper */
	unsigned int tail;		/* written by aio_complete */
	unsigned int magic;
	unsigned int compat_features;
	unsigned int incompat_features;
	unsigned int header_length;
	struct io_event io_events[];
};

#define AIO_EVENTS_PER_PAGE	(PAGE_SIZE / sizeof(struct io_event))
#define AIO_EVENTS_FIRST_PAGE	((PAGE_SIZE - sizeof(struct aio_ring)) / sizeof(struct io_event))
#define AIO_EVENTS_OFFSET	(AIO_EVENTS_PER_PAGE - AIO_EVENTS_FIRST_PAGE)

struct kioctx {
	spinlock_t completion_lock;
	struct page *ring_pages[AIO_RING_PAGES];
	unsigned int nr_events;
	unsigned int tail;		/* producer's copy */
	bool use_local;			/* kmap_local_page instead of kmap_atomic */
	u64 next_expected;		/* reaper: next event's data */
	unsigned int reaped, bad_events;
};

static struct kioctx ctx;

static void *ring_map(struct kioctx *c, struct page *page)
{
	return c->use_local ? kmap_local_page(page) : kmap_atomic(page);
}

static void ring_unmap(struct kioctx *c, void *addr)
{
	if (c->use_local)
		kunmap_local(addr);
	else
		kunmap_atomic(addr);
}

/* Publish one completion (aio_complete's shape). */
static void aio_complete(struct kioctx *c, u64 data, s64 res)
{
	struct aio_ring *ring;
	struct io_event *ev_page, *event;
	unsigned int tail, pos;
	unsigned long flags;

	spin_lock_irqsave(&c->completion_lock, flags);

	tail = c->tail;
	pos = tail + AIO_EVENTS_OFFSET;
	if (++tail >= c->nr_events)
		tail = 0;

	ev_page = ring_map(c, c->ring_pages[pos / AIO_EVENTS_PER_PAGE]);
	event = ev_page + pos % AIO_EVENTS_PER_PAGE;
	event->data = data;
	event->obj = data ^ 0xfeedfaceULL;
	event->res = res;
	event->res2 = 0;
	ring_unmap(c, ev_page);
	flush_dcache_page(c->ring_pages[pos / AIO_EVENTS_PER_PAGE]);

	/* make the event visible before the tail that covers it */
	smp_wmb();
	c->tail = tail;

	ring = ring_map(c, c->ring_pages[0]);
	ring->tail = tail;
	ring_unmap(c, ring);
	flush_dcache_page(c->ring_pages[0]);

	spin_unlock_irqrestore(&c->completion_lock, flags);
}

/* Consume everything between head and tail (aio_read_events_ring's shape). */
static void aio_reap(struct kioctx *c)
{
	struct aio_ring *ring;
	unsigned int head, tail;

	ring = ring_map(c, c->ring_pages[0]);
	head = ring->head;
	tail = ring->tail;
	ring_unmap(c, ring);
	smp_rmb();

	while (head != tail) {
		unsigned int pos = head + AIO_EVENTS_OFFSET;
		unsigned int avail = (head <= tail ? tail : c->nr_events) - head;
		struct io_event *ev_page;
		unsigned int i;

		avail = min_t(unsigned int, avail,
			      AIO_EVENTS_PER_PAGE - pos % AIO_EVENTS_PER_PAGE);
		ev_page = ring_map(c, c->ring_pages[pos / AIO_EVENTS_PER_PAGE]);
		for (i = 0; i < avail; i++) {
			struct io_event *ev = ev_page + pos % AIO_EVENTS_PER_PAGE + i;
			u64 want = c->next_expected++;

			if (ev->data != want || ev->obj != (want ^ 0xfeedfaceULL) ||
			    ev->res != (s64)want * 3 || ev->res2 != 0)
				c->bad_events++;
		}
		ring_unmap(c, ev_page);
		c->reaped += avail;
		head = (head + avail) % c->nr_events;
	}

	ring = ring_map(c, c->ring_pages[0]);
	ring->head = head;
	ring_unmap(c, ring);
}

/* Ring header, written once; the phases continue from where the last one left head/tail. */
static void ring_init(struct kioctx *c)
{
	struct aio_ring *ring = kmap_local_page(c->ring_pages[0]);

	ring->id = 1;
	ring->nr = c->nr_events;
	ring->head = ring->tail = 0;
	ring->magic = AIO_RING_MAGIC;
	ring->compat_features = 1;
	ring->incompat_features = 0;
	ring->header_length = sizeof(struct aio_ring);
	kunmap_local(ring);
	c->tail = 0;
}

/* No mapping here, so nothing but the phase's own work lands between its marks. */
static void phase_reset(struct kioctx *c, bool use_local)
{
	c->use_local = use_local;
	c->next_expected = 0;
	c->reaped = 0;
	c->bad_events = 0;
}

static bool run_phase(struct kioctx *c, const char *name, bool use_local)
{
	unsigned int i;

	phase_reset(c, use_local);
	hmemu_mark(name);
	for (i = 0; i < NR_COMPLETIONS; i++) {
		aio_complete(c, i, (s64)i * 3);
		if ((i + 1) % REAP_EVERY == 0)
			aio_reap(c);
	}
	aio_reap(c);

	pr_info("aio_ring: phase %s: %u completions, %u reaped, %u bad events\n",
		name, NR_COMPLETIONS, c->reaped, c->bad_events);
	return c->reaped == NR_COMPLETIONS && c->bad_events == 0;
}

int main(void)
{
	bool ok;
	int i;

	BUILD_BUG_ON(sizeof(struct io_event) != 32 || sizeof(struct aio_ring) != 32);

	spin_lock_init(&ctx.completion_lock);
	for (i = 0; i < AIO_RING_PAGES; i++) {
		ctx.ring_pages[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
		if (!ctx.ring_pages[i]) {
			pr_err("aio_ring: out of pages\n");
			return 1;
		}
	}
	ctx.nr_events = (AIO_RING_PAGES * PAGE_SIZE - sizeof(struct aio_ring)) /
			sizeof(struct io_event);
	ring_init(&ctx);
	pr_info("aio_ring: %u-event ring over %d highmem pages, %d completions per phase\n",
		ctx.nr_events, AIO_RING_PAGES, NR_COMPLETIONS);

	ok = run_phase(&ctx, "kmap_atomic", false);
	ok &= run_phase(&ctx, "kmap_local", true);
	hmemu_mark("end");

	for (i = 0; i < AIO_RING_PAGES; i++)
		__free_page(ctx.ring_pages[i]);

	pr_info("aio_ring: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
