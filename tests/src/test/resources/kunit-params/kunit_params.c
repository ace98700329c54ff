// Parameterised KUnit suites, as v6.1 tests write them (KUNIT_ARRAY_PARAM, KUNIT_CASE_PARAM).
// Suite "params": one case maps highmem pages of several orders (one order deliberately
// fails), one takes parameters without descriptions, one is skipped for every parameter.
// Suite "hooks": init fails for one parameter (exit still runs after it), a case whose
// name and messages say "failed", and a generator with no parameters at all.
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/gfp.h>

struct map_case {
	unsigned int order;
	unsigned char fill;
	unsigned char expect;	/* what the last byte must read back */
};

static const struct map_case map_cases[] = {
	{ .order = 0, .fill = 0x11, .expect = 0x11 },
	{ .order = 1, .fill = 0x22, .expect = 0x22 },
	{ .order = 2, .fill = 0x33, .expect = 0x44 },	/* wrong on purpose */
};

static void map_case_desc(const struct map_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u fill %#x", c->order, c->fill);
}

KUNIT_ARRAY_PARAM(map, map_cases, map_case_desc);

static void kmap_local_every_page(struct kunit *test)
{
	const struct map_case *c = test->param_value;
	struct page *page = alloc_pages(GFP_HIGHUSER, c->order);
	unsigned long i, n = 1UL << c->order;
	unsigned char last = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < n; i++) {
		unsigned char *p = kmap_local_page(page + i);

		memset(p, c->fill, PAGE_SIZE);
		last = p[PAGE_SIZE - 1];
		kunmap_local(p);
	}
	__free_pages(page, c->order);
	KUNIT_EXPECT_EQ_MSG(test, last, c->expect, "param %d", test->param_index);
}

static const int small_numbers[] = { 1, 2, 3, 4 };

KUNIT_ARRAY_PARAM(small, small_numbers, NULL);

static void small_is_small(struct kunit *test)
{
	const int *v = test->param_value;

	KUNIT_EXPECT_LT(test, *v, 10);
}

static const int nothing_here[] = { 7, 8 };

KUNIT_ARRAY_PARAM(skipped, nothing_here, NULL);

static void always_skipped(struct kunit *test)
{
	kunit_skip(test, "needs hardware");
}

static struct kunit_case param_cases[] = {
	KUNIT_CASE_PARAM(kmap_local_every_page, map_gen_params),
	KUNIT_CASE_PARAM(small_is_small, small_gen_params),
	KUNIT_CASE_PARAM(always_skipped, skipped_gen_params),
	{}
};

static struct kunit_suite param_suite = {
	.name = "params",
	.test_cases = param_cases,
};
kunit_test_suite(param_suite);

static const int three[] = { 10, 20, 30 };

KUNIT_ARRAY_PARAM(three, three, NULL);

static int hooks_init(struct kunit *test)
{
	return test->param_index == 1 ? -5 : 0;
}

static void hooks_exit(struct kunit *test)
{
	kunit_info(test, "exit after run %d\n", test->param_index);
}

static void probe_failed_path(struct kunit *test)
{
	kunit_info(test, "probe failed as expected");
	KUNIT_EXPECT_EQ(test, test->param_index, 0);
}

static const void *no_params(const void *prev, char *desc)
{
	return NULL;
}

static void never_runs(struct kunit *test)
{
	KUNIT_FAIL(test, "ran without a parameter");
}

static struct kunit_case hooks_cases[] = {
	KUNIT_CASE_PARAM(probe_failed_path, three_gen_params),
	KUNIT_CASE_PARAM(never_runs, no_params),
	{}
};

static struct kunit_suite hooks_suite = {
	.name = "hooks",
	.init = hooks_init,
	.exit = hooks_exit,
	.test_cases = hooks_cases,
};
kunit_test_suite(hooks_suite);
