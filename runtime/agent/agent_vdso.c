/* Finds vDSO functions by their dynamic symbols (at init; libc allowed): the clocks and
 * getcpu of the probe path then cost a call instead of a system call. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>

void *kt_agent_vdso_sym(const char *name) {
    uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    if (!base)
        return NULL;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return NULL;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
    uintptr_t bias = 0;
    int have_load = 0;
    const ElfW(Dyn) *dyn = NULL;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_load) {
            bias = base + ph[i].p_offset - ph[i].p_vaddr;
            have_load = 1;
        }
    }
    if (!have_load)
        return NULL;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(bias + ph[i].p_vaddr);
    if (!dyn)
        return NULL;
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    const uint32_t *hash = NULL, *gnu_hash = NULL;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
        case DT_SYMTAB: symtab = (const ElfW(Sym) *)(bias + dyn->d_un.d_ptr); break;
        case DT_STRTAB: strtab = (const char *)(bias + dyn->d_un.d_ptr); break;
        case DT_HASH: hash = (const uint32_t *)(bias + dyn->d_un.d_ptr); break;
        case DT_GNU_HASH: gnu_hash = (const uint32_t *)(bias + dyn->d_un.d_ptr); break;
        default: break;
        }
    }
    if (!symtab || !strtab)
        return NULL;
    uint32_t nsyms = 0;
    if (hash) {
        nsyms = hash[1]; /* nchain */
    } else if (gnu_hash) {
        uint32_t nbuckets = gnu_hash[0], symoffset = gnu_hash[1], bloom = gnu_hash[2];
        const uint32_t *buckets =
            gnu_hash + 4 + bloom * (uint32_t)(sizeof(ElfW(Addr)) / sizeof(uint32_t));
        const uint32_t *chain = buckets + nbuckets;
        uint32_t last = 0;
        for (uint32_t b = 0; b < nbuckets; b++)
            if (buckets[b] > last)
                last = buckets[b];
        if (last < symoffset) {
            nsyms = symoffset;
        } else {
            while (!(chain[last - symoffset] & 1))
                last++;
            nsyms = last + 1;
        }
    } else {
        return NULL;
    }
    for (uint32_t i = 0; i < nsyms; i++) {
        const ElfW(Sym) *s = &symtab[i];
        if (s->st_shndx == SHN_UNDEF || ELF64_ST_TYPE(s->st_info) != STT_FUNC)
            continue;
        if (strcmp(strtab + s->st_name, name) == 0)
            return (void *)(bias + s->st_value);
    }
    return NULL;
}
