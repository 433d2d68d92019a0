/* libcalls [N]: N rounds of a fixed mix of libc calls (allocation, conversion, sorting, stdio)
 * and of its own comparator, the same on every run; prints a checksum. target.gdbcount counts
 * the calls twice, with gdb breakpoints and with ktap probes, and compares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls_cmp;

__attribute__((noinline)) int libcalls_cmp(const void *a, const void *b) {
    calls_cmp++;
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100;
    long sum = 0;
    for (int i = 0; i < n; i++) {
        char *p = malloc(16 + (size_t)(i % 64));
        p[0] = (char)(i & 0x7f);
        sum += p[0];
        p = realloc(p, 128 + (size_t)i);
        int *q = calloc(4, sizeof *q);
        char buf[32];
        snprintf(buf, sizeof buf, "%d", i);
        sum += atoi(buf) + strtol(buf, NULL, 10) + q[1];
        int arr[6] = {5, 3, 1, 4, 2, i % 7};
        qsort(arr, 6, sizeof arr[0], libcalls_cmp);
        sum += arr[0];
        if (i % 10 == 0)
            sum += getenv("KTAP_LIBCALLS_UNSET") == NULL;
        free(q);
        free(p);
    }
    printf("sum=%ld cmp=%d\n", sum, calls_cmp);
    return 0;
}
