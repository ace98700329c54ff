// SPDX-License-Identifier: MIT
/*
 * hmemu native helper, the functions Java calls (through hmemu_jni.c). The callbacks get
 * the context given to hm_cpu_new as their first argument.
 */
#ifndef HMEMU_NATIVE_H
#define HMEMU_NATIVE_H

#include <unicorn/unicorn.h>
#include <stdint.h>

typedef struct hm_cpu hm_cpu;
typedef struct hm_shared hm_shared;

/* A TLB fill: paddr | perms, -1 fault, -2 error (see on_fill). */
typedef int64_t (*hm_fill_cb)(void *ctx, int32_t cpu, int64_t vaddr, int32_t type);
/* A write to the hypercall port: 0 go on, 1 stop, -2 error. */
typedef int32_t (*hm_hcall_cb)(void *ctx, int32_t cpu, int32_t port, int32_t value);
/* An MMU instruction (HM_INSN_*) or a code translation request: value >= 0, or HM_INSN_R_*. */
typedef int64_t (*hm_insn_cb)(void *ctx, int32_t cpu, int32_t kind, int64_t a0, int64_t a1);

hm_cpu *hm_cpu_new(uc_engine *uc, int32_t id, hm_fill_cb fill, hm_hcall_cb hcall, hm_insn_cb insn,
                   void *ctx, hm_shared *shared);
void hm_cpu_free(hm_cpu *c);
void *hm_cpu_ctx(hm_cpu *c);
int32_t hm_cpu_run(hm_cpu *c, uint64_t eip, uint64_t budget);
int32_t hm_cpu_resume(hm_cpu *c, uint64_t eip);
const uint64_t *hm_cpu_icount_ptr(hm_cpu *c);
const int32_t *hm_cpu_stop_ptr(hm_cpu *c);
const uint64_t *hm_cpu_exit_eip_ptr(hm_cpu *c);
void *hm_cpu_park_ptr(hm_cpu *c);
int32_t hm_park_size(void);
int64_t hm_cpu_fault_vaddr(hm_cpu *c);
int32_t hm_cpu_fault_type(hm_cpu *c);
uint32_t hm_cpu_fault_fixup(hm_cpu *c, uint64_t eip);
int32_t hm_flush_tlb(hm_cpu *c);
int32_t hm_flush_tb(hm_cpu *c);

hm_shared *hm_shared_new(void *phys, uint64_t npages);
void hm_shared_free(hm_shared *sh);
void *hm_shared_code_map(hm_shared *sh);
int32_t hm_shared_invalidate(hm_shared *sh, uint64_t ppage, int32_t mask);

void *hm_phys_alloc(uint64_t size);
int32_t hm_phys_free(void *p, uint64_t size);
int64_t hm_phys_clear(void *p, uint64_t size);

void *hm_cpu_mtlb(hm_cpu *c, int32_t ways0, int32_t sets0, int32_t ways1, int32_t sets1, uint64_t phys_size);
uint64_t hm_cpu_mtlb_hits(hm_cpu *c);
int32_t hm_mtlb_slot_offset(void);

/* Most breakpoints and watch ranges a CPU holds (hm_debug_set_breaks/_watches refuse more). */
#define HM_MAX_BREAK 64
#define HM_MAX_WATCH 16

int32_t hm_debug_enable(hm_cpu *c);
int32_t hm_debug_set_breaks(hm_cpu *c, const uint64_t *addrs, int32_t n);
int32_t hm_debug_set_watches(hm_cpu *c, const uint64_t *lo, const uint64_t *hi, const int32_t *kind, int32_t n);
void hm_debug_set_step(hm_cpu *c, int32_t on);
void hm_debug_skip_once(hm_cpu *c, uint64_t pc);
int32_t hm_debug_why(hm_cpu *c);
int32_t hm_debug_take_pending(hm_cpu *c);
uint64_t hm_debug_watch_addr(hm_cpu *c);
int32_t hm_debug_watch_kind(hm_cpu *c);
void hm_debug_stop_next(hm_cpu *c, int32_t on);
uint64_t hm_debug_executed(hm_cpu *c);

#endif
