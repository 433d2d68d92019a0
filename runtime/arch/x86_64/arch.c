/* x86_64: machine code for entry heads, return stubs and the entry patch. */
#include "kt_internal.h"

#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(struct kt_regs, rax) == KT_REGS_RAX, "regs layout");
_Static_assert(offsetof(struct kt_regs, flags) == KT_REGS_FLAGS, "regs layout");
_Static_assert(offsetof(struct kt_regs, sp) == KT_REGS_SP, "regs layout");
_Static_assert(offsetof(struct kt_regs, xmm) == KT_REGS_XMM, "regs layout");
_Static_assert(offsetof(struct kt_regs, st) == KT_REGS_ST, "regs layout");
_Static_assert(offsetof(struct kt_regs, st_count) == KT_REGS_STCNT, "regs layout");
_Static_assert(sizeof(struct kt_regs) == KT_REGS_SIZE, "regs layout");

static void put32(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v) {
    memcpy(p, &v, 8);
}

static int32_t rel32(uintptr_t next_ip, uintptr_t target) {
    return (int32_t)(int64_t)(target - next_ip);
}

int kt_arch_reachable(uintptr_t site, uintptr_t tramp) {
    int64_t d = (int64_t)(tramp - (site + 5));
    return d >= INT32_MIN && d <= INT32_MAX;
}

int kt_arch_encode_jmp(uint8_t out[5], uintptr_t from, uintptr_t to) {
    if (!kt_arch_reachable(from, to))
        return 0;
    out[0] = 0xe9;
    put32(out + 1, (uint32_t)rel32(from + 5, to));
    return 1;
}

/* Entry head, 17 bytes:
 *   ff 35 d32        push [rip+d]        ; the probe (data word at +112)
 *   ff 15 d32        call *[rip+d]       ; kt_arch_entry_common (data word at +120)
 *   48 8d 64 24 08   lea 8(%rsp),%rsp     ; drop the probe, flags untouched
 * The call/ret pair keeps the return-stack predictor in sync; the relocated instructions follow. */
void kt_arch_write_entry_head(uint8_t *b, uintptr_t slot, struct kt_probe *p,
                              void (*common)(void)) {
    b[0] = 0xff;
    b[1] = 0x35;
    put32(b + 2, (uint32_t)rel32(slot + 6, slot + KT_TRAMP_DATA_OFF));
    b[6] = 0xff;
    b[7] = 0x15;
    put32(b + 8, (uint32_t)rel32(slot + 12, slot + KT_TRAMP_DATA_OFF + 8));
    static const uint8_t lea[5] = {0x48, 0x8d, 0x64, 0x24, 0x08};
    memcpy(b + 12, lea, 5);
    put64(b + KT_TRAMP_DATA_OFF, (uint64_t)(uintptr_t)p);
    put64(b + KT_TRAMP_DATA_OFF + 8, (uint64_t)(uintptr_t)common);
}

/* Return stub j (the hijacked return address), 26 bytes after a 1-byte int3 pad:
 *   +0  ff 35 d32        push [rip+d]     ; real return address from rec[j] -> looks like a call
 *   +6  68 imm32         push $tag        ; (block index << 16) | j
 *   +11 ff 15 d32        call *[rip+d]    ; kt_arch_return_common (pointer in the block header)
 *   +17 48 8d 64 24 10   lea 16(%rsp),%rsp
 *   +22 ff 64 24 f8      jmp *-8(%rsp)    ; real return; the red zone protects the copy from
 *                                          ; signal frames, and jmp keeps the RSB in sync
 * DWARF CFI for each instruction boundary is generated in rt_unwind.c (kt_arch_stub_cfa). */
const struct kt_stub_cfa_event kt_arch_stub_cfa[KT_STUB_CFA_EVENTS] = {{6, 8}, {11, 16}, {22, 0}};

void kt_arch_write_stub(uint8_t *b, uintptr_t s, struct kt_thread *t, uint32_t j, uint32_t tag) {
    uintptr_t real_ret = (uintptr_t)&t->rec[j].real_ret;
    b[0] = 0xff;
    b[1] = 0x35;
    put32(b + 2, (uint32_t)rel32(s + 6, real_ret));
    b[6] = 0x68;
    put32(b + 7, tag);
    b[11] = 0xff;
    b[12] = 0x15;
    put32(b + 13, (uint32_t)rel32(s + 17, (uintptr_t)&t->return_common));
    static const uint8_t tail[9] = {0x48, 0x8d, 0x64, 0x24, 0x10, 0xff, 0x64, 0x24, 0xf8};
    memcpy(b + 17, tail, 9);
}
