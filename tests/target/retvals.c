/* retvals [ROUNDS]: calls functions of varied signatures and prints, for every call, the
 * arguments it passed and the value it got back, in the format the argument/return tests'
 * scripts print from their probes (int_arg, uint_arg, long_arg, pointer_arg,
 * user_string(pointer_arg(n)), longlong_arg, $return, returnval()):
 *   call NAME(ARGS)
 *   ret NAME=VALUE
 * Pointers are printed as bare lowercase hex (%lx); strings in double quotes. The first line,
 * "addr f_int=HEX", is f_int's address (what uaddr() reads at its entry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probed.h"

volatile long sink;

PROBED int f_int(int a, int b)
{
    sink = a;
    return a + b;
}

PROBED unsigned f_uint(unsigned a)
{
    sink = a;
    return a + 15u;
}

PROBED long f_long(long a, long b)
{
    sink = a;
    return a * 2 - b;
}

PROBED const char *f_str(const char *s)
{
    sink = (long)s;
    const char *c = strchr(s, ' ');
    return c ? c + 1 : s;
}

PROBED char *f_ptr(char *p)
{
    sink = (long)p;
    return p + 4;
}

/* 8 arguments: on x86_64 the 7th and 8th are on the stack. */
PROBED long f_many(long a1, long a2, long a3, long a4, long a5, long a6, long a7, long a8)
{
    sink = a1;
    return a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8;
}

/* On i386 the long long takes argument slots 2 and 3, so c is int_arg(4). */
PROBED long long f_ll(int a, long long b, int c)
{
    sink = a;
    return b + a - c;
}

static char buf[64] = "0123456789abcdefghij";

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    static const char *strs[] = {"hello world", "ktap traces", "nospace"};
    printf("addr f_int=%lx\n", (unsigned long)(void *)f_int);
    for (int k = 0; k < rounds; k++) {
        int a = 7 + k, b = -3 - 1000 * k;
        printf("call f_int(%d, %d)\n", a, b);
        printf("ret f_int=%d\n", f_int(a, b));

        unsigned u = 4294967280u + (unsigned)k;
        printf("call f_uint(%u)\n", u);
        printf("ret f_uint=%u\n", f_uint(u));

        long l1 = sizeof(long) == 8 ? (long)(-5000000000LL - k) : -1234567L - k;
        long l2 = 3 + k;
        printf("call f_long(%ld, %ld)\n", l1, l2);
        printf("ret f_long=%ld\n", f_long(l1, l2));

        const char *s = strs[k % 3];
        printf("call f_str(\"%s\")\n", s);
        printf("ret f_str=\"%s\"\n", f_str(s));

        char *p = buf + k;
        printf("call f_ptr(%lx)\n", (unsigned long)p);
        printf("ret f_ptr=%lx\n", (unsigned long)f_ptr(p));

        long m[8];
        for (int i = 0; i < 8; i++)
            m[i] = (i % 2 ? -1 : 1) * (long)(i + 1 + 100 * k);
        printf("call f_many(%ld, %ld, %ld, %ld, %ld, %ld, %ld, %ld)\n", m[0], m[1], m[2], m[3],
               m[4], m[5], m[6], m[7]);
        printf("ret f_many=%ld\n", f_many(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]));

        long long ll = 0x0123456789abcdefLL + k;
        int c = -9 - k;
        printf("call f_ll(%d, %lld, %d)\n", a, ll, c);
        printf("ret f_ll=%lld\n", f_ll(a, ll, c));
    }
    return 0;
}
