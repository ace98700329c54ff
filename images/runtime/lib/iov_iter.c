// SPDX-License-Identifier: MIT
/*
 * iov_iter (lib/iov_iter.c, v6.1): the iterate_and_advance() walk over ubuf,
 * iovec, kvec and bvec segments, with one step function per operation. A bvec
 * step maps its page with kmap_local_page() and unmaps it before the next one.
 */
#include <hmemu.h>
#include <linux/uio.h>

enum hm_iter_op { HM_COPY_TO_ITER, HM_COPY_FROM_ITER, HM_ZERO_ITER };

/* One step on a segment: returns the bytes NOT done (non-zero stops the walk). */
static size_t iter_step(enum hm_iter_op op, bool user, void *base, char *buf, size_t off,
			size_t len)
{
	switch (op) {
	case HM_COPY_TO_ITER:
		if (user)
			return copy_to_user((void __user *)base, buf + off, len);
		memcpy(base, buf + off, len);
		return 0;
	case HM_COPY_FROM_ITER:
		if (user)
			return __copy_from_user_inatomic(buf + off, (const void __user *)base, len);
		memcpy(buf + off, base, len);
		return 0;
	case HM_ZERO_ITER:
	default:
		if (user) {
			static const char zeroes[256];
			size_t left = len, n;

			while (left) {
				n = min_t(size_t, left, sizeof(zeroes));
				if (copy_to_user((char __user *)base + (len - left), zeroes, n))
					return left;
				left -= n;
			}
			return 0;
		}
		memset(base, 0, len);
		return 0;
	}
}

/* iterate_iovec(): iovec and kvec have the same layout. */
static size_t iterate_iovec(struct iov_iter *i, size_t n, enum hm_iter_op op, char *buf, bool user)
{
	const struct kvec *p = i->kvec;
	size_t off = 0, skip = i->iov_offset;

	do {
		size_t len = min(n, p->iov_len - skip);

		if (likely(len)) {
			len -= iter_step(op, user, (char *)p->iov_base + skip, buf, off, len);
			off += len;
			skip += len;
			n -= len;
			if (skip < p->iov_len)
				break;
		}
		p++;
		skip = 0;
	} while (n);
	i->iov_offset = skip;
	i->nr_segs -= p - i->kvec;
	i->kvec = p;
	return off;
}

static size_t iterate_bvec(struct iov_iter *i, size_t n, enum hm_iter_op op, char *buf)
{
	const struct bio_vec *p = i->bvec;
	size_t off = 0;
	unsigned int skip = i->iov_offset;

	while (n) {
		unsigned int offset = p->bv_offset + skip;
		size_t left, len;
		void *kaddr = kmap_local_page(p->bv_page + offset / PAGE_SIZE);
		void *base = kaddr + offset % PAGE_SIZE;

		len = min(min(n, (size_t)(p->bv_len - skip)), (size_t)(PAGE_SIZE - offset % PAGE_SIZE));
		left = iter_step(op, false, base, buf, off, len);
		kunmap_local(kaddr);
		len -= left;
		off += len;
		skip += len;
		if (skip == p->bv_len) {
			skip = 0;
			p++;
		}
		n -= len;
		if (left)
			break;
	}
	i->iov_offset = skip;
	i->nr_segs -= p - i->bvec;
	i->bvec = p;
	return off;
}

static size_t iterate_and_advance(struct iov_iter *i, size_t n, enum hm_iter_op op, char *buf)
{
	if (unlikely(i->count < n))
		n = i->count;
	if (likely(n)) {
		if (iter_is_ubuf(i)) {
			size_t len = n - iter_step(op, true, (char __force *)i->ubuf + i->iov_offset,
						   buf, 0, n);

			i->iov_offset += len;
			n = len;
		} else if (iter_is_iovec(i)) {
			n = iterate_iovec(i, n, op, buf, true);
		} else if (iov_iter_is_bvec(i)) {
			n = iterate_bvec(i, n, op, buf);
		} else if (iov_iter_is_kvec(i)) {
			n = iterate_iovec(i, n, op, buf, false);
		}
		i->count -= n;
	}
	return n;
}

/* might_fault() (mm/memory.c __might_fault): might_sleep unless page faults are disabled. */
static void iov_might_fault(int line)
{
	if (!pagefault_disabled())
		__might_sleep("lib/iov_iter.c", line);
}

size_t _copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	if (user_backed_iter(i))
		iov_might_fault(526);
	return iterate_and_advance(i, bytes, HM_COPY_TO_ITER, (char *)addr);
}

size_t _copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	if (user_backed_iter(i))
		iov_might_fault(630);
	return iterate_and_advance(i, bytes, HM_COPY_FROM_ITER, addr);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	return iterate_and_advance(i, bytes, HM_ZERO_ITER, NULL);
}

/* Pages are order-0 in the model: a copy must stay inside its page. */
static bool page_copy_sane(struct page *page, size_t offset, size_t n)
{
	size_t v = n + offset;

	(void)page;
	if (n <= v && v <= PAGE_SIZE)
		return true;
	WARN_ON(1);
	return false;
}

size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i)
{
	size_t res = 0;

	if (unlikely(!page_copy_sane(page, offset, bytes)))
		return 0;
	page += offset / PAGE_SIZE;
	offset %= PAGE_SIZE;
	while (1) {
		void *kaddr = kmap_local_page(page);
		size_t n = min(bytes, (size_t)PAGE_SIZE - offset);

		n = _copy_to_iter(kaddr + offset, n, i);
		kunmap_local(kaddr);
		res += n;
		bytes -= n;
		if (!bytes || !n)
			break;
		offset += n;
		if (offset == PAGE_SIZE) {
			page++;
			offset = 0;
		}
	}
	return res;
}

size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i)
{
	size_t res = 0;

	if (!page_copy_sane(page, offset, bytes))
		return 0;
	page += offset / PAGE_SIZE;
	offset %= PAGE_SIZE;
	while (1) {
		void *kaddr = kmap_local_page(page);
		size_t n = min(bytes, (size_t)PAGE_SIZE - offset);

		n = _copy_from_iter(kaddr + offset, n, i);
		kunmap_local(kaddr);
		res += n;
		bytes -= n;
		if (!bytes || !n)
			break;
		offset += n;
		if (offset == PAGE_SIZE) {
			page++;
			offset = 0;
		}
	}
	return res;
}

static void iov_iter_bvec_advance(struct iov_iter *i, size_t size)
{
	const struct bio_vec *bvec, *end;

	if (!i->count)
		return;
	i->count -= size;
	size += i->iov_offset;
	for (bvec = i->bvec, end = bvec + i->nr_segs; bvec < end; bvec++) {
		if (likely(size < bvec->bv_len))
			break;
		size -= bvec->bv_len;
	}
	i->iov_offset = size;
	i->nr_segs -= bvec - i->bvec;
	i->bvec = bvec;
}

static void iov_iter_iovec_advance(struct iov_iter *i, size_t size)
{
	const struct kvec *iov, *end;

	if (!i->count)
		return;
	i->count -= size;
	size += i->iov_offset;
	for (iov = i->kvec, end = iov + i->nr_segs; iov < end; iov++) {
		if (likely(size < iov->iov_len))
			break;
		size -= iov->iov_len;
	}
	i->iov_offset = size;
	i->nr_segs -= iov - i->kvec;
	i->kvec = iov;
}

void iov_iter_advance(struct iov_iter *i, size_t size)
{
	if (unlikely(i->count < size))
		size = i->count;
	if (iter_is_ubuf(i)) {
		i->iov_offset += size;
		i->count -= size;
	} else if (iter_is_iovec(i) || iov_iter_is_kvec(i)) {
		iov_iter_iovec_advance(i, size);
	} else if (iov_iter_is_bvec(i)) {
		iov_iter_bvec_advance(i, size);
	} else if (iov_iter_is_discard(i)) {
		i->count -= size;
	}
}

void iov_iter_revert(struct iov_iter *i, size_t unroll)
{
	if (!unroll)
		return;
	if (WARN_ON(unroll > MAX_RW_COUNT))
		return;
	i->count += unroll;
	if (unlikely(iov_iter_is_discard(i)))
		return;
	if (unroll <= i->iov_offset) {
		i->iov_offset -= unroll;
		return;
	}
	unroll -= i->iov_offset;
	if (iter_is_ubuf(i)) {
		BUG();
	} else if (iov_iter_is_bvec(i)) {
		const struct bio_vec *bvec = i->bvec;

		while (1) {
			size_t n = (--bvec)->bv_len;

			i->nr_segs++;
			if (unroll <= n) {
				i->bvec = bvec;
				i->iov_offset = n - unroll;
				return;
			}
			unroll -= n;
		}
	} else {
		const struct kvec *iov = i->kvec;

		while (1) {
			size_t n = (--iov)->iov_len;

			i->nr_segs++;
			if (unroll <= n) {
				i->kvec = iov;
				i->iov_offset = n - unroll;
				return;
			}
			unroll -= n;
		}
	}
}

size_t iov_iter_single_seg_count(const struct iov_iter *i)
{
	if (i->nr_segs > 1) {
		if (iter_is_iovec(i) || iov_iter_is_kvec(i))
			return min(i->count, i->kvec->iov_len - i->iov_offset);
		if (iov_iter_is_bvec(i))
			return min(i->count, (size_t)i->bvec->bv_len - i->iov_offset);
	}
	return i->count;
}

void iov_iter_init(struct iov_iter *i, unsigned int direction, const struct iovec *iov,
		   unsigned long nr_segs, size_t count)
{
	WARN_ON(direction & ~(READ | WRITE));
	*i = (struct iov_iter){
		.iter_type = ITER_IOVEC,
		.nofault = false,
		.user_backed = true,
		.data_source = direction,
		.iov = iov,
		.nr_segs = nr_segs,
		.iov_offset = 0,
		.count = count
	};
}

void iov_iter_kvec(struct iov_iter *i, unsigned int direction, const struct kvec *kvec,
		   unsigned long nr_segs, size_t count)
{
	WARN_ON(direction & ~(READ | WRITE));
	*i = (struct iov_iter){
		.iter_type = ITER_KVEC,
		.data_source = direction,
		.kvec = kvec,
		.nr_segs = nr_segs,
		.iov_offset = 0,
		.count = count
	};
}

void iov_iter_bvec(struct iov_iter *i, unsigned int direction, const struct bio_vec *bvec,
		   unsigned long nr_segs, size_t count)
{
	WARN_ON(direction & ~(READ | WRITE));
	*i = (struct iov_iter){
		.iter_type = ITER_BVEC,
		.data_source = direction,
		.bvec = bvec,
		.nr_segs = nr_segs,
		.iov_offset = 0,
		.count = count
	};
}

void iov_iter_discard(struct iov_iter *i, unsigned int direction, size_t count)
{
	BUG_ON(direction != READ);
	*i = (struct iov_iter){
		.iter_type = ITER_DISCARD,
		.data_source = false,
		.count = count,
		.iov_offset = 0
	};
}

int import_ubuf(int rw, void __user *buf, size_t len, struct iov_iter *i)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	*i = (struct iov_iter){
		.iter_type = ITER_UBUF,
		.user_backed = true,
		.data_source = rw,
		.ubuf = buf,
		.count = len,
		.nr_segs = 1
	};
	return 0;
}

void iov_iter_restore(struct iov_iter *i, struct iov_iter_state *state)
{
	if (WARN_ON_ONCE(!iov_iter_is_bvec(i) && !iter_is_iovec(i)) && !iov_iter_is_kvec(i) &&
	    !iter_is_ubuf(i))
		return;
	i->iov_offset = state->iov_offset;
	i->count = state->count;
	if (iter_is_ubuf(i))
		return;
	if (iov_iter_is_bvec(i))
		i->bvec -= state->nr_segs - i->nr_segs;
	else
		i->kvec -= state->nr_segs - i->nr_segs;
	i->nr_segs = state->nr_segs;
}
