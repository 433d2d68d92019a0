/* The preparer on synthetic code (x86_64 host; 64- and 32-bit modes): relocation of rip-relative
 * operands and branches, the far-trampoline forms, the i386 get_pc_thunk rewrite, and refusals,
 * checked byte by byte. The site and trampoline addresses are made up: kt_prepare only reads
 * through the callback. */
#include "ktap/prep.h"

#include "harness.h"

#include <stdlib.h>
#include <string.h>

struct fake_mem {
    uint64_t base;
    const uint8_t *bytes;
    size_t len;
    uint64_t thunk_addr; /* a second region: an i386 get_pc_thunk */
};

static int fake_read(void *ctx, uint64_t addr, void *buf, size_t len) {
    struct fake_mem *m = ctx;
    static const uint8_t thunk_bx[4] = {0x8b, 0x1c, 0x24, 0xc3}; /* mov (%esp),%ebx; ret */
    if (m->thunk_addr && addr == m->thunk_addr && len <= 4) {
        memcpy(buf, thunk_bx, len);
        return 0;
    }
    if (addr < m->base || addr + len > m->base + m->len + 64)
        return -1;
    for (size_t i = 0; i < len; i++) {
        uint64_t off = addr - m->base + i;
        ((uint8_t *)buf)[i] = off < m->len ? m->bytes[off] : 0xcc;
    }
    return 0;
}

/* kt_prepare of CODE at SITE, the symbol's size FUNC_SIZE (it may end before the bytes given:
 * what follows the function), the trampoline at TRAMP, an i386 get_pc_thunk at THUNK. */
static int prep_keep_full(int bits, uint64_t site, const uint8_t *code, size_t len,
                          uint64_t func_size, uint64_t tramp, int ret_probe,
                          struct kt_prep_result *res, uint64_t thunk, uint32_t keep_from) {
    struct fake_mem m = {site, code, len, thunk};
    struct kt_prep_request req;
    memset(&req, 0, sizeof req);
    req.bits = (uint32_t)bits;
    req.return_probe = (uint32_t)ret_probe;
    req.site = site;
    req.func_size = func_size;
    req.name = "synthetic";
    req.tramp.slot = tramp;
    req.tramp.reloc_addr = tramp + 17;
    req.tramp.reloc_cap = 80;
    req.tramp.bits = (uint32_t)bits;
    req.read = fake_read;
    req.read_ctx = &m;
    req.keep_from = keep_from; /* instruction punning (test_pun) */
    return kt_prepare(&req, res);
}

static int prep_full(int bits, uint64_t site, const uint8_t *code, size_t len, uint64_t func_size,
                     uint64_t tramp, int ret_probe, struct kt_prep_result *res, uint64_t thunk) {
    return prep_keep_full(bits, site, code, len, func_size, tramp, ret_probe, res, thunk, 0);
}

static int prep(int bits, uint64_t site, const uint8_t *code, size_t len, uint64_t tramp,
                int ret_probe, struct kt_prep_result *res, uint64_t thunk) {
    return prep_full(bits, site, code, len, len, tramp, ret_probe, res, thunk);
}

#define SITE 0x555555554000ull
#define NEAR (SITE + 0x100000)

static int prep_sized(int bits, uint64_t site, const uint8_t *code, size_t len, uint64_t func_size,
                      int ret_probe, struct kt_prep_result *res) {
    return prep_full(bits, site, code, len, func_size, NEAR, ret_probe, res, 0);
}

static int32_t rd32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}
static uint64_t rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

#define FAR 0x7f0000000000ull

static void test_riprel(void) {
    /* mov 0x10(%rip),%rax; ret */
    const uint8_t code[] = {0x48, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00, 0xc3};
    struct kt_prep_result r;
    CHECK(prep(64, SITE, code, sizeof code, NEAR, 1, &r, 0), "riprel: %s", r.reason);
    const uint8_t *b = r.patch.reloc;
    uint64_t reloc = NEAR + 17;
    CHECK_EQ(r.patch.displaced_len, 7);
    CHECK(b[0] == 0x48 && b[1] == 0x8b && b[2] == 0x05, "opcode kept");
    CHECK_EQ(reloc + 7 + (int64_t)rd32(b + 3), SITE + 7 + 0x10); /* same absolute target */
    CHECK_EQ(b[7], 0xe9);                                        /* jmp back */
    CHECK_EQ(reloc + 12 + (int64_t)rd32(b + 8), SITE + 7);
    CHECK_EQ(r.patch.jmp[0], 0xe9);
    CHECK_EQ(SITE + 5 + (int64_t)rd32(r.patch.jmp + 1), NEAR);
    CHECK(memcmp(r.patch.orig, code, 5) == 0, "original bytes kept");
    /* the same with the trampoline out of reach: refused with a reason */
    CHECK(!prep(64, SITE, code, sizeof code, FAR, 1, &r, 0), "far riprel refused");
    CHECK(strstr(r.reason, "rip-relative") != NULL, "reason: %s", r.reason);
}

static void test_jcc_short(void) {
    /* je +0x10; nop x3; ret */
    const uint8_t code[] = {0x74, 0x10, 0x90, 0x90, 0x90, 0xc3};
    struct kt_prep_result r;
    CHECK(prep(64, SITE, code, sizeof code, NEAR, 1, &r, 0), "jcc: %s", r.reason);
    const uint8_t *b = r.patch.reloc;
    uint64_t reloc = NEAR + 17;
    CHECK(b[0] == 0x0f && b[1] == 0x84, "je rel8 became je rel32: %02x %02x", b[0], b[1]);
    CHECK_EQ(reloc + 6 + (int64_t)rd32(b + 2), SITE + 2 + 0x10);
    CHECK(b[6] == 0x90 && b[7] == 0x90 && b[8] == 0x90, "nops copied");
    CHECK_EQ(b[9], 0xe9);
    CHECK_EQ(reloc + 14 + (int64_t)rd32(b + 10), SITE + 5);
    /* instruction starts: je +0 -> 0 (grew to 6 bytes), the nops +2..+4 -> 6..8 */
    CHECK_EQ(r.ninsns, 4);
    for (uint32_t k = 1; k < 4; k++)
        CHECK(r.insn_off[k] == 1 + k && r.reloc_off[k] == 5 + k, "nop %u: +%u -> %u", k,
              r.insn_off[k], r.reloc_off[k]);
}

static void test_jmp_first(void) {
    /* jmp rel32 (a tail-call stub): relocated, no jump back */
    const uint8_t code[] = {0xe9, 0x00, 0x10, 0x00, 0x00};
    struct kt_prep_result r;
    CHECK(prep(64, SITE, code, sizeof code, NEAR, 1, &r, 0), "jmp: %s", r.reason);
    CHECK_EQ(r.patch.reloc_len, 5);
    CHECK_EQ(NEAR + 17 + 5 + (int64_t)rd32(r.patch.reloc + 1), SITE + 5 + 0x1000);
    /* with a far trampoline: absolute form jmp *0(%rip); .quad target */
    CHECK(prep(64, SITE, code, sizeof code, FAR, 0, &r, 0) == 0, "far site jmp: no rel32 patch");
}

static void test_far_jump_back(void) {
    /* push %rbp; mov %rsp,%rbp; sub $0x10,%rsp; ... with the relocated code placed far away:
     * the jump back must be the absolute form (the 5-byte patch itself needs a near slot, so
     * the request uses a near slot and a far relocation address) */
    const uint8_t code[] = {0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xec, 0x10, 0xc9, 0xc3};
    struct fake_mem m = {SITE, code, sizeof code, 0};
    struct kt_prep_request req;
    memset(&req, 0, sizeof req);
    req.bits = 64;
    req.site = SITE;
    req.func_size = sizeof code;
    req.tramp.slot = NEAR;
    req.tramp.reloc_addr = FAR;
    req.tramp.reloc_cap = 80;
    req.read = fake_read;
    req.read_ctx = &m;
    struct kt_prep_result r;
    CHECK(kt_prepare(&req, &r), "far reloc: %s", r.reason);
    const uint8_t *b = r.patch.reloc;
    CHECK_EQ(r.patch.displaced_len, 8);
    CHECK(memcmp(b, code, 8) == 0, "position-independent instructions copied");
    CHECK(b[8] == 0xff && b[9] == 0x25 && rd32(b + 10) == 0, "jmp *0(%%rip)");
    CHECK_EQ(rd64(b + 14), SITE + 8);
    CHECK_EQ(r.patch.reloc_len, 22);
}

static void test_i386_thunk(void) {
    /* push %ebx; call __x86.get_pc_thunk.bx; add $..,%ebx */
    uint64_t site = 0x56555000, thunk = 0x56556000;
    uint8_t code[16] = {0x53, 0xe8};
    int32_t rel = (int32_t)(thunk - (site + 6));
    memcpy(code + 2, &rel, 4);
    const uint8_t add[6] = {0x81, 0xc3, 0x00, 0x10, 0x00, 0x00};
    memcpy(code + 6, add, 6);
    code[12] = 0x5b;
    code[13] = 0xc3;
    struct kt_prep_result r;
    CHECK(prep(32, site, code, 14, 0xf7f00000, 1, &r, thunk), "thunk: %s", r.reason);
    const uint8_t *b = r.patch.reloc;
    CHECK_EQ(r.patch.displaced_len, 6);
    CHECK_EQ(b[0], 0x53);
    CHECK_EQ(b[1], 0xbb); /* mov $imm32,%ebx */
    CHECK_EQ((uint32_t)rd32(b + 2), site + 6);
    CHECK_EQ(b[6], 0xe9);
    CHECK_EQ((uint32_t)(0xf7f00000 + 17 + 11 + rd32(b + 7)), site + 6);
    /* i386 rel32 wraps: any trampoline address is reachable */
    CHECK_EQ((uint32_t)(site + 5 + rd32(r.patch.jmp + 1)), 0xf7f00000u);
    /* where a thread stopped at each displaced instruction is moved: push at 0 -> 0, the call
     * at +1 -> its mov at +1 */
    CHECK_EQ(r.ninsns, 2);
    CHECK(r.insn_off[0] == 0 && r.reloc_off[0] == 0, "push maps to itself");
    CHECK(r.insn_off[1] == 1 && r.reloc_off[1] == 1, "call maps to its mov");
}

/* A function shorter than the patch followed by alignment padding: the jump covers both. */
static void test_padding(void) {
    struct kt_prep_result r;
    /* xor; ret; nopl (%rax); int3 x 9 up to the 16-byte boundary */
    const uint8_t padded[16] = {0x31, 0xc0, 0xc3, 0x0f, 0x1f, 0x00, 0xcc, 0xcc, 0xcc,
                                0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc};
    CHECK(prep_sized(64, SITE, padded, sizeof padded, 3, 1, &r), "padded: %s", r.reason);
    CHECK_EQ(r.patch.displaced_len, 5);
    CHECK_EQ(r.patch.reloc_len, 3); /* xor; ret: nothing jumps back */
    CHECK(memcmp(r.patch.reloc, padded, 3) == 0, "copied");
    CHECK(memcmp(r.patch.orig, padded, 5) == 0, "orig covers the padding");
    /* padding that ends before the 5th byte (the function ends 1 byte before a boundary) */
    CHECK(!prep_sized(64, SITE + 12, padded, sizeof padded, 3, 0, &r), "too near the boundary");
    /* data after the function, not nops */
    const uint8_t data[16] = {0x31, 0xc0, 0xc3, 0x00, 0x00, 0x00, 0x00, 0x00};
    CHECK(!prep_sized(64, SITE, data, sizeof data, 3, 0, &r), "zero bytes are not padding");
    /* unknown size: the end cannot be trusted */
    CHECK(!prep_sized(64, SITE, padded, sizeof padded, 0, 0, &r), "no size");
}

/* Calls in the patched bytes: the copy pushes the original return address and jumps. */
static void test_calls(void) {
    struct kt_prep_result r;
    uint64_t reloc = NEAR + 17;
    /* call rel32; ret (x86_64): a 64-bit return address takes push + movl to 4(%rsp) */
    const uint8_t callfirst[] = {0xe8, 0x10, 0x00, 0x00, 0x00, 0xc3};
    CHECK(prep(64, SITE, callfirst, sizeof callfirst, NEAR, 1, &r, 0), "call first: %s",
          r.reason);
    const uint8_t *b = r.patch.reloc;
    CHECK_EQ(r.patch.displaced_len, 5);
    CHECK_EQ(r.patch.reloc_len, 18);
    CHECK_EQ(b[0], 0x68);
    CHECK_EQ((uint32_t)rd32(b + 1), (uint32_t)(SITE + 5));
    CHECK(b[5] == 0xc7 && b[6] == 0x44 && b[7] == 0x24 && b[8] == 0x04, "movl $hi, 4(%%rsp)");
    CHECK_EQ((uint32_t)rd32(b + 9), (uint32_t)((SITE + 5) >> 32));
    CHECK_EQ(b[13], 0xe9);
    CHECK_EQ(reloc + 18 + rd32(b + 14), SITE + 0x15);

    /* sub $8,%rsp; call rel32 (the -O2 prologue of a function that calls first) */
    const uint8_t subcall[] = {0x48, 0x83, 0xec, 0x08, 0xe8, 0x20, 0, 0, 0, 0xc3};
    CHECK(prep(64, SITE, subcall, sizeof subcall, NEAR, 0, &r, 0), "sub+call: %s", r.reason);
    b = r.patch.reloc;
    CHECK_EQ(r.patch.displaced_len, 9);
    CHECK(memcmp(b, subcall, 4) == 0, "sub copied");
    CHECK_EQ((uint32_t)rd32(b + 5), (uint32_t)(SITE + 9));
    CHECK_EQ(reloc + 4 + 18 + rd32(b + 4 + 14), SITE + 9 + 0x20);

    /* call *0x10(%rip): jmp *disp(%rip) re-aimed at the same slot */
    const uint8_t callmem[] = {0xff, 0x15, 0x10, 0, 0, 0, 0xc3};
    CHECK(prep(64, SITE, callmem, sizeof callmem, NEAR, 0, &r, 0), "call *mem: %s", r.reason);
    b = r.patch.reloc;
    CHECK_EQ(r.patch.reloc_len, 19);
    CHECK(b[13] == 0xff && b[14] == 0x25, "jmp *disp(%%rip)");
    CHECK_EQ(reloc + 19 + rd32(b + 15), SITE + 6 + 0x10);

    /* nop x3; call *%rax: the call reaches the 5th byte: push, jmp *%rax */
    const uint8_t callreg[] = {0x90, 0x90, 0x90, 0xff, 0xd0, 0xc3};
    CHECK(prep(64, SITE, callreg, sizeof callreg, NEAR, 0, &r, 0), "call *reg: %s", r.reason);
    b = r.patch.reloc;
    CHECK_EQ(r.patch.reloc_len, 3 + 13 + 2);
    CHECK(b[16] == 0xff && b[17] == 0xe0, "jmp *%%rax");

    /* a low (non-PIE) return address: one push imm32 */
    CHECK(prep(64, 0x401000, callfirst, sizeof callfirst, 0x402000, 0, &r, 0), "low: %s",
          r.reason);
    CHECK_EQ(r.patch.reloc_len, 10);
    CHECK_EQ((uint32_t)rd32(r.patch.reloc + 1), 0x401005u);

    /* i386: push imm32; jmp rel32 */
    uint64_t site = 0x56555000;
    CHECK(prep(32, site, callfirst, sizeof callfirst, 0xf7f00000, 1, &r, 0), "i386: %s",
          r.reason);
    b = r.patch.reloc;
    CHECK_EQ(r.patch.reloc_len, 10);
    CHECK_EQ(b[0], 0x68);
    CHECK_EQ((uint32_t)rd32(b + 1), (uint32_t)(site + 5));
    CHECK_EQ(b[5], 0xe9);
    CHECK_EQ((uint32_t)(0xf7f00000 + 17 + 10 + rd32(b + 6)), (uint32_t)(site + 0x15));
}

static void refuse(int bits, const uint8_t *code, size_t len, int ret_probe, const char *needle) {
    struct kt_prep_result r;
    CHECK(!prep(bits, SITE, code, len, NEAR, ret_probe, &r, 0), "refused: %s", needle);
    CHECK(strstr(r.reason, needle) != NULL, "reason \"%s\" mentions \"%s\"", r.reason, needle);
}

static const uint8_t loopinsn_free[] = {0x48, 0x83, 0xc7, 0x01, 0x90, 0xc3};

static void test_refusals(void) {
    const uint8_t syscall_first[] = {0x0f, 0x05, 0x48, 0x89, 0xc7, 0xc3};
    refuse(64, syscall_first, sizeof syscall_first, 0, "system call");
    const uint8_t loophead[] = {0x31, 0xc0, 0xff, 0xc0, 0x83, 0xf8, 0x0a, 0x75, 0xf9, 0xc3};
    refuse(64, loophead, sizeof loophead, 0, "into the patched bytes");
    /* jne back to +0: a loop head at the entry lands on the jump itself; placed, flagged */
    const uint8_t back_to_entry[] = {0x48, 0x83, 0xc7, 0x01, 0x90, 0x48,
                                     0x85, 0xff, 0x75, 0xf6, 0xc3};
    struct kt_prep_result lh;
    CHECK(prep(64, SITE, back_to_entry, sizeof back_to_entry, NEAR, 1, &lh, 0), "loop head: %s",
          lh.reason);
    CHECK_EQ(lh.loop_head, 1);
    CHECK_EQ(lh.path, KT_PREP_PATH_JUMP);
    CHECK(prep(64, SITE, loopinsn_free, sizeof loopinsn_free, NEAR, 0, &lh, 0), "no loop: %s",
          lh.reason);
    CHECK_EQ(lh.loop_head, 0);
    /* __x86.get_pc_thunk.bx (mov (%esp),%ebx; ret): a return probe would change what it reads */
    const uint8_t thunk[16] = {0x8b, 0x1c, 0x24, 0xc3, 0x66, 0x90, 0x66, 0x90,
                               0x66, 0x90, 0x66, 0x90, 0x66, 0x90, 0x66, 0x90};
    refuse(32, thunk, 4, 1, "reads its own return address");
    const uint8_t ra64[8] = {0x48, 0x8b, 0x04, 0x24, 0x90, 0xc3}; /* mov (%rsp),%rax */
    refuse(64, ra64, 6, 1, "reads its own return address");
    /* xor; ret with the next function right after it (no padding) */
    const uint8_t shorty[] = {0x31, 0xc0, 0xc3, 0x55, 0x48, 0x89, 0xe5, 0xc3};
    struct kt_prep_result r;
    CHECK(!prep_sized(64, SITE, shorty, sizeof shorty, 3, 0, &r), "short, no padding");
    CHECK(strstr(r.reason, "too short") != NULL, "reason: %s", r.reason);
    const uint8_t loopinsn[] = {0xe2, 0x10, 0x90, 0x90, 0x90, 0xc3};
    refuse(64, loopinsn, sizeof loopinsn, 0, "loop/jcxz");
    const uint8_t noret[] = {0x31, 0xff, 0x90, 0x90, 0x90, 0xe8, 0, 0, 0, 0};
    refuse(64, noret, sizeof noret, 1, "never returns");
    const uint8_t callreg_first[] = {0xff, 0xd0, 0x90, 0x90, 0x90, 0xc3}; /* call *%rax */
    refuse(64, callreg_first, sizeof callreg_first, 0, "a call ending inside the patched bytes");
    const uint8_t call_stack[] = {0x90, 0xff, 0x54, 0x24, 0x08, 0xc3}; /* call *8(%rsp) */
    refuse(64, call_stack, sizeof call_stack, 0, "on the stack");
    const uint8_t inner[] = {0x74, 0x01, 0x90, 0x90, 0x90, 0x90, 0xc3}; /* je +1 within */
    refuse(64, inner, sizeof inner, 0, "targets the patched bytes");
    const char *why;
    CHECK(kt_prep_refused_name("longjmp", &why) && strstr(why, "never returns"), "longjmp");
    CHECK(kt_prep_refused_name("__vfork", &why), "__vfork");
    CHECK(kt_prep_refused_name("_Unwind_RaiseException", &why), "unwinder");
    CHECK(!kt_prep_refused_name("malloc", &why), "malloc is fine");
}

/* kt_prepare with keep_from (instruction punning). */
static int prep_keep(int bits, uint64_t site, const uint8_t *code, size_t len, uint64_t func_size,
                     uint64_t tramp, uint32_t keep_from, struct kt_prep_result *res) {
    return prep_keep_full(bits, site, code, len, func_size, tramp, 0, res, 0, keep_from);
}

/* A function whose own loop jumps to +3 (as memmove's body is entered at +3): the plain jump is
 * refused and says where the bytes must be kept (pun_from 3); the window is where rel32's top
 * bytes are 04 01; a jump to a trampoline there displaces only the 3-byte lea and keeps the
 * rest, one outside it is refused. The same for a 3-byte function (the next function's bytes
 * kept), a system call at +2 (pun_from 2), and on i386. */
static void test_pun(void) {
    /* lea (%rdi,%rdi,1),%eax; add $1,%al; dec %edi; jnz -> +3; ret */
    static const uint8_t body[] = {0x8d, 0x04, 0x3f, 0x04, 0x01, 0xff, 0xcf, 0x75, 0xfa, 0xc3};
    struct kt_prep_result res;
    CHECK(!prep(64, SITE, body, sizeof body, NEAR, 0, &res, 0), "plain jump refused");
    CHECK_EQ(res.pun_from, 3);
    uint64_t lo = 0, hi = 0;
    CHECK(kt_prep_pun_window(64, SITE, body, 3, &lo, &hi), "a window exists");
    CHECK_EQ(lo, SITE + 5 + 0x01040000);
    CHECK_EQ(hi, SITE + 5 + 0x0104ffff);
    uint64_t tramp = (lo + 127) & ~127ull;
    CHECK(prep_keep(64, SITE, body, sizeof body, sizeof body, tramp, 3, &res), "punned: %s", res.reason);
    CHECK_EQ(res.path, KT_PREP_PATH_PUN);
    CHECK_EQ(res.patch.displaced_len, 3);
    CHECK(memcmp(res.patch.jmp + 3, body + 3, 2) == 0, "the jump keeps bytes +3, +4");
    CHECK_EQ(res.patch.jmp[0], 0xe9);
    /* the copy: the lea, then a jump back to +3 */
    CHECK(memcmp(res.patch.reloc, body, 3) == 0, "lea copied");
    CHECK_EQ(res.patch.reloc[3], 0xe9);
    CHECK_EQ((int64_t)(tramp + 17 + 8 + rd32(res.patch.reloc + 4)), (int64_t)(SITE + 3));
    CHECK(!prep_keep(64, SITE, body, sizeof body, sizeof body, hi + 0x10000, 3, &res), "outside the window");
    CHECK(!prep_keep(64, SITE, body, sizeof body, sizeof body, tramp, 2, &res), "keep_from 2 cuts the lea");

    /* mov $7,%al; ret; then the next function: push %rbx (53), pop %rbx (5b) */
    static const uint8_t shortf[] = {0xb0, 0x07, 0xc3, 0x53, 0x5b, 0xb0, 0x09, 0xc3};
    CHECK(!prep_sized(64, SITE, shortf, sizeof shortf, 3, 0, &res), "3 bytes, no padding");
    CHECK_EQ(res.pun_from, 3);
    CHECK(kt_prep_pun_window(64, SITE, shortf, 3, &lo, &hi), "window above the site");
    CHECK_EQ(lo, SITE + 5 + 0x5b530000);
    CHECK(prep_keep(64, SITE, shortf, sizeof shortf, 3, lo, 3, &res), "punned short: %s", res.reason);
    CHECK_EQ(res.patch.displaced_len, 3);
    CHECK_EQ(res.patch.reloc_len, 3); /* mov, ret: nothing to jump back to */

    /* ret, then the next function at once: mov $0x300007,%eax (b8 07 00 30 00); ret. Keeping
     * bytes 1..4 leaves one address for the jump: a hop there jumps on to the slot. */
    static const uint8_t onebyte[] = {0xc3, 0xb8, 0x07, 0x00, 0x30, 0x00, 0xc3};
    CHECK(!prep_sized(64, SITE, onebyte, sizeof onebyte, 1, 1, &res), "1 byte, no padding");
    CHECK_EQ(res.pun_from, 1);
    CHECK(kt_prep_pun_window(64, SITE, onebyte, 1, &lo, &hi), "a one-address window");
    CHECK_EQ(lo, SITE + 5 + 0x300007b8);
    CHECK_EQ(hi, lo);
    {
        struct fake_mem m = {SITE, onebyte, sizeof onebyte, 0};
        struct kt_prep_request req;
        memset(&req, 0, sizeof req);
        req.bits = 64;
        req.return_probe = 1;
        req.site = SITE;
        req.func_size = 1;
        req.name = "one";
        req.tramp.slot = NEAR;
        req.tramp.hop = lo;
        req.tramp.reloc_addr = NEAR + 17;
        req.tramp.reloc_cap = 80;
        req.tramp.bits = 64;
        req.read = fake_read;
        req.read_ctx = &m;
        req.keep_from = 1;
        CHECK(kt_prepare(&req, &res), "through a hop: %s", res.reason);
        CHECK_EQ(res.path, KT_PREP_PATH_HOP);
        CHECK_EQ(res.patch.hop, lo);
        CHECK_EQ(res.patch.tramp, NEAR);
        CHECK_EQ(res.patch.displaced_len, 1);
        CHECK(memcmp(res.patch.jmp + 1, onebyte + 1, 4) == 0, "the jump keeps bytes 1..4");
        CHECK_EQ(res.patch.reloc_len, 1); /* the ret */
        req.tramp.hop = lo + 1;
        CHECK(!kt_prepare(&req, &res), "a hop elsewhere");
    }

    /* xor %eax,%eax; syscall; ret (a system call restarts at its own address) */
    static const uint8_t sys[] = {0x31, 0xc0, 0x0f, 0x05, 0xc3};
    CHECK(!prep(64, SITE, sys, sizeof sys, NEAR, 0, &res, 0), "system call refused");
    CHECK_EQ(res.pun_from, 2);
    CHECK(kt_prep_pun_window(64, SITE, sys, 2, &lo, &hi), "256-byte window");
    CHECK_EQ(hi - lo, 255);
    CHECK(prep_keep(64, SITE, sys, sizeof sys, sizeof sys, lo, 2, &res), "punned syscall: %s", res.reason);
    CHECK(memcmp(res.patch.jmp + 2, sys + 2, 3) == 0, "the jump keeps the syscall and ret");

    /* Negative rel32 below address 0: no window. */
    static const uint8_t neg[] = {0x8d, 0x04, 0x3f, 0x90, 0x90, 0xc3};
    CHECK(!kt_prep_pun_window(64, 0x401000, neg, 3, &lo, &hi), "no window below 0");

    /* i386: mov 4(%esp),%eax; add $1,%al; ret; entered at +4 elsewhere */
    static const uint8_t b32[] = {0x8b, 0x44, 0x24, 0x04, 0x04, 0x01, 0xc3};
    CHECK(kt_prep_pun_window(32, 0x8049000, b32, 4, &lo, &hi), "i386 window");
    CHECK_EQ(lo, 0x8049005 + 0x04000000);
    CHECK_EQ(hi, 0x8049005 + 0x04ffffff);
    CHECK(prep_keep(32, 0x8049000, b32, sizeof b32, sizeof b32, lo + 0x1000, 4, &res), "i386: %s",
          res.reason);
    CHECK_EQ(res.patch.displaced_len, 4);
    CHECK_EQ(res.patch.jmp[4], 0x04);
}

int main(void) {
    test_riprel();
    test_jcc_short();
    test_jmp_first();
    test_far_jump_back();
    test_i386_thunk();
    test_calls();
    test_padding();
    test_refusals();
    test_pun();
    return kth_finish("t_prep");
}
