// SPDX-License-Identifier: MIT
/*
 * Scatterlists and iov_iter over highmem pages. sg_miter with SG_MITER_ATOMIC
 * maps each page with kmap_atomic(): preemption and page faults stay disabled
 * from sg_miter_next() until sg_miter_stop() (preempt_count 1); without it,
 * kmap() leaves preempt_count 0. sg_copy_from_buffer/sg_copy_to_buffer round
 * trip; copy_page_to_iter/copy_page_from_iter move data through kvec and bvec
 * iterators.
 */
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/uio.h>
#include <linux/slab.h>

#define NPAGES	3

static int bad;

#define CHECK(cond) do { \
	if (!(cond)) { \
		pr_err("sg_miter: check failed at line %d: %s\n", __LINE__, #cond); \
		bad++; \
	} \
} while (0)

int main(void)
{
	struct page *pages[NPAGES];
	struct scatterlist sg[NPAGES];
	struct sg_mapping_iter miter;
	char *buf = kmalloc(3 * 1000, GFP_KERNEL), *back = kzalloc(3 * 1000, GFP_KERNEL);
	int i, n, in_atomic_pc = -1, in_atomic_pf = -1, plain_pc = -1;
	size_t total = 0;

	for (i = 0; i < NPAGES; i++)
		pages[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	sg_init_table(sg, NPAGES);
	for (i = 0; i < NPAGES; i++)
		sg_set_page(&sg[i], pages[i], 1000, 100 * i);
	CHECK(sg_nents(sg) == NPAGES && sg_is_last(&sg[NPAGES - 1]));

	/* SG_MITER_ATOMIC: between next and stop we are in atomic context */
	hmemu_mark("miter_atomic");
	sg_miter_start(&miter, sg, NPAGES, SG_MITER_ATOMIC | SG_MITER_TO_SG);
	n = 0;
	while (sg_miter_next(&miter)) {
		if (n++ == 0) {
			in_atomic_pc = preempt_count();
			in_atomic_pf = pagefault_disabled();
		}
		memset(miter.addr, 0x5a, miter.length);
		total += miter.length;
	}
	sg_miter_stop(&miter);
	hmemu_mark("miter_plain");
	CHECK(in_atomic_pc == 1 && in_atomic_pf == 1 && preempt_count() == 0 && !pagefault_disabled());
	CHECK(n == NPAGES && total == 3000);

	sg_miter_start(&miter, sg, NPAGES, SG_MITER_FROM_SG);
	while (sg_miter_next(&miter)) {
		plain_pc = preempt_count();
		for (i = 0; i < (int)miter.length; i++)
			if (((u8 *)miter.addr)[i] != 0x5a) { bad++; break; }
	}
	sg_miter_stop(&miter);
	hmemu_mark("copy");
	CHECK(plain_pc == 0);

	for (i = 0; i < 3000; i++)
		buf[i] = (char)(i * 7);
	CHECK(sg_copy_from_buffer(sg, NPAGES, buf, 3000) == 3000);
	CHECK(sg_copy_to_buffer(sg, NPAGES, back, 3000) == 3000);
	CHECK(memcmp(buf, back, 3000) == 0);
	CHECK(sg_pcopy_to_buffer(sg, NPAGES, back, 10, 1995) == 10 && memcmp(back, buf + 1995, 10) == 0);

	/* iov_iter: page -> kvec (two segments), kvec -> page, page -> bvec */
	{
		char a[1500], b[1500];
		struct kvec kv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
		struct bio_vec bv[2] = { { pages[2], 600, 0 }, { pages[1], 600, 2000 } };
		struct iov_iter it;
		u8 *p;

		iov_iter_kvec(&it, ITER_DEST, kv, 2, sizeof(a) + sizeof(b));
		CHECK(copy_page_to_iter(pages[0], 0, 2000, &it) == 2000);
		CHECK(iov_iter_count(&it) == 1000 && memcmp(a, buf, 1000) == 0 && (u8)a[1400] == 0);
		CHECK(b[0] == 0 && b[499] == 0);	/* bytes 1000..1999 of page 0 were never written */

		memset(a, 0x11, sizeof(a));
		iov_iter_kvec(&it, ITER_SOURCE, kv, 1, 1200);
		CHECK(copy_page_from_iter(pages[1], 3000, 1000, &it) == 1000);
		CHECK(iov_iter_count(&it) == 200);
		p = kmap_local_page(pages[1]);
		CHECK(p[3000] == 0x11 && p[3999] == 0x11);
		kunmap_local(p);

		iov_iter_bvec(&it, ITER_DEST, bv, 2, 1200);
		CHECK(copy_page_to_iter(pages[1], 3000, 1000, &it) == 1000);
		p = kmap_local_page(pages[2]);
		CHECK(p[0] == 0x11 && p[599] == 0x11);
		kunmap_local(p);
		p = kmap_local_page(pages[1]);
		CHECK(p[2000] == 0x11 && p[2399] == 0x11 && p[2400] != 0x11);
		kunmap_local(p);
		CHECK(iov_iter_count(&it) == 200);
		iov_iter_revert(&it, 700);
		CHECK(iov_iter_count(&it) == 900 && it.bvec == &bv[0] && it.iov_offset == 300);
	}

	for (i = 0; i < NPAGES; i++)
		__free_page(pages[i]);
	kfree(buf);
	kfree(back);
	pr_info("sg_miter: atomic preempt_count %d pagefault_disabled %d, plain preempt_count %d: %s\n",
		in_atomic_pc, in_atomic_pf, plain_pc, bad ? "FAIL" : "OK");
	return bad;
}
