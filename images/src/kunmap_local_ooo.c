// SPDX-License-Identifier: MIT
/*
 * kunmap_local() out of order (docs/highmem.md).
 *
 * A is mapped, then B above it on the kmap_local stack. kunmap_local(A) is
 * the wrong order: kunmap_local_indexed() WARNs once (the address is not the
 * top slot's), but carries on: it clears the TOP slot's PTE (B's), INVLPGs the
 * address it was given (A's) and pops. A's slot stays mapped. Then
 * kunmap_local(B): the top is now A's slot; the WARN is not printed again
 * (WARN_ON_ONCE); A's PTE is cleared and B's address is INVLPGed. Nothing
 * ever flushed A's address after A's PTE was cleared, so a TLB entry for it
 * may survive: if the next kmap_local_page() (C) gets A's slot again, reads
 * through C may still see A's page. This image reads through C and E and
 * prints what it sees; it only fails if the mappings themselves go wrong.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_FINDING(warn);
HMEMU_EXPECT_FINDING(stale_tlb_access);	/* E is read through B's stale TLB entry */

enum { PG_A, PG_B, PG_C, PG_E, NR_PG };
static const char names[NR_PG] = { 'A', 'B', 'C', 'E' };
static struct page *pages[NR_PG];

static u32 tag(int which)
{
	return 0x7a600000U | (u32)names[which];
}

static const char *who(u32 v)
{
	static char unknown[16];
	int i;

	for (i = 0; i < NR_PG; i++)
		if (v == tag(i))
			return &"A\0B\0C\0E"[2 * i];
	snprintf(unknown, sizeof(unknown), "%08x", v);
	return unknown;
}

int main(void)
{
	volatile u32 *a, *b, *c, *e;
	u32 seen_c, seen_e;
	int i;

	for (i = 0; i < NR_PG; i++) {
		u32 *p;

		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i] || !PageHighMem(pages[i])) {
			pr_err("kunmap_local_ooo: no highmem page\n");
			return 1;
		}
		p = kmap_local_page(pages[i]);
		p[0] = tag(i);
		kunmap_local(p);
	}

	a = kmap_local_page(pages[PG_A]);
	b = kmap_local_page(pages[PG_B]);
	pr_info("kunmap_local_ooo: A at %px reads %s, B at %px reads %s\n",
		a, who(a[0]), b, who(b[0]));	/* both now cached in the TLB */

	hmemu_mark("unmap_A_first");
	pr_info("kunmap_local_ooo: kunmap_local(A) while B is on top (expect one WARN)\n");
	kunmap_local((void *)a);
	pr_info("kunmap_local_ooo: A's slot is still mapped: A reads %s\n", who(a[0]));

	hmemu_mark("unmap_B");
	pr_info("kunmap_local_ooo: kunmap_local(B) (no second WARN: WARN_ON_ONCE)\n");
	kunmap_local((void *)b);

	hmemu_mark("remap");
	c = kmap_local_page(pages[PG_C]);
	e = kmap_local_page(pages[PG_E]);
	seen_c = c[0];
	seen_e = e[0];
	pr_info("kunmap_local_ooo: C mapped at %px (A's old slot: %s) reads %s%s\n",
		c, c == a ? "yes" : "no", who(seen_c),
		seen_c == tag(PG_A) ? "  <- stale TLB entry for A's page" : "");
	pr_info("kunmap_local_ooo: E mapped at %px (B's old slot: %s) reads %s%s\n",
		e, e == b ? "yes" : "no", who(seen_e),
		seen_e == tag(PG_B) ? "  <- stale TLB entry for B's page" : "");
	kunmap_local((void *)e);
	kunmap_local((void *)c);
	hmemu_mark("end");

	for (i = 0; i < NR_PG; i++)
		__free_page(pages[i]);

	pr_info("kunmap_local_ooo: done\n");
	return 0;
}
