// SPDX-License-Identifier: MIT
/*
 * The header-only Linux APIs used the way kernel code uses them: list and
 * hlist, bitops and bitmaps, refcount_t (including one saturation: the WARN
 * "refcount_t: addition on 0; use-after-free."), kref, minmax, overflow,
 * math/math64, log2, build_bug, per-CPU variables on every CPU, and folios
 * (page_folio, folio_page, kmap_local_folio, folio_address). Exit status: the
 * number of failed checks.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/slab.h>

static int bad;

#define CHECK(cond) do { \
	if (!(cond)) { \
		pr_err("api_headers: check failed at line %d: %s\n", __LINE__, #cond); \
		bad++; \
	} \
} while (0)

struct node {
	int key;
	struct list_head list;
	struct hlist_node hash;
};

struct obj {
	struct kref ref;
	int *released;
};

static DEFINE_PER_CPU(unsigned long, hits) = 100;
static DEFINE_PER_CPU(int[4], slots);

static void obj_release(struct kref *ref)
{
	struct obj *o = container_of(ref, struct obj, ref);

	(*o->released)++;
	kfree(o);
}

static void test_lists(void)
{
	struct node n[5], *pos, *tmp;
	LIST_HEAD(head);
	LIST_HEAD(other);
	HLIST_HEAD(bucket);
	struct hlist_node *hn;
	int i, sum = 0, keys = 0;

	for (i = 0; i < 5; i++) {
		n[i].key = i;
		list_add_tail(&n[i].list, &head);
		hlist_add_head(&n[i].hash, &bucket);
	}
	CHECK(list_first_entry(&head, struct node, list)->key == 0);
	CHECK(list_last_entry(&head, struct node, list)->key == 4);
	CHECK(list_count_nodes(&head) == 5 && !list_is_singular(&head));
	list_for_each_entry_safe(pos, tmp, &head, list) {
		if (pos->key & 1)
			list_move_tail(&pos->list, &other);
	}
	list_for_each_entry(pos, &head, list)
		sum += pos->key;
	CHECK(sum == 0 + 2 + 4 && list_count_nodes(&other) == 2);
	list_splice_tail_init(&other, &head);
	CHECK(list_empty(&other) && list_last_entry(&head, struct node, list)->key == 3);
	list_del(&n[2].list);
	CHECK(n[2].list.next == LIST_POISON1 && n[2].list.prev == LIST_POISON2);
	list_for_each_entry_reverse(pos, &head, list)
		keys = keys * 10 + pos->key;
	CHECK(keys == 3140);
	keys = 0;
	hlist_for_each_entry(pos, &bucket, hash)
		keys = keys * 10 + pos->key;
	CHECK(keys == 43210);
	hlist_del_init(&n[4].hash);
	CHECK(hlist_unhashed(&n[4].hash) && bucket.first == &n[3].hash);
	i = 0;
	hlist_for_each(hn, &bucket)
		i++;
	CHECK(i == 4);
}

static void test_bits(void)
{
	DECLARE_BITMAP(map, 100);
	DECLARE_BITMAP(two, 100);
	unsigned long word = 0, bit;
	int count = 0;

	bitmap_zero(map, 100);
	set_bit(3, map);
	set_bit(64, map);
	__set_bit(99, map);
	CHECK(test_bit(64, map) && !test_bit(65, map));
	CHECK(find_first_bit(map, 100) == 3 && find_next_bit(map, 100, 4) == 64);
	CHECK(find_next_zero_bit(map, 100, 3) == 4 && find_last_bit(map, 100) == 99);
	for_each_set_bit(bit, map, 100)
		count++;
	CHECK(count == 3 && bitmap_weight(map, 100) == 3);
	CHECK(test_and_clear_bit(64, map) && !test_and_set_bit(65, map) && test_bit(65, map));
	bitmap_set(map, 10, 40);
	CHECK(bitmap_weight(map, 100) == 43 && test_bit(49, map) && !test_bit(50, map));
	bitmap_clear(map, 10, 39);
	CHECK(bitmap_weight(map, 100) == 4);
	bitmap_fill(two, 100);
	CHECK(bitmap_full(two, 100) && bitmap_subset(map, two, 100) && bitmap_intersects(map, two, 100));
	bitmap_andnot(two, two, map, 100);
	CHECK(bitmap_weight(two, 100) == 96 && !bitmap_intersects(map, two, 100));
	CHECK(bitmap_find_next_zero_area(map, 100, 0, 5, 7) == 8);
	change_bit(5, &word);
	CHECK(word == 0x20 && __ffs(word) == 5 && fls(word) == 6 && ffs(0) == 0 && fls(0) == 0);
	CHECK(hweight32(0xf0f0) == 8 && hweight64(0x100000001ULL) == 2 && ffz(0x7) == 3);
	CHECK(rol32(0x80000001, 1) == 3 && sign_extend32(0x80, 7) == -128 && fls64(1ULL << 40) == 41);
	CHECK(GENMASK(7, 4) == 0xf0 && BIT(31) == 0x80000000UL && BITS_TO_LONGS(33) == 2);
}

static void test_refcounts(void)
{
	refcount_t r = REFCOUNT_INIT(1);
	struct obj *o = kzalloc(sizeof(*o), GFP_KERNEL);
	int released = 0;

	refcount_inc(&r);
	CHECK(refcount_read(&r) == 2 && !refcount_dec_and_test(&r) && refcount_dec_and_test(&r));
	CHECK(!refcount_inc_not_zero(&r) && refcount_read(&r) == 0);
	refcount_inc(&r);		/* addition on 0: WARN, then saturated */
	CHECK(refcount_read(&r) == (unsigned int)REFCOUNT_SATURATED);
	CHECK(!refcount_dec_and_test(&r) && refcount_read(&r) == (unsigned int)REFCOUNT_SATURATED);

	o->released = &released;
	kref_init(&o->ref);
	kref_get(&o->ref);
	CHECK(kref_read(&o->ref) == 2 && kref_put(&o->ref, obj_release) == 0 && released == 0);
	CHECK(kref_put(&o->ref, obj_release) == 1 && released == 1);
}

static void test_arith(void)
{
	size_t s;
	u32 u;
	int i;
	u64 n = 10000000007ULL, q;
	u32 rem;
	struct flex {
		int count;
		u64 items[];
	} *f;

	CHECK(min(3, 4) == 3 && max_t(u8, 300, 2) == 44 && clamp(15, 0, 10) == 10);
	CHECK(min_not_zero(0, 5) == 5 && min_not_zero(7, 5) == 5 && clamp_val(-3, 0, 9) == 0);
	CHECK(check_add_overflow((size_t)-2, (size_t)5, &s) && s == 3);
	CHECK(!check_mul_overflow(1000u, 1000u, &u) && u == 1000000);
	CHECK(check_mul_overflow(70000u, 70000u, &u));
	CHECK(check_sub_overflow(1, 2, &i) == false && i == -1);
	CHECK(size_mul(SIZE_MAX / 2, 3) == SIZE_MAX && array_size(10, 12) == 120);
	CHECK(struct_size(f, items, 3) == sizeof(*f) + 24);
	CHECK(type_max(s8) == 127 && type_min(s16) == -32768 && type_max(u32) == 0xffffffffu);
	q = n;
	rem = do_div(q, 10);
	CHECK(q == 1000000000ULL && rem == 7);
	CHECK(div_u64(n, 7) == 1428571429ULL && div64_u64(n, 3000000000ULL) == 3);
	CHECK(DIV_ROUND_UP(10, 3) == 4 && DIV_ROUND_CLOSEST(10, 4) == 3 && DIV_ROUND_CLOSEST(-10, 4) == -3);
	CHECK(DIV_ROUND_UP_ULL(10000000001ULL, 10) == 1000000001ULL && mult_frac(1000, 3, 7) == 428);
	CHECK(roundup(13, 5) == 15 && rounddown(13, 5) == 10 && round_up(13, 8) == 16);
	CHECK(int_sqrt(1000000) == 1000 && int_pow(3, 5) == 243);
	CHECK(ilog2(4096) == 12 && ilog2(4097u) == 12 && order_base_2(5) == 3);
	CHECK(roundup_pow_of_two(100) == 128 && rounddown_pow_of_two(100) == 64 && is_power_of_2(64));
	BUILD_BUG_ON(sizeof(u64) != 8);
	BUILD_BUG_ON_NOT_POWER_OF_2(PAGE_SIZE);
	static_assert(BITS_PER_LONG == 32);
	CHECK(BUILD_BUG_ON_ZERO(0) == 0);
}

static int percpu_worker(void *arg)
{
	int cpu = (int)(long)arg, k;

	for (k = 0; k < 1000; k++)
		this_cpu_inc(hits);
	__this_cpu_write(slots[1], cpu + 1);
	get_cpu_var(slots)[2] = 7;
	put_cpu_var(slots);
	return 0;
}

static void test_percpu(void)
{
	struct task_struct *t[CONFIG_NR_CPUS];
	unsigned long total = 0;
	int cpu, n = num_online_cpus();
	int __percpu *dyn = alloc_percpu(int);

	for_each_online_cpu(cpu)
		t[cpu] = kthread_run_on_cpu(percpu_worker, (void *)(long)cpu, cpu, "percpu/%u");
	for_each_online_cpu(cpu)
		kthread_stop(t[cpu]);
	for_each_possible_cpu(cpu)
		total += per_cpu(hits, cpu);
	CHECK(total == 100UL * num_possible_cpus() + 1000UL * n);
	for_each_online_cpu(cpu) {
		CHECK(per_cpu(hits, cpu) == 1100 && per_cpu(slots, cpu)[1] == cpu + 1 &&
		      per_cpu(slots, cpu)[2] == 7);
		CHECK(*per_cpu_ptr(dyn, cpu) == 0);
		*per_cpu_ptr(dyn, cpu) = cpu * 3;
	}
	CHECK(per_cpu_ptr(dyn, 1) != per_cpu_ptr(dyn, 0) && *per_cpu_ptr(dyn, n - 1) == (n - 1) * 3);
	free_percpu(dyn);
}

static void test_folios(void)
{
	struct folio *folio = folio_alloc(GFP_HIGHUSER, 2);
	struct folio *low = folio_alloc(GFP_KERNEL, 0);
	struct page *p2;
	u8 *a;

	CHECK(folio && low);
	if (!folio || !low)
		return;
	p2 = folio_page(folio, 2);
	CHECK(page_folio(p2) == folio && page_folio(&folio->page) == folio && PageTail(p2));
	CHECK(folio_nr_pages(folio) == 4 && folio_size(folio) == 4 * PAGE_SIZE && folio_order(folio) == 2);
	CHECK(folio_test_highmem(folio) && folio_address(folio) == NULL);
	a = kmap_local_folio(folio, 2 * PAGE_SIZE + 10);
	CHECK(((unsigned long)a & ~PAGE_MASK) == 10);
	a[0] = 0xab;
	kunmap_local(a);
	a = kmap_local_page(p2);
	CHECK(a[10] == 0xab);
	kunmap_local(a);
	CHECK(folio_address(low) == page_address(&low->page) && folio_address(low) != NULL);
	CHECK(virt_to_folio(folio_address(low)) == low && folio_nr_pages(low) == 1);
	folio_put(folio);
	CHECK(page_folio(p2) == (struct folio *)p2);
	folio_put(low);
}

int main(void)
{
	test_lists();
	test_bits();
	test_refcounts();
	test_arith();
	test_percpu();
	test_folios();
	pr_info("api_headers: %d failed checks\n", bad);
	return bad;
}
