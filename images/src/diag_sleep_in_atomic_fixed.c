// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* The corrected version of diag_sleep_in_atomic.c: triggers nothing. */
#define FIXED 1
#include "diag_sleep_in_atomic.c"
