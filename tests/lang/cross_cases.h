/* Differential cases run by both architectures: lang_cross32 (-m32, i386 library) prints the
 * results, t_cross.cc computes them with the x86_64 library and compares. Exercises the code
 * whose 64-bit arithmetic differs most between the builds (libgcc division on i386). */
#ifndef KT_CROSS_CASES_H
#define KT_CROSS_CASES_H

#include "kt_lang.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

typedef void (*cross_emit)(const char *name, const char *bytes, uint32_t len, void *user);

static inline void cross_run(cross_emit emit, void *user) {
    static const char *fmts[] = {"%d",  "%i",  "%u",  "%x",    "%X",     "%o",    "%#x",      "%#o",
                                 "%p",  "%+d", "% d", "%025d", "%-25d|", "%.20d", "%#30.22X", "%b",
                                 "%4b", "%2b", "%1b", "%c",    "%#c",    "%*d"};
    static const kt_long vals[] = {0,
                                   1,
                                   -1,
                                   7,
                                   -7,
                                   1000000007,
                                   -999999999999,
                                   INT64_MAX,
                                   INT64_MIN,
                                   INT64_MIN + 1,
                                   (kt_long)0x8000000000000001ULL,
                                   0x7f,
                                   0xff,
                                   4294967296LL,
                                   -4294967296LL};
    enum { NSLOTS = 2 };
    uint64_t ring = 1 << 16, prefix = kt_arena_prefix_bytes(NSLOTS, ring);
    uint64_t size = prefix + (8u << 20), off = prefix;
    uint8_t *a =
        (uint8_t *)mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char buf[16384], name[64];
    kt_ctx c;
    uint32_t n;
    kt_arena_init(a, size, NSLOTS, ring, 512, 2048, 1000, 10);
    kt_ctx_init(&c, a, 0);
    kt_slot_claim(&c, 1);

    for (unsigned f = 0; f < sizeof fmts / sizeof *fmts; f++)
        for (unsigned v = 0; v < sizeof vals / sizeof *vals; v++) {
            kt_fmt_arg args[2] = {{vals[v], 0}, {vals[(v + 3) % 15], 0}};
            n = kt_format(&c, buf, sizeof buf, fmts[f], args, 2);
            strcpy(name, "fmt ");
            strcat(name, fmts[f]);
            emit(name, buf, n, user);
        }
    for (unsigned v = 0; v < sizeof vals / sizeof *vals; v++) {
        kt_long_to_str(buf, vals[v], 64);
        emit("long_to_str", buf, (uint32_t)strlen(buf), user);
        kt_long_to_str(buf, kt_strtol(&c, buf, 10), 64);
        emit("strtol", buf, (uint32_t)strlen(buf), user);
    }
    {
        static const struct {
            uint32_t kind;
            int64_t lo, hi, w;
        } hs[] = {{KT_HIST_LOG, 0, 0, 0},
                  {KT_HIST_LINEAR, -1000000000000LL, 1000000000000LL, 20000000000LL},
                  {KT_HIST_LINEAR, -7, 5, 3}};
        for (unsigned h = 0; h < 3; h++)
            for (int shift = 0; shift < 3; shift++) {
                kt_stat_params p;
                memset(&p, 0, sizeof p);
                p.nslots = NSLOTS;
                p.hist_kind = hs[h].kind;
                p.hist_lo = hs[h].lo;
                p.hist_hi = hs[h].hi;
                p.hist_width = hs[h].w;
                p.var_shift = shift;
                kt_stat_init(a + off, &p);
                for (unsigned v = 0; v < sizeof vals / sizeof *vals; v++)
                    if (vals[v] > -(1LL << 40) && vals[v] < (1LL << 40))
                        for (int r = 0; r <= (int)v; r++)
                            kt_stat_add(&c, off, vals[v] * (r + 1) / 3);
                for (int agg = KT_AGG_COUNT; agg <= KT_AGG_VARIANCE; agg++) {
                    kt_long_to_str(buf, kt_stat_get(&c, off, agg, shift), 64);
                    emit("stat", buf, (uint32_t)strlen(buf), user);
                }
                n = kt_hist_render(&c, off, 2, buf, sizeof buf);
                emit("hist", buf, n, user);
                off += (kt_stat_bytes(&p) + 63) & ~63ull;
            }
    }
    munmap(a, size);
}

#endif
