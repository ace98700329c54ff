// SPDX-License-Identifier: MIT
/*
 * A small vsnprintf and printk.
 *
 * Conversions: d i u x X o c s p % ; flags - 0 + space # ; width and
 * precision (also *); length modifiers hh h l ll z t j L. %p prints the raw
 * pointer as 8 hex digits (no hashing); the kernel's %p extensions px pK pS
 * ps pB pF pf print the same and consume their letter. %n is not supported.
 * 64-bit decimals are divided with 32-bit operations only (no libgcc).
 */
#include <hmemu.h>

/* An output sink: a bounded buffer, optionally drained by flush() when full. */
struct hm_out {
	char *buf;
	size_t len;		/* bytes in buf */
	size_t cap;		/* capacity of buf */
	size_t total;		/* bytes produced, stored or not */
	void (*flush)(struct hm_out *out);
};

static void out_char(struct hm_out *out, char c)
{
	if (out->len == out->cap && out->flush)
		out->flush(out);
	if (out->len < out->cap)
		out->buf[out->len++] = c;
	out->total++;
}

static void out_repeat(struct hm_out *out, char c, int n)
{
	while (n-- > 0)
		out_char(out, c);
}

#define F_LEFT		0x01
#define F_ZERO		0x02
#define F_PLUS		0x04
#define F_SPACE		0x08
#define F_ALT		0x10
#define F_UPPER		0x20
#define F_SIGNED	0x40

struct spec {
	unsigned int flags;
	int width;		/* -1: none */
	int precision;		/* -1: none */
	unsigned int base;
};

/* *n /= 10, returning the remainder, with 32-bit divisions only. */
static unsigned int div10_u64(unsigned long long *n)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n;
	u32 q_hi = hi / 10, r = hi % 10;
	u32 mid = (r << 16) | (lo >> 16);	/* r < 10: fits */
	u32 q_mid = mid / 10;
	u32 low;

	r = mid % 10;
	low = (r << 16) | (lo & 0xffff);
	*n = ((unsigned long long)q_hi << 32) | (q_mid << 16) | (low / 10);
	return low % 10;
}

static void out_number(struct hm_out *out, unsigned long long num, bool negative,
		       const struct spec *sp)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
	const char *digits = (sp->flags & F_UPPER) ? upper : lower;
	char tmp[24];
	int ndigits = 0, zeros, pad;
	char sign = 0;
	const char *prefix = "";
	int prefix_len = 0;

	if (negative)
		sign = '-';
	else if (sp->flags & F_SIGNED && sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SIGNED && sp->flags & F_SPACE)
		sign = ' ';

	if (sp->base == 16) {
		do {
			tmp[ndigits++] = digits[(u32)num & 15];
			num >>= 4;
		} while (num);
	} else if (sp->base == 8) {
		do {
			tmp[ndigits++] = digits[(u32)num & 7];
			num >>= 3;
		} while (num);
	} else if (num >> 32) {
		do {
			tmp[ndigits++] = digits[div10_u64(&num)];
		} while (num);
	} else {
		u32 n32 = (u32)num;

		do {
			tmp[ndigits++] = digits[n32 % 10];
			n32 /= 10;
		} while (n32);
	}

	/* precision 0 with value 0 prints no digits, as in C */
	if (sp->precision == 0 && ndigits == 1 && tmp[0] == '0')
		ndigits = 0;

	if (sp->flags & F_ALT) {
		if (sp->base == 16) {
			prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
			prefix_len = 2;
		} else if (sp->base == 8 && !(ndigits && tmp[ndigits - 1] == '0')) {
			prefix = "0";
			prefix_len = 1;
		}
	}

	zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	pad = sp->width - (ndigits + zeros + prefix_len + (sign ? 1 : 0));
	if (pad > 0 && (sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & F_LEFT))
		out_repeat(out, ' ', pad);
	if (sign)
		out_char(out, sign);
	while (prefix_len--)
		out_char(out, *prefix++);
	out_repeat(out, '0', zeros);
	while (ndigits)
		out_char(out, tmp[--ndigits]);
	if (sp->flags & F_LEFT)
		out_repeat(out, ' ', pad);
}

static void out_string(struct hm_out *out, const char *s, const struct spec *sp)
{
	int len, pad;

	if (!s)
		s = "(null)";
	len = (int)(sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s));
	pad = sp->width - len;
	if (!(sp->flags & F_LEFT))
		out_repeat(out, ' ', pad);
	while (len--)
		out_char(out, *s++);
	if (sp->flags & F_LEFT)
		out_repeat(out, ' ', pad);
}

static void hm_vformat(struct hm_out *out, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		struct spec sp = { 0, -1, -1, 10 };
		int lmod = 0;		/* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		unsigned long long num;
		bool negative = false;

		if (*fmt != '%') {
			out_char(out, *fmt);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= F_LEFT;
			else if (*fmt == '0')
				sp.flags |= F_ZERO;
			else if (*fmt == '+')
				sp.flags |= F_PLUS;
			else if (*fmt == ' ')
				sp.flags |= F_SPACE;
			else if (*fmt == '#')
				sp.flags |= F_ALT;
			else
				break;
		}

		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.flags |= F_LEFT;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.width = (sp.width < 0 ? 0 : sp.width * 10) + (*fmt - '0');
		}

		if (*fmt == '.') {
			fmt++;
			sp.precision = 0;
			if (*fmt == '*') {
				sp.precision = va_arg(ap, int);
				if (sp.precision < 0)
					sp.precision = -1;
				fmt++;
			} else {
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					sp.precision = sp.precision * 10 + (*fmt - '0');
			}
		}

		switch (*fmt) {
		case 'h':
			lmod = -1;
			if (fmt[1] == 'h') {
				lmod = -2;
				fmt++;
			}
			fmt++;
			break;
		case 'l':
			lmod = 1;
			if (fmt[1] == 'l') {
				lmod = 2;
				fmt++;
			}
			fmt++;
			break;
		case 'L':
		case 'q':
		case 'j':
			lmod = 2;
			fmt++;
			break;
		case 'z':
		case 'Z':
		case 't':
			lmod = 1;	/* size_t and ptrdiff_t are 32-bit */
			fmt++;
			break;
		}

		switch (*fmt) {
		case '\0':
			return;
		case '%':
			out_char(out, '%');
			continue;
		case 'c': {
			int pad = sp.width - 1;

			if (!(sp.flags & F_LEFT))
				out_repeat(out, ' ', pad);
			out_char(out, (char)va_arg(ap, int));
			if (sp.flags & F_LEFT)
				out_repeat(out, ' ', pad);
			continue;
		}
		case 's':
			out_string(out, va_arg(ap, const char *), &sp);
			continue;
		case 'p':
			/* raw pointer, zero-padded to 8 hex digits; skip kernel extension letters */
			switch (fmt[1]) {
			case 'x': case 'K': case 'S': case 's': case 'B': case 'F': case 'f':
				fmt++;
				break;
			}
			sp.base = 16;
			if (sp.width < 0) {
				sp.width = 2 * (int)sizeof(void *) + ((sp.flags & F_ALT) ? 2 : 0);
				sp.flags |= F_ZERO;
			}
			out_number(out, (unsigned long)va_arg(ap, void *), false, &sp);
			continue;
		case 'd':
		case 'i':
			sp.flags |= F_SIGNED;
			break;
		case 'u':
			break;
		case 'x':
			sp.base = 16;
			break;
		case 'X':
			sp.base = 16;
			sp.flags |= F_UPPER;
			break;
		case 'o':
			sp.base = 8;
			break;
		case 'n':
			/* not supported: consume the pointer, write nothing */
			(void)va_arg(ap, void *);
			continue;
		default:
			/* unknown conversion: print it literally */
			out_char(out, '%');
			out_char(out, *fmt);
			continue;
		}

		if (sp.flags & F_SIGNED) {
			long long v;

			if (lmod == 2)
				v = va_arg(ap, long long);
			else if (lmod == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (lmod == -1)
				v = (short)v;
			else if (lmod == -2)
				v = (signed char)v;
			negative = v < 0;
			num = negative ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		} else {
			if (lmod == 2)
				num = va_arg(ap, unsigned long long);
			else if (lmod == 1)
				num = va_arg(ap, unsigned long);
			else
				num = va_arg(ap, unsigned int);
			if (lmod == -1)
				num = (unsigned short)num;
			else if (lmod == -2)
				num = (unsigned char)num;
		}
		out_number(out, num, negative, &sp);
	}
}

/* --- string formatting ---------------------------------------------------- */

/* Returns the length the full output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct hm_out out = { buf, 0, size ? size - 1 : 0, 0, NULL };

	hm_vformat(&out, fmt, args);
	if (size)
		buf[out.len] = '\0';
	return (int)out.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Returns the number of characters stored (without the NUL). */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);

	if (n < (int)size)
		return n;
	return size ? (int)size - 1 : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list args)
{
	return vsnprintf(buf, (size_t)0x7fffffff, fmt, args);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

/* --- printk ----------------------------------------------------------------- */

struct printk_out {
	struct hm_out out;	/* first: flush() gets &out */
	int level;
	char buf[HM_PRINTK_CHUNK];
};

static void printk_flush(struct hm_out *out)
{
	struct printk_out *p = (struct printk_out *)out;

	if (out->len)
		hm_hcall3(HC_PRINTK, out->buf, out->len, p->level);
	out->len = 0;
	p->level = HM_PRINTK_LEVEL_CONT;	/* the rest continues this message */
}

/* Strips KERN_* prefixes (several may be stacked) and returns the level. */
static const char *printk_skip_level(const char *fmt, int *level)
{
	*level = HM_PRINTK_LEVEL_DEFAULT;
	while (fmt[0] == KERN_SOH_ASCII && fmt[1]) {
		char c = fmt[1];

		if (c >= '0' && c <= '7')
			*level = c - '0';
		else if (c == 'c')
			*level = HM_PRINTK_LEVEL_CONT;
		else if (c == 'd')
			*level = HM_PRINTK_LEVEL_DEFAULT;
		else
			break;
		fmt += 2;
	}
	return fmt;
}

int vprintk(const char *fmt, va_list args)
{
	struct printk_out p;

	fmt = printk_skip_level(fmt, &p.level);
	p.out.buf = p.buf;
	p.out.len = 0;
	p.out.cap = sizeof(p.buf);
	p.out.total = 0;
	p.out.flush = printk_flush;
	hm_vformat(&p.out, fmt, args);
	printk_flush(&p.out);
	return (int)p.out.total;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
