/* Unwind tables in the state arena: written by the controller (compiler/run/unwind_tables.cpp
 * from each module's call-frame information), read by the target's unwinder
 * (runtime/lang/kt_unwind.c). See docs/backtraces.md.
 *
 * Fixed-width fields at 8-byte multiples: i386 and x86_64 agree on every offset. Offsets are
 * from the arena's base. The area is append-only: a table or module map once published is
 * never rewritten, so a thread that reads an old map while ktap publishes a new one (a library
 * was loaded) still reads consistent data.
 */
#ifndef KTAP_UNWIND_H
#define KTAP_UNWIND_H

#include <stdint.h>

/* How to find the canonical frame address (CFA: the caller's stack pointer after the call
 * returned, so the return address is the word just below it). */
enum kt_uw_cfa_kind {
    KT_UW_INVALID = 0,      /* no call-frame information here: frame-pointer fallback, or stop */
    KT_UW_CFA_SP = 1,       /* CFA = SP + cfa_off */
    KT_UW_CFA_BP = 2,       /* CFA = BP + cfa_off */
    KT_UW_CFA_DEREF_BP = 3, /* CFA = *(BP + cfa_off): realigned stacks (DRAP) */
    KT_UW_CFA_PLT = 4, /* PLT stub: CFA = SP + cfa_off, + cfa_off again when (PC & 15) >= bp_off */
    KT_UW_SIGNAL = 5,  /* a signal trampoline: registers come from the signal frame at SP */
    KT_UW_END = 6,     /* return address undefined: the outermost frame (_start, thread start) */
};

/* Where the caller's frame pointer is. For KT_UW_SIGNAL rows: the signal frame's layout. */
enum kt_uw_bp_kind {
    KT_UW_BP_SAME = 0,   /* unchanged */
    KT_UW_BP_AT_CFA = 1, /* BP = *(CFA + bp_off) */
    KT_UW_BP_UNDEF = 2,  /* unknown from here on */
    KT_UW_BP_AT_BP = 3,  /* BP = *(BP + bp_off) (DRAP: saved through an expression on BP) */
    KT_UW_SIG_RT = 0,    /* rt_sigframe: ucontext at SP (x86_64), or siginfo/ucontext after
                            the signal number and two pointers (i386) */
    KT_UW_SIG_NONRT = 1, /* i386 sigframe: sigcontext after the signal number */
};

/* One rule, valid from its row's address up to the next row's. */
struct kt_uw_rule {
    int32_t cfa_off;
    uint8_t cfa_kind; /* enum kt_uw_cfa_kind */
    uint8_t bp_kind;  /* enum kt_uw_bp_kind */
    int16_t bp_off;
};

/* One module's table: rows sorted by address. */
struct kt_uw_module {
    uint64_t lo, hi;    /* runtime addresses covered: [lo, hi) */
    uint64_t pcs_off;   /* uint32_t pcs[nrows]: row start - lo, ascending */
    uint64_t rules_off; /* struct kt_uw_rule rules[nrows] */
    uint32_t nrows;
    uint32_t flags;     /* KT_UW_MOD_* */
    uint64_t index_off; /* uint32_t index[((hi - lo) >> KT_UW_BLOCK_SHIFT) + 1]: for each block
                           of code, the row covering its first byte; 0 = no index */
    uint64_t funcs_off; /* uint32_t funcs[nfuncs][2]: each function's (FDE's) [start, end) - lo,
                           ascending: usymname() keys an address by its function; 0 = none */
    uint32_t nfuncs;
    uint32_t pad_;
};

/* The block index narrows a row search to the rows of one 256-byte block (ORC's scheme). */
#define KT_UW_BLOCK_SHIFT 8

enum { KT_UW_MOD_VDSO = 1 };

/* The published module map: modules sorted by lo, not overlapping. */
struct kt_uw_map {
    uint32_t count;
    uint32_t generation;
    uint64_t pad_;
    struct kt_uw_module mods[];
};

/* At kt_arena_header.unwind_off. */
struct kt_uw_area {
    uint64_t map_off; /* current struct kt_uw_map (release store); 0 = no tables */
    uint64_t used;    /* bytes of the area in use (controller only) */
    uint64_t bytes;   /* size of the area */
    uint32_t missing; /* lookups that found no module (a library ktap has no table for yet) */
    uint32_t pad_;
    uint64_t cache_off; /* per thread slot, KT_UW_CACHE entries (struct kt_uw_cached); 0: none */
    uint64_t scratch_off; /* per thread slot, KT_UW_SCRATCH bytes: one backtrace's addresses
                             (KT_UW_SCRATCH_FRAMES uint64_t) and flags (as many bytes) */
};

#define KT_UW_SCRATCH_FRAMES 512
#define KT_UW_SCRATCH (KT_UW_SCRATCH_FRAMES * 9)

/* A thread's cache of looked-up rules: hot stacks repeat their return addresses, and one
   compare replaces two searches. Valid for one module map (kt_slot.uw_cache_map). */
#define KT_UW_CACHE 256
struct kt_uw_cached {
    uint64_t pc;            /* the address looked up; 0: empty */
    struct kt_uw_rule rule; /* bp_off of an INVALID rule: 1 when no module covered pc */
};

/* Why an unwind stopped (kt_unwind's *stop). */
enum kt_uw_stop {
    KT_UW_STOP_END = 0,     /* the outermost frame: a complete backtrace */
    KT_UW_STOP_DEPTH = 1,   /* MAXBACKTRACE frames */
    KT_UW_STOP_NOINFO = 2,  /* an address no table covers and no frame pointer to follow */
    KT_UW_STOP_READ = 3,    /* a stack read faulted */
    KT_UW_STOP_BADCFA = 4,  /* the stack did not grow towards the caller: corrupt or unknown */
    KT_UW_STOP_NOTABLES = 5 /* no tables at all (not a function or return probe) */
};

#endif
