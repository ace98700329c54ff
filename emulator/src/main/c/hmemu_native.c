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
 *
 * Two jobs are done once per newly seen block (a block not in the icount cache), never
 * on the per-block fast path:
 *  - MMU instructions: the block's bytes are scanned for invlpg, mov to/from CRn,
 *    wrmsr, rdtsc(p), wbinvd and invd; each candidate address gets a UC_HOOK_CODE hook
 *    with begin == end (it fires only if an instruction starts there), and the block is
 *    retranslated so the hook is in it. The hook hands the instruction to Java (the
 *    model) and skips it by moving EIP past it.
 *  - Code coherence: the block's physical pages are marked as code of this CPU in a map
 *    shared by all CPUs (hm_shared). A page that holds another CPU's code is never
 *    writable through this CPU's engine TLB; the first write fill asks Java, which
 *    flushes the other CPUs' translated code (hm_shared_invalidate) before the write.
 */
#include <unicorn/unicorn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#include "hmemu_native.h"

#define HM_HCALL_PORT 0xE9 /* Java's Cpu.HYPERCALL_PORT */

enum { HM_INSN_TRANSLATE = 0, HM_INSN_RDTSC = 1, HM_INSN_RDTSCP = 2, HM_INSN_INVLPG = 3,
       HM_INSN_MOV_FROM_CR = 4, HM_INSN_MOV_TO_CR = 5, HM_INSN_WBINVD = 6, HM_INSN_INVD = 7,
       HM_INSN_WRMSR = 8, HM_INSN_UNSUPPORTED = 9 };
/* Answers of the instruction callback: stop the run (Java recorded why), Java failed,
 * or let the engine execute the instruction itself. */
#define HM_INSN_R_STOP (-1)
#define HM_INSN_R_ERROR (-2)
#define HM_INSN_R_ENGINE (-3)

enum { HM_STOP_NONE = 0, HM_STOP_BUDGET = 1, HM_STOP_HCALL = 2, HM_STOP_FAULT = 3,
       HM_STOP_CALLBACK_ERROR = 4, HM_STOP_ICOUNT_ERROR = 5, HM_STOP_HOOK_LIMIT = 6,
       HM_STOP_DEBUG = 7, HM_STOP_REALIGN = 8 };
enum { HM_ACC_READ = 0, HM_ACC_WRITE = 1, HM_ACC_FETCH = 2 };
/* Set in a fill result: the model dropped entries; flush the engine TLB at the next block. */
#define HM_FILL_FLUSH_PENDING 8

/* Virtual -> physical pages the engine was given by fills, valid for one engine-TLB
 * generation: where the bytes of a block are, without asking Java. */
#define HM_MIRROR_SIZE 4096
typedef struct hm_mirror_entry {
    uint32_t vpage1; /* virtual page number + 1 (0: empty) */
    uint32_t ppage;
    uint32_t gen;
} hm_mirror_entry;

#define HM_MAX_CPUS 16
#define HM_MAX_INSN_HOOKS 4096
#define HM_HOOKSET_SIZE 8192 /* open addressing, power of two, > 2 * HM_MAX_INSN_HOOKS */
#define HM_PENDING_MAX 64

struct hm_cpu;

typedef struct hm_code_page {
    uint32_t ppage;
    uint32_t vpage;
} hm_code_page;

/* State shared by every CPU of one machine: which physical pages hold whose code. */
typedef struct hm_shared {
    uint8_t *phys;        /* host address of guest physical 0 */
    uint64_t npages;      /* guest physical pages */
    uint16_t *code;       /* per page: bit n = CPU n has translated code there */
    uint16_t *writable;   /* per page: bit n = CPU n's engine TLB may hold it writable */
    struct hm_cpu *cpus[HM_MAX_CPUS];
    int32_t ncpus;
} hm_shared;

/* Debugger state of one CPU (see the debug section at the end of this file). */
typedef struct hm_debug {
    int32_t enabled;
    int32_t nbreak;
    uint64_t brk[HM_MAX_BREAK];
    int32_t nwatch;
    uint64_t wlo[HM_MAX_WATCH], whi[HM_MAX_WATCH];
    int32_t wkind[HM_MAX_WATCH];
    int32_t step, stepped, stop_next, why;
    int32_t skip_valid;
    uint64_t skip_pc;
    uint64_t ahead;         /* instructions counted at a block start and not run yet */
    int32_t resuming, at_block_start;
    int32_t saved_stop;     /* stop and trip as they were when the debugger paused */
    uint64_t saved_trip;
    uint64_t watch_addr;
    int32_t watch_kind;
    uc_hook h_code, h_mem;
} hm_debug;

/* icount of recently seen blocks, keyed by (pc, size): saves a uc_ctl per block. Blocks
 * start at any byte (the runtime's `jmp 1f; outl` makes two blocks two bytes apart, used
 * by every hypercall), so the slot depends on every low bit of pc. */
#define HM_ICACHE_SIZE 4096
#define HM_ICACHE_SLOT(pc) (((pc) ^ ((pc) >> 12)) & (HM_ICACHE_SIZE - 1))
typedef struct hm_icache_entry {
    uint64_t pc;
    uint32_t size;
    uint32_t icount;
} hm_icache_entry;

/*
 * ---- Parking a shared-state hypercall without Java ----
 * A hypercall that acts on state shared between CPUs runs only on the CPU whose clock is
 * earliest; any other CPU parks it: the guest is answered RESTART, the slice ends, and the
 * instructions of the guest's retry path are not counted when it is issued again. Java
 * keeps this record (a direct buffer) and sets 'above', the count past which this CPU is
 * no longer earliest; until Java changes it, only this CPU's own clock moves, so a call
 * past it is parked here, exactly as Java would have, saving an upcall.
 * The layout is Java's too (ParkState): keep them in step.
 */
typedef struct hm_park {
    int64_t above;        /* park a parkable call once icount - uncounted exceeds this */
    int64_t uncounted;    /* instructions executed and not counted (retry paths) */
    int64_t parked_at;    /* icount when the pending call was parked, -1: none */
    int64_t parked_block; /* its argument block */
    int64_t parks;        /* calls parked here */
    uint32_t win_lo;      /* argument blocks in [win_lo, win_hi) lie at win_phys + (va - win_lo) */
    uint32_t win_hi;
    uint32_t win_phys;
    int32_t ret_off;      /* where ret lies in a block */
    int32_t restart;      /* the ret that makes the guest issue the call again */
    int32_t block_size;
    uint8_t nrs[128];     /* non-zero: calls with this number may be parked */
} hm_park;

_Static_assert(sizeof(hm_park) == 192, "hm_park: Java's ParkState has this layout");

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
    hm_insn_cb insn;
    void *ctx;              /* the callbacks' first argument */
    uc_hook h_block, h_fill, h_out;
    hm_icache_entry icache[HM_ICACHE_SIZE];
    /* set when the engine must stop at the next block start and be resumed by
     * hm_cpu_run after pending work (new hooks, code flush) */
    int32_t resync;
    int32_t tb_flush_pending;
    /* the instruction hook moved EIP inside the counted block: the block that starts
     * there is the rest of it and is not counted again */
    uint64_t resume_pc;
    uint64_t resume_end;
    /* where a block-hook stop left the CPU (the engine's EIP may be stale then) */
    uint64_t stop_pc;
    /* EIP when hm_cpu_run/hm_cpu_resume returned (the engine's EIP, read once here) */
    uint64_t exit_eip;
    int32_t stopped_at_block;
    uint64_t last_tsc;
    hm_shared *shared;
    uint32_t gen;
    hm_mirror_entry mirror[HM_MIRROR_SIZE];
    /* instruction hooks: addresses hooked, addresses waiting, the block to retranslate */
    uint32_t hookset[HM_HOOKSET_SIZE]; /* address + 1, 0 empty */
    int32_t nhooks;
    uint32_t pending[HM_PENDING_MAX];
    int32_t npending;
    uint64_t retrans_lo, retrans_hi;
    /* pages this CPU marked as code (physical, and the virtual page it ran them at), to
     * unmark them and find its translations when another CPU or the host writes there */
    hm_code_page *marked;
    uint32_t nmarked, capmarked;
    /* virtual pages whose translations go at the next sync (a write hit their code) */
    uint32_t *inval;
    uint32_t ninval, capinval;
    int32_t in_sync;
    struct hm_mtlb *mtlb;   /* the model's TLB, mirrored (NULL: every fill goes to Java) */
    uint64_t mtlb_hits;     /* fills answered from it */
    hm_debug dbg;
    hm_park park;
} hm_cpu;

/*
 * ---- The model's TLB, mirrored ----
 * Java's TLB (mmu/Tlb, two set-associative banks with FIFO replacement) writes every slot
 * it fills or empties into this block of memory, through a direct buffer, and reports
 * CR0.WP and whether the engine must be flushed. An engine fill of a page the model holds
 * is then answered here exactly as Java would answer it (same physical page and rights,
 * no walk, no side effect); only model misses and the rare cases (write to a clean or
 * read-only entry, fetch from NX, another CPU's code on a writable page) reach Java.
 */
typedef struct hm_mtlb_slot {
    int64_t tag;    /* linear base of the page, -1 empty */
    int64_t phys;   /* physical base */
    int64_t size;   /* 4096, 2 MiB or 4 MiB */
    int32_t flags;  /* HM_MTLB_F_* */
    int32_t pad;
} hm_mtlb_slot;

typedef struct hm_mtlb {
    int32_t wp;     /* CR0.WP */
    int32_t stale;  /* Java must answer: the engine TLB is to be flushed */
    int32_t pad[6];
    /* bank 0: 4 KiB entries, bank 1: large pages */
    int32_t ways[2], sets[2], shift[2], first[2];
    uint64_t phys_size;
    hm_mtlb_slot slot[];
} hm_mtlb;

enum { HM_MTLB_F_WRITABLE = 1, HM_MTLB_F_EXEC = 4, HM_MTLB_F_DIRTY = 16 };
#define HM_MTLB_MISS (-3)

static void engine_tlb_flush(hm_cpu *c)
{
    c->gen++;
    uc_ctl_flush_tlb(c->uc);
}

static uint32_t block_icount(hm_cpu *c, uint64_t address, uint32_t size)
{
    hm_icache_entry *e = &c->icache[HM_ICACHE_SLOT(address)];
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


/* ---- where code bytes are: the fill mirror, else Java (no side effects there) ---- */

static void mirror_put(hm_cpu *c, uint64_t vaddr, uint64_t paddr)
{
    uint32_t vp = (uint32_t)(vaddr >> 12);
    hm_mirror_entry *e = &c->mirror[vp & (HM_MIRROR_SIZE - 1)];
    e->vpage1 = vp + 1;
    e->ppage = (uint32_t)(paddr >> 12);
    e->gen = c->gen;
}

/* Physical page number of the code page at vaddr, or -1. */
static int64_t code_ppage(hm_cpu *c, uint64_t vaddr)
{
    uint32_t vp = (uint32_t)(vaddr >> 12);
    hm_mirror_entry *e = &c->mirror[vp & (HM_MIRROR_SIZE - 1)];
    if (e->vpage1 == vp + 1 && e->gen == c->gen)
        return e->ppage;
    int64_t pa = c->insn(c->ctx, c->id, HM_INSN_TRANSLATE, (int64_t)(vaddr & ~(uint64_t)0xfff), 0);
    if (pa < 0)
        return -1;
    return pa >> 12;
}

/* Copies n code bytes at vaddr (they may cross a page); false if a page is unknown. */
static bool read_code(hm_cpu *c, uint64_t vaddr, uint8_t *buf, uint32_t n)
{
    hm_shared *sh = c->shared;
    if (!sh || !sh->phys)
        return false;
    while (n > 0) {
        int64_t pp = code_ppage(c, vaddr);
        if (pp < 0 || (uint64_t)pp >= sh->npages)
            return false;
        uint32_t off = (uint32_t)(vaddr & 0xfff);
        uint32_t k = 4096 - off < n ? 4096 - off : n;
        memcpy(buf, sh->phys + ((uint64_t)pp << 12) + off, k);
        buf += k;
        vaddr = (vaddr + k) & 0xffffffffu;
        n -= k;
    }
    return true;
}

/* ---- code coherence ---- */

static bool grow(void **p, uint32_t *cap, uint32_t n, size_t elem)
{
    if (n < *cap)
        return true;
    uint32_t nc = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return false;
    *p = q;
    *cap = nc;
    return true;
}

static void mark_code(hm_cpu *c, uint64_t ppage, uint64_t vaddr)
{
    hm_shared *sh = c->shared;
    uint16_t bit = (uint16_t)(1u << c->id);
    uint32_t vp = (uint32_t)(vaddr >> 12);
    if (ppage >= sh->npages)
        return;
    if (sh->code[ppage] & bit) {
        /* known page: a new alias is recorded too (rare: linear scan of this CPU's pages) */
        for (uint32_t i = 0; i < c->nmarked; i++)
            if (c->marked[i].ppage == ppage && c->marked[i].vpage == vp)
                return;
    }
    if (!grow((void **)&c->marked, &c->capmarked, c->nmarked, sizeof *c->marked))
        return; /* unmarked: only other CPUs' writes to it could go unnoticed */
    sh->code[ppage] |= bit;
    c->marked[c->nmarked++] = (hm_code_page){ (uint32_t)ppage, vp };
    /* Another CPU whose engine may hold the page writable must refill it first. */
    for (int i = 0; i < sh->ncpus; i++) {
        hm_cpu *o = sh->cpus[i];
        uint16_t ob = (uint16_t)(1u << i);
        if (o && o != c && (sh->writable[ppage] & ob)) {
            sh->writable[ppage] &= (uint16_t)~ob;
            o->flush_pending = 1;
            o->trip = 0;
        }
    }
}

/* A write is about to hit physical page ppage: c forgets its code there before it runs
 * again (a running c stops at its next block start for it). */
static void drop_page(hm_cpu *c, uint64_t ppage)
{
    hm_shared *sh = c->shared;
    uint32_t j = 0;
    for (uint32_t i = 0; i < c->nmarked; i++) {
        if (c->marked[i].ppage != ppage) {
            c->marked[j++] = c->marked[i];
        } else if (grow((void **)&c->inval, &c->capinval, c->ninval, sizeof *c->inval)) {
            c->inval[c->ninval++] = c->marked[i].vpage;
        } else {
            c->tb_flush_pending = 1; /* no memory for the list: flush everything */
        }
    }
    c->nmarked = j;
    sh->code[ppage] &= (uint16_t)~(1u << c->id);
    c->resync = 1;
    c->trip = 0;
}

/* Forgets all code of c: its engine flushes its translations before it runs again. */
static void drop_code(hm_cpu *c)
{
    hm_shared *sh = c->shared;
    uint16_t keep = (uint16_t)~(1u << c->id);
    for (uint32_t i = 0; i < c->nmarked; i++)
        sh->code[c->marked[i].ppage] &= keep;
    c->nmarked = 0;
    c->ninval = 0;
    c->tb_flush_pending = 1;
    c->resync = 1;
    c->trip = 0;
}

/*
 * Removes the translations of the pages in c->inval, while c is stopped. The engine's TLB
 * is flushed first so that it translates each page afresh from the model; a page that no
 * longer maps to code is skipped (its old translations cannot be reached through it).
 */
static void invalidate_pages(hm_cpu *c)
{
    engine_tlb_flush(c);
    c->in_sync = 1;
    for (uint32_t i = 0; i < c->ninval; i++) {
        uint64_t va = (uint64_t)c->inval[i] << 12;
        if (c->insn(c->ctx, c->id, HM_INSN_TRANSLATE, (int64_t)va, 0) >= 0)
            uc_ctl_remove_cache(c->uc, va, va + 4096);
    }
    c->in_sync = 0;
    c->ninval = 0;
    memset(c->icache, 0, sizeof c->icache);
}

/* ---- MMU instructions: scan, hook, emulate ---- */

static bool hookset_has(hm_cpu *c, uint32_t a)
{
    for (uint32_t i = (a * 2654435761u) & (HM_HOOKSET_SIZE - 1);; i = (i + 1) & (HM_HOOKSET_SIZE - 1)) {
        if (c->hookset[i] == 0)
            return false;
        if (c->hookset[i] == a + 1)
            return true;
    }
}

static void hookset_add(hm_cpu *c, uint32_t a)
{
    uint32_t i = (a * 2654435761u) & (HM_HOOKSET_SIZE - 1);
    while (c->hookset[i] != 0)
        i = (i + 1) & (HM_HOOKSET_SIZE - 1);
    c->hookset[i] = a + 1;
    c->nhooks++;
}

static bool is_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0x66
        || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

/* Whether 0F op (modrm) is one of the instructions the model must see. */
static bool mmu_opcode(uint8_t op, uint8_t modrm)
{
    switch (op) {
    case 0x01: return modrm == 0xf9 || (((modrm >> 3) & 7) == 7 && (modrm >> 6) != 3);
    case 0x08: case 0x09: case 0x20: case 0x22: case 0x30: case 0x31: return true;
    default: return false;
    }
}

static void want_hook(hm_cpu *c, uint32_t a)
{
    if (hookset_has(c, a))
        return;
    for (int32_t i = 0; i < c->npending; i++)
        if (c->pending[i] == a)
            return;
    if (c->npending < HM_PENDING_MAX)
        c->pending[c->npending++] = a;
}

/* A block seen for the first time: mark its pages as code, find MMU instructions in it.
 * Returns true if the block must be retranslated with new hooks before it runs. */
static bool new_block(hm_cpu *c, uint64_t pc, uint32_t size)
{
    if (!c->shared || size == 0)
        return false;
    int64_t p0 = code_ppage(c, pc);
    if (p0 >= 0)
        mark_code(c, (uint64_t)p0, pc);
    if (((pc + size - 1) >> 12) != (pc >> 12)) {
        int64_t p1 = code_ppage(c, pc + size - 1);
        if (p1 >= 0)
            mark_code(c, (uint64_t)p1, pc + size - 1);
    }
    uint8_t buf[4096 + 2];
    uint32_t n = size > 4096 ? 4096 : size;
    if (!read_code(c, pc, buf, n))
        return false;
    /* the last opcode byte and modrm may lie past the block's end: read them too */
    buf[n] = buf[n + 1] = 0;
    read_code(c, pc + n, buf + n, 2);
    for (uint32_t i = 0; i < n; i++) {
        if (buf[i] != 0x0f || !mmu_opcode(buf[i + 1], buf[i + 2]))
            continue;
        want_hook(c, (uint32_t)(pc + i));
        for (uint32_t j = i; j > 0 && j > i - 14 && is_prefix(buf[j - 1]); j--)
            want_hook(c, (uint32_t)(pc + j - 1));
    }
    if (c->npending == 0)
        return false;
    c->retrans_lo = pc;
    c->retrans_hi = pc + size;
    c->resync = 1;
    return true;
}

static const int gpr_ids[8] = { UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                                UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI };

static uint32_t gpr(uc_engine *uc, int n)
{
    uint32_t v = 0;
    uc_reg_read(uc, gpr_ids[n & 7], &v);
    return v;
}

static void set_gpr(uc_engine *uc, int n, uint32_t v)
{
    uc_reg_write(uc, gpr_ids[n & 7], &v);
}

static int32_t le32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* 32-bit ModRM memory operand at b (the modrm byte): effective address and length. */
static uint32_t modrm_ea(uc_engine *uc, const uint8_t *b, uint32_t *len)
{
    uint8_t mod = b[0] >> 6, rm = b[0] & 7;
    uint32_t p = 1, ea = 0;
    if (rm == 4) {
        uint8_t sib = b[p++];
        uint8_t scale = sib >> 6, idx = (sib >> 3) & 7, base = sib & 7;
        if (idx != 4)
            ea = gpr(uc, idx) << scale;
        if (base == 5 && mod == 0) {
            ea += (uint32_t)le32(b + p);
            p += 4;
        } else {
            ea += gpr(uc, base);
        }
    } else if (rm == 5 && mod == 0) {
        ea = (uint32_t)le32(b + p);
        p += 4;
    } else {
        ea = gpr(uc, rm);
    }
    if (mod == 1)
        ea += (uint32_t)(int8_t)b[p++];
    else if (mod == 2) {
        ea += (uint32_t)le32(b + p);
        p += 4;
    }
    *len = p;
    return ea;
}

static void insn_stop(hm_cpu *c, int64_t r)
{
    if (c->stop == HM_STOP_NONE)
        c->stop = r == HM_INSN_R_ERROR ? HM_STOP_CALLBACK_ERROR : HM_STOP_HCALL;
    c->trip = 0;
}

/* UC_HOOK_CODE at one candidate address: an MMU instruction starts here. */
static void on_mmu_insn(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    hm_cpu *c = user;
    uint8_t b[24];
    memset(b, 0, sizeof b);
    if (!read_code(c, address, b, 16))
        return;
    uint32_t i = 0;
    bool addr16 = false;
    while (i < 14 && is_prefix(b[i])) {
        if (b[i] == 0x67)
            addr16 = true;
        i++;
    }
    if (b[i] != 0x0f || !mmu_opcode(b[i + 1], b[i + 2]))
        return;
    uint8_t op = b[i + 1], modrm = b[i + 2];
    uint32_t len = i + 2, mlen = 0;
    int32_t kind;
    int64_t a0 = 0, a1 = 0;
    switch (op) {
    case 0x31: kind = HM_INSN_RDTSC; break;
    case 0x09: kind = HM_INSN_WBINVD; break;
    case 0x08: kind = HM_INSN_INVD; break;
    case 0x30:
        kind = HM_INSN_WRMSR;
        a0 = gpr(uc, 1);
        a1 = (int64_t)((uint64_t)gpr(uc, 2) << 32 | gpr(uc, 0));
        break;
    case 0x20:
        kind = HM_INSN_MOV_FROM_CR;
        a0 = (modrm >> 3) & 7;
        len = i + 3;
        break;
    case 0x22:
        kind = HM_INSN_MOV_TO_CR;
        a0 = (modrm >> 3) & 7;
        a1 = gpr(uc, modrm & 7);
        len = i + 3;
        break;
    default: /* 0F 01 */
        if (modrm == 0xf9) {
            kind = HM_INSN_RDTSCP;
            len = i + 3;
        } else if (addr16) {
            kind = HM_INSN_UNSUPPORTED;
            a0 = (int64_t)address;
        } else {
            kind = HM_INSN_INVLPG;
            a0 = modrm_ea(uc, b + i + 2, &mlen);
            len = i + 2 + mlen;
        }
        break;
    }
    int64_t r = c->insn(c->ctx, c->id, kind, a0, a1);
    if (r == HM_INSN_R_ENGINE)
        return;
    if (r < 0) {
        insn_stop(c, r);
        if (kind == HM_INSN_UNSUPPORTED)
            return;
    } else if (kind == HM_INSN_RDTSC || kind == HM_INSN_RDTSCP) {
        /* the clock advances per block: two reads in one block still differ */
        if ((uint64_t)r <= c->last_tsc)
            r = (int64_t)(c->last_tsc + 1);
        c->last_tsc = (uint64_t)r;
        set_gpr(uc, 0, (uint32_t)r);
        set_gpr(uc, 2, (uint32_t)((uint64_t)r >> 32));
        if (kind == HM_INSN_RDTSCP)
            set_gpr(uc, 1, (uint32_t)c->id); /* TSC_AUX as Linux sets it: the CPU number */
    } else if (kind == HM_INSN_MOV_FROM_CR) {
        set_gpr(uc, modrm & 7, (uint32_t)r);
    }
    uint64_t next = (address + len) & 0xffffffffu;
    if (c->last_size != 0 && next > c->last_pc && next < c->last_pc + c->last_size) {
        c->resume_pc = next;
        c->resume_end = c->last_pc + c->last_size;
    }
    uint32_t eip = (uint32_t)next;
    uc_reg_write(uc, UC_X86_REG_EIP, &eip);
}

/* Adds the pending instruction hooks; false if there are too many. */
static bool add_pending_hooks(hm_cpu *c)
{
    for (int32_t i = 0; i < c->npending; i++) {
        uc_hook h;
        if (c->nhooks >= HM_MAX_INSN_HOOKS)
            return false;
        if (uc_hook_add(c->uc, &h, UC_HOOK_CODE, (void *)on_mmu_insn, c, c->pending[i], c->pending[i]) != UC_ERR_OK)
            return false;
        hookset_add(c, c->pending[i]);
    }
    c->npending = 0;
    return true;
}

/* Translations made before a hook existed do not call it: retranslate [lo, hi). */
static void retranslate(hm_cpu *c)
{
    uint64_t lo = c->retrans_lo, hi = c->retrans_hi;
    c->retrans_lo = c->retrans_hi = 0;
    while (lo < hi) {
        uint64_t end = ((lo >> 12) + 1) << 12;
        if (end > hi)
            end = hi;
        uc_ctl_remove_cache(c->uc, lo, end);
        lo = end;
    }
    /* the icount cache keys blocks by (pc, size): forget them, they are retranslated */
    memset(c->icache, 0, sizeof c->icache);
}

/*
 * Stops the engine before the block at address, which does not run. The engine's EIP is
 * not always written back when a block hook stops it (not once any UC_HOOK_CODE hook
 * exists), so the address is kept here and is where the CPU resumes.
 */
static void stop_at(hm_cpu *c, uint64_t address)
{
    c->stop_pc = address;
    c->stopped_at_block = 1;
    uc_emu_stop(c->uc);
}

/* The rare half of on_block: pending flush, stop, budget, or a block not seen last. */
static __attribute__((noinline)) void on_block_slow(uc_engine *uc, hm_cpu *c, uint64_t address,
                                                     uint32_t size)
{
    if (c->icount >= c->trip) {
        if (c->flush_pending) {
            /* A fill made the model drop entries: forget them here, outside translation. */
            c->flush_pending = 0;
            engine_tlb_flush(c);
        }
        c->trip = c->stop == HM_STOP_NONE ? c->budget : 0;
        if (c->resync && c->stop == HM_STOP_NONE) {
            /* hooks to add or code to flush: stop here, hm_cpu_run resumes at this block */
            c->trip = 0;
            stop_at(c, address);
            return;
        }
        if (c->stop == HM_STOP_HCALL || c->stop == HM_STOP_CALLBACK_ERROR) {
            /* A hypercall asked to stop: stop before this block, where EIP is exact. */
            stop_at(c, address);
            return;
        }
        if (c->icount >= c->budget) {
            if (c->stop == HM_STOP_NONE)
                c->stop = HM_STOP_BUDGET;
            c->trip = 0;
            stop_at(c, address);
            return;
        }
        if (address == c->last_pc && size == c->last_size) {
            c->icount += c->last_icount;
            return;
        }
    }
    if (__builtin_expect(c->resume_pc != 0, 0)) {
        uint64_t rp = c->resume_pc, re = c->resume_end;
        c->resume_pc = 0;
        if (address == rp && address + size == re) {
            /* the rest of a block counted at its start, after an emulated instruction */
            uint32_t rest = block_icount(c, address, size);
            c->last_pc = address;
            c->last_size = size;
            c->last_icount = rest;
            return;
        }
    }
    hm_icache_entry *e = &c->icache[HM_ICACHE_SLOT(address)];
    if (!(e->pc == address && e->size == size && e->icount != 0) && new_block(c, address, size)) {
        c->trip = 0; /* retranslate with the new hooks first; this block is not counted */
        stop_at(c, address);
        return;
    }
    uint32_t n = block_icount(c, address, size);
    if (n == 0) {
        /* cannot count this block: stop rather than count wrong */
        c->stop = HM_STOP_ICOUNT_ERROR;
        c->trip = 0;
        stop_at(c, address);
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

static const hm_mtlb_slot *mtlb_find(const hm_mtlb *t, int bank, uint32_t lin)
{
    uint32_t set = (lin >> t->shift[bank]) & (uint32_t)(t->sets[bank] - 1);
    const hm_mtlb_slot *s = &t->slot[t->first[bank] + (int32_t)set * t->ways[bank]];
    for (int32_t w = 0; w < t->ways[bank]; w++, s++)
        if (s->tag != -1 && (int64_t)(lin & (uint32_t)-s->size) == s->tag)
            return s;
    return NULL;
}

/* The fill result Java would give for a page its TLB holds, or HM_MTLB_MISS. */
static int64_t mtlb_fill(hm_cpu *c, uint64_t vaddr, int32_t acc)
{
    const hm_mtlb *t = c->mtlb;
    if (!t || t->stale)
        return HM_MTLB_MISS;
    uint32_t lin = (uint32_t)vaddr;
    const hm_mtlb_slot *s = mtlb_find(t, 0, lin);
    if (!s)
        s = mtlb_find(t, 1, lin);
    if (!s)
        return HM_MTLB_MISS;
    int32_t f = s->flags;
    bool writable = f & HM_MTLB_F_WRITABLE;
    if ((acc == HM_ACC_FETCH && !(f & HM_MTLB_F_EXEC))
        || (acc == HM_ACC_WRITE && (!(f & HM_MTLB_F_DIRTY) || (!writable && t->wp))))
        return HM_MTLB_MISS; /* Java walks again (D bit, or the fault) */
    uint64_t pa = ((uint64_t)s->phys | (lin & (uint64_t)(s->size - 1))) & ~(uint64_t)0xfff;
    if (pa + 4096 > t->phys_size)
        return HM_MTLB_MISS;
    bool can_write = writable || !t->wp;
    if (can_write && c->shared && (pa >> 12) < c->shared->npages
        && (c->shared->code[pa >> 12] & ~(1u << c->id)))
        return HM_MTLB_MISS; /* another CPU's code there: Java decides */
    int64_t r = (int64_t)pa | UC_PROT_READ;
    if (f & HM_MTLB_F_EXEC)
        r |= UC_PROT_EXEC;
    if (can_write && (acc == HM_ACC_WRITE || (f & HM_MTLB_F_DIRTY)))
        r |= UC_PROT_WRITE;
    c->mtlb_hits++;
    return r;
}

/*
 * Sets up the mirror for banks of (ways0 x sets0) 4 KiB and (ways1 x sets1) large
 * entries over phys_size bytes; returns its memory for Java to write (every slot empty).
 */
void *hm_cpu_mtlb(hm_cpu *c, int32_t ways0, int32_t sets0, int32_t ways1, int32_t sets1, uint64_t phys_size)
{
    if (c->mtlb || ways0 <= 0 || sets0 <= 0 || ways1 <= 0 || sets1 <= 0
        || (sets0 & (sets0 - 1)) || (sets1 & (sets1 - 1)))
        return NULL;
    size_t n = (size_t)ways0 * sets0 + (size_t)ways1 * sets1;
    hm_mtlb *t = calloc(1, sizeof *t + n * sizeof(hm_mtlb_slot));
    if (!t)
        return NULL;
    t->wp = 1;
    t->ways[0] = ways0;
    t->sets[0] = sets0;
    t->shift[0] = 12;
    t->first[0] = 0;
    t->ways[1] = ways1;
    t->sets[1] = sets1;
    t->shift[1] = 22;
    t->first[1] = ways0 * sets0;
    t->phys_size = phys_size;
    for (size_t i = 0; i < n; i++)
        t->slot[i].tag = -1;
    c->mtlb = t;
    return t;
}

uint64_t hm_cpu_mtlb_hits(hm_cpu *c) { return c->mtlb_hits; }
int32_t hm_mtlb_slot_offset(void) { return (int32_t)offsetof(hm_mtlb, slot); }

static bool on_fill(uc_engine *uc, uint64_t vaddr, uc_mem_type type, uc_tlb_entry *result,
                    void *user)
{
    hm_cpu *c = user;
    int32_t acc = HM_ACC_READ;
    if (type == UC_MEM_WRITE || type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT)
        acc = HM_ACC_WRITE;
    else if (type == UC_MEM_FETCH || type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT)
        acc = HM_ACC_FETCH;
    int64_t r = mtlb_fill(c, vaddr, acc);
    if (r == HM_MTLB_MISS)
        r = c->fill(c->ctx, c->id, (int64_t)vaddr, acc);
    if (r < 0 && c->in_sync) {
        /* outside emulation a refusal cannot be raised: a harmless entry, dropped at once */
        result->paddr = 0;
        result->perms = UC_PROT_READ;
        c->flush_pending = 1;
        return true;
    }
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
    mirror_put(c, vaddr, result->paddr);
    if ((r & UC_PROT_WRITE) && c->shared && (result->paddr >> 12) < c->shared->npages)
        c->shared->writable[result->paddr >> 12] |= (uint16_t)(1u << c->id);
    return true;
}

/* Parks the hypercall whose argument block is at va if Java would (see hm_park). */
static bool park_here(hm_cpu *c, uint32_t va)
{
    hm_park *p = &c->park;
    hm_shared *sh = c->shared;
    if (va < p->win_lo || va >= p->win_hi || p->win_hi - va < (uint32_t)p->block_size || !sh
        || c->dbg.enabled)
        return false;
    uint64_t pa = (uint64_t)p->win_phys + (va - p->win_lo);
    uint64_t last = pa + (uint64_t)p->block_size - 1;
    if ((last >> 12) >= sh->npages || sh->code[pa >> 12] || sh->code[last >> 12])
        return false; /* writing ret must not hit translated code: Java's write handles that */
    uint32_t nr;
    memcpy(&nr, sh->phys + pa, sizeof nr);
    if (nr >= sizeof p->nrs || !p->nrs[nr])
        return false;
    int64_t uncounted = p->uncounted;
    if (p->parked_at >= 0 && (int64_t)va == p->parked_block)
        uncounted += (int64_t)c->icount - p->parked_at; /* this is the re-issue: its retry path */
    if ((int64_t)c->icount - uncounted <= p->above)
        return false; /* may be earliest: Java decides */
    p->uncounted = uncounted;
    p->parked_at = (int64_t)c->icount;
    p->parked_block = va;
    p->parks++;
    memcpy(sh->phys + pa + p->ret_off, &p->restart, sizeof p->restart);
    return true;
}

static void on_out(uc_engine *uc, uint32_t port, int size, uint32_t value, void *user)
{
    hm_cpu *c = user;
    if (port == HM_HCALL_PORT && park_here(c, value)) {
        if (c->stop == HM_STOP_NONE) {
            c->stop = HM_STOP_HCALL;
            c->trip = 0;
        }
        return;
    }
    int32_t r = c->hcall(c->ctx, c->id, (int32_t)port, (int32_t)value);
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
hm_cpu *hm_cpu_new(uc_engine *uc, int32_t id, hm_fill_cb fill, hm_hcall_cb hcall, hm_insn_cb insn,
                   void *ctx, hm_shared *shared)
{
    if (id < 0 || id >= HM_MAX_CPUS || (shared && shared->cpus[id]))
        return NULL;
    hm_cpu *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->uc = uc;
    c->id = id;
    c->budget = UINT64_MAX;
    c->trip = UINT64_MAX;
    c->fill = fill;
    c->hcall = hcall;
    c->insn = insn;
    c->ctx = ctx;
    c->gen = 1;
    c->park.above = INT64_MAX;
    c->park.parked_at = -1;
    if (uc_ctl_tlb_mode(uc, UC_TLB_VIRTUAL) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_block, UC_HOOK_BLOCK, (void *)on_block, c, 1, 0) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_fill, UC_HOOK_TLB_FILL, (void *)on_fill, c, 1, 0) != UC_ERR_OK
        || uc_hook_add(uc, &c->h_out, UC_HOOK_INSN, (void *)on_out, c, 1, 0, UC_X86_INS_OUT)
               != UC_ERR_OK) {
        free(c);
        return NULL;
    }
    c->shared = shared;
    if (shared) {
        shared->cpus[id] = c;
        if (shared->ncpus <= id)
            shared->ncpus = id + 1;
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
    if (c->dbg.enabled) {
        uc_hook_del(c->uc, c->dbg.h_code);
        uc_hook_del(c->uc, c->dbg.h_mem);
    }
    if (c->shared) {
        drop_code(c);
        c->shared->cpus[c->id] = NULL;
    }
    free(c->marked);
    free(c->inval);
    free(c->mtlb);
    free(c);
}

/* Work that must happen while the engine is stopped: flushes, new hooks, retranslation. */
static bool sync_stopped(hm_cpu *c)
{
    c->resync = 0;
    if (c->flush_pending) {
        /* a fill asked for a flush and the slice ended before the next block */
        c->flush_pending = 0;
        engine_tlb_flush(c);
    }
    if (c->ninval > 0 && !c->tb_flush_pending)
        invalidate_pages(c);
    if (c->tb_flush_pending) {
        c->tb_flush_pending = 0;
        c->ninval = 0;
        c->retrans_lo = c->retrans_hi = 0;
        memset(c->icache, 0, sizeof c->icache);
        uc_ctl_flush_tb(c->uc);
    }
    if (c->npending > 0 && !add_pending_hooks(c))
        return false;
    if (c->retrans_hi > c->retrans_lo)
        retranslate(c);
    return true;
}

static uc_err debug_emu_start(hm_cpu *c, uint64_t eip);

/*
 * Runs from eip until the budget (absolute icount) is reached, a hook stops it, or hlt.
 * resume: continue a slice the debugger paused, in the state it paused it in.
 */
static int32_t run_loop(hm_cpu *c, uint64_t eip, int resume)
{
    for (;;) {
        if (resume) {
            resume = 0;
            c->stop = c->dbg.saved_stop;
            c->trip = c->dbg.saved_trip;
        } else {
            c->stop = HM_STOP_NONE;
            if (!sync_stopped(c)) {
                c->stop = HM_STOP_HOOK_LIMIT;
                c->exit_eip = eip;
                return 0;
            }
            c->trip = c->budget;
            c->last_size = 0;
        }
        c->stopped_at_block = 0;
        uc_err err = c->dbg.enabled ? debug_emu_start(c, eip) : uc_emu_start(c->uc, eip, 0, 0, 0);
        uint32_t at = 0;
        uc_reg_read(c->uc, UC_X86_REG_EIP, &at);
        if (c->stopped_at_block && err == UC_ERR_OK) {
            at = (uint32_t)c->stop_pc;
            uc_reg_write(c->uc, UC_X86_REG_EIP, &at);
        }
        if (err != UC_ERR_OK || c->stop != HM_STOP_NONE || !c->resync) {
            c->exit_eip = at;
            return (int32_t)err;
        }
        eip = at;
    }
}

int32_t hm_cpu_run(hm_cpu *c, uint64_t eip, uint64_t budget)
{
    c->budget = budget;
    return run_loop(c, eip, 0);
}

/* ---- the state shared by the CPUs of one machine ---- */

hm_shared *hm_shared_new(void *phys, uint64_t npages)
{
    hm_shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->phys = phys;
    sh->npages = npages;
    sh->code = calloc(npages, sizeof *sh->code);
    sh->writable = calloc(npages, sizeof *sh->writable);
    if (!sh->code || !sh->writable) {
        free(sh->code);
        free(sh->writable);
        free(sh);
        return NULL;
    }
    return sh;
}

void hm_shared_free(hm_shared *sh)
{
    if (!sh)
        return;
    free(sh->code);
    free(sh->writable);
    free(sh);
}

/* Per page, bit n set if CPU n has translated code there (Java reads it directly). */
void *hm_shared_code_map(hm_shared *sh) { return sh->code; }

/*
 * Physical page ppage is about to be written by a CPU outside mask (or by the host):
 * every CPU in mask forgets all its translated code before it runs again (a running CPU
 * stops at its next block start). Returns the CPUs flushed.
 */
int32_t hm_shared_invalidate(hm_shared *sh, uint64_t ppage, int32_t mask)
{
    if (ppage >= sh->npages)
        return 0;
    int32_t hit = sh->code[ppage] & mask;
    for (int i = 0; i < sh->ncpus; i++)
        if ((hit & (1 << i)) && sh->cpus[i])
            drop_page(sh->cpus[i], ppage);
    return hit;
}

/* Where the count, the stop reason and the exit EIP live, for Java to read them without a
 * native call each time (valid until hm_cpu_free). */
const uint64_t *hm_cpu_icount_ptr(hm_cpu *c) { return &c->icount; }
const int32_t *hm_cpu_stop_ptr(hm_cpu *c) { return &c->stop; }
const uint64_t *hm_cpu_exit_eip_ptr(hm_cpu *c) { return &c->exit_eip; }
void *hm_cpu_park_ptr(hm_cpu *c) { return &c->park; }
int32_t hm_park_size(void) { return (int32_t)sizeof(hm_park); }
int64_t hm_cpu_fault_vaddr(hm_cpu *c) { return c->fault_vaddr; }
void *hm_cpu_ctx(hm_cpu *c) { return c->ctx; }
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

int32_t hm_flush_tlb(hm_cpu *c)
{
    c->gen++;
    return (int32_t)uc_ctl_flush_tlb(c->uc);
}
/* Drops all translated code; with a shared map, at the next run (the engine may be running). */
int32_t hm_flush_tb(hm_cpu *c)
{
    if (c->shared) {
        drop_code(c);
        return 0;
    }
    memset(c->icache, 0, sizeof c->icache);
    return (int32_t)uc_ctl_flush_tb(c->uc);
}

/*
 * Guest physical memory: reserved, not committed; pages are backed on first touch. The
 * host is asked for 2 MiB pages where it can (transparent huge pages): the guest's
 * kernel touches memory densely (mem_map, lowest-first page allocation), and one host
 * fault per 2 MiB instead of per 4 KiB is most of the cost of a first touch.
 */
void *hm_phys_alloc(uint64_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE); /* advice only: without THP the pages stay 4 KiB */
#endif
    return p;
}

int32_t hm_phys_free(void *p, uint64_t size) { return munmap(p, size); }

/*
 * Makes memory from hm_phys_alloc read as zeros again, for another machine, touching only
 * pages that may hold data: /proc/self/pagemap names every page of the mapping that is
 * present or swapped out; any other page of a private anonymous mapping was never written
 * or was given back, and reads as zeros. Returns the bytes cleared, or -1 when pagemap
 * cannot be read (then nothing is known: the caller must not reuse the memory).
 */
int64_t hm_phys_clear(void *p, uint64_t size)
{
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    enum { BATCH = 4096 };
    static __thread uint64_t entry[BATCH];
    const uint64_t may_hold = (1ULL << 63) | (1ULL << 62); /* present, swapped */
    uint64_t first = (uint64_t)(uintptr_t)p >> 12, npages = size >> 12;
    int64_t cleared = 0;
    uint64_t run = 0, run_len = 0;
    for (uint64_t i = 0; i < npages;) {
        uint64_t n = npages - i < BATCH ? npages - i : BATCH;
        ssize_t got = pread(fd, entry, n * sizeof entry[0], (off_t)((first + i) * sizeof entry[0]));
        if (got != (ssize_t)(n * sizeof entry[0])) {
            close(fd);
            return -1;
        }
        for (uint64_t j = 0; j < n; j++) {
            if (entry[j] & may_hold) {
                if (run_len == 0)
                    run = i + j;
                run_len++;
            } else if (run_len) {
                memset((uint8_t *)p + (run << 12), 0, run_len << 12);
                cleared += (int64_t)(run_len << 12);
                run_len = 0;
            }
        }
        i += n;
    }
    if (run_len) {
        memset((uint8_t *)p + (run << 12), 0, run_len << 12);
        cleared += (int64_t)(run_len << 12);
    }
    close(fd);
    return cleared;
}

/*
 * ---- Debugger support (the gdb stub) ----
 *
 * Installed only on a debugged machine, before its first instruction, so no translated
 * block ever has to be flushed for a breakpoint or a watchpoint. A code hook on every
 * instruction checks the breakpoint list and the single-step state; memory hooks (which
 * see physical addresses in virtual-TLB mode) check the watch ranges. A stop in the
 * middle of a block is a pure pause:
 *  - the block was counted whole at its start; `ahead` follows how many of its
 *    instructions have not run (hm_debug_executed subtracts them; icount, which the run
 *    itself reads, stays the count of the run without a debugger);
 *  - the stop and trip state of the slice are saved, and hm_cpu_resume restores them and
 *    re-enters at the stop address with the same budget; while `ahead` is not zero the
 *    blocks met are the rest of the counted block: not counted again, not budget-checked;
 *    if the engine's block from the stop address runs past the counted block's end, the
 *    engine is stopped there (HM_STOP_REALIGN) and resumed, so the next block starts
 *    where it starts in the run without a debugger.
 */
enum { HM_WHY_NONE = 0, HM_WHY_BREAK = 1, HM_WHY_STEP = 2, HM_WHY_WATCH = 3 };
enum { HM_WATCH_WRITE = 1, HM_WATCH_READ = 2, HM_WATCH_ACCESS = 3 };

static void debug_pause(uc_engine *uc, hm_cpu *c, int32_t stop, int32_t why)
{
    hm_debug *d = &c->dbg;
    d->why = why;
    d->saved_stop = c->stop;
    d->saved_trip = c->trip;
    d->resuming = d->ahead > 0;
    c->stop = stop;
    c->trip = 0;
    uc_emu_stop(uc);
}

static int is_breakpoint(hm_debug *d, uint64_t address)
{
    for (int32_t i = 0; i < d->nbreak; i++)
        if (d->brk[i] == address)
            return 1;
    return 0;
}

static void on_block_debug(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    hm_cpu *c = user;
    hm_debug *d = &c->dbg;
    if (d->resuming) {
        if (d->ahead > 0) {
            d->at_block_start = 1; /* still the rest of the paused block: counted already */
            return;
        }
        d->resuming = 0;
    }
    uint64_t before = c->icount;
    on_block(uc, address, size, user);
    d->ahead += c->icount - before;
    d->at_block_start = 1;
}

static void on_code_debug(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    hm_cpu *c = user;
    hm_debug *d = &c->dbg;
    if (c->stopped_at_block || c->stop == HM_STOP_BUDGET || c->stop == HM_STOP_DEBUG
        || c->stop == HM_STOP_REALIGN || c->stop == HM_STOP_FAULT || c->stop == HM_STOP_ICOUNT_ERROR)
        return; /* the engine is stopping before this instruction */
    int first = d->at_block_start;
    d->at_block_start = 0;
    if (d->resuming && d->ahead == 0 && !first) {
        /* past the end of the block counted before the pause */
        d->resuming = 0;
        d->saved_trip = c->trip;
        d->saved_stop = HM_STOP_NONE;
        if (c->stop == HM_STOP_NONE) {
            c->stop = HM_STOP_REALIGN;
            c->trip = 0;
        }
        uc_emu_stop(uc);
        return;
    }
    int skip = d->skip_valid && d->skip_pc == address;
    d->skip_valid = 0;
    if (d->stop_next) {
        d->stop_next = 0;
        debug_pause(uc, c, HM_STOP_DEBUG, HM_WHY_WATCH);
        return;
    }
    if (d->step && d->stepped) {
        d->step = 0;
        d->stepped = 0;
        debug_pause(uc, c, HM_STOP_DEBUG, HM_WHY_STEP);
        return;
    }
    if (!skip && d->nbreak > 0 && is_breakpoint(d, address)) {
        debug_pause(uc, c, HM_STOP_DEBUG, HM_WHY_BREAK);
        return;
    }
    /* this instruction runs */
    if (d->step)
        d->stepped = 1;
    if (d->ahead > 0)
        d->ahead--;
}

static void on_mem_debug(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                         void *user)
{
    hm_cpu *c = user;
    hm_debug *d = &c->dbg;
    int32_t kind = (type == UC_MEM_WRITE) ? HM_WATCH_WRITE : HM_WATCH_READ;
    for (int32_t i = 0; i < d->nwatch; i++) {
        if (address < d->whi[i] && address + (uint64_t)size > d->wlo[i]
            && (d->wkind[i] == HM_WATCH_ACCESS || d->wkind[i] == kind)) {
            if (!d->stop_next) {
                d->stop_next = 1; /* the access completes; stop before the next instruction */
                d->watch_addr = d->wlo[i];
                d->watch_kind = d->wkind[i];
            }
            return;
        }
    }
}

/* Makes this CPU debuggable: call before its first instruction. */
int32_t hm_debug_enable(hm_cpu *c)
{
    if (c->dbg.enabled)
        return 0;
    uc_hook_del(c->uc, c->h_block);
    uc_err e = uc_hook_add(c->uc, &c->h_block, UC_HOOK_BLOCK, (void *)on_block_debug, c, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(c->uc, &c->dbg.h_code, UC_HOOK_CODE, (void *)on_code_debug, c, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(c->uc, &c->dbg.h_mem, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)on_mem_debug, c, 1,
                        0);
    if (e == UC_ERR_OK)
        c->dbg.enabled = 1;
    return (int32_t)e;
}

static uc_err debug_emu_start(hm_cpu *c, uint64_t eip)
{
    uc_err err = uc_emu_start(c->uc, eip, 0, 0, 0);
    if (c->stop != HM_STOP_DEBUG && c->stop != HM_STOP_REALIGN) {
        c->dbg.resuming = 0;
        if (c->stop == HM_STOP_FAULT) {
            /* the fault fixup takes back the rest of the block; the faulting instruction did not complete */
            c->dbg.ahead = 0;
            c->dbg.stepped = c->dbg.stop_next = 0;
        }
    }
    return err;
}

/* Continues a slice the debugger paused (or realigned), in the state it was paused in. */
int32_t hm_cpu_resume(hm_cpu *c, uint64_t eip)
{
    return run_loop(c, eip, 1);
}

int32_t hm_debug_set_breaks(hm_cpu *c, const uint64_t *addrs, int32_t n)
{
    if (n < 0 || n > HM_MAX_BREAK)
        return -1;
    memcpy(c->dbg.brk, addrs, (size_t)n * sizeof *addrs);
    c->dbg.nbreak = n;
    return 0;
}

/* Watch ranges (physical): lo[i] <= a < hi[i]; kind 1 write, 2 read, 3 access. */
int32_t hm_debug_set_watches(hm_cpu *c, const uint64_t *lo, const uint64_t *hi, const int32_t *kind, int32_t n)
{
    if (n < 0 || n > HM_MAX_WATCH)
        return -1;
    for (int32_t i = 0; i < n; i++) {
        c->dbg.wlo[i] = lo[i];
        c->dbg.whi[i] = hi[i];
        c->dbg.wkind[i] = kind[i];
    }
    c->dbg.nwatch = n;
    return 0;
}

/* Arms (1) or cancels (0) a single step: stop once one instruction has completed. */
void hm_debug_set_step(hm_cpu *c, int32_t on)
{
    c->dbg.step = on;
    c->dbg.stepped = 0;
}

/* The breakpoint at pc does not fire for the next instruction (resuming from it). */
void hm_debug_skip_once(hm_cpu *c, uint64_t pc)
{
    c->dbg.skip_valid = 1;
    c->dbg.skip_pc = pc;
}

/* Why the last HM_STOP_DEBUG stopped: 1 breakpoint, 2 step, 3 watch. */
int32_t hm_debug_why(hm_cpu *c) { return c->dbg.why; }

/*
 * A stop due at the end of a slice that ended otherwise (budget, hlt, hypercall): 2 when
 * the step's instruction completed, 3 when a watched access completed; consumed.
 */
int32_t hm_debug_take_pending(hm_cpu *c)
{
    hm_debug *d = &c->dbg;
    if (d->stop_next) {
        d->stop_next = 0;
        return HM_WHY_WATCH;
    }
    if (d->step && d->stepped) {
        d->step = 0;
        d->stepped = 0;
        return HM_WHY_STEP;
    }
    return HM_WHY_NONE;
}

uint64_t hm_debug_watch_addr(hm_cpu *c) { return c->dbg.watch_addr; }
int32_t hm_debug_watch_kind(hm_cpu *c) { return c->dbg.watch_kind; }

/* Arms (1) or cancels (0) a stop before this CPU's next instruction (a kernel event). */
void hm_debug_stop_next(hm_cpu *c, int32_t on)
{
    c->dbg.stop_next = on;
    c->dbg.watch_kind = 0;
}

/* Instructions this CPU has executed: the count less what was counted ahead of running. */
uint64_t hm_debug_executed(hm_cpu *c) { return c->icount - c->dbg.ahead; }
