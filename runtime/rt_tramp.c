/* Trampoline memory: 128-byte slots in regions placed within jmp rel32 reach of the probed
 * site (x86_64: +-2 GiB; i386: anywhere). Regions are never unmapped: a thread may still be
 * executing a trampoline after its probe is gone. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <pthread.h>
#include <sys/mman.h>

#define REGION_SIZE (64u * 1024u)
#define SLOTS_PER_REGION (REGION_SIZE / KT_TRAMP_SLOT_SIZE)
#define MAX_REGIONS 256

struct region {
    uintptr_t base;
    uint32_t used;
};

static struct region regions[MAX_REGIONS];
static uint32_t nregions;
static pthread_mutex_t tramp_lock = PTHREAD_MUTEX_INITIALIZER;

static int reachable(uintptr_t site, uintptr_t base) {
    return kt_arch_reachable(site, base) && kt_arch_reachable(site, base + REGION_SIZE);
}

static uintptr_t map_near(uintptr_t site) {
#if KT_ARCH_BITS == 64
    /* Probe hint addresses on both sides of the site, nearest first. */
    const uintptr_t step = 16u * 1024u * 1024u;
    uintptr_t center = site & ~(uintptr_t)(REGION_SIZE - 1);
    for (uintptr_t k = 1; k < 120; k++) {
        for (int side = 0; side < 2; side++) {
            uintptr_t hint = side ? center + k * step : center - k * step;
            if (side == 0 && center < k * step)
                continue;
            /* Read-execute from the start, never writable+executable (MDWE allows that):
             * slots are written through kt_write_code. */
            void *m = mmap((void *)hint, REGION_SIZE, PROT_READ | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
            if (m == MAP_FAILED)
                continue;
            if (reachable(site, (uintptr_t)m))
                return (uintptr_t)m;
            munmap(m, REGION_SIZE);
        }
    }
    return 0;
#else
    (void)site;
    void *m = mmap(NULL, REGION_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? 0 : (uintptr_t)m;
#endif
}

int kt_tramp_reserve(uintptr_t site, struct kt_tramp_info *out) {
    int err = kt_init(NULL);
    if (err)
        return err;
    pthread_mutex_lock(&tramp_lock);
    struct region *r = NULL;
    for (uint32_t i = 0; i < nregions; i++) {
        if (regions[i].used < SLOTS_PER_REGION && reachable(site, regions[i].base)) {
            r = &regions[i];
            break;
        }
    }
    if (!r && nregions < MAX_REGIONS) {
        uintptr_t base = map_near(site);
        if (base) {
            r = &regions[nregions++];
            r->base = base;
            r->used = 0;
        }
    }
    if (!r) {
        pthread_mutex_unlock(&tramp_lock);
        return KT_ENOSPC;
    }
    uintptr_t slot = r->base + (uintptr_t)r->used++ * KT_TRAMP_SLOT_SIZE;
    pthread_mutex_unlock(&tramp_lock);
    out->slot = slot;
    out->reloc_addr = slot + KT_ENTRY_HEAD_LEN;
    uint32_t cap = KT_TRAMP_DATA_OFF - KT_ENTRY_HEAD_LEN;
    out->reloc_cap = cap < KT_RELOC_MAX ? cap : KT_RELOC_MAX;
    out->bits = KT_ARCH_BITS;
    return KT_OK;
}

int kt_tramp_is_slot(uintptr_t slot) {
    pthread_mutex_lock(&tramp_lock);
    int ok = 0;
    for (uint32_t i = 0; i < nregions && !ok; i++)
        ok = slot >= regions[i].base &&
             slot < regions[i].base + (uintptr_t)regions[i].used * KT_TRAMP_SLOT_SIZE &&
             (slot - regions[i].base) % KT_TRAMP_SLOT_SIZE == 0;
    pthread_mutex_unlock(&tramp_lock);
    return ok;
}
