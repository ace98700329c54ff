// SPDX-License-Identifier: MIT
/*
 * Memory and string functions. gcc emits calls to memcpy/memset/memmove/memcmp
 * by itself (struct copies, large initialisers), so these must exist. The
 * block operations use x86 string instructions; the build compiles this file
 * with -fno-tree-loop-distribute-patterns so no loop here becomes a call to
 * itself.
 */
#include <hmemu.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n >> 2;

	__asm__ __volatile__("rep movsl\n\t"
			     "movl %3, %%ecx\n\t"
			     "rep movsb"
			     : "+D"(d), "+S"(src), "+c"(words)
			     : "r"(n & 3)
			     : "memory");
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	void *d = s;
	unsigned int fill = (unsigned char)c * 0x01010101U;
	size_t words = n >> 2;

	__asm__ __volatile__("rep stosl\n\t"
			     "movl %3, %%ecx\n\t"
			     "rep stosb"
			     : "+D"(d), "+c"(words)
			     : "a"(fill), "r"(n & 3)
			     : "memory");
	return s;
}

void *memmove(void *dst, const void *src, size_t n)
{
	void *d;
	const void *s;

	if (dst <= src || (const char *)dst >= (const char *)src + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards, byte by byte. */
	d = (char *)dst + n - 1;
	s = (const char *)src + n - 1;
	__asm__ __volatile__("std\n\t"
			     "rep movsb\n\t"
			     "cld"
			     : "+D"(d), "+S"(s), "+c"(n)
			     :
			     : "memory", "cc");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	const char *p = s;

	while (maxlen-- && *p)
		p++;
	return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
	unsigned char x, y;

	do {
		x = (unsigned char)*a++;
		y = (unsigned char)*b++;
		if (x != y)
			return x < y ? -1 : 1;
	} while (x);
	return 0;
}

int strncmp(const char *a, const char *b, size_t n)
{
	unsigned char x, y;

	for (; n; n--) {
		x = (unsigned char)*a++;
		y = (unsigned char)*b++;
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/* As C: stops at the first NUL of src, then pads dst with NULs up to n. */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/* Always NUL-terminates (size > 0); returns the length or -E2BIG if truncated. */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return (ssize_t)i;
	}
	dst[size - 1] = '\0';
	return -E2BIG;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
