// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_kunmap_local_order.c: triggers nothing. */
#define FIXED 1
#include "diag_kunmap_local_order.c"
