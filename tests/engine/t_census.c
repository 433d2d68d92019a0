/* Prepares every exported function of the process's libc (without arming anything): the
 * preparer must decode real compiler output without failing, produce well-formed patches, and
 * accept most entries. Prints a census of refusal reasons (x86_64: in process; i386: through
 * ktap-rt-prep-tool). */
#define _GNU_SOURCE
#include "harness.h"

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

static int find_libc(struct dl_phdr_info *info, size_t size, void *data) {
    if (info->dlpi_name && strstr(info->dlpi_name, "libc.so.6")) {
        *(struct dl_phdr_info *)data = *info;
        return 1;
    }
    return 0;
}

int main(void) {
    struct dl_phdr_info libc;
    memset(&libc, 0, sizeof libc);
    CHECK(dl_iterate_phdr(find_libc, &libc) == 1, "libc found");
    if (!libc.dlpi_name)
        return kth_finish("t_census");
    int fd = open(libc.dlpi_name, O_RDONLY);
    struct stat st;
    CHECK(fd >= 0 && fstat(fd, &st) == 0, "open %s", libc.dlpi_name);
    const unsigned char *file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    const ElfW(Ehdr) *eh = (const void *)file;
    const ElfW(Shdr) *sh = (const void *)(file + eh->e_shoff);
    const ElfW(Sym) *syms = NULL;
    size_t nsyms = 0;
    for (int i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_DYNSYM) {
            syms = (const void *)(file + sh[i].sh_offset);
            nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
        }
    CHECK(syms != NULL, "libc has .dynsym");
    int total = 0, accepted = 0, malformed = 0;
    for (size_t i = 0; syms && i < nsyms; i++) {
        if (ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC || syms[i].st_shndx == SHN_UNDEF ||
            syms[i].st_size == 0)
            continue;
        void *fn = (void *)(libc.dlpi_addr + syms[i].st_value);
        struct kt_patch patch;
        char why[256];
        total++;
        if (kth_prepare(fn, 0, &patch, why, sizeof why)) {
            accepted++;
            if (patch.displaced_len < 5 || patch.displaced_len > 24 ||
                patch.reloc_len > KT_RELOC_MAX || patch.jmp[0] != 0xe9 ||
                memcmp(patch.orig, fn, 5) != 0)
                malformed++;
        } else {
            count_reason(why);
        }
    }
    printf("t_census: %s: %d functions, %d accepted (%.0f%%)\n", libc.dlpi_name, total, accepted,
           total ? 100.0 * accepted / total : 0.0);
    for (int i = 0; i < nreasons; i++)
        printf("  %5d refused: %s\n", reasons[i].count, reasons[i].text);
    CHECK(total > 1000, "libc exports functions (%d)", total);
    CHECK_EQ(malformed, 0);
    CHECK(accepted * 10 >= total * 7, "at least 70%% of libc's entries are patchable");
    return kth_finish("t_census");
}
