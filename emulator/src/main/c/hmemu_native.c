// SPDX-License-Identifier: MIT
/*
 * hmemu native helper: keeps the per-block path in C.
 *
 * One hm_cpu per Unicorn engine. It installs three hooks:
 *  - UC_HOOK_BLOCK: counts guest instructions exactly (icount of the translated block,
 *    from uc_ctl_request_cache) and stops the engine before a block once the CPU's
 *    instruction budget (its quantum) is spent. A block stopped in its hook does not
 *    execute, so it is not counted.
 *  - UC_HOOK_TLB_FILL: forwards every fill to Java (our MMU); a refusal records the
 *    faulting page and access type.
 *  - UC_HOOK_INSN(OUT): a write to the hypercall port goes to Java; a non-zero answer
 *    stops the engine at the next block boundary.
 * Engine TLB flushes the model asks for during a fill are deferred to the next block
 * start: flushing inside a fill that happens during translation corrupts the block.
 * Only fills, hypercalls and faults cross into Java.
 */
#include <unicorn/unicorn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef int64_t (*hm_fill_cb)(int32_t cpu, int64_t vaddr, int32_t type);
typedef int32_t (*hm_hcall_cb)(int32_t cpu, int32_t port, int32_t value);

enum { HM_STOP_NONE = 0, HM_STOP_BUDGET = 1, HM_STOP_HCALL = 2, HM_STOP_FAULT = 3,
       HM_STOP_CALLBACK_ERROR = 4, HM_STOP_ICOUNT_ERROR = 5 };
enum { HM_ACC_READ = 0, HM_ACC_WRITE = 1, HM_ACC_FETCH = 2 };
/* Set in a fill result: the model dropped entries; flush the engine TLB at the next block. */
#define HM_FILL_FLUSH_PENDING 8

/* icount of recently seen blocks, keyed by (pc, size): saves a uc_ctl per block. */
#define HM_ICACHE_SIZE 4096
typedef struct hm_icache_entry {
    uint64_t pc;
    uint32_t size;
    uint32_t icount;
} hm_icache_entry;

typedef struct hm_cpu {
    uc_engine *uc;
    int32_t id;
    uint64_t icount;
    /* on_block's one test: icount >= trip. trip is the budget, or 0 when a flush or a
     * stop is pending, so the common block costs a compare, a compare and an add. */
    uint64_t trip;
    uint64_t budget;
    uint64_t last_pc;
    uint32_t last_size;
    uint32_t last_icount;
    int32_t stop;
    int64_t fault_vaddr;
    int32_t fault_type;
    int32_t flush_pending;
    hm_fill_cb fill;
    hm_hcall_cb hcall;
    uc_hook h_block, h_fill, h_out;
    hm_icache_entry icache[HM_ICACHE_SIZE];
} hm_cpu;

static uint32_t block_icount(hm_cpu *c, uint64_t address, uint32_t size)
{
    hm_icache_entry *e = &c->icache[((address >> 2) ^ (address >> 13)) & (HM_ICACHE_SIZE - 1)];
    if (e->pc == address && e->size == size && e->icount != 0)
        return e->icount;
    uc_tb tb;
    if (uc_ctl_request_cache(c->uc, address, &tb) != UC_ERR_OK)
        return 0;
    e->pc = address;
    e->size = size;
    e->icount = tb.icount;
    return tb.icount;
}

/* The rare half of on_block: pending flush, stop, budget, or a block not seen last. */
static __attribute__((noinline)) void on_block_slow(uc_engine *uc, hm_cpu *c, uint64_t address,
                                                     uint32_t size)
{
    if (c->icount >= c->trip) {
        if (c->flush_pending) {
            /* A fill made the model drop entries: forget them here, outside translation. */
            c->flush_pending = 0;
            uc_ctl_flush_tlb(uc);
        }
        c->trip = c->stop == HM_STOP_NONE ? c->budget : 0;
        if (c->stop == HM_STOP_HCALL || c->stop == HM_STOP_CALLBACK_ERROR) {
            /* A hypercall asked to stop: stop before this block, where EIP is exact. */
            uc_emu_stop(uc);
            return;
        }
        if (c->icount >= c->budget) {
            if (c->stop == HM_STOP_NONE)
                c->stop = HM_STOP_BUDGET;
            c->trip = 0;
            uc_emu_stop(uc);
            return;
        }
        if (address == c->last_pc && size == c->last_size) {
            c->icount += c->last_icount;
            return;
        }
    }
    uint32_t n = block_icount(c, address, size);
    if (n == 0) {
        /* cannot count this block: stop rather than count wrong */
        c->stop = HM_STOP_ICOUNT_ERROR;
        c->trip = 0;
        uc_emu_stop(uc);
        return;
    }
    c->icount += n;
    c->last_pc = address;
    c->last_size = size;
    c->last_icount = n;
}

static void on_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    hm_cpu *c = user;
    if (__builtin_expect(c->icount < c->trip && address == c->last_pc && size == c->last_size, 1)) {
        c->icount += c->last_icount; /* a loop re-entering its block: the common case */
        return;
    }
    on_block_slow(uc, c, address, size);
}

static bool on_fill(uc_engine *uc, uint64_t vaddr, uc_mem_type type, uc_tlb_entry *result,
                    void *user)
{
    hm_cpu *c = user;
    int32_t acc = HM_ACC_READ;
    if (type == UC_MEM_WRITE || type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT)
        acc = HM_ACC_WRITE;
    else if (type == UC_MEM_FETCH || type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT)
        acc = HM_ACC_FETCH;
    int64_t r = c->fill(c->id, (int64_t)vaddr, acc);
    if (r < 0) {
        if (c->stop == HM_STOP_NONE) {
            c->stop = (r == -2) ? HM_STOP_CALLBACK_ERROR : HM_STOP_FAULT;
            c->fault_vaddr = (int64_t)vaddr;
            c->fault_type = acc;
        }
        return false;
    }
    if (r & HM_FILL_FLUSH_PENDING) {
        c->flush_pending = 1;
        c->trip = 0;
    }
    result->paddr = (uint64_t)r & ~(uint64_t)0xfff;
    result->perms = (uc_prot)(r & 7);
    return true;
}

static void on_out(uc_engine *uc, uint32_t port, int size, uint32_t value, void *user)
{
    hm_cpu *c = user;
    int32_t r = c->hcall(c->id, (int32_t)port, (int32_t)value);
    /*
     * The stop takes effect in on_block, at the start of the next block: stopping from
     * here would leave EIP at the start of the block holding the out, with registers
     * already past it. The runtime's hypercall loop ends its block right after the out.
     */
    if (r != 0 && c->stop == HM_STOP_NONE) {
        c->stop = (r == -2) ? HM_STOP_CALLBACK_ERROR : HM_STOP_HCALL;
        c->trip = 0;
    }
}

/* Creates the helper for an open engine: virtual-TLB mode plus the three hooks. */
hm_cpu *hm_cpu_new(uc_engine *uc, int32_t id, hm_fill_cb fill, hm_hcall_cb hcall)
{
    hm_cpu *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->uc = uc;
    c->id = id;
    c->budget = UINT64_MAX;
    c->trip = UINT64_MAX;
    c->fill = fill;
    c->hcall = hcall;
    if (uc_ctl_tlb_mode(uc, UC_TLB_VIRTUAL) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_block, UC_HOOK_BLOCK, (void *)on_block, c, 1, 0) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_fill, UC_HOOK_TLB_FILL, (void *)on_fill, c, 1, 0) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_out, UC_HOOK_INSN, (void *)on_out, c, 1, 0, UC_X86_INS_OUT)
               != UC_ERR_OK) {
        free(c);
        return NULL;
    }
    return c;
}

void hm_cpu_free(hm_cpu *c)
{
    if (!c)
        return;
    uc_hook_del(c->uc, c->h_block);
    uc_hook_del(c->uc, c->h_fill);
    uc_hook_del(c->uc, c->h_out);
    free(c);
}

/* Runs from eip until the budget (absolute icount) is reached, a hook stops it, or hlt. */
int32_t hm_cpu_run(hm_cpu *c, uint64_t eip, uint64_t budget)
{
    c->stop = HM_STOP_NONE;
    if (c->flush_pending) {
        /* a fill asked for a flush and the slice ended before the next block */
        c->flush_pending = 0;
        uc_ctl_flush_tlb(c->uc);
    }
    c->budget = budget;
    c->trip = budget;
    c->last_size = 0;
    return (int32_t)uc_emu_start(c->uc, eip, 0, 0, 0);
}

int32_t hm_cpu_stop_reason(hm_cpu *c) { return c->stop; }
uint64_t hm_cpu_icount(hm_cpu *c) { return c->icount; }
void hm_cpu_set_icount(hm_cpu *c, uint64_t v) { c->icount = v; }
int64_t hm_cpu_fault_vaddr(hm_cpu *c) { return c->fault_vaddr; }
int32_t hm_cpu_fault_type(hm_cpu *c) { return c->fault_type; }

/*
 * A fault at eip inside the last counted block means the block was cut short: its
 * instructions from eip on did not run. The block that starts at eip ends where the cut
 * block ends, so its icount is exactly the number to take back. Returns it.
 */
uint32_t hm_cpu_fault_fixup(hm_cpu *c, uint64_t eip)
{
    if (c->last_size == 0 || eip < c->last_pc || eip >= c->last_pc + c->last_size)
        return 0;
    uc_tb tb;
    if (uc_ctl_request_cache(c->uc, eip, &tb) != UC_ERR_OK)
        return 0;
    uint32_t back = tb.icount;
    if (eip == c->last_pc || back > c->last_icount)
        back = c->last_icount;
    c->icount -= back;
    c->last_size = 0;
    return back;
}

int32_t hm_flush_tlb(uc_engine *uc) { return (int32_t)uc_ctl_flush_tlb(uc); }
int32_t hm_flush_tb(hm_cpu *c)
{
    memset(c->icache, 0, sizeof c->icache);
    return (int32_t)uc_ctl_flush_tb(c->uc);
}

/* Guest physical memory: reserved, not committed; pages are backed on first touch. */
void *hm_phys_alloc(uint64_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int32_t hm_phys_free(void *p, uint64_t size) { return munmap(p, size); }
