// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_mem_page_bounds.c: triggers nothing. */
#define FIXED 1
#include "diag_mem_page_bounds.c"
