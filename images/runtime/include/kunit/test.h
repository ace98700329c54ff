/* SPDX-License-Identifier: MIT */
/*
 * <kunit/test.h> for hmemu guests: KUnit's test API (as of Linux v6.1), so a
 * suite written for the kernel compiles unchanged and runs under `hmemu test`.
 *
 * A file without main() that registers suites with kunit_test_suite(s) gets
 * the runtime's main (runtime/lib/kunit.c, linked only into images that use KUnit): it runs every suite in order, prints
 * KTAP as the kernel's KUnit executor does (KTAP version 1, one subtest per
 * suite, one result per case, failed expectations as "# case: EXPECTATION
 * FAILED at file:line" with both values) and returns 1 if any suite failed.
 * A test with its own main can call kunit_run_all_suites().
 *
 * Cases run one after another in the init task on CPU 0. KUNIT_ASSERT_*
 * ends the case at once (the rest of the case is skipped, exit() still runs).
 * Parameterised cases (KUNIT_CASE_PARAM, KUNIT_ARRAY_PARAM) run once per
 * parameter, each run a nested KTAP subtest as in v6.1 (init and exit around
 * each). Not provided: kunit resources beyond kunit_kmalloc().
 */
#ifndef _KUNIT_TEST_H
#define _KUNIT_TEST_H

#include <hmemu.h>
#include <kunit/assert.h>

#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_SUBSUBTEST_INDENT		"        "
#define KUNIT_NAME_MAX_LEN		256
#define KUNIT_STATUS_COMMENT_SIZE	256
#define KUNIT_MAX_ALLOCS		64
#define KUNIT_PARAM_DESC_SIZE		128

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	/* the next parameter after prev (NULL: the first), NULL when there are no more;
	 * may write a description of it into desc (KUNIT_PARAM_DESC_SIZE bytes) */
	const void *(*generate_params)(const void *prev, char *desc);
	/* private: */
	enum kunit_status status;
	char *log;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen_params)					\
	{ .run_case = test_name, .name = #test_name, .generate_params = gen_params }

/*
 * name##_gen_params: the elements of array, first to last, as parameters;
 * get_desc (or NULL) describes one: void get_desc(const T *param, char *desc).
 */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof(&(array)[0]) __first = (array);				\
		size_t __at = prev ? (size_t)((typeof(__first))prev - __first) + 1 : 0; \
		void (*__describe)(typeof(__first), char *) = (get_desc);	\
										\
		if (__at >= ARRAY_SIZE(array))					\
			return NULL;						\
		if (__describe)							\
			__describe(&__first[__at], desc);			\
		return &__first[__at];						\
	}

struct kunit_suite {
	const char name[KUNIT_NAME_MAX_LEN];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
	/* private: */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	int suite_init_err;
	char *log;
};

struct kunit {
	void *priv;
	/* private: */
	const char *name;
	char *log;
	/* the parameter of this run of a parameterised case, and its index from 0 */
	const void *param_value;
	int param_index;
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	void *__jmp[5];			/* __builtin_setjmp buffer: KUNIT_ASSERT_* ends the case */
	void *__allocs[KUNIT_MAX_ALLOCS];	/* kunit_kmalloc() memory, freed after the case */
};

/* Registration: pointers to the suites in section .kunit_test_suites, as in Linux. */
#define __kunit_cat2(a, b) a##b
#define __kunit_cat(a, b) __kunit_cat2(a, b)
#define kunit_test_suites(__suites...)						\
	static struct kunit_suite *__kunit_cat(__kunit_suites_, __COUNTER__)[]	\
	__aligned(sizeof(struct kunit_suite *)) __used			\
	__section(".kunit_test_suites") = { __suites }
#define kunit_test_suite(suite)		kunit_test_suites(&suite)
#define kunit_test_init_section_suites(__suites...) kunit_test_suites(__suites)
#define kunit_test_init_section_suite(suite) kunit_test_suite(suite)

int kunit_run_all_suites(void);
int kunit_run_tests(struct kunit_suite *suite);

/* Logging: the lines KUnit prints, indented as a subtest of the suite. Each is one
 * line: a newline is added unless the format ends with one (as a printk record ends). */
void __kunit_log_line(const char *fmt, ...) __printf(1, 2);
#define kunit_log(lvl, test_or_suite, fmt, ...)				\
	__kunit_log_line(lvl fmt, ##__VA_ARGS__)
#define kunit_printk(lvl, test, fmt, ...)					\
	kunit_log(lvl, test, KUNIT_SUBTEST_INDENT "# %s: " fmt, (test)->name, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)	kunit_printk(KERN_INFO, test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_printk(KERN_WARNING, test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_printk(KERN_ERR, test, fmt, ##__VA_ARGS__)

static inline void kunit_set_failure(struct kunit *test)
{
	test->status = KUNIT_FAILURE;
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...) __printf(2, 3);
void __noreturn __kunit_abort(struct kunit *test);

#define kunit_skip(test, fmt, ...)						\
	do {									\
		kunit_mark_skipped((test), fmt, ##__VA_ARGS__);			\
		__kunit_abort(test);						\
	} while (0)

/* Memory that lives until the case ends. */
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);
static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}
static inline void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	if (size != 0 && n > (size_t)-1 / size)
		return NULL;
	return kunit_kmalloc(test, n * size, gfp);
}
static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* ---- expectations and assertions ---- */

#define KUNIT_SUCCEED(test) do { } while (0)

#define KUNIT_FAIL_ASSERTION(test, type, fmt, ...)				\
	__kunit_fail_msg(test, type, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL(test, fmt, ...)						\
	KUNIT_FAIL_ASSERTION(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)

#define KUNIT_UNARY_ASSERTION(test, type, cond, expected_true, fmt, ...)	\
	do {									\
		if (__builtin_expect(!!(cond) != !!(expected_true), 0))		\
			__kunit_fail_unary(test, type, __FILE__, __LINE__, #cond,	\
					   expected_true, fmt, ##__VA_ARGS__);	\
	} while (0)

#define KUNIT_BINARY_INT_ASSERTION(test, type, left, op, right, fmt, ...)	\
	do {									\
		const typeof(left) __left = (left);				\
		const typeof(right) __right = (right);				\
		if (__builtin_expect(!(__left op __right), 0))			\
			__kunit_fail_binary(test, type, __FILE__, __LINE__, #left,	\
					    #op, #right, (long long)__left,	\
					    (long long)__right, fmt, ##__VA_ARGS__); \
	} while (0)

#define KUNIT_BINARY_PTR_ASSERTION(test, type, left, op, right, fmt, ...)	\
	do {									\
		const void *__left = (const void *)(left);			\
		const void *__right = (const void *)(right);			\
		if (__builtin_expect(!(__left op __right), 0))			\
			__kunit_fail_ptr(test, type, __FILE__, __LINE__, #left,	\
					 #op, #right, __left, __right, fmt,	\
					 ##__VA_ARGS__);			\
	} while (0)

#define KUNIT_BINARY_STR_ASSERTION(test, type, left, op, right, fmt, ...)	\
	do {									\
		const char *__left = (left);					\
		const char *__right = (right);					\
		if (__builtin_expect(!(strcmp(__left, __right) op 0), 0))	\
			__kunit_fail_str(test, type, __FILE__, __LINE__, #left,	\
					 #op, #right, __left, __right, fmt,	\
					 ##__VA_ARGS__);			\
	} while (0)

#define KUNIT_MEM_ASSERTION(test, type, left, op, right, size, fmt, ...)	\
	do {									\
		const void *__left = (left);					\
		const void *__right = (right);					\
		const size_t __size = (size);					\
		if (__builtin_expect(!__left || !__right ||			\
				     !(memcmp(__left, __right, __size) op 0), 0)) \
			__kunit_fail_mem(test, type, __FILE__, __LINE__, #left,	\
					 #op, #right, __left, __right, __size,	\
					 fmt, ##__VA_ARGS__);			\
	} while (0)

#define KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(test, type, ptr, fmt, ...)		\
	do {									\
		const void *__ptr = (const void *)(ptr);			\
		if (__builtin_expect(IS_ERR_OR_NULL(__ptr), 0))			\
			__kunit_fail_not_err(test, type, __FILE__, __LINE__, #ptr, \
					     __ptr, fmt, ##__VA_ARGS__);	\
	} while (0)

#define __KUNIT_E KUNIT_EXPECTATION
#define __KUNIT_A KUNIT_ASSERTION

#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)	KUNIT_UNARY_ASSERTION(t, __KUNIT_E, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)	KUNIT_UNARY_ASSERTION(t, __KUNIT_E, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_E, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_E, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_E, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(t, p, fmt, ...)	KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_E, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_E, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, fmt, ...) KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(t, __KUNIT_E, p, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(t, __KUNIT_E, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(t, __KUNIT_E, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ_MSG(t, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(t, __KUNIT_E, l, ==, r, n, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(t, __KUNIT_E, l, !=, r, n, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...)	KUNIT_UNARY_ASSERTION(t, __KUNIT_A, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...)	KUNIT_UNARY_ASSERTION(t, __KUNIT_A, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...)	KUNIT_BINARY_INT_ASSERTION(t, __KUNIT_A, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_A, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_A, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(t, p, fmt, ...)	KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_A, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(t, __KUNIT_A, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, fmt, ...) KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(t, __KUNIT_A, p, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(t, __KUNIT_A, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(t, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(t, __KUNIT_A, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ_MSG(t, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(t, __KUNIT_A, l, ==, r, n, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(t, __KUNIT_A, l, !=, r, n, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_EXPECT_TRUE_MSG(t, c, NULL)
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_EXPECT_FALSE_MSG(t, c, NULL)
#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_EXPECT_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_EXPECT_NE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_EXPECT_LT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_EXPECT_LE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_EXPECT_GT_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_EXPECT_GE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_PTR_EQ(t, l, r)	KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	KUNIT_EXPECT_PTR_NE_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_NULL(t, p)		KUNIT_EXPECT_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_EXPECT_NOT_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, NULL)
#define KUNIT_EXPECT_STREQ(t, l, r)	KUNIT_EXPECT_STREQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ(t, l, r)	KUNIT_EXPECT_STRNEQ_MSG(t, l, r, NULL)
#define KUNIT_EXPECT_MEMEQ(t, l, r, n)	KUNIT_EXPECT_MEMEQ_MSG(t, l, r, n, NULL)
#define KUNIT_EXPECT_MEMNEQ(t, l, r, n)	KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, n, NULL)

#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_ASSERT_TRUE_MSG(t, c, NULL)
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_ASSERT_FALSE_MSG(t, c, NULL)
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_ASSERT_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_ASSERT_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_ASSERT_LT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_ASSERT_LE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_ASSERT_GT_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_ASSERT_GE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE(t, l, r)	KUNIT_ASSERT_PTR_NE_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_ASSERT_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_ASSERT_NOT_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, NULL)
#define KUNIT_ASSERT_STREQ(t, l, r)	KUNIT_ASSERT_STREQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_STRNEQ(t, l, r)	KUNIT_ASSERT_STRNEQ_MSG(t, l, r, NULL)
#define KUNIT_ASSERT_MEMEQ(t, l, r, n)	KUNIT_ASSERT_MEMEQ_MSG(t, l, r, n, NULL)
#define KUNIT_ASSERT_MEMNEQ(t, l, r, n)	KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, n, NULL)

#endif /* _KUNIT_TEST_H */
