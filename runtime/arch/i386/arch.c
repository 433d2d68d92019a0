/* i386: machine code for entry heads, return stubs and the entry patch. rel32 reaches the whole
 * 4 GiB address space (it wraps), so every trampoline is reachable. */
#include "kt_internal.h"

#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(struct kt_regs, eax) == KT_REGS_EAX, "regs layout");
_Static_assert(offsetof(struct kt_regs, flags) == KT_REGS_FLAGS, "regs layout");
_Static_assert(offsetof(struct kt_regs, sp) == KT_REGS_SP, "regs layout");
_Static_assert(offsetof(struct kt_regs, xmm) == KT_REGS_XMM, "regs layout");
_Static_assert(offsetof(struct kt_regs, st) == KT_REGS_ST, "regs layout");
_Static_assert(offsetof(struct kt_regs, st_count) == KT_REGS_STCNT, "regs layout");
_Static_assert(sizeof(struct kt_regs) == KT_REGS_SIZE, "regs layout");

static void put32(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}

int kt_arch_reachable(uintptr_t site, uintptr_t tramp) {
    (void)site;
    (void)tramp;
    return 1;
}

int kt_arch_encode_jmp(uint8_t out[5], uintptr_t from, uintptr_t to) {
    out[0] = 0xe9;
    put32(out + 1, (uint32_t)(to - (from + 5)));
    return 1;
}

/* Entry head, 14 bytes:
 *   68 imm32       push $probe
 *   e8 rel32       call kt_arch_entry_common
 *   8d 64 24 04    lea 4(%esp),%esp   ; drop the probe, flags untouched */
void kt_arch_write_entry_head(uint8_t *b, uintptr_t slot, struct kt_probe *p,
                              void (*common)(void)) {
    b[0] = 0x68;
    put32(b + 1, (uint32_t)(uintptr_t)p);
    b[5] = 0xe8;
    put32(b + 6, (uint32_t)((uintptr_t)common - (slot + 10)));
    static const uint8_t lea[4] = {0x8d, 0x64, 0x24, 0x04};
    memcpy(b + 10, lea, 4);
}

/* Return stub j, 26 bytes after a 1-byte int3 pad:
 *   +0  ff 35 abs32    push [&rec[j].real_ret]
 *   +6  68 imm32       push $tag
 *   +11 e8 rel32       call kt_arch_return_common
 *   +16 8d 64 24 08    lea 8(%esp),%esp    ; drop the tag and the copy
 *   +20 ff 25 abs32    jmp *[&rec[j].real_ret]
 * i386 has no red zone: a signal could overwrite a copy below esp. rec[j] stays valid because
 * the record is only marked completed by the return path (KT_ARCH_COMPLETED_RECORDS): a signal
 * handler running before the jmp pushes its records above it. jmp instead of ret keeps the
 * return-stack predictor in sync. */
const struct kt_stub_cfa_event kt_arch_stub_cfa[KT_STUB_CFA_EVENTS] = {{6, 4}, {11, 8}, {20, 0}};

void kt_arch_write_stub(uint8_t *b, uintptr_t s, struct kt_thread *t, uint32_t j, uint32_t tag) {
    b[0] = 0xff;
    b[1] = 0x35;
    put32(b + 2, (uint32_t)(uintptr_t)&t->rec[j].real_ret);
    b[6] = 0x68;
    put32(b + 7, tag);
    b[11] = 0xe8;
    put32(b + 12, (uint32_t)((uintptr_t)&kt_arch_return_common - (s + 16)));
    static const uint8_t lea[4] = {0x8d, 0x64, 0x24, 0x08};
    memcpy(b + 16, lea, 4);
    b[20] = 0xff;
    b[21] = 0x25;
    put32(b + 22, (uint32_t)(uintptr_t)&t->rec[j].real_ret);
}
