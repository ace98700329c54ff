// SPDX-License-Identifier: MIT
/*
 * The guest's own MMU instructions reach the model's TLB: the page tables are walked
 * from CR3 by hand, a PTE is retargeted, and each flush instruction must drop exactly
 * what hardware drops.
 *  - invlpg after retargeting a kmap() PTE: the old page until the invlpg, then the new.
 *  - a CR3 reload drops the non-global (user) entry and keeps the global (kernel) one;
 *    toggling CR4.PGE drops the global one too.
 *  - mov from CR0/CR3/CR4 returns the model's registers (PG, the PDPT, PAE|PGE).
 * main returns 0 iff every check holds; each check prints one line.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>

#define MX 0x58585858u /* "XXXX" */
#define MY 0x59595959u
#define MU 0x55555555u
#define PTE_PFN_MASK 0x000ffffffffff000ull
#define CR0_PG 0x80000000u
#define CR4_PAE 0x20u
#define CR4_PGE 0x80u

static unsigned long read_cr0(void) { unsigned long v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static unsigned long read_cr3(void) { unsigned long v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static unsigned long read_cr4(void) { unsigned long v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static void write_cr3(unsigned long v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static void write_cr4(unsigned long v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static void invlpg(const void *p) { asm volatile("invlpg (%0)" : : "r"(p) : "memory"); }

/* The PAE PTE that maps va, found from CR3 (page tables live in lowmem). */
static volatile u64 *pte_of(const void *va)
{
	unsigned long a = (unsigned long)va;
	volatile u64 *pdpt = __va(read_cr3() & ~0x1fUL);
	volatile u64 *pmd = __va((unsigned long)(pdpt[a >> 30] & PTE_PFN_MASK));
	u64 e = pmd[(a >> 21) & 511];

	if (e & 0x80) /* a 2 MiB page: no PTE */
		return NULL;
	return (volatile u64 *)__va((unsigned long)(e & PTE_PFN_MASK)) + ((a >> 12) & 511);
}

static void fill(struct page *p, u32 v)
{
	u32 *m = kmap_local_page(p);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 4; i++)
		m[i] = v;
	kunmap_local(m);
}

static bool check(const char *what, u32 got, u32 want)
{
	pr_info("mmu_insns: %s: %08x (%s)\n", what, got, got == want ? "ok" : "WRONG");
	return got == want;
}

static void retarget(volatile u64 *pte, u64 old, struct page *to)
{
	*pte = (old & ~PTE_PFN_MASK) | ((u64)page_to_pfn(to) << PAGE_SHIFT);
}

int main(void)
{
	struct page *x = alloc_page(GFP_HIGHUSER), *y = alloc_page(GFP_HIGHUSER);
	volatile u32 *v, *u;
	volatile u64 *pv, *pu;
	u64 oldv, oldu;
	unsigned long cr4 = read_cr4();
	bool ok = true;

	pr_info("mmu_insns: cr0 PG=%lu cr4 PAE=%lu PGE=%lu cr3 %s\n", read_cr0() >> 31,
		(cr4 >> 5) & 1, (cr4 >> 7) & 1, read_cr3() ? "set" : "zero");
	ok &= (read_cr0() & CR0_PG) && (cr4 & CR4_PAE) && (cr4 & CR4_PGE) && read_cr3();
	fill(x, MX);
	fill(y, MY);

	/* invlpg: a retargeted kmap() PTE */
	v = kmap(x);
	ok &= check("kmap before", v[0], MX);
	pv = pte_of((void *)v);
	oldv = *pv;
	retarget(pv, oldv, y);
	ok &= check("retargeted, no invlpg (stale TLB)", v[0], MX);
	invlpg((void *)v);
	ok &= check("after invlpg", v[0], MY);
	*pv = oldv;
	invlpg((void *)v);
	ok &= check("restored", v[0], MX);

	/* CR3 reload: user (non-global) entry dropped, kernel (global) entry kept */
	u = hmemu_user_alloc(PAGE_SIZE);
	u[0] = MU;
	ok &= check("user page", u[0], MU);
	pu = pte_of((void *)u);
	oldu = *pu;
	retarget(pu, oldu, y);
	retarget(pv, oldv, y);
	write_cr3(read_cr3());
	ok &= check("user after CR3 reload", u[0], MY);
	ok &= check("kernel (global) after CR3 reload", v[0], MX);
	write_cr4(cr4 & ~CR4_PGE);
	write_cr4(cr4);
	ok &= check("kernel after CR4.PGE toggle", v[0], MY);

	*pu = oldu;
	*pv = oldv;
	write_cr4(cr4 & ~CR4_PGE);
	write_cr4(cr4);
	ok &= check("both restored", v[0] ^ u[0], MX ^ MU);
	kunmap(x);
	__free_page(x);
	__free_page(y);
	pr_info("mmu_insns: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
