/* Freestanding memory and buffer helpers: the library may not call libc (it runs inside probed
 * processes whose libc functions may themselves be probed). */
#include "kt_lang_int.h"

/* Byte loops, written so GCC cannot turn them back into memcpy/memset calls (the build also
 * passes -fno-tree-loop-distribute-patterns; the volatile-free form keeps them fast enough). */
void kt_memcpy(void *dst, const void *src, uint64_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n >= 8 && (((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        *(uint64_t *)d = *(const uint64_t *)s;
        d += 8, s += 8, n -= 8;
    }
    while (n--)
        *d++ = *s++;
}

void kt_memset(void *dst, int c, uint64_t n) {
    uint8_t *d = dst;
    if (c == 0) {
        while (n && ((uintptr_t)d & 7)) {
            *d++ = 0;
            n--;
        }
        while (n >= 8) {
            *(uint64_t *)d = 0;
            d += 8, n -= 8;
        }
    }
    while (n--)
        *d++ = (uint8_t)c;
}

uint32_t kt_strnlen(const char *s, uint32_t max) {
    uint32_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int kt_str_eq_trunc(const char *stored, const char *cand, uint32_t cap) {
    for (uint32_t i = 0; i + 1 < cap; i++) {
        if (stored[i] != cand[i])
            return 0;
        if (!stored[i])
            return 1;
    }
    return 1; /* both hold cap-1 equal characters: the candidate truncates to the same key */
}

void kt_buf_puts(kt_buf *b, const char *s) {
    while (*s)
        kt_buf_putc(b, *s++);
}

void kt_buf_rep(kt_buf *b, char c, int32_t n) {
    while (n-- > 0)
        kt_buf_putc(b, c);
}

void kt_buf_long(kt_buf *b, int64_t v, int32_t width) {
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    kt_buf_rep(b, ' ', width - n);
    while (n)
        kt_buf_putc(b, tmp[--n]);
}
