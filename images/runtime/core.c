// SPDX-License-Identifier: MIT
/* Boot information cache and phase marks. */
#include <hmemu.h>

struct hm_boot_info *__hm_boot_info;

struct hm_boot_info *__hm_boot_info_fetch(void)
{
	struct hm_boot_info *bi = (struct hm_boot_info *)hm_hcall0(HC_BOOT_INFO);

	/* A missing or foreign boot block is a host bug: nothing below can work. */
	if (!bi || bi->magic != HM_BOOT_MAGIC)
		BUG();
	WRITE_ONCE(__hm_boot_info, bi);
	return bi;
}

noinline void hmemu_mark(const char *label)
{
	hm_hcall1(HC_MARK, label);
}
