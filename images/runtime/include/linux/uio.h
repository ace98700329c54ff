/* SPDX-License-Identifier: MIT */
/*
 * I/O vector iterators (include/linux/uio.h, lib/iov_iter.c; v6.1) over
 * kvec (kernel buffers), bvec (pages: each step kmap_local_page()s the page,
 * as upstream's iterate_bvec) and iovec/ubuf (user memory through
 * copy_to_user/copy_from_user). copy_page_to_iter() and copy_page_from_iter()
 * map the source/destination page with kmap_local_page(), one page at a time.
 * runtime/lib/iov_iter.c.
 */
#ifndef _HMEMU_LINUX_UIO_H
#define _HMEMU_LINUX_UIO_H

#include <hmemu.h>
#include <linux/bvec.h>

#ifndef READ
#define READ	0
#define WRITE	1
#endif

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

struct kvec {
	void *iov_base;	/* and that should *never* hold a userland pointer */
	size_t iov_len;
};

enum iter_type {
	ITER_IOVEC,
	ITER_KVEC,
	ITER_BVEC,
	ITER_PIPE,
	ITER_XARRAY,
	ITER_DISCARD,
	ITER_UBUF,
};

#define ITER_SOURCE	1	/* == WRITE */
#define ITER_DEST	0	/* == READ */

struct iov_iter_state {
	size_t iov_offset;
	size_t count;
	unsigned long nr_segs;
};

struct iov_iter {
	u8 iter_type;
	bool nofault;
	bool data_source;
	bool user_backed;
	size_t iov_offset;
	size_t count;
	union {
		const struct iovec *iov;
		const struct kvec *kvec;
		const struct bio_vec *bvec;
		void __user *ubuf;
	};
	unsigned long nr_segs;
};

#define MAX_RW_COUNT	(INT_MAX & PAGE_MASK)
#ifndef INT_MAX
#define INT_MAX		((int)(~0U >> 1))
#endif

static inline enum iter_type iov_iter_type(const struct iov_iter *i) { return i->iter_type; }
static inline bool iter_is_ubuf(const struct iov_iter *i) { return iov_iter_type(i) == ITER_UBUF; }
static inline bool iter_is_iovec(const struct iov_iter *i) { return iov_iter_type(i) == ITER_IOVEC; }
static inline bool iov_iter_is_kvec(const struct iov_iter *i) { return iov_iter_type(i) == ITER_KVEC; }
static inline bool iov_iter_is_bvec(const struct iov_iter *i) { return iov_iter_type(i) == ITER_BVEC; }
static inline bool iov_iter_is_discard(const struct iov_iter *i) { return iov_iter_type(i) == ITER_DISCARD; }
static inline bool user_backed_iter(const struct iov_iter *i) { return i->user_backed; }
static inline unsigned char iov_iter_rw(const struct iov_iter *i) { return i->data_source ? WRITE : READ; }
static inline size_t iov_iter_count(const struct iov_iter *i) { return i->count; }

static inline void iov_iter_truncate(struct iov_iter *i, u64 count)
{
	if (i->count > count)
		i->count = count;
}

static inline void iov_iter_reexpand(struct iov_iter *i, size_t count) { i->count = count; }

static inline void iov_iter_save_state(struct iov_iter *iter, struct iov_iter_state *state)
{
	state->iov_offset = iter->iov_offset;
	state->count = iter->count;
	state->nr_segs = iter->nr_segs;
}

void iov_iter_init(struct iov_iter *i, unsigned int direction, const struct iovec *iov,
		   unsigned long nr_segs, size_t count);
void iov_iter_kvec(struct iov_iter *i, unsigned int direction, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count);
void iov_iter_bvec(struct iov_iter *i, unsigned int direction, const struct bio_vec *bvec,
		   unsigned long nr_segs, size_t count);
void iov_iter_discard(struct iov_iter *i, unsigned int direction, size_t count);
int import_ubuf(int type, void __user *buf, size_t len, struct iov_iter *i);

void iov_iter_advance(struct iov_iter *i, size_t bytes);
void iov_iter_revert(struct iov_iter *i, size_t bytes);
size_t iov_iter_single_seg_count(const struct iov_iter *i);
void iov_iter_restore(struct iov_iter *i, struct iov_iter_state *state);

size_t _copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
size_t _copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);

static __always_inline __must_check size_t copy_to_iter(const void *addr, size_t bytes,
							struct iov_iter *i)
{
	return _copy_to_iter(addr, bytes, i);
}

static __always_inline __must_check size_t copy_from_iter(void *addr, size_t bytes,
							  struct iov_iter *i)
{
	return _copy_from_iter(addr, bytes, i);
}

static __always_inline __must_check bool copy_to_iter_full(const void *addr, size_t bytes,
							   struct iov_iter *i)
{
	size_t copied = copy_to_iter(addr, bytes, i);

	if (likely(copied == bytes))
		return true;
	iov_iter_revert(i, copied);
	return false;
}

static __always_inline __must_check bool copy_from_iter_full(void *addr, size_t bytes,
							     struct iov_iter *i)
{
	size_t copied = copy_from_iter(addr, bytes, i);

	if (likely(copied == bytes))
		return true;
	iov_iter_revert(i, copied);
	return false;
}

#endif
