// SPDX-License-Identifier: MIT
/*
 * KUnit for hmemu guests (<kunit/test.h>): the executor that runs the suites
 * registered with kunit_test_suite(s), and the failure reports, in the text and
 * order of Linux v6.1's lib/kunit (test.c, assert.c, executor.c).
 */
#include <kunit/test.h>

/* Bounds of section .kunit_test_suites (runtime/hmemu.ld). */
extern struct kunit_suite *__kunit_suites_start[];
extern struct kunit_suite *__kunit_suites_end[];

#define KUNIT_REPORT_SIZE 1024

/* A failure report being built, printed with one kunit_err() like KUnit's string_stream. */
struct report {
	char buf[KUNIT_REPORT_SIZE];
	size_t len;
};

static __printf(2, 3) void add(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->len >= sizeof(r->buf) - 1)
		return;
	va_start(ap, fmt);
	r->len += vscnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
}

static void add_message(struct report *r, const char *fmt, va_list ap)
{
	if (!fmt || r->len >= sizeof(r->buf) - 1)
		return;
	add(r, "\n");
	r->len += vscnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
}

static void prologue(struct report *r, enum kunit_assert_type type, const char *file, int line)
{
	r->len = 0;
	r->buf[0] = '\0';
	add(r, "%s FAILED at %s:%d\n", type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION", file, line);
}

void __kunit_log_line(const char *fmt, ...)
{
	size_t len = strlen(fmt);
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	if (!len || fmt[len - 1] != '\n')
		printk(KERN_CONT "\n");
}

void __noreturn __kunit_abort(struct kunit *test)
{
	__builtin_longjmp(test->__jmp, 1);
}

/* kunit_fail() + kunit_do_failed_assertion(): mark, print, and end the case for an assertion. */
static void fail(struct kunit *test, enum kunit_assert_type type, struct report *r)
{
	kunit_set_failure(test);
	while (r->len && r->buf[r->len - 1] == '\n')
		r->buf[--r->len] = '\0';	/* kunit_log ends the line */
	kunit_err(test, "%s", r->buf);
	if (type == KUNIT_ASSERTION)
		__kunit_abort(test);
}

/* Is text the decimal literal of value ("5" and 5)? Then KUnit does not repeat it. */
static bool is_literal(const char *text, long long value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", value);
	return strcmp(buf, text) == 0;
}

/* Is text the string literal of value ("\"abc\"" and abc)? */
static bool is_str_literal(const char *text, const char *value)
{
	size_t len = strlen(text);

	if (len < 2 || text[0] != '"' || text[len - 1] != '"')
		return false;
	return strlen(value) == len - 2 && strncmp(text + 1, value, len - 2) == 0;
}

void __kunit_fail_msg(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	va_start(ap, fmt);
	if (fmt)
		r.len += vscnprintf(r.buf + r.len, sizeof(r.buf) - r.len, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

void __kunit_fail_unary(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			const char *cond, bool expected_true, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	add(&r, KUNIT_SUBTEST_INDENT "Expected %s to be %s, but is %s\n", cond,
	    expected_true ? "true" : "false", expected_true ? "false" : "true");
	va_start(ap, fmt);
	add_message(&r, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

void __kunit_fail_binary(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			 const char *left_text, const char *op, const char *right_text,
			 long long left, long long right, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	add(&r, KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left_text, op, right_text);
	if (!is_literal(left_text, left))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %lld\n", left_text, left);
	if (!is_literal(right_text, right))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %lld", right_text, right);
	va_start(ap, fmt);
	add_message(&r, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

void __kunit_fail_ptr(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const void *left, const void *right, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	add(&r, KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left_text, op, right_text);
	add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %px\n", left_text, left);
	add(&r, KUNIT_SUBSUBTEST_INDENT "%s == %px", right_text, right);
	va_start(ap, fmt);
	add_message(&r, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

void __kunit_fail_str(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const char *left, const char *right, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	add(&r, KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left_text, op, right_text);
	if (!is_str_literal(left_text, left))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == \"%s\"\n", left_text, left);
	if (!is_str_literal(right_text, right))
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s == \"%s\"", right_text, right);
	va_start(ap, fmt);
	add_message(&r, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

/* The bytes of buf, 16 a line, those that differ from other's marked <xx>. */
static void hexdump(struct report *r, const unsigned char *buf, const unsigned char *other, size_t size)
{
	size_t i;

	add(r, KUNIT_SUBSUBTEST_INDENT);
	for (i = 0; i < size; i++) {
		if (i && !(i % 16))
			add(r, "\n" KUNIT_SUBSUBTEST_INDENT);
		if (buf[i] != other[i])
			add(r, "<%02x>", buf[i]);
		else
			add(r, " %02x ", buf[i]);
	}
}

void __kunit_fail_mem(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const void *left, const void *right, size_t size, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	if (!left) {
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not null, but is\n", left_text);
	} else if (!right) {
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not null, but is\n", right_text);
	} else {
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s %s %s, but\n", left_text, op, right_text);
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s ==\n", left_text);
		hexdump(&r, left, right, size);
		add(&r, "\n");
		add(&r, KUNIT_SUBSUBTEST_INDENT "%s ==\n", right_text);
		hexdump(&r, right, left, size);
		va_start(ap, fmt);
		add_message(&r, fmt, ap);
		va_end(ap);
	}
	fail(test, type, &r);
}

void __kunit_fail_not_err(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			  const char *text, const void *ptr, const char *fmt, ...)
{
	struct report r;
	va_list ap;

	prologue(&r, type, file, line);
	if (!ptr)
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not null, but is\n", text);
	else
		add(&r, KUNIT_SUBTEST_INDENT "Expected %s is not error, but is: %ld\n", text, PTR_ERR(ptr));
	va_start(ap, fmt);
	add_message(&r, fmt, ap);
	va_end(ap);
	fail(test, type, &r);
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vscnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	int i;

	for (i = 0; i < KUNIT_MAX_ALLOCS; i++) {
		if (!test->__allocs[i]) {
			test->__allocs[i] = kmalloc(size, gfp);
			return test->__allocs[i];
		}
	}
	return NULL;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	int i;

	for (i = 0; i < KUNIT_MAX_ALLOCS; i++) {
		if (ptr && test->__allocs[i] == ptr) {
			kfree(ptr);
			test->__allocs[i] = NULL;
			return;
		}
	}
}

static void kunit_cleanup(struct kunit *test)
{
	int i;

	for (i = 0; i < KUNIT_MAX_ALLOCS; i++) {
		if (test->__allocs[i]) {
			kfree(test->__allocs[i]);
			test->__allocs[i] = NULL;
		}
	}
}

/* init, the case, exit: an assertion jumps back here, after which exit still runs, as it
 * does after a failed init (v6.1 cleans up after every run it started). */
static noinline void run_case(struct kunit_suite *suite, struct kunit_case *c, struct kunit *test)
{
	bool init_ok = true;

	if (__builtin_setjmp(test->__jmp) == 0) {
		if (suite->init) {
			int ret = suite->init(test);

			if (ret) {
				kunit_err(test, "failed to initialize: %d\n", ret);
				kunit_set_failure(test);
				init_ok = false;
			}
		}
		if (init_ok)
			c->run_case(test);
	}
	if (__builtin_setjmp(test->__jmp) == 0) {
		if (suite->exit)
			suite->exit(test);
	}
	kunit_cleanup(test);
}

static const char *ok_not_ok(enum kunit_status s)
{
	return s == KUNIT_FAILURE ? "not ok" : "ok";
}

static size_t kunit_suite_counter = 1;

/* Results counted by status, as KUnit's statistics lines print them. */
struct stats {
	unsigned long pass, fail, skip, total;
};

static void count(struct stats *s, enum kunit_status st)
{
	if (st == KUNIT_SUCCESS)
		s->pass++;
	else if (st == KUNIT_FAILURE)
		s->fail++;
	else
		s->skip++;
	s->total++;
}

/* One run of a case (one parameter of a parameterised one), from a fresh state. */
static void run_once(struct kunit_suite *suite, struct kunit_case *c, struct kunit *test)
{
	test->name = c->name;
	test->status = KUNIT_SUCCESS;
	test->status_comment[0] = '\0';
	run_case(suite, c, test);
	/* a failed run fails the case; a passed one passes it unless another failed */
	if (test->status == KUNIT_FAILURE)
		c->status = KUNIT_FAILURE;
	else if (test->status == KUNIT_SUCCESS && c->status != KUNIT_FAILURE)
		c->status = KUNIT_SUCCESS;
}

/* Every parameter of c in turn, each result a line of the case's own subtest. */
static void run_params(struct kunit_suite *suite, struct kunit_case *c, struct kunit *test,
		       struct stats *runs)
{
	char desc[KUNIT_PARAM_DESC_SIZE];

	desc[0] = '\0';
	test->param_value = c->generate_params(NULL, desc);
	pr_info(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "KTAP version 1\n");
	pr_info(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "# Subtest: %s\n", c->name);
	while (test->param_value) {
		run_once(suite, c, test);
		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%d", test->param_index);
		pr_info(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "%s %d %s\n", ok_not_ok(test->status),
			test->param_index + 1, desc);
		count(runs, test->status);
		desc[0] = '\0';
		test->param_value = c->generate_params(test->param_value, desc);
		test->param_index++;
	}
}

int kunit_run_tests(struct kunit_suite *suite)
{
	struct kunit_case *c;
	struct stats cases = {0}, runs_all = {0};
	enum kunit_status suite_status = KUNIT_SKIPPED;
	size_t n = 0, i = 0;

	suite->status_comment[0] = '\0';
	suite->suite_init_err = 0;
	if (suite->suite_init) {
		suite->suite_init_err = suite->suite_init(suite);
		if (suite->suite_init_err) {
			/* kunit_err() on the suite, as v6.1 words it (the indent twice) */
			kunit_err(suite, KUNIT_SUBTEST_INDENT "# failed to initialize (%d)",
				  suite->suite_init_err);
			suite_status = KUNIT_FAILURE;
			goto suite_end;
		}
	}
	for (c = suite->test_cases; c->run_case; c++)
		n++;
	pr_info(KUNIT_SUBTEST_INDENT "KTAP version 1\n");
	pr_info(KUNIT_SUBTEST_INDENT "# Subtest: %s\n", suite->name);
	pr_info(KUNIT_SUBTEST_INDENT "1..%zd\n", n);

	for (c = suite->test_cases; c->run_case; c++) {
		struct kunit test;
		struct stats runs = {0};

		memset(&test, 0, sizeof(test));
		c->status = KUNIT_SKIPPED;	/* until a run passes or fails */
		if (!c->generate_params) {
			run_once(suite, c, &test);
			count(&runs, test.status);
		} else {
			run_params(suite, c, &test, &runs);
		}
		if (runs.total > 1)
			pr_info(KUNIT_SUBTEST_INDENT "# %s: pass:%lu fail:%lu skip:%lu total:%lu\n", c->name,
				runs.pass, runs.fail, runs.skip, runs.total);
		i++;
		if (c->status == KUNIT_SKIPPED)
			pr_info(KUNIT_SUBTEST_INDENT "ok %zd %s # SKIP %s\n", i, c->name, test.status_comment);
		else
			pr_info(KUNIT_SUBTEST_INDENT "%s %zd %s\n", ok_not_ok(c->status), i, c->name);
		count(&cases, c->status);
		runs_all.pass += runs.pass;
		runs_all.fail += runs.fail;
		runs_all.skip += runs.skip;
		runs_all.total += runs.total;
		if (c->status == KUNIT_SUCCESS && suite_status != KUNIT_FAILURE)
			suite_status = KUNIT_SUCCESS;
		else if (c->status == KUNIT_FAILURE)
			suite_status = KUNIT_FAILURE;
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);
	if (cases.total > 1)
		pr_info("# %s: pass:%lu fail:%lu skip:%lu total:%lu\n", suite->name, cases.pass, cases.fail,
			cases.skip, cases.total);
	if (runs_all.total > 1)
		pr_info("# Totals: pass:%lu fail:%lu skip:%lu total:%lu\n", runs_all.pass, runs_all.fail,
			runs_all.skip, runs_all.total);
suite_end:
	if (suite_status == KUNIT_SKIPPED)
		pr_info("ok %zd %s # SKIP %s\n", kunit_suite_counter++, suite->name, suite->status_comment);
	else
		pr_info("%s %zd %s\n", ok_not_ok(suite_status), kunit_suite_counter++, suite->name);
	return suite_status == KUNIT_FAILURE;
}

/* The executor: the KTAP header, then every registered suite. Returns 1 if any failed. */
int kunit_run_all_suites(void)
{
	struct kunit_suite **s;
	int failed = 0;

	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", (int)(__kunit_suites_end - __kunit_suites_start));
	for (s = __kunit_suites_start; s < __kunit_suites_end; s++)
		failed |= kunit_run_tests(*s);
	return failed;
}

/* A test file made only of KUnit suites gets this main. */
__weak int main(void)
{
	return kunit_run_all_suites();
}
