/* Prepares every exported function of the process's libc (without arming anything): the
 * preparer must decode real compiler output without failing, produce well-formed patches (on
 * x86_64 each relocation is re-decoded and checked instruction by instruction against the
 * original: same mnemonic, same bytes or same absolute target, then a jump back), and accept
 * most entries. Prints a census of refusal reasons (x86_64: in process; i386: through
 * ktap-rt-prep-tool). */
#define _GNU_SOURCE
#include "harness.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct reason {
    char text[48];
    int count;
};

static struct reason reasons[64];
static int nreasons;

static void count_reason(const char *why) {
    char key[48];
    snprintf(key, sizeof key, "%.47s", why);
    char *cut = strstr(key, ":");
    if (cut)
        *cut = 0;
    cut = strstr(key, " at +");
    if (cut)
        *cut = 0;
    cut = strstr(key, " (");
    if (cut)
        *cut = 0;
    for (int i = 0; i < nreasons; i++)
        if (strcmp(reasons[i].text, key) == 0) {
            reasons[i].count++;
            return;
        }
    if (nreasons < 64) {
        snprintf(reasons[nreasons].text, sizeof reasons[0].text, "%s", key);
        reasons[nreasons++].count = 1;
    }
}

#if defined(__x86_64__)
#include <Zydis/Zydis.h>

/* jmp *0(%rip); .quad target */
static uint64_t rd_abs_target(const uint8_t *p, size_t len) {
    uint64_t v = 0;
    memcpy(&v, p + len, 8);
    return v;
}

/* Independent check of a relocation: every displaced instruction reappears in the trampoline
 * with the same mnemonic and the same meaning (identical bytes, or the same absolute target for
 * rip-relative operands and relative branches), followed by a jump back to site+len. */
static int absolute_of(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops,
                       uint64_t ip, uint64_t *abs) {
    for (unsigned i = 0; i < in->operand_count_visible; i++) {
        if ((ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[i].imm.is_relative) ||
            (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY && ops[i].mem.base == ZYDIS_REGISTER_RIP))
            return ZYAN_SUCCESS(ZydisCalcAbsoluteAddress(in, &ops[i], ip, abs));
    }
    return 0;
}

/* A displaced call A at IP reappears as `push $lo [; movl $hi, 4(%rsp)]` pushing IP + its
 * length, then a jmp with the same target or operand, and nothing after it. */
static int call_equivalent(ZydisDecoder *dec, const ZydisDecodedInstruction *a,
                           const ZydisDecodedOperand *oa, const uint8_t *araw, uint64_t ip,
                           const struct kt_patch *p, size_t ro, uint64_t reloc) {
    const uint8_t *r = p->reloc + ro;
    size_t left = p->reloc_len - ro;
    if (left < 5 || r[0] != 0x68)
        return 0;
    int32_t lo;
    memcpy(&lo, r + 1, 4);
    uint64_t pushed = (uint64_t)(int64_t)lo;
    size_t n = 5;
    if (left >= 13 && r[5] == 0xc7 && r[6] == 0x44 && r[7] == 0x24 && r[8] == 0x04) {
        uint32_t hi;
        memcpy(&hi, r + 9, 4);
        pushed = (pushed & 0xffffffffull) | (uint64_t)hi << 32;
        n = 13;
    }
    if (pushed != ip + a->length)
        return 0;
    ZydisDecodedInstruction j;
    ZydisDecodedOperand oj[ZYDIS_MAX_OPERAND_COUNT];
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(dec, r + n, left - n, &j, oj)) ||
        j.mnemonic != ZYDIS_MNEMONIC_JMP || n + j.length != left)
        return 0;
    uint64_t ta, tj;
    int ra = absolute_of(a, oa, ip, &ta), rj = absolute_of(&j, oj, reloc + ro + n, &tj);
    if (ra || rj)
        return ra && rj && ta == tj;
    /* call *reg / *mem: the same bytes but the modrm reg field (/2 -> /4) */
    if (j.length != a->length)
        return 0;
    for (size_t i = 0; i < a->length; i++) {
        uint8_t x = araw[i], y = r[n + i];
        if (i == a->raw.modrm.offset)
            x = (uint8_t)((x & ~0x38) | (4 << 3));
        if (x != y)
            return 0;
    }
    return 1;
}

static int relocation_equivalent(const uint8_t *site, const struct kt_patch *p, uint64_t reloc) {
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
    size_t so = 0, ro = 0;
    int last_ended = 0; /* the previous displaced instruction was a ret or a jmp */
    while (so < p->displaced_len) {
        ZydisDecodedInstruction a, b;
        ZydisDecodedOperand oa[ZYDIS_MAX_OPERAND_COUNT], ob[ZYDIS_MAX_OPERAND_COUNT];
        if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, site + so, 15, &a, oa)))
            return 0;
        /* a function shorter than the patch: the jump also covers the padding after its
           ret/jmp, which the copy leaves out (kt_prepare checked it is padding) */
        if (last_ended && ro == p->reloc_len)
            return 1;
        if (a.mnemonic == ZYDIS_MNEMONIC_CALL)
            return so + a.length == p->displaced_len &&
                   call_equivalent(&dec, &a, oa, site + so, (uint64_t)(uintptr_t)site + so, p, ro,
                                   reloc);
        if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, p->reloc + ro, p->reloc_len - ro, &b, ob)))
            return 0;
        if (a.mnemonic != b.mnemonic)
            return 0;
        uint64_t ta, tb;
        int ra = absolute_of(&a, oa, (uint64_t)(uintptr_t)site + so, &ta);
        int rb = absolute_of(&b, ob, reloc + ro, &tb);
        if (ra != rb || (ra && ta != tb) || (!ra && memcmp(site + so, p->reloc + ro, a.length)))
            return 0;
        so += a.length;
        ro += b.length;
        last_ended = a.mnemonic == ZYDIS_MNEMONIC_RET || a.mnemonic == ZYDIS_MNEMONIC_JMP;
    }
    if (ro == p->reloc_len) /* the window ended with jmp/ret: nothing follows */
        return 1;
    ZydisDecodedInstruction j;
    ZydisDecodedOperand oj[ZYDIS_MAX_OPERAND_COUNT];
    uint64_t back;
    return ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, p->reloc + ro, p->reloc_len - ro, &j, oj)) &&
           j.mnemonic == ZYDIS_MNEMONIC_JMP && ro + j.length == p->reloc_len &&
           (absolute_of(&j, oj, reloc + ro, &back)
                ? back == (uint64_t)(uintptr_t)site + so
                : rd_abs_target(p->reloc + ro, j.length) == (uint64_t)(uintptr_t)site + so);
}
#endif

struct find_lib {
    const char *soname;
    struct dl_phdr_info info;
    int found;
};

static int find_lib(struct dl_phdr_info *info, size_t size, void *data) {
    struct find_lib *f = data;
    if (info->dlpi_name && strstr(info->dlpi_name, f->soname)) {
        f->info = *info;
        f->found = 1;
        return 1;
    }
    return 0;
}

static void census_of(const char *soname, int min_percent) {
    struct find_lib f = {soname, {0}, 0};
    if (!dlopen(soname, RTLD_NOW | RTLD_GLOBAL) || dl_iterate_phdr(find_lib, &f) != 1) {
        CHECK(0, "%s loaded", soname);
        return;
    }
    int fd = open(f.info.dlpi_name, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        CHECK(0, "open %s", f.info.dlpi_name);
        return;
    }
    const unsigned char *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    const ElfW(Ehdr) *eh = (const void *)file;
    const ElfW(Shdr) *sh = (const void *)(file + eh->e_shoff);
    const ElfW(Sym) *syms = NULL;
    size_t nsyms = 0;
    const char *strs = "";
    for (int i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_DYNSYM) {
            syms = (const void *)(file + sh[i].sh_offset);
            nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
            strs = (const char *)(file + sh[sh[i].sh_link].sh_offset);
        }
    CHECK(syms != NULL, "%s has .dynsym", soname);
    (void)strs; /* names are printed only where relocations are re-checked (x86_64) */
    nreasons = 0;
    int total = 0, accepted = 0, malformed = 0;
    for (size_t i = 0; syms && i < nsyms; i++) {
        if (ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC || syms[i].st_shndx == SHN_UNDEF ||
            syms[i].st_size == 0)
            continue;
        void *fn = (void *)(f.info.dlpi_addr + syms[i].st_value);
        struct kt_patch patch;
        char why[256];
        total++;
        if (kth_prepare(fn, 0, &patch, why, sizeof why)) {
            accepted++;
            if (patch.displaced_len < 5 || patch.displaced_len > 24 ||
                patch.reloc_len > KT_RELOC_MAX || patch.jmp[0] != 0xe9 ||
                memcmp(patch.orig, fn, 5) != 0)
                malformed++;
#if defined(__x86_64__)
            else if (!relocation_equivalent(fn, &patch, patch.tramp + 17)) {
                malformed++;
                if (malformed < 5)
                    printf("  not equivalent: %s\n", strs + syms[i].st_name);
            }
#endif
        } else {
            count_reason(why);
        }
    }
    printf("t_census: %s: %d functions, %d accepted (%.0f%%)\n", f.info.dlpi_name, total, accepted,
           total ? 100.0 * accepted / total : 0.0);
    for (int i = 0; i < nreasons; i++)
        printf("  %5d refused: %s\n", reasons[i].count, reasons[i].text);
    CHECK(total > 200, "%s exports functions (%d)", soname, total);
    CHECK_EQ(malformed, 0);
    CHECK(accepted * 100 >= total * min_percent, "at least %d%% of %s's entries are patchable",
          min_percent, soname);
}

int main(void) {
    census_of("libc.so.6", 70);
    census_of("libm.so.6", 70);
    census_of("libstdc++.so.6", 70);
    return kth_finish("t_census");
}
