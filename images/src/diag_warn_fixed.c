// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_warn.c: triggers nothing. */
#define FIXED 1
#include "diag_warn.c"
