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
    out->hop = 0;
    out->reloc_addr = slot + KT_ENTRY_HEAD_LEN;
    uint32_t cap = KT_TRAMP_DATA_OFF - KT_ENTRY_HEAD_LEN;
    out->reloc_cap = cap < KT_RELOC_MAX ? cap : KT_RELOC_MAX;
    out->bits = KT_ARCH_BITS;
}

/* The site's slot (kept from an earlier reservation, or a new one near it): its global number
 * + 1, else 0. Called with kt_reg_lock held. */
static uint32_t reserve_locked(uintptr_t site) {
    uint32_t found = find_site_slot(site);
    if (found)
        return found;
    uint32_t ri = nregions;
    for (uint32_t i = 0; i < nregions; i++) {
        if (!regions[i].pun && regions[i].used < regions[i].nslots &&
            reachable(site, regions[i].base)) {
            ri = i;
            break;
        }
    }
    if (ri == nregions && !add_region(site, 0, SLOTS_PER_REGION, 0))
        return 0;
    struct region *r = &regions[ri];
    uint32_t g = ri * SLOTS_PER_REGION + r->used++;
    tag_slot(g, site);
    return g + 1;
}

int kt_tramp_reserve(uintptr_t site, struct kt_tramp_info *out) {
    int err = kt_init(NULL);
    if (err)
        return err;
    pthread_mutex_lock(&kt_reg_lock);
    uint32_t g = reserve_locked(site);
    pthread_mutex_unlock(&kt_reg_lock);
    if (!g)
        return KT_ENOSPC;
    fill_info(slot_addr(g - 1), out);
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

/* Hops: a punned jump that keeps the function's bytes 1..4 (a 1-byte function with the next
 * one right after it) reaches exactly one address, where no slot starts. A jump on to the
 * site's ordinary slot is written there, in a page of its own (never over anything:
 * MAP_FIXED_NOREPLACE) or in one mapped for an earlier hop. Like slots, hops stay for the life
 * of the process: a thread may be on one when its probe goes. */
#define MAX_HOPS 256
#define HOP_MAX_LEN 14
struct hop {
    uintptr_t at, site, slot;
    uint32_t len;
};
static struct hop hops[MAX_HOPS];
static uint32_t nhops;
static uintptr_t hop_pages[MAX_HOPS * 2];
static uint32_t nhop_pages;

static int hop_page_mapped(uintptr_t page) {
    for (uint32_t i = 0; i < nhop_pages; i++)
        if (hop_pages[i] == page)
            return 1;
    return 0;
}

/* x86_64: jmp rel32 when the slot is within reach of the hop, else jmp *0(%rip) and the slot's
 * address; i386: jmp rel32 always reaches. */
static uint32_t encode_hop(uint8_t *b, uintptr_t at, uintptr_t slot) {
    if (kt_arch_encode_jmp(b, at, slot))
        return KT_PATCH_LEN;
    static const uint8_t jmp_rip[6] = {0xff, 0x25, 0, 0, 0, 0};
    memcpy(b, jmp_rip, sizeof jmp_rip);
    uint64_t abs = (uint64_t)slot;
    memcpy(b + sizeof jmp_rip, &abs, sizeof abs);
    return HOP_MAX_LEN;
}

/* The hop at AT for SITE (reused, or made), jumping to global slot G. Lock held. */
static int place_hop(uintptr_t site, uintptr_t at, uint32_t g) {
    uintptr_t slot = slot_addr(g);
    uint8_t code[HOP_MAX_LEN];
    uint32_t len = encode_hop(code, at, slot);
    for (uint32_t i = 0; i < nhops; i++) {
        struct hop *h = &hops[i];
        if (h->at == at && h->site == site) {
            if (h->slot == slot && h->len == len)
                return KT_OK;
            /* the site's slot was retired and it got a new one: re-aim (same length, else no) */
            if (h->len != len || kt_write_code(at, code, len) != KT_OK)
                return KT_ENOSPC;
            h->slot = slot;
            return KT_OK;
        }
        if (at < h->at + h->len && h->at < at + len)
            return KT_ENOSPC; /* another site's hop is there */
    }
    if (nhops >= MAX_HOPS)
        return KT_ENOSPC;
    uintptr_t first = at & ~(uintptr_t)(PUN_REGION_SIZE - 1);
    uintptr_t last = (at + len - 1) & ~(uintptr_t)(PUN_REGION_SIZE - 1);
    uintptr_t mapped[2] = {0, 0};
    int nmapped = 0;
    for (uintptr_t page = first; page <= last; page += PUN_REGION_SIZE) {
        if (hop_page_mapped(page))
            continue;
        void *m = mmap((void *)page, PUN_REGION_SIZE, PROT_READ | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (m == MAP_FAILED || (uintptr_t)m != page) {
            if (m != MAP_FAILED)
                munmap(m, PUN_REGION_SIZE);
            for (int k = 0; k < nmapped; k++)
                munmap((void *)mapped[k], PUN_REGION_SIZE);
            return KT_ENOSPC;
        }
        mapped[nmapped++] = page;
    }
    if (kt_write_code(at, code, len) != KT_OK) {
        for (int k = 0; k < nmapped; k++)
            munmap((void *)mapped[k], PUN_REGION_SIZE);
        return KT_ENOSPC;
    }
    for (int k = 0; k < nmapped; k++)
        hop_pages[nhop_pages++] = mapped[k];
    hops[nhops].at = at;
    hops[nhops].site = site;
    hops[nhops].slot = slot;
    hops[nhops].len = len;
    __atomic_store_n(&nhops, nhops + 1, __ATOMIC_RELEASE);
    return KT_OK;
}

int kt_tramp_hop_ok(uintptr_t at, uintptr_t slot) {
    uint32_t n = __atomic_load_n(&nhops, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        if (hops[i].at == at)
            return hops[i].slot == slot;
    return 0;
}

int kt_tramp_reserve_in(uintptr_t site, uintptr_t lo, uintptr_t hi, struct kt_tramp_info *out) {
    int err = kt_init(NULL);
    if (err)
        return err;
    if (lo > hi || !reachable(site, lo) || !reachable(site, hi))
        return KT_EINVAL;
    pthread_mutex_lock(&kt_reg_lock);
    if (lo == hi) {
        /* One address: a hop there to the site's ordinary slot. */
        uint32_t g = reserve_locked(site);
        int err = g ? place_hop(site, lo, g - 1) : KT_ENOSPC;
        pthread_mutex_unlock(&kt_reg_lock);
        if (err)
            return err;
        fill_info(slot_addr(g - 1), out);
        out->hop = lo;
        return KT_OK;
    }
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

uintptr_t kt_tramp_site_at(uintptr_t pc) {
    uint32_t n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        const struct region *r = &regions[i];
        uint32_t slots = r->pun ? r->nslots : r->used;
        if (pc < r->base || pc >= r->base + (uintptr_t)slots * KT_TRAMP_SLOT_SIZE)
            continue;
        return r->meta[(pc - r->base) / KT_TRAMP_SLOT_SIZE].site;
    }
    uint32_t h = __atomic_load_n(&nhops, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < h; i++)
        if (pc >= hops[i].at && pc < hops[i].at + hops[i].len)
            return hops[i].site;
    return 0;
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
