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
    kt_prep_read_fn read;       /* target memory */
    void *read_ctx;
};

#define KT_PREP_MAX_INSNS 16
/* How the site is patched (for -v/-t). */
enum kt_prep_path {
    KT_PREP_PATH_JUMP = 0,          /* 5-byte jump, displaced instructions relocated */
    KT_PREP_PATH_RELOCATED_CALL = 1, /* the same, a call among them pushes the original return */
    KT_PREP_PATH_PADDING = 2,       /* a short function: the jump also covers alignment padding */
};
struct kt_prep_result {
    int ok;
    char reason[200]; /* why the site was refused (ok == 0) */
    uint32_t path;    /* enum kt_prep_path */
    struct kt_patch patch;
    /* Where each displaced instruction starts, in the function (insn_off, from the site) and in
     * its relocated copy (reloc_off, from tramp.reloc_addr): a thread stopped at a displaced
     * instruction other than the first is moved to its copy before the jump is written. */
    uint32_t ninsns;
    uint8_t insn_off[KT_PREP_MAX_INSNS];
    uint8_t reloc_off[KT_PREP_MAX_INSNS];
};

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
