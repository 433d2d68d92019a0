/* The arena both halves of the i386 layout proof build: the -m32 writer fills it with the i386
 * library, the x86_64 test reads it back with the x86_64 library. Plain C, shared by both. */
#ifndef KT_LAYOUT_COMMON_H
#define KT_LAYOUT_COMMON_H

#include "kt_lang.h"

#include <string.h>

#define L_NSLOTS 4
#define L_RING 4096
#define L_MSL 64
#define L_GLOBALS (4u << 20)

typedef struct layout {
    uint64_t total;
    uint64_t lock, counts, names, lat, bystr, scalar;
} layout;

static inline uint64_t l_take(uint64_t *next, uint64_t bytes) {
    uint64_t off = *next;
    *next += (bytes + 63) & ~63ull;
    return off;
}

/* Computes the offsets; with `arena` non-null also initialises the globals. */
static inline layout l_build(uint8_t *arena) {
    layout L;
    uint64_t next = kt_arena_globals_off(L_NSLOTS, L_RING);
    kt_map_params counts = {0}, names = {0}, bystr = {0};
    kt_stat_params lat = {0};
    L.total = kt_arena_prefix_bytes(L_NSLOTS, L_RING) + L_GLOBALS;

    L.lock = l_take(&next, kt_lock_bytes());
    counts.nkeys = 2; /* counts[long, string] = long */
    counts.key_kinds = 2;
    counts.value_kind = KT_LONG;
    counts.capacity = 64;
    counts.maxstringlen = L_MSL;
    counts.nslots = L_NSLOTS;
    L.counts = l_take(&next, kt_map_bytes(&counts));
    names.nkeys = 1; /* names[long] = string, wrapping at 3 */
    names.value_kind = KT_STRING;
    names.capacity = 3;
    names.wrap = 1;
    names.maxstringlen = L_MSL;
    names.nslots = L_NSLOTS;
    L.names = l_take(&next, kt_map_bytes(&names));
    lat.nslots = L_NSLOTS; /* lat <<< : log histogram, variance shift 1 */
    lat.hist_kind = KT_HIST_LOG;
    lat.var_shift = 1;
    L.lat = l_take(&next, kt_stat_bytes(&lat));
    bystr.nkeys = 1; /* bystr[string] <<< : linear histogram */
    bystr.key_kinds = 1;
    bystr.value_kind = KT_STATS;
    bystr.capacity = 16;
    bystr.maxstringlen = L_MSL;
    bystr.nslots = L_NSLOTS;
    bystr.hist_kind = KT_HIST_LINEAR;
    bystr.hist_lo = 0;
    bystr.hist_hi = 100;
    bystr.hist_width = 10;
    L.bystr = l_take(&next, kt_map_bytes(&bystr));
    L.scalar = l_take(&next, 64); /* a long and a string scalar, as codegen lays them out */
    if (arena) {
        kt_arena_init(arena, L.total, L_NSLOTS, L_RING, L_MSL, 2048, 1000, 10);
        kt_lock_init(arena + L.lock);
        kt_map_init(arena + L.counts, &counts);
        kt_map_init(arena + L.names, &names);
        kt_stat_init(arena + L.lat, &lat);
        kt_map_init(arena + L.bystr, &bystr);
    }
    return L;
}

/* Fills an initialised arena: the same operations on both architectures must give the same
   bytes. Returns 0, or -1 when a step fails. */
static inline int l_fill(uint8_t *a, const layout *L, int32_t *slot1, int32_t *slot2) {
    kt_ctx c1, c2;
    kt_ctx_init(&c1, a, 0);
    kt_ctx_init(&c2, a, 1);
    if (kt_slot_claim(&c1, 4242) < 0 || kt_slot_claim(&c2, 4343) < 0)
        return -1;
    if (!kt_lock_write(&c1, L->lock))
        return -1;

    /* counts[i, name] = i * 1000 + len(name), in a known insertion order */
    static const char *nm[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    for (int i = 0; i < 5; i++) {
        kt_key k;
        memset(&k, 0, sizeof k);
        k.n[0] = -i;
        k.s[1] = nm[i];
        *kt_map_long(&c1, L->counts, kt_map_insert(&c1, L->counts, &k)) =
            (kt_long)i * 1000000000000LL + (kt_long)strlen(nm[i]);
    }
    /* names wraps: 1..5 leaves 3, 4, 5 */
    for (int i = 1; i <= 5; i++) {
        kt_key k;
        memset(&k, 0, sizeof k);
        k.n[0] = i;
        kt_strcpy(kt_map_str(&c1, L->names, kt_map_insert(&c1, L->names, &k)), nm[i - 1], L_MSL);
    }
    /* lat from two slots */
    for (kt_long v = 1; v <= 5; v++)
        kt_stat_add(&c1, L->lat, v);
    for (kt_long v = -3; v <= 300; v += 3)
        kt_stat_add(&c2, L->lat, v * 1000000000LL);
    /* bystr */
    for (int i = 0; i < 40; i++) {
        kt_key k;
        memset(&k, 0, sizeof k);
        k.s[0] = nm[i % 3];
        kt_stat_add(i % 2 ? &c1 : &c2, kt_map_stat(&c1, L->bystr, kt_map_insert(&c1, L->bystr, &k)),
                    i * 3 - 5);
    }
    /* scalars */
    *(kt_long *)(a + L->scalar) = -1234567890123LL;
    kt_strcpy((char *)(a + L->scalar + 8), "scalar string", 56);
    /* output from both slots */
    kt_out_str(&c1, "from slot one\n");
    {
        kt_fmt_arg args[3] = {{-42, 0}, {0, "i386"}, {-42, 0}};
        kt_out_format(&c2, "%d %s %#x\n", args, 3);
    }
    kt_out_hist(&c1, L->lat, 2);
    kt_unlock_write(&c1, L->lock);
    if (!kt_lock_read(&c1, L->lock)) /* leave it read-locked once: the reader checks the word */
        return -1;
    kt_error(&c1, KT_ERR_DIVZERO, 0);
    ((kt_arena_header *)a)->errors = 1;

    *slot1 = c1.slot;
    *slot2 = c2.slot;
    return 0;
}

#endif
