/* i386 half of the arch-neutral layout proof: builds an arena with ktap-lang32 (maps, statistics,
 * a lock, output from two thread slots) in a memfd and writes it to argv[1]. Its stdout is the
 * list of offsets it used, which the x86_64 reader compares with its own. */
#define _GNU_SOURCE
#include "layout_common.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    layout L = l_build(NULL);
    int fd = memfd_create("kt-arena32", 0);
    uint8_t *a;
    int32_t slot1, slot2;
    FILE *f;
    if (argc != 2 || fd < 0 || ftruncate(fd, (off_t)L.total) != 0)
        return 2;
    a = mmap(NULL, L.total, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (a == MAP_FAILED)
        return 2;
    l_build(a);
    if (l_fill(a, &L, &slot1, &slot2) != 0)
        return 3;

    f = fopen(argv[1], "wb");
    if (!f || fwrite(a, 1, L.total, f) != L.total || fclose(f) != 0)
        return 4;
    printf("%llu %llu %llu %llu %llu %llu %llu %d %d\n", (unsigned long long)L.total,
           (unsigned long long)L.lock, (unsigned long long)L.counts, (unsigned long long)L.names,
           (unsigned long long)L.lat, (unsigned long long)L.bystr, (unsigned long long)L.scalar,
           slot1, slot2);
    return 0;
}
