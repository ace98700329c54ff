// SPDX-License-Identifier: MIT
/* Bit search and bitmap operations (lib/find_bit.c, lib/bitmap.c; v6.1 semantics). */
#include <hmemu.h>
#include <linux/bitmap.h>
#include <linux/slab.h>

unsigned long _find_next_bit(const unsigned long *addr, unsigned long size,
			     unsigned long offset, unsigned long invert)
{
	unsigned long tmp;

	if (unlikely(offset >= size))
		return size;
	tmp = (addr[offset / BITS_PER_LONG] ^ invert) & BITMAP_FIRST_WORD_MASK(offset);
	offset = round_down(offset, BITS_PER_LONG);
	while (!tmp) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		tmp = addr[offset / BITS_PER_LONG] ^ invert;
	}
	return min(offset + __ffs(tmp), size);
}

unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	if (size) {
		unsigned long val = BITMAP_LAST_WORD_MASK(size);
		unsigned long idx = (size - 1) / BITS_PER_LONG;

		do {
			val &= addr[idx];
			if (val)
				return idx * BITS_PER_LONG + __fls(val);
			val = ~0UL;
		} while (idx--);
	}
	return size;
}

bool __bitmap_and(unsigned long *dst, const unsigned long *b1, const unsigned long *b2,
		  unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;
	unsigned long result = 0;

	for (k = 0; k < lim; k++)
		result |= (dst[k] = b1[k] & b2[k]);
	if (bits % BITS_PER_LONG)
		result |= (dst[k] = b1[k] & b2[k] & BITMAP_LAST_WORD_MASK(bits));
	return result != 0;
}

void __bitmap_or(unsigned long *dst, const unsigned long *b1, const unsigned long *b2,
		 unsigned int bits)
{
	unsigned int k, nr = BITS_TO_LONGS(bits);

	for (k = 0; k < nr; k++)
		dst[k] = b1[k] | b2[k];
}

void __bitmap_xor(unsigned long *dst, const unsigned long *b1, const unsigned long *b2,
		  unsigned int bits)
{
	unsigned int k, nr = BITS_TO_LONGS(bits);

	for (k = 0; k < nr; k++)
		dst[k] = b1[k] ^ b2[k];
}

bool __bitmap_andnot(unsigned long *dst, const unsigned long *b1, const unsigned long *b2,
		     unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;
	unsigned long result = 0;

	for (k = 0; k < lim; k++)
		result |= (dst[k] = b1[k] & ~b2[k]);
	if (bits % BITS_PER_LONG)
		result |= (dst[k] = b1[k] & ~b2[k] & BITMAP_LAST_WORD_MASK(bits));
	return result != 0;
}

void __bitmap_complement(unsigned long *dst, const unsigned long *src, unsigned int bits)
{
	unsigned int k, lim = BITS_TO_LONGS(bits);

	for (k = 0; k < lim; ++k)
		dst[k] = ~src[k];
}

bool __bitmap_equal(const unsigned long *b1, const unsigned long *b2, unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; ++k)
		if (b1[k] != b2[k])
			return false;
	if (bits % BITS_PER_LONG)
		if ((b1[k] ^ b2[k]) & BITMAP_LAST_WORD_MASK(bits))
			return false;
	return true;
}

bool __bitmap_intersects(const unsigned long *b1, const unsigned long *b2, unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; ++k)
		if (b1[k] & b2[k])
			return true;
	if (bits % BITS_PER_LONG)
		if ((b1[k] & b2[k]) & BITMAP_LAST_WORD_MASK(bits))
			return true;
	return false;
}

bool __bitmap_subset(const unsigned long *b1, const unsigned long *b2, unsigned int bits)
{
	unsigned int k, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; ++k)
		if (b1[k] & ~b2[k])
			return false;
	if (bits % BITS_PER_LONG)
		if ((b1[k] & ~b2[k]) & BITMAP_LAST_WORD_MASK(bits))
			return false;
	return true;
}

unsigned int __bitmap_weight(const unsigned long *bitmap, unsigned int bits)
{
	unsigned int k, w = 0, lim = bits / BITS_PER_LONG;

	for (k = 0; k < lim; k++)
		w += hweight_long(bitmap[k]);
	if (bits % BITS_PER_LONG)
		w += hweight_long(bitmap[k] & BITMAP_LAST_WORD_MASK(bits));
	return w;
}

void __bitmap_set(unsigned long *map, unsigned int start, int len)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned int size = start + len;
	int bits_to_set = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_set = BITMAP_FIRST_WORD_MASK(start);

	while (len - bits_to_set >= 0) {
		*p |= mask_to_set;
		len -= bits_to_set;
		bits_to_set = BITS_PER_LONG;
		mask_to_set = ~0UL;
		p++;
	}
	if (len) {
		mask_to_set &= BITMAP_LAST_WORD_MASK(size);
		*p |= mask_to_set;
	}
}

void __bitmap_clear(unsigned long *map, unsigned int start, int len)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned int size = start + len;
	int bits_to_clear = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_clear = BITMAP_FIRST_WORD_MASK(start);

	while (len - bits_to_clear >= 0) {
		*p &= ~mask_to_clear;
		len -= bits_to_clear;
		bits_to_clear = BITS_PER_LONG;
		mask_to_clear = ~0UL;
		p++;
	}
	if (len) {
		mask_to_clear &= BITMAP_LAST_WORD_MASK(size);
		*p &= ~mask_to_clear;
	}
}

void bitmap_shift_right(unsigned long *dst, const unsigned long *src, unsigned int shift,
			unsigned int nbits)
{
	unsigned int k, lim = BITS_TO_LONGS(nbits);
	unsigned int off = shift / BITS_PER_LONG, rem = shift % BITS_PER_LONG;
	unsigned long mask = BITMAP_LAST_WORD_MASK(nbits);

	for (k = 0; off + k < lim; ++k) {
		unsigned long upper, lower;

		if (!rem || off + k + 1 >= lim)
			upper = 0;
		else {
			upper = src[off + k + 1];
			if (off + k + 1 == lim - 1)
				upper &= mask;
			upper <<= (BITS_PER_LONG - rem);
		}
		lower = src[off + k];
		if (off + k == lim - 1)
			lower &= mask;
		lower >>= rem;
		dst[k] = lower | upper;
	}
	if (off)
		memset(&dst[lim - off], 0, off * sizeof(unsigned long));
}

void bitmap_shift_left(unsigned long *dst, const unsigned long *src, unsigned int shift,
		       unsigned int nbits)
{
	int k;
	unsigned int lim = BITS_TO_LONGS(nbits);
	unsigned int off = shift / BITS_PER_LONG, rem = shift % BITS_PER_LONG;

	for (k = lim - off - 1; k >= 0; --k) {
		unsigned long upper, lower;

		if (rem && k > 0)
			lower = src[k - 1] >> (BITS_PER_LONG - rem);
		else
			lower = 0;
		upper = src[k] << rem;
		dst[k + off] = lower | upper;
	}
	if (off)
		memset(dst, 0, off * sizeof(unsigned long));
}

unsigned long bitmap_find_next_zero_area_off(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr,
					     unsigned long align_mask, unsigned long align_offset)
{
	unsigned long index, end, i;
again:
	index = find_next_zero_bit(map, size, start);
	index = (((index + align_offset) + align_mask) & ~align_mask) - align_offset;
	end = index + nr;
	if (end > size)
		return end;
	i = find_next_bit(map, end, index);
	if (i < end) {
		start = i + 1;
		goto again;
	}
	return index;
}

unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}

void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}
