/* DWARF unwind info for the return stubs, registered with the process's libgcc unwinder.
 *
 * A hijacked return slot holds stub j of the thread's block. When an unwinder (C++ exception,
 * pthread_exit/cancel forced unwind, backtrace()) reaches that frame, it looks up the FDE for the
 * stub and evaluates its CFI: at the stub's first byte the return address rule is
 *     RA = val_expression(DW_OP_addr &rec[j].real_ret; DW_OP_deref)
 * i.e. "the caller is wherever rec[j] says", and CFA = sp. So unwinding continues into the real
 * caller with the right stack pointer; the stub appears as one extra frame. Every block has one
 * FDE covering its stubs; rules are restated at each stub (and after each push inside it). */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    DW_CFA_advance_loc = 0x40,
    DW_CFA_offset = 0x80,
    DW_CFA_advance_loc1 = 0x02,
    DW_CFA_advance_loc2 = 0x03,
    DW_CFA_def_cfa = 0x0c,
    DW_CFA_def_cfa_offset = 0x0e,
    DW_CFA_val_expression = 0x16,
    DW_CFA_restore = 0xc0,
    DW_OP_breg0 = 0x70,
    DW_CFA_nop = 0x00,
    DW_OP_addr = 0x03,
    DW_OP_deref = 0x06,
};

struct buf {
    unsigned char *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *src, size_t n) {
    if (b->len + n <= b->cap)
        memcpy(b->p + b->len, src, n);
    b->len += n;
}
static void put8(struct buf *b, unsigned v) {
    unsigned char c = (unsigned char)v;
    put(b, &c, 1);
}
static void put32(struct buf *b, uint32_t v) {
    put(b, &v, 4);
}
static void putword(struct buf *b, uintptr_t v) {
    put(b, &v, sizeof v);
}
static void uleb(struct buf *b, unsigned v) {
    do {
        unsigned c = v & 0x7f;
        v >>= 7;
        put8(b, v ? c | 0x80 : c);
    } while (v);
}
static void sleb(struct buf *b, int v) {
    for (;;) {
        unsigned c = (unsigned)v & 0x7f;
        v >>= 7;
        if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
            put8(b, c);
            return;
        }
        put8(b, c | 0x80);
    }
}
static void advance(struct buf *b, unsigned *loc, unsigned to) {
    unsigned d = to - *loc;
    if (d == 0)
        return;
    if (d < 64)
        put8(b, DW_CFA_advance_loc | d);
    else if (d < 256) {
        put8(b, DW_CFA_advance_loc1);
        put8(b, d);
    } else {
        put8(b, DW_CFA_advance_loc2);
        uint16_t v = (uint16_t)d;
        put(b, &v, 2);
    }
    *loc = to;
}
static void pad_to_word(struct buf *b, size_t start) {
    while ((b->len - start) % KT_ARCH_WORD)
        put8(b, DW_CFA_nop);
}
static void patch32(struct buf *b, size_t at, uint32_t v) {
    if (at + 4 <= b->cap)
        memcpy(b->p + at, &v, 4);
}

static size_t emit_cie(struct buf *b) {
    size_t cie = b->len;
    put32(b, 0); /* length, patched */
    put32(b, 0); /* CIE id */
    put8(b, 1);  /* version */
    put(b, "zR", 3);
    uleb(b, 1);             /* code alignment */
    sleb(b, -KT_ARCH_WORD); /* data alignment */
    put8(b, KT_DW_RA);      /* return address column */
    uleb(b, 1);             /* augmentation data length */
    put8(b, 0x00);          /* DW_EH_PE_absptr */
    put8(b, DW_CFA_def_cfa);
    uleb(b, KT_DW_SP);
    uleb(b, 0);
    pad_to_word(b, cie);
    patch32(b, cie, (uint32_t)(b->len - cie - 4));
    return cie;
}

/* The CFI program of one block's stubs. Its length does not depend on the addresses. */
static void emit_block_cfi(struct buf *b, const struct kt_thread *t) {
    unsigned loc = 0;
    for (uint32_t j = 0; j < kt_rt.max_depth; j++) {
        unsigned base = j * KT_STUB_STRIDE; /* the int3 pad: lookups use return address - 1 */
        advance(b, &loc, base);
        put8(b, DW_CFA_def_cfa_offset);
        uleb(b, KT_ARCH_WORD / 2);
        put8(b, DW_CFA_val_expression); /* caller's sp = this sp */
        uleb(b, KT_DW_SP);
        uleb(b, 2);
        put8(b, DW_OP_breg0 + KT_DW_SP);
        sleb(b, 0);
        put8(b, DW_CFA_val_expression); /* RA = rec[j].real_ret */
        uleb(b, KT_DW_RA);
        uleb(b, 2 + KT_ARCH_WORD);
        put8(b, DW_OP_addr);
        putword(b, (uintptr_t)&t->rec[j].real_ret);
        put8(b, DW_OP_deref);
        for (int e = 0; e < KT_STUB_CFA_EVENTS; e++) {
            advance(b, &loc, base + 1 + kt_arch_stub_cfa[e].offset);
            put8(b, DW_CFA_def_cfa_offset);
            uleb(b, kt_arch_stub_cfa[e].cfa_offset);
            if (e == 0) {
                put8(b, DW_CFA_offset | KT_DW_RA); /* RA at CFA - word */
                uleb(b, 1);
                put8(b, DW_CFA_restore | KT_DW_SP); /* caller's sp = CFA again */
            }
        }
    }
}

/* Layout: CIE, then one FDE per block, each with room for the block's CFI. Bodies start as
 * DW_CFA_nop (zero) and are written when a thread first claims the block (kt_unwind_fill):
 * libgcc reads an FDE's instructions only when it unwinds through that FDE's range, and a
 * block's stubs can only be on a stack after the block was claimed. This keeps initialisation
 * cheap (no CFI for 256 x 1024 stubs up front). */
static size_t fde_body_len, fde_stride, fde_first;

static size_t fde_offset(uint32_t block) {
    return fde_first + (size_t)block * fde_stride;
}

void kt_unwind_fill(struct kt_thread *t) {
    size_t fde = fde_offset(t->index);
    size_t body = fde + 4 + 4 + 2 * KT_ARCH_WORD + 1;
    struct buf b = {kt_rt.eh_frame, body, body + fde_body_len};
    emit_block_cfi(&b, t);
}

typedef void (*register_frame_fn)(void *);

typedef const void *(*find_fde_fn)(void *, void *);

static void register_with(register_frame_fn reg, find_fde_fn find) {
    reg(kt_rt.eh_frame);
    kt_rt.unwind_registered = 1;
    /* libgcc sorts a registered object on its first lookup (malloc + mutex): do it now, not in
     * the middle of someone's exception. */
    if (find) {
        uintptr_t bases[3];
        find((void *)(kt_rt.stubs + 1), bases);
    }
}

#ifdef KT_FREESTANDING
uintptr_t kt_unwind_register_frame_fn, kt_unwind_find_fde_fn;
int kt_unwind_deferred;

void kt_unwind_register_late(void) {
    static uint32_t done;
    if (!kt_rt.eh_frame || !kt_unwind_register_frame_fn ||
        __atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL))
        return;
    register_with((register_frame_fn)kt_unwind_register_frame_fn,
                  (find_fde_fn)kt_unwind_find_fde_fn);
}
#endif

int kt_unwind_register(void) {
    /* Size one block's CFI (same for every block). */
    struct buf sizing = {NULL, 0, 0};
    emit_block_cfi(&sizing, kt_block(0));
    fde_body_len = sizing.len;
    size_t header = 4 + 4 + 2 * KT_ARCH_WORD + 1; /* length, CIE ptr, pc_begin, range, aug len */
    fde_stride = (header + fde_body_len + KT_ARCH_WORD - 1) / KT_ARCH_WORD * KT_ARCH_WORD;
    struct buf cie_size = {NULL, 0, 0};
    emit_cie(&cie_size);
    fde_first = cie_size.len;
    size_t total = fde_first + fde_stride * kt_rt.max_threads + 4;
    void *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return KT_ENOMEM;
    kt_rt.eh_frame = mem;
    struct buf b = {mem, 0, total};
    size_t cie = emit_cie(&b);
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        size_t fde = fde_offset(i);
        b.len = fde;
        put32(&b, (uint32_t)(fde_stride - 4));
        put32(&b, (uint32_t)(b.len - cie)); /* CIE pointer: distance back to the CIE */
        putword(&b, kt_rt.stubs + (uintptr_t)i * kt_rt.stubs_stride);
        putword(&b, (uintptr_t)kt_rt.max_depth * KT_STUB_STRIDE);
        uleb(&b, 0);
        /* body: zero bytes = DW_CFA_nop until the block is claimed */
    }
    /* terminator: the zero word after the last FDE (mmap'ed memory is zero) */

#ifdef KT_FREESTANDING
    /* A static program links its unwinder (libgcc_eh) in: the agent was told where its
     * functions are, when the program's symbol table names them. Before the program's libc has
     * started (-c) they cannot run yet (malloc, TLS): ktap's hook on main calls
     * kt_unwind_register_late then. */
    register_frame_fn reg = (register_frame_fn)kt_unwind_register_frame_fn;
    find_fde_fn find = (find_fde_fn)kt_unwind_find_fde_fn;
    if (!reg)
        return KT_EUNWIND;
    if (kt_unwind_deferred)
        return KT_OK;
#else
    /* The unwinder C++ exceptions, pthread_exit/cancel and backtrace() use is libgcc_s; loading
     * it by soname returns the instance the process already uses. */
    void *h = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!h)
        return KT_EUNWIND;
    register_frame_fn reg = (register_frame_fn)dlsym(h, "__register_frame");
    if (!reg)
        return KT_EUNWIND;
    find_fde_fn find = (find_fde_fn)dlsym(h, "_Unwind_Find_FDE");
#endif
    register_with(reg, find);
    return KT_OK;
}
