// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_stale_tlb.c: triggers nothing. */
#define FIXED 1
#include "diag_stale_tlb.c"
