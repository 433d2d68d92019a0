/* Patch preparation with Zydis: decode the instructions displaced by the 5-byte jmp, relocate
 * them into the trampoline, and refuse sites that cannot be patched safely:
 *   - too short: the function ends (ret/jmp) before 5 bytes, and the bytes after it up to the
 *     next 16-byte boundary are not alignment padding the jump may cover;
 *   - a branch from elsewhere in the function lands inside the displaced bytes (a loop head at
 *     +k; one at +0 lands on the jump itself and is accepted, flagged loop_head);
 *   - non-relocatable instructions (syscall/int, loop/jecxz, rip-relative operands out of
 *     reach, a call ending before the 5th byte or with a stack operand);
 *   Calls are relocated so that the callee sees the original return address (emit_call); the
 *   i386 `call __x86.get_pc_thunk.REG` becomes `mov $next, %REG`.
 *   - return probes on functions that never return or switch stacks (list + no ret in the body).
 */
#include "ktap/prep.h"

#include <Zydis/Zydis.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_FUNC_SCAN 65536

static int vrefuse(struct kt_prep_result *res, const char *fmt, va_list ap) {
    vsnprintf(res->reason, sizeof res->reason, fmt, ap);
    res->ok = 0;
    return 0;
}

static int refuse(struct kt_prep_result *res, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vrefuse(res, fmt, ap);
    va_end(ap);
    return 0;
}

/* Refused for the return probe alone: an entry probe at the same address can still be placed. */
static int refuse_return(struct kt_prep_result *res, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vrefuse(res, fmt, ap);
    va_end(ap);
    res->return_only = 1;
    return 0;
}

static const char *const never_return[] = {"exit",
                                           "_exit",
                                           "_Exit",
                                           "abort",
                                           "__stack_chk_fail",
                                           "__fortify_fail",
                                           "pthread_exit",
                                           "__cxa_throw",
                                           "__cxa_rethrow",
                                           "__cxa_call_unexpected",
                                           "longjmp",
                                           "_longjmp",
                                           "siglongjmp",
                                           "__longjmp_chk",
                                           "__libc_longjmp",
                                           "execve",
                                           "execv",
                                           "execvp",
                                           "execl",
                                           "execlp",
                                           "fexecve",
                                           "__assert_fail",
                                           "err",
                                           "errx",
                                           "verr",
                                           "verrx",
                                           "quick_exit",
                                           "std::terminate",
                                           /* process entry points: jumped to by the kernel or
                                              the loader, [sp] is argc, not a return address */
                                           "_start",
                                           "__start",
                                           "_dl_start",
                                           "_dl_start_user",
                                           NULL};
static const char *const stack_switch[] = {
    "swapcontext", "setcontext", "makecontext", "getcontext",  "vfork",
    "clone",       "clone3",     "fork",        "posix_spawn", "posix_spawnp",
    "setjmp",      "_setjmp",    "sigsetjmp",   "__sigsetjmp", NULL};
static const char *const runtime_deps[] = {"dlopen", "dlclose",         "dlsym",          "dlvsym",
                                           "dladdr", "dl_iterate_phdr", "__tls_get_addr", NULL};

static int in_list(const char *name, const char *const *list) {
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

int kt_prep_refused_name(const char *name, const char **why) {
    if (!name)
        return 0;
    /* libc exports aliases (vfork = __vfork, clone = __clone, ...): try the plain name too */
    while (name[0] == '_' && name[1] == '_' && !in_list(name, never_return) &&
           !in_list(name, stack_switch) && !in_list(name, runtime_deps) &&
           strncmp(name, "__cxa_", 6) != 0 && strncmp(name, "__gxx_personality", 17) != 0)
        name += 2;
    if (in_list(name, never_return)) {
        *why = "never returns";
        return 1;
    }
    if (in_list(name, stack_switch)) {
        *why = "switches stacks or returns twice";
        return 1;
    }
    /* The loader's lazy-binding trampolines are jumped to by PLT0 with the link map and the
     * relocation index pushed ([sp] is no return address: a return probe would replace the link
     * map), and TLS descriptor functions have their own ABI (every register but the result
     * preserved). */
    if (strncmp(name, "_dl_runtime_resolve", 19) == 0 ||
        strncmp(name, "_dl_runtime_profile", 19) == 0 || strncmp(name, "_dl_tlsdesc_", 12) == 0) {
        *why = "is entered without a return address on the stack (the loader's lazy binding or "
               "TLS descriptors)";
        return 1;
    }
    if (in_list(name, runtime_deps) || strncmp(name, "_Unwind_", 8) == 0 ||
        strncmp(name, "__cxa_", 6) == 0 || strncmp(name, "__gxx_personality", 17) == 0) {
        *why = "is used by the unwinder, the dynamic loader or the runtime";
        return 1;
    }
    return 0;
}

struct emitter {
    uint8_t *buf;
    size_t len, cap;
    uint64_t addr; /* address of buf[0] in the target */
    int overflow;
};

static void emit(struct emitter *e, const void *bytes, size_t n) {
    if (e->len + n > e->cap) {
        e->overflow = 1;
        return;
    }
    memcpy(e->buf + e->len, bytes, n);
    e->len += n;
}

static int fits32(int64_t v) {
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* jmp to an absolute target from the current emit position. */
static void emit_jmp(struct emitter *e, int bits, uint64_t target) {
    uint64_t next = e->addr + e->len + 5;
    int64_t d = (int64_t)(target - next);
    if (bits == 32 || fits32(d)) {
        uint8_t b[5] = {0xe9};
        int32_t r = (int32_t)(uint32_t)(target - next);
        memcpy(b + 1, &r, 4);
        emit(e, b, 5);
    } else {
        uint8_t b[14] = {0xff, 0x25, 0, 0, 0, 0};
        memcpy(b + 6, &target, 8);
        emit(e, b, 14);
    }
}

/* jcc (condition cc) to an absolute target. */
static void emit_jcc(struct emitter *e, int bits, unsigned cc, uint64_t target) {
    uint64_t next = e->addr + e->len + 6;
    int64_t d = (int64_t)(target - next);
    if (bits == 32 || fits32(d)) {
        uint8_t b[6] = {0x0f, (uint8_t)(0x80 | cc)};
        int32_t r = (int32_t)(uint32_t)(target - next);
        memcpy(b + 2, &r, 4);
        emit(e, b, 6);
    } else {
        /* inverted short jcc over an absolute jmp */
        uint8_t b[2] = {(uint8_t)(0x70 | (cc ^ 1)), 14};
        emit(e, b, 2);
        emit_jmp(e, bits, target);
    }
}

/* i386 PIC: `call __x86.get_pc_thunk.REG` (mov (%esp),%REG; ret) -> `mov $next, %REG`. */
static int pc_thunk_reg(const struct kt_prep_request *req, uint64_t target) {
    uint8_t b[4];
    if (req->read(req->read_ctx, target, b, 4) != 0)
        return -1;
    /* 8b /r with modrm = 00 reg 100, sib = 24 ([esp]) then c3 */
    if (b[0] == 0x8b && (b[1] & 0xc7) == 0x04 && b[2] == 0x24 && b[3] == 0xc3)
        return (b[1] >> 3) & 7;
    return -1;
}

static int branch_target(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
                         uint64_t ip, uint64_t *target);

/* Pushes RET as the return address a call would push (push imm32 sign-extends to 64 bits; the
 * upper half is then written over when it differs). */
static void emit_push_ret(struct emitter *e, int bits, uint64_t ret) {
    uint8_t push[5] = {0x68};
    uint32_t lo = (uint32_t)ret;
    memcpy(push + 1, &lo, 4);
    emit(e, push, 5);
    if (bits == 64 && (uint64_t)(int64_t)(int32_t)lo != ret) {
        uint8_t hi[8] = {0xc7, 0x44, 0x24, 0x04}; /* movl $hi, 4(%rsp) */
        uint32_t h = (uint32_t)(ret >> 32);
        memcpy(hi + 4, &h, 4);
        emit(e, hi, 8);
    }
}

/* A call among the displaced instructions, relocated so that the callee sees the program's own
 * frames: the copy pushes the original return address (the instruction after the call in the
 * function's own code) and jumps to the callee, which returns straight into the function. The
 * call must be the last displaced instruction (true of any call reaching the 5th byte): a return
 * address inside the patched bytes would land in the middle of the jump. */
static int emit_call(struct emitter *e, const struct kt_prep_request *req,
                     const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
                     const uint8_t *raw, uint64_t ip, size_t off, struct kt_prep_result *res) {
    int bits = (int)req->bits;
    uint64_t ret = ip + in->length, target;
    if (off + in->length < KT_PATCH_LEN)
        return refuse(res,
                      "non-relocatable instruction at +%zu (a call ending inside the patched "
                      "bytes: its callee would return into the jump)",
                      off);
    if (!(in->attributes & ZYDIS_ATTRIB_HAS_MODRM)) { /* call rel32 */
        if (!(in->attributes & ZYDIS_ATTRIB_IS_RELATIVE) || !branch_target(in, ops, ip, &target))
            return refuse(res, "non-relocatable call at +%zu (far or unknown form)", off);
        emit_push_ret(e, bits, ret);
        emit_jmp(e, bits, target);
        return 1;
    }
    /* call *reg / call *mem (ff /2): the same operand with jmp (ff /4) after the push */
    if (in->raw.modrm.reg != 2 || raw[in->raw.modrm.offset - 1] != 0xff)
        return refuse(res, "non-relocatable call at +%zu (far or unknown form)", off);
    for (unsigned i = 0; i < in->operand_count_visible; i++)
        if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
            (ops[i].mem.base == ZYDIS_REGISTER_RSP || ops[i].mem.base == ZYDIS_REGISTER_ESP ||
             ops[i].mem.index == ZYDIS_REGISTER_RSP || ops[i].mem.index == ZYDIS_REGISTER_ESP))
            return refuse(res,
                          "non-relocatable call at +%zu (its operand is on the stack the "
                          "relocated call moves)",
                          off);
    emit_push_ret(e, bits, ret);
    uint8_t b[16];
    memcpy(b, raw, in->length);
    b[in->raw.modrm.offset] = (uint8_t)((b[in->raw.modrm.offset] & ~0x38) | (4 << 3));
    if (bits == 64 && in->raw.modrm.mod == 0 && in->raw.modrm.rm == 5) {
        /* call *disp(%rip): re-aim the displacement from the copy */
        uint64_t abs = ip + in->length + (uint64_t)(int64_t)in->raw.disp.value;
        int64_t nd = (int64_t)(abs - (e->addr + e->len + in->length));
        if (!fits32(nd))
            return refuse(res,
                          "non-relocatable call at +%zu (rip-relative operand out of reach of "
                          "the trampoline)",
                          off);
        int32_t d32 = (int32_t)nd;
        memcpy(b + in->raw.disp.offset, &d32, 4);
    }
    emit(e, b, in->length);
    return 1;
}

/* The assembler's i386 padding: `lea 0(%reg[,%eiz,1]),%reg` and `mov %reg,%reg` (no effect). */
static int is_i386_filler(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops) {
    if (in->operand_count_visible != 2 || ops[0].type != ZYDIS_OPERAND_TYPE_REGISTER)
        return 0;
    if (in->mnemonic == ZYDIS_MNEMONIC_MOV)
        return ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER && ops[1].reg.value == ops[0].reg.value;
    return in->mnemonic == ZYDIS_MNEMONIC_LEA && ops[1].type == ZYDIS_OPERAND_TYPE_MEMORY &&
           ops[1].mem.base == ops[0].reg.value && ops[1].mem.index == ZYDIS_REGISTER_NONE &&
           ops[1].mem.disp.value == 0;
}

/* A function shorter than the patch can still take it when the bytes after its end, up to the
 * next 16-byte boundary, are alignment padding (nop forms or int3) that the jump may cover: no
 * symbol starts inside padding and nothing executes it. The function must end exactly where the
 * symbol says (func_size) and the padding must reach past the 5th byte. */
static int padding_after(const struct kt_prep_request *req, ZydisDecoder *dec, size_t end) {
    if (!req->func_size || end != req->func_size)
        return 0;
    uint64_t from = req->site + end, to = (from + 15) & ~(uint64_t)15;
    if (to < req->site + KT_PATCH_LEN)
        return 0;
    uint8_t pad[16];
    size_t n = (size_t)(to - from);
    if (req->read(req->read_ctx, from, pad, n) != 0)
        return 0;
    for (size_t o = 0; o < n;) {
        ZydisDecodedInstruction in;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (pad[o] == 0xcc) {
            o++;
            continue;
        }
        if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(dec, pad + o, n - o, &in, ops)) ||
            !(in.mnemonic == ZYDIS_MNEMONIC_NOP || (req->bits == 32 && is_i386_filler(&in, ops))))
            return 0;
        o += in.length;
    }
    return 1;
}

static int decode(ZydisDecoder *dec, const uint8_t *buf, size_t len, ZydisDecodedInstruction *in,
                  ZydisDecodedOperand *ops) {
    return ZYAN_SUCCESS(ZydisDecoderDecodeFull(dec, buf, len, in, ops));
}

static int branch_target(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
                         uint64_t ip, uint64_t *target) {
    for (unsigned i = 0; i < in->operand_count_visible; i++) {
        if (ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[i].imm.is_relative)
            return ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, &ops[i], ip, target));
    }
    return 0;
}

/* Scan the whole function: any relative branch into (site, site+window) or a jump back to the
 * entry from inside the function makes the patch unsafe. Also reports whether a ret exists. */
static int scan_function(const struct kt_prep_request *req, ZydisDecoder *dec, size_t window,
                         struct kt_prep_result *res, int *has_ret) {
    static uint8_t code[MAX_FUNC_SCAN + 16];
    size_t size = req->func_size;
    *has_ret = 1;
    if (size == 0)
        return 1;
    if (size > MAX_FUNC_SCAN)
        size = MAX_FUNC_SCAN;
    if (req->read(req->read_ctx, req->site, code, size) != 0)
        return refuse(res, "cannot read the function body (%llu bytes)", (unsigned long long)size);
    memset(code + size, 0xcc, 16);
    *has_ret = 0;
    int has_exit = 0;
    int last_stops = 1; /* the last instruction (padding aside) does not fall through */
    size_t off = 0;
    while (off < size) {
        ZydisDecodedInstruction in;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (!decode(dec, code + off, size - off, &in, ops)) {
            off++; /* data or padding: resynchronise */
            continue;
        }
        uint64_t ip = req->site + off;
        if (in.meta.category == ZYDIS_CATEGORY_RET)
            *has_ret = 1;
        if (in.meta.category == ZYDIS_CATEGORY_UNCOND_BR)
            has_exit = 1; /* tail call or indirect jump: may return through the callee */
        if (in.mnemonic != ZYDIS_MNEMONIC_NOP && in.mnemonic != ZYDIS_MNEMONIC_INT3 &&
            !(req->bits == 32 && is_i386_filler(&in, ops)))
            last_stops = in.meta.category == ZYDIS_CATEGORY_CALL ||
                         in.meta.category == ZYDIS_CATEGORY_RET ||
                         in.meta.category == ZYDIS_CATEGORY_UNCOND_BR ||
                         in.mnemonic == ZYDIS_MNEMONIC_UD2 || in.mnemonic == ZYDIS_MNEMONIC_HLT;
        uint64_t target;
        if ((in.attributes & ZYDIS_ATTRIB_IS_RELATIVE) && in.meta.category != ZYDIS_CATEGORY_CALL &&
            branch_target(&in, ops, ip, &target)) {
            if (target > req->site && target < req->site + window) {
                res->pun_from = (uint32_t)(target - req->site);
                return refuse(res, "branch at +%zu jumps into the patched bytes (+%llu)", off,
                              (unsigned long long)(target - req->site));
            }
            /* A loop head at the entry: the loop lands on the jump itself, which is sound; the
             * probe then runs on every pass (uprobes and gdb breakpoints count the same). */
            if (target == req->site && off >= window)
                res->loop_head = 1;
        }
        off += in.length;
    }
    if (has_exit)
        *has_ret = 1;
    /* Code that runs off its end into the next function (glibc's __strcasecmp_sse42 into
     * __strcasecmp_l_sse42) returns through that function's ret. A never-returning function
     * ends in a call (abort), ud2 or hlt. Only for a whole body: a longer one was cut short. */
    if (!last_stops && req->func_size <= MAX_FUNC_SCAN)
        *has_ret = 1;
    return 1;
}

int kt_prepare(const struct kt_prep_request *req, struct kt_prep_result *res) {
    memset(res, 0, sizeof *res);
    if (!req || !req->read || (req->bits != 32 && req->bits != 64))
        return refuse(res, "invalid request");
    const char *why;
    if (req->return_probe && kt_prep_refused_name(req->name, &why))
        return refuse_return(res, "return probe refused: %s %s", req->name, why);

    ZydisDecoder dec;
    if (req->bits == 64)
        ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
    else
        ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);

    uint8_t head[64];
    size_t avail = sizeof head;
    if (req->func_size && req->func_size < avail)
        avail = (size_t)req->func_size;
    if (req->read(req->read_ctx, req->site, head, avail) != 0)
        return refuse(res, "cannot read the site");
    if (avail < sizeof head)
        memset(head + avail, 0xcc, sizeof head - avail);
    /* mov (%esp),%reg (i386) / mov (%rsp),%reg (x86_64) first: the function reads its own return
     * address (i386 PIC's __x86.get_pc_thunk.*), which a return probe replaces by its stub's */
    const uint8_t *m = head + (req->bits == 64 && (head[0] & 0xf0) == 0x40);
    if (req->return_probe && m[0] == 0x8b && (m[1] & 0xc7) == 0x04 && m[2] == 0x24)
        return refuse_return(
            res,
            "return probe refused: %s reads its own return address (mov (%%sp), reg "
            "first, as get_pc_thunk does)",
            req->name ? req->name : "the function");

    struct kt_patch *pt = &res->patch;
    struct emitter e = {pt->reloc, 0, req->tramp.reloc_cap, req->tramp.reloc_addr, 0};
    if (e.cap > KT_RELOC_MAX)
        e.cap = KT_RELOC_MAX;
    size_t off = 0;
    int ended = 0; /* the window ends with an unconditional transfer: no jump back needed */
    uint64_t inner_target[8]; /* targets of branches in the window that are near the site */
    int ninner = 0;
    size_t need = req->keep_from ? req->keep_from : KT_PATCH_LEN;
    if (req->keep_from >= KT_PATCH_LEN)
        return refuse(res, "invalid keep_from %u", req->keep_from);
    while (off < need) {
        if (ended) {
            if (req->keep_from)
                return refuse(res, "the function ends at +%zu, before +%u", off, req->keep_from);
            if (!padding_after(req, &dec, off)) {
                res->pun_from = (uint32_t)off; /* the bytes after it may stay as they are */
                return refuse(res,
                              "function too short: it ends after %zu bytes, 5 are needed (and "
                              "the bytes after it are not alignment padding)",
                              off);
            }
            off = KT_PATCH_LEN; /* the jump also covers padding nobody executes */
            res->path = KT_PREP_PATH_PADDING;
            break;
        }
        ZydisDecodedInstruction in;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (off >= avail || !decode(&dec, head + off, avail - off, &in, ops))
            return refuse(res, "cannot decode the instruction at +%zu", off);
        if (res->ninsns < KT_PREP_MAX_INSNS) { /* at most 5 instructions start in the window */
            res->insn_off[res->ninsns] = (uint8_t)off;
            res->reloc_off[res->ninsns] = (uint8_t)e.len;
            res->ninsns++;
        }
        uint64_t ip = req->site + off;
        uint64_t new_ip = e.addr + e.len;
        const uint8_t *raw = head + off;
        uint64_t target;
        switch (in.meta.category) {
        case ZYDIS_CATEGORY_SYSTEM:
        case ZYDIS_CATEGORY_SYSCALL:
        case ZYDIS_CATEGORY_SYSRET:
        case ZYDIS_CATEGORY_INTERRUPT:
            /* A system call restarts by going back to its own address: it must stay in place. */
            res->pun_from = (uint32_t)off;
            return refuse(res, "non-relocatable instruction at +%zu (system call / interrupt)",
                          off);
        case ZYDIS_CATEGORY_RET:
            emit(&e, raw, in.length);
            ended = 1;
            break;
        case ZYDIS_CATEGORY_CALL:
            res->path = KT_PREP_PATH_RELOCATED_CALL; /* i386 pc thunks too: a mov of the address */
            if ((in.attributes & ZYDIS_ATTRIB_IS_RELATIVE) && req->bits == 32 &&
                branch_target(&in, ops, ip, &target)) {
                int reg = pc_thunk_reg(req, target);
                if (reg >= 0) {
                    uint8_t b[5] = {(uint8_t)(0xb8 + reg)};
                    uint32_t v = (uint32_t)(ip + in.length);
                    memcpy(b + 1, &v, 4);
                    emit(&e, b, 5);
                    break;
                }
            }
            if (!emit_call(&e, req, &in, ops, raw, ip, off, res))
                return 0;
            ended = 1; /* the callee returns into the function's own code */
            break;
        case ZYDIS_CATEGORY_UNCOND_BR:
        case ZYDIS_CATEGORY_COND_BR:
            if (!(in.attributes & ZYDIS_ATTRIB_IS_RELATIVE)) {
                if (in.meta.category == ZYDIS_CATEGORY_UNCOND_BR &&
                    !(in.attributes & ZYDIS_ATTRIB_HAS_MODRM))
                    return refuse(res, "non-relocatable far jump at +%zu", off);
                /* jmp *reg / jmp *[mem] (not rip-relative): position independent */
                if (req->bits == 64 && (in.attributes & ZYDIS_ATTRIB_HAS_MODRM) &&
                    in.raw.modrm.mod == 0 && in.raw.modrm.rm == 5)
                    goto riprel;
                emit(&e, raw, in.length);
                ended = in.meta.category == ZYDIS_CATEGORY_UNCOND_BR;
                break;
            }
            if (!branch_target(&in, ops, ip, &target))
                return refuse(res, "cannot resolve the branch at +%zu", off);
            /* checked once the window is known (below) */
            if (target > req->site && target < req->site + 32 && ninner < 8)
                inner_target[ninner++] = target;
            if (in.meta.category == ZYDIS_CATEGORY_UNCOND_BR) {
                emit_jmp(&e, (int)req->bits, target);
                ended = 1;
            } else if (in.mnemonic == ZYDIS_MNEMONIC_LOOP || in.mnemonic == ZYDIS_MNEMONIC_LOOPE ||
                       in.mnemonic == ZYDIS_MNEMONIC_LOOPNE || in.mnemonic == ZYDIS_MNEMONIC_JCXZ ||
                       in.mnemonic == ZYDIS_MNEMONIC_JECXZ || in.mnemonic == ZYDIS_MNEMONIC_JRCXZ) {
                return refuse(res, "non-relocatable instruction at +%zu (loop/jcxz)", off);
            } else {
                unsigned cc = raw[in.raw.prefix_count] == 0x0f ? raw[in.raw.prefix_count + 1] & 0xf
                                                               : raw[in.raw.prefix_count] & 0xf;
                emit_jcc(&e, (int)req->bits, cc, target);
            }
            break;
        default:
            if (req->bits == 64 && (in.attributes & ZYDIS_ATTRIB_HAS_MODRM) &&
                in.raw.modrm.mod == 0 && in.raw.modrm.rm == 5) {
            riprel:;
                /* rip-relative operand: re-aim the displacement from the new location */
                uint64_t abs = ip + in.length + (uint64_t)(int64_t)in.raw.disp.value;
                int64_t nd = (int64_t)(abs - (new_ip + in.length));
                if (!fits32(nd))
                    return refuse(res,
                                  "non-relocatable instruction at +%zu (rip-relative operand out "
                                  "of reach of the trampoline)",
                                  off);
                uint8_t b[16];
                memcpy(b, raw, in.length);
                int32_t d32 = (int32_t)nd;
                memcpy(b + in.raw.disp.offset, &d32, 4);
                emit(&e, b, in.length);
                if (in.meta.category == ZYDIS_CATEGORY_UNCOND_BR)
                    ended = 1;
                break;
            }
            emit(&e, raw, in.length);
            break;
        }
        off += in.length;
    }
    if (req->keep_from && off != need)
        return refuse(res, "an instruction crosses +%u (it ends at +%zu)", req->keep_from, off);
    for (int i = 0; i < ninner; i++)
        if (inner_target[i] < req->site + off)
            return refuse(res, "a branch in the patched bytes targets the patched bytes (+%llu)",
                          (unsigned long long)(inner_target[i] - req->site));
    if (!ended)
        emit_jmp(&e, (int)req->bits, req->site + off);
    if (e.overflow)
        return refuse(res, "relocated instructions do not fit the trampoline slot");

    int has_ret;
    if (!scan_function(req, &dec, off, res, &has_ret))
        return 0;
    if (req->return_probe && !has_ret)
        return refuse_return(res,
                             "return probe refused: %s has no return instruction (never returns)",
                             req->name ? req->name : "the function");

    pt->site = req->site;
    pt->tramp = req->tramp.slot;
    pt->hop = req->tramp.hop;
    /* The jump lands on the slot, or on the hop that jumps on to it (a punned jump that keeps 4
     * bytes reaches one address only). */
    const uint64_t lands = req->tramp.hop ? req->tramp.hop : req->tramp.slot;
    /* the real bytes (head holds int3 past the function's end, where padding was used) */
    if (req->read(req->read_ctx, req->site, pt->orig, KT_PATCH_LEN) != 0)
        return refuse(res, "cannot read the site");
    pt->displaced_len = (uint8_t)off;
    pt->reloc_len = (uint8_t)e.len;
    uint8_t jmp[5] = {0xe9};
    int64_t rel = (int64_t)(lands - (req->site + 5));
    if (req->bits == 64 && !fits32(rel))
        return refuse(res, "trampoline out of jmp rel32 reach");
    int32_t r32 = (int32_t)(uint32_t)(lands - (req->site + 5));
    memcpy(jmp + 1, &r32, 4);
    if (req->keep_from) {
        if (memcmp(jmp + need, pt->orig + need, KT_PATCH_LEN - need) != 0)
            return refuse(res,
                          "the trampoline is not where the jump's last %zu bytes keep the "
                          "original ones",
                          KT_PATCH_LEN - need);
        res->path = req->tramp.hop ? KT_PREP_PATH_HOP : KT_PREP_PATH_PUN;
    }
    memcpy(pt->jmp, jmp, 5);
    res->ok = 1;
    return 1;
}

int kt_prep_pun_window(uint32_t bits, uint64_t site, const uint8_t orig[5], uint32_t k,
                       uint64_t *lo, uint64_t *hi) {
    if (k < 1 || k >= KT_PATCH_LEN)
        return 0;
    /* jmp byte j (1..4) is rel32 byte j - 1: bytes k..4 fixed, the ones below free */
    uint32_t fixed = 0;
    for (uint32_t j = k; j < KT_PATCH_LEN; j++)
        fixed |= (uint32_t)orig[j] << (8 * (j - 1));
    uint32_t free_mask = (uint32_t)((1ull << (8 * (k - 1))) - 1);
    int64_t rel_lo = (int32_t)fixed, rel_hi = (int32_t)(fixed | free_mask);
    if (bits == 64) {
        int64_t a = (int64_t)site + 5 + rel_lo, b = (int64_t)site + 5 + rel_hi;
        if (a < 0x100000 || b > 0x7ffffffe0000ll)
            return 0;
        *lo = (uint64_t)a;
        *hi = (uint64_t)b;
        return 1;
    }
    uint32_t a = (uint32_t)(site + 5 + (uint64_t)rel_lo), b = (uint32_t)(site + 5 + (uint64_t)rel_hi);
    if (a > b || a < 0x100000)
        return 0;
    *lo = a;
    *hi = b;
    return 1;
}

/* Targets of the relative branches (jmp, jcc, call) in code[0, len) at addr: the controller
 * checks that no other function jumps into the bytes a patch replaces. Hand-written code does:
 * glibc's __mempcpy_*_unaligned_erms jumps to __memmove_*_unaligned_erms + 3, past its first
 * instruction. Returns how many targets there are (at most cap are stored). */
size_t kt_prep_branch_targets(uint32_t bits, const uint8_t *code, uint64_t addr, size_t len,
                              uint64_t *out, size_t cap) {
    ZydisDecoder dec;
    if (bits == 64)
        ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
    else
        ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    size_t n = 0, off = 0;
    while (off < len) {
        ZydisDecodedInstruction in;
        ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
        if (!decode(&dec, code + off, len - off, &in, ops)) {
            off++; /* data or padding: resynchronise */
            continue;
        }
        uint64_t target;
        if ((in.attributes & ZYDIS_ATTRIB_IS_RELATIVE) &&
            branch_target(&in, ops, addr + off, &target)) {
            if (n < cap)
                out[n] = target;
            n++;
        }
        off += in.length;
    }
    return n;
}
