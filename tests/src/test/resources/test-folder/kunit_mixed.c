// A KUnit suite (no main): two cases pass, one fails an expectation, one an assertion.
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/gfp.h>

static void kmap_local_works(struct kunit *test)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	char *p;

	KUNIT_ASSERT_NOT_NULL(test, page);
	p = kmap_local_page(page);
	p[1] = 7;
	KUNIT_EXPECT_EQ(test, p[1], 7);
	kunmap_local(p);
	__free_page(page);
}

static void arithmetic_works(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2 + 2, 4);
	KUNIT_EXPECT_STREQ(test, "hm", "hm");
}

static void expectation_fails(struct kunit *test)
{
	int got = 2;

	KUNIT_EXPECT_EQ(test, got, 3);
	kunit_info(test, "still running after a failed expectation");
}

static void assertion_fails(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, 1 == 2);
	kunit_info(test, "never printed");
}

static struct kunit_case mixed_cases[] = {
	KUNIT_CASE(kmap_local_works),
	KUNIT_CASE(arithmetic_works),
	KUNIT_CASE(expectation_fails),
	KUNIT_CASE(assertion_fails),
	{}
};

static struct kunit_suite mixed_suite = {
	.name = "mixed",
	.test_cases = mixed_cases,
};
kunit_test_suite(mixed_suite);
