// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_page_address_highmem.c: triggers nothing. */
#define FIXED 1
#include "diag_page_address_highmem.c"
