/* SPDX-License-Identifier: MIT */
/* Page vectors (include/linux/bvec.h; v6.1). */
#ifndef _HMEMU_LINUX_BVEC_H
#define _HMEMU_LINUX_BVEC_H

#include <hmemu.h>

struct bio_vec {
	struct page	*bv_page;
	unsigned int	bv_len;
	unsigned int	bv_offset;
};

#endif
