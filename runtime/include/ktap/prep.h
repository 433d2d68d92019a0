/* ktap patch preparation (x86_64 host library, Zydis): decides whether a function entry can be
 * patched and builds the relocated instructions for its trampoline, for a 64-bit or a 32-bit
 * target. It never touches the target: all bytes come through the caller (in-process tests pass
 * their own memory; the controller reads /proc/PID/mem). */
#ifndef KTAP_PREP_H
#define KTAP_PREP_H

#include <stddef.h>
#include <stdint.h>

#include "ktap/rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads len bytes of target memory at addr; returns 0 on success. */
typedef int (*kt_prep_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct kt_prep_request {
    uint32_t bits;         /* 64 or 32 */
    uint32_t return_probe; /* 1: also apply the return-probe rules (never-returning functions) */
    uint64_t site;         /* function entry */
    uint64_t func_size;    /* from the symbol table; 0 = unknown (no branch-into-window scan) */
    const char *name;      /* symbol name or NULL (refusal lists, messages) */
    struct kt_tramp_info tramp; /* from kt_tramp_reserve in the target */
    /* 0: the jump displaces whole instructions covering its 5 bytes. K (2..4): displace only the
     * instructions in [0, K) and keep bytes [K, 5) as they are (a branch target, a system call
     * that restarts there, or the next function): the trampoline must then lie where the
     * jump's rel32 ends in those very bytes (instruction punning; kt_prep_pun_window). */
    uint32_t keep_from;
    kt_prep_read_fn read;       /* target memory */
    void *read_ctx;
};

#define KT_PREP_MAX_INSNS 16
/* How the site is patched (for -v/-t). */
enum kt_prep_path {
    KT_PREP_PATH_JUMP = 0,           /* 5-byte jump, displaced instructions relocated */
    KT_PREP_PATH_RELOCATED_CALL = 1, /* the same, a call among them pushes the original return */
    KT_PREP_PATH_PADDING = 2,        /* a short function: the jump also covers alignment padding */
    KT_PREP_PATH_PUN = 3,            /* the jump's last bytes are the original ones (keep_from) */
    KT_PREP_PATH_HOP = 4, /* punned with K = 1: the one address the jump reaches holds a hop to
                             the slot (tramp.hop) */
};
struct kt_prep_result {
    int ok;
    char reason[200]; /* why the site was refused (ok == 0) */
    uint32_t path;    /* enum kt_prep_path */
    /* Refused because bytes [K, 5) must stay as they are (see keep_from): K, else 0. */
    uint32_t pun_from;
    /* 1: a branch of the function jumps back to its entry (a loop head there). The jump is
     * placed all the same; the probe runs on every pass, as a breakpoint there would. */
    uint32_t loop_head;
    /* 1: refused for the return probe alone (the function never returns, switches stacks, ...):
     * prepared without return_probe, its entry probes can be placed. */
    uint32_t return_only;
    struct kt_patch patch;
    /* Where each displaced instruction starts, in the function (insn_off, from the site) and in
     * its relocated copy (reloc_off, from tramp.reloc_addr): a thread stopped at a displaced
     * instruction other than the first is moved to its copy before the jump is written. */
    uint32_t ninsns;
    uint8_t insn_off[KT_PREP_MAX_INSNS];
    uint8_t reloc_off[KT_PREP_MAX_INSNS];
};

/* Where a trampoline must lie for a jump at SITE that keeps ORIG[k..4] (keep_from = k): the
 * addresses [*lo, *hi] whose rel32 from site + 5 has those bytes on top. Returns 0 when that
 * range is not in user space (or wraps, on i386). */
int kt_prep_pun_window(uint32_t bits, uint64_t site, const uint8_t orig[5], uint32_t k,
                       uint64_t *lo, uint64_t *hi);

/* Prepares one site. Returns 1 and fills result->patch, or 0 with result->reason. */
int kt_prepare(const struct kt_prep_request *req, struct kt_prep_result *result);

/* Targets of the relative branches (jmp, jcc, call) in code[0, len), which is target memory at
 * addr. Returns how many there are; at most cap are stored in out. */
size_t kt_prep_branch_targets(uint32_t bits, const uint8_t *code, uint64_t addr, size_t len,
                              uint64_t *out, size_t cap);

/* Non-zero when `name` must never get a return probe (never returns, switches stacks, is part of
 * the unwinder or the dynamic loader); fills why. */
int kt_prep_refused_name(const char *name, const char **why);

#ifdef __cplusplus
}
#endif
#endif
