/* Trampoline memory: 128-byte slots in regions placed within jmp rel32 reach of the probed
 * site (x86_64: +-2 GiB; i386: anywhere). Regions are never unmapped: a thread may still be
 * executing a trampoline after its probe is gone.
 *
 * A slot belongs to one site for the life of the process: every later reservation for that site
 * gets the same slot back. Its relocated code is the same each time (same site bytes, same slot
 * address), so re-registering writes only the probe and handler words of the entry head, each
 * with one atomic store, and a thread still running the copy from an earlier session is safe.
 * A slot whose site's bytes changed (a library reloaded at the same address) is retired and the
 * site gets a fresh one. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_SIZE (64u * 1024u)
#define SLOTS_PER_REGION (REGION_SIZE / KT_TRAMP_SLOT_SIZE)
#define MAX_REGIONS 512
#define SITE_BUCKETS 4096
#define PUN_REGION_SIZE 4096u /* one page, mapped where a punned jump must land */

struct region {
    uintptr_t base;
    uint32_t used;             /* slots handed out from the start (ordinary regions) */
    uint32_t nslots;           /* SLOTS_PER_REGION, or a page's worth for a punning region */
    uint32_t pun;              /* slots are placed at chosen offsets, never by `used` */
    struct kt_slot_meta *meta; /* [SLOTS_PER_REGION], read-write */
};

static struct region regions[MAX_REGIONS];
static uint32_t nregions;
static uint32_t site_buckets[SITE_BUCKETS]; /* global slot number + 1, chained through meta.next */

static int reachable(uintptr_t site, uintptr_t base) {
    return kt_arch_reachable(site, base) && kt_arch_reachable(site, base + REGION_SIZE);
}

static uint32_t site_hash(uintptr_t site) {
    uint64_t h = (uint64_t)site * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 40) % SITE_BUCKETS;
}

static struct kt_slot_meta *meta_of(uint32_t global) {
    return &regions[global / SLOTS_PER_REGION].meta[global % SLOTS_PER_REGION];
}

static uintptr_t slot_addr(uint32_t global) {
    return regions[global / SLOTS_PER_REGION].base +
           (uintptr_t)(global % SLOTS_PER_REGION) * KT_TRAMP_SLOT_SIZE;
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

/* Records a mapped region (BASE, or 0: map one near SITE). */
static int add_region(uintptr_t site, uintptr_t base, uint32_t nslots, uint32_t pun) {
    if (nregions >= MAX_REGIONS)
        return 0;
    void *meta = mmap(NULL, sizeof(struct kt_slot_meta) * SLOTS_PER_REGION, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (meta == MAP_FAILED)
        return 0;
    if (!base)
        base = map_near(site);
    if (!base) {
        munmap(meta, sizeof(struct kt_slot_meta) * SLOTS_PER_REGION);
        return 0;
    }
    struct region *r = &regions[nregions];
    r->base = base;
    r->used = 0;
    r->nslots = nslots;
    r->pun = pun;
    r->meta = meta;
    __atomic_store_n(&nregions, nregions + 1, __ATOMIC_RELEASE);
    return 1;
}

static void tag_slot(uint32_t g, uintptr_t site) {
    struct kt_slot_meta *m = meta_of(g);
    memset(m, 0, sizeof *m);
    m->site = site;
    uint32_t *bucket = &site_buckets[site_hash(site)];
    m->next = *bucket;
    *bucket = g + 1;
}

/* The first slot tagged with SITE that starts in [lo, hi]: its global number + 1, else 0. */
static uint32_t site_slot(uintptr_t site, uintptr_t lo, uintptr_t hi) {
    for (uint32_t g = site_buckets[site_hash(site)]; g; g = meta_of(g - 1)->next)
        if (meta_of(g - 1)->site == site && slot_addr(g - 1) >= lo && slot_addr(g - 1) <= hi)
            return g;
    return 0;
}

/* The slot kept for SITE, or 0. A slot whose recorded site bytes no longer match (the library
 * was unmapped and another mapped there) is retired here, unless a live probe owns it. */
static uint32_t find_site_slot(uintptr_t site) {
    for (;;) {
        uint32_t g = site_slot(site, 0, UINTPTR_MAX);
        if (!g)
            return 0;
        struct kt_slot_meta *m = meta_of(g - 1);
        if (!m->installed || (m->owner && kt_rt.probes[m->owner - 1].state == KT_P_REGISTERED))
            return g;
        uint8_t cur[KT_PATCH_LEN];
        if (kt_read_safe(site, cur, sizeof cur) == KT_OK && memcmp(cur, m->orig, sizeof cur) == 0)
            return g;
        kt_tramp_retire(m); /* its code is for bytes that are gone */
    }
}

static void fill_info(uintptr_t slot, struct kt_tramp_info *out) {
    out->slot = slot;
    out->reloc_addr = slot + KT_ENTRY_HEAD_LEN;
    uint32_t cap = KT_TRAMP_DATA_OFF - KT_ENTRY_HEAD_LEN;
    out->reloc_cap = cap < KT_RELOC_MAX ? cap : KT_RELOC_MAX;
    out->bits = KT_ARCH_BITS;
}

int kt_tramp_reserve(uintptr_t site, struct kt_tramp_info *out) {
    int err = kt_init(NULL);
    if (err)
        return err;
    pthread_mutex_lock(&kt_reg_lock);
    uint32_t found = find_site_slot(site);
    uint32_t g = 0;
    if (found) {
        g = found - 1;
    } else {
        uint32_t ri = nregions;
        for (uint32_t i = 0; i < nregions; i++) {
            if (!regions[i].pun && regions[i].used < regions[i].nslots &&
                reachable(site, regions[i].base)) {
                ri = i;
                break;
            }
        }
        if (ri == nregions && !add_region(site, 0, SLOTS_PER_REGION, 0)) {
            pthread_mutex_unlock(&kt_reg_lock);
            return KT_ENOSPC;
        }
        struct region *r = &regions[ri];
        g = ri * SLOTS_PER_REGION + r->used++;
        tag_slot(g, site);
    }
    uintptr_t slot = slot_addr(g);
    pthread_mutex_unlock(&kt_reg_lock);
    fill_info(slot, out);
    return KT_OK;
}

/* A free slot of a punning region that starts in [lo, hi]: its global number + 1, else 0. */
static uint32_t free_pun_slot(uintptr_t lo, uintptr_t hi) {
    for (uint32_t i = 0; i < nregions; i++) {
        const struct region *r = &regions[i];
        if (!r->pun || r->base > hi || r->base + PUN_REGION_SIZE <= lo)
            continue;
        for (uint32_t k = 0; k < r->nslots; k++) {
            uintptr_t a = r->base + (uintptr_t)k * KT_TRAMP_SLOT_SIZE;
            if (a >= lo && a <= hi && !r->meta[k].site && !r->meta[k].installed)
                return i * SLOTS_PER_REGION + k + 1;
        }
    }
    return 0;
}

/* Maps a punning page at PAGE (never over anything: MAP_FIXED_NOREPLACE) and returns the
 * global number + 1 of its slot at SLOT, or 0. The window may lie where the heap would grow by
 * brk: a page there ends its contiguous growth (glibc's malloc goes on with mmap; a program's
 * own sbrk would fail). Windows near the heap come from the executable's own code, rarely. */
static uint32_t map_pun_page(uintptr_t site, uintptr_t page, uintptr_t slot) {
    void *m = mmap((void *)page, PUN_REGION_SIZE, PROT_READ | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED)
        return 0;
    if ((uintptr_t)m != page || !add_region(site, page, PUN_REGION_SIZE / KT_TRAMP_SLOT_SIZE, 1)) {
        munmap(m, PUN_REGION_SIZE);
        return 0;
    }
    return (nregions - 1) * SLOTS_PER_REGION + (uint32_t)((slot - page) / KT_TRAMP_SLOT_SIZE) + 1;
}

int kt_tramp_reserve_in(uintptr_t site, uintptr_t lo, uintptr_t hi, struct kt_tramp_info *out) {
    int err = kt_init(NULL);
    if (err)
        return err;
    if (lo > hi || !reachable(site, lo) || !reachable(site, hi))
        return KT_EINVAL;
    pthread_mutex_lock(&kt_reg_lock);
    /* The site's slot from an earlier session, when it lies in the window. */
    uint32_t g = site_slot(site, lo, hi);
    if (!g)
        g = free_pun_slot(lo, hi);
    /* A new page at a page start in the window (4,096 tries at most), or, for a window
     * narrower than a page (keep_from 2), the page holding its first slot-aligned address. */
    uintptr_t first = (lo + KT_TRAMP_SLOT_SIZE - 1) & ~(uintptr_t)(KT_TRAMP_SLOT_SIZE - 1);
    uintptr_t page = (lo + PUN_REGION_SIZE - 1) & ~(uintptr_t)(PUN_REGION_SIZE - 1);
    for (int tries = 0; !g && page >= lo && page <= hi && tries < 4096;
         tries++, page += PUN_REGION_SIZE)
        g = map_pun_page(site, page, page);
    if (!g && first >= lo && first <= hi)
        g = map_pun_page(site, first & ~(uintptr_t)(PUN_REGION_SIZE - 1), first);
    if (!g) {
        pthread_mutex_unlock(&kt_reg_lock);
        return KT_ENOSPC;
    }
    if (!meta_of(g - 1)->site) {
        /* The site's ordinary slot was never usable (its code needs this one): retire it, so
         * that the site has one slot. */
        struct kt_slot_meta *old = kt_tramp_site_meta(site);
        if (old && !old->installed && !old->owner)
            kt_tramp_retire(old);
        tag_slot(g - 1, site);
    }
    uintptr_t slot = slot_addr(g - 1);
    pthread_mutex_unlock(&kt_reg_lock);
    fill_info(slot, out);
    return KT_OK;
}

struct kt_slot_meta *kt_tramp_meta(uintptr_t slot) {
    uint32_t n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        const struct region *r = &regions[i];
        uint32_t slots = r->pun ? r->nslots : r->used;
        if (slot < r->base || slot >= r->base + (uintptr_t)slots * KT_TRAMP_SLOT_SIZE ||
            (slot - r->base) % KT_TRAMP_SLOT_SIZE != 0)
            continue;
        return &r->meta[(slot - r->base) / KT_TRAMP_SLOT_SIZE];
    }
    return NULL;
}

struct kt_slot_meta *kt_tramp_site_meta(uintptr_t site) {
    uint32_t g = site_slot(site, 0, UINTPTR_MAX);
    return g ? meta_of(g - 1) : NULL;
}

void kt_tramp_retire(struct kt_slot_meta *m) {
    uint32_t *link = &site_buckets[site_hash(m->site)];
    while (*link && meta_of(*link - 1) != m)
        link = &meta_of(*link - 1)->next;
    if (*link)
        *link = m->next;
    m->next = 0;
    m->site = 0;
}
