/* SPDX-License-Identifier: MIT */
/* <kunit/assert.h> for hmemu guests: the failure reporters behind <kunit/test.h>'s macros. */
#ifndef _KUNIT_ASSERT_H
#define _KUNIT_ASSERT_H

#include <hmemu.h>

struct kunit;

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

/*
 * Each prints the failure as KUnit v6.1 does and marks the case failed; for
 * KUNIT_ASSERTION it then ends the case. fmt may be NULL (no message).
 */
void __kunit_fail_msg(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *fmt, ...) __printf(5, 6);
void __kunit_fail_unary(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			const char *cond, bool expected_true, const char *fmt, ...) __printf(7, 8);
void __kunit_fail_binary(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			 const char *left_text, const char *op, const char *right_text,
			 long long left, long long right, const char *fmt, ...) __printf(10, 11);
void __kunit_fail_ptr(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const void *left, const void *right, const char *fmt, ...) __printf(10, 11);
void __kunit_fail_str(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const char *left, const char *right, const char *fmt, ...) __printf(10, 11);
void __kunit_fail_mem(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
		      const char *left_text, const char *op, const char *right_text,
		      const void *left, const void *right, size_t size, const char *fmt, ...) __printf(11, 12);
void __kunit_fail_not_err(struct kunit *test, enum kunit_assert_type type, const char *file, int line,
			  const char *text, const void *ptr, const char *fmt, ...) __printf(7, 8);

#endif /* _KUNIT_ASSERT_H */
