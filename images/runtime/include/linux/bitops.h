/* SPDX-License-Identifier: MIT */
/*
 * Bit operations (include/linux/bitops.h, arch/x86/include/asm/bitops.h,
 * linux/find.h, linux/bits.h; v6.1). set_bit/clear_bit/change_bit and the
 * test_and_* forms are atomic (lock-prefixed, as on x86); the __ forms are not.
 */
#ifndef _HMEMU_LINUX_BITOPS_H
#define _HMEMU_LINUX_BITOPS_H

#include <hmemu.h>

#define BITS_PER_BYTE		8
#define BITS_PER_LONG		32
#define BITS_PER_LONG_LONG	64
#define BITS_PER_TYPE(type)	(sizeof(type) * BITS_PER_BYTE)
#define BITS_TO_LONGS(nr)	DIV_ROUND_UP(nr, BITS_PER_TYPE(long))
#define BITS_TO_U64(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u64))
#define BITS_TO_U32(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u32))
#define BITS_TO_BYTES(nr)	DIV_ROUND_UP(nr, BITS_PER_TYPE(char))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_ULL_MASK(nr)	(1ULL << ((nr) % BITS_PER_LONG_LONG))
#define BIT_ULL_WORD(nr)	((nr) / BITS_PER_LONG_LONG)
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))

/* Atomic RMW bit operations: one lock-prefixed instruction each. */
static __always_inline void set_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock; btsl %1, %0" : "+m"(*(volatile long *)addr) : "r"(nr) : "memory");
}

static __always_inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock; btrl %1, %0" : "+m"(*(volatile long *)addr) : "r"(nr) : "memory");
}

static __always_inline void change_bit(long nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("lock; btcl %1, %0" : "+m"(*(volatile long *)addr) : "r"(nr) : "memory");
}

#define __HM_TEST_AND_OP(name, insn) \
static __always_inline bool name(long nr, volatile unsigned long *addr) \
{ \
	unsigned char c; \
	__asm__ __volatile__("lock; " insn " %2, %1; setc %0" \
			     : "=qm"(c), "+m"(*(volatile long *)addr) : "r"(nr) : "memory", "cc"); \
	return c; \
}
__HM_TEST_AND_OP(test_and_set_bit, "btsl")
__HM_TEST_AND_OP(test_and_clear_bit, "btrl")
__HM_TEST_AND_OP(test_and_change_bit, "btcl")
#undef __HM_TEST_AND_OP

#define test_and_set_bit_lock(nr, addr)	test_and_set_bit(nr, addr)
#define clear_bit_unlock(nr, addr)	do { barrier(); clear_bit(nr, addr); } while (0)
#define __clear_bit_unlock(nr, addr)	clear_bit_unlock(nr, addr)
#define smp_mb__before_atomic()		barrier()
#define smp_mb__after_atomic()		barrier()

/* Non-atomic forms (the caller serialises). */
static __always_inline void __set_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static __always_inline void __clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static __always_inline void __change_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

static __always_inline bool __test_and_set_bit(unsigned long nr, volatile unsigned long *addr)
{
	unsigned long mask = BIT_MASK(nr), old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old | mask;
	return (old & mask) != 0;
}

static __always_inline bool __test_and_clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	unsigned long mask = BIT_MASK(nr), old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old & ~mask;
	return (old & mask) != 0;
}

static __always_inline bool __test_and_change_bit(unsigned long nr, volatile unsigned long *addr)
{
	unsigned long mask = BIT_MASK(nr), old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old ^ mask;
	return (old & mask) != 0;
}

static __always_inline bool test_bit(unsigned long nr, const volatile unsigned long *addr)
{
	return 1UL & (addr[BIT_WORD(nr)] >> (nr & (BITS_PER_LONG - 1)));
}

static __always_inline void assign_bit(long nr, volatile unsigned long *addr, bool value)
{
	if (value)
		set_bit(nr, addr);
	else
		clear_bit(nr, addr);
}

/* Bit search in one word. __ffs/__fls/ffz are undefined for 0 (as upstream). */
static __always_inline unsigned long __ffs(unsigned long word) { return __builtin_ctzl(word); }
static __always_inline unsigned long __fls(unsigned long word) { return 31 - __builtin_clzl(word); }
#define ffz(x)	__ffs(~(x))
/* ffs/fls are 1-based and return 0 for 0. */
static __always_inline int ffs(int x) { return __builtin_ffs(x); }
static __always_inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static __always_inline int fls64(u64 x)
{
	u32 h = x >> 32;

	return h ? fls(h) + 32 : fls((u32)x);
}
static __always_inline int fls_long(unsigned long l) { return fls(l); }
static __always_inline unsigned long __ffs64(u64 word)
{
	return (u32)word ? __ffs((u32)word) : __ffs((u32)(word >> 32)) + 32;
}

static __always_inline unsigned int hweight32(unsigned int w) { return __builtin_popcount(w); }
static __always_inline unsigned int hweight16(unsigned int w) { return __builtin_popcount(w & 0xffff); }
static __always_inline unsigned int hweight8(unsigned int w) { return __builtin_popcount(w & 0xff); }
static __always_inline unsigned long hweight64(u64 w)
{
	return __builtin_popcount((u32)w) + __builtin_popcount((u32)(w >> 32));
}
static __always_inline unsigned long hweight_long(unsigned long w) { return hweight32(w); }

static inline u32 rol32(u32 word, unsigned int shift) { return (word << (shift & 31)) | (word >> ((-shift) & 31)); }
static inline u32 ror32(u32 word, unsigned int shift) { return (word >> (shift & 31)) | (word << ((-shift) & 31)); }
static inline u16 rol16(u16 word, unsigned int shift) { return (word << (shift & 15)) | (word >> ((-shift) & 15)); }
static inline u16 ror16(u16 word, unsigned int shift) { return (word >> (shift & 15)) | (word << ((-shift) & 15)); }
static inline u8 rol8(u8 word, unsigned int shift) { return (word << (shift & 7)) | (word >> ((-shift) & 7)); }
static inline u8 ror8(u8 word, unsigned int shift) { return (word >> (shift & 7)) | (word << ((-shift) & 7)); }

static __always_inline s32 sign_extend32(u32 value, int index)
{
	u8 shift = 31 - index;

	return (s32)(value << shift) >> shift;
}

static __always_inline s64 sign_extend64(u64 value, int index)
{
	u8 shift = 63 - index;

	return (s64)(value << shift) >> shift;
}

static inline int get_count_order(unsigned int count)
{
	if (count == 0)
		return -1;
	return fls(--count);
}

static inline int get_count_order_long(unsigned long l)
{
	if (l == 0UL)
		return -1;
	return (int)fls_long(--l);
}

/* linux/find.h: the first set/zero bit at or after offset, or size if none. */
unsigned long _find_next_bit(const unsigned long *addr, unsigned long size,
			     unsigned long offset, unsigned long invert);

static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	return _find_next_bit(addr, size, offset, 0UL);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	return _find_next_bit(addr, size, offset, ~0UL);
}

#define find_first_bit(addr, size)	find_next_bit((addr), (size), 0)
#define find_first_zero_bit(addr, size)	find_next_zero_bit((addr), (size), 0)

unsigned long find_last_bit(const unsigned long *addr, unsigned long size);

#define for_each_set_bit(bit, addr, size) \
	for ((bit) = 0; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_set_bit_from(bit, addr, size) \
	for (; (bit) = find_next_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit(bit, addr, size) \
	for ((bit) = 0; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit_from(bit, addr, size) \
	for (; (bit) = find_next_zero_bit((addr), (size), (bit)), (bit) < (size); (bit)++)

#endif
