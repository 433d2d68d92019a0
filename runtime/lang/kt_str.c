/* String helpers with SystemTap's tapset semantics (string.stp, stp_string.c). Buffers are
 * `cap` bytes (MAXSTRINGLEN), always NUL-terminated, silently truncated. */
#include "kt_lang_int.h"

KT_API uint32_t kt_strlen(const char *s) {
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

KT_API void kt_strcpy(char *dst, const char *src, uint32_t cap) {
    uint32_t i = 0;
    if (!cap)
        return;
    /* A word at a time once src is aligned: an aligned 8-byte load never crosses a page, so
       reading past the NUL within the word cannot fault. */
    for (; i + 1 < cap && src[i] && ((uintptr_t)(src + i) & 7); i++)
        dst[i] = src[i];
    if (i + 1 < cap && src[i]) {
        for (; i + 9 <= cap; i += 8) {
            uint64_t w;
            __builtin_memcpy(&w, src + i, 8); /* aligned: one load */
            if ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)
                break; /* a NUL in this word */
            __builtin_memcpy(dst + i, &w, 8);
        }
        for (; i + 1 < cap && src[i]; i++)
            dst[i] = src[i];
    }
    dst[i] = 0;
}

KT_API void kt_strcat(char *dst, const char *src, uint32_t cap) {
    uint32_t n = kt_strnlen(dst, cap);
    if (n >= cap)
        return;
    kt_strcpy(dst + n, src, cap - n);
}

KT_API int kt_strcmp(const char *a, const char *b) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y)
        x++, y++;
    return (int)*x - (int)*y;
}

KT_API void kt_long_to_str(char *dst, kt_long v, uint32_t cap) {
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    if (!cap)
        return;
    kt_buf_long(&b, v, 0);
    dst[b.len < b.cap ? b.len : b.cap] = 0;
}

/* substr(str, start, length): clamp(length + 1, 0, MAXSTRINGLEN) then strlcpy. */
KT_API void kt_substr(char *dst, const char *s, kt_long start, kt_long len, uint32_t cap) {
    kt_long n = len + 1; /* strlcpy size */
    uint32_t slen = kt_strlen(s);
    if (!cap)
        return;
    dst[0] = 0;
    if (len == INT64_MAX || n > (kt_long)cap)
        n = cap;
    if (n < 0)
        n = 0;
    if (start >= 0 && start < (kt_long)slen && n > 0)
        kt_strcpy(dst, s + start, (uint32_t)n);
}

KT_API kt_long kt_stringat(kt_ctx *ctx, const char *s, kt_long i) {
    if (i >= 0 && i < (kt_long)kt_strlen(s))
        return (kt_long)(signed char)s[i]; /* stap returns the (signed) char */
    kt_error(ctx, KT_ERR_STRINGAT, 0);
    return 0;
}

KT_API kt_long kt_strpos(const char *hay, const char *needle) {
    for (kt_long i = 0;; i++) {
        uint32_t j = 0;
        while (needle[j] && hay[i + j] == needle[j])
            j++;
        if (!needle[j])
            return i;
        if (!hay[i])
            return -1;
    }
}

KT_API void kt_str_replace(char *dst, const char *s, const char *from, const char *to,
                           uint32_t cap) {
    uint32_t flen = kt_strlen(from), n = 0;
    if (!cap)
        return;
    dst[0] = 0;
    if (!flen) {
        kt_strcpy(dst, s, cap);
        return;
    }
    while (*s) {
        uint32_t j = 0;
        while (j < flen && s[j] == from[j])
            j++;
        if (j == flen) {
            for (const char *t = to; *t; t++)
                if (n + 1 < cap)
                    dst[n++] = *t;
            s += flen;
        } else if (n + 1 < cap) {
            dst[n++] = *s++;
        } else {
            s++;
        }
    }
    dst[n] = 0;
}

static int kt_digit_val(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* The kernel's simple_strtol: optional '-', base 0 detects 0x/0, base 16 skips 0x, no
 * whitespace skipping, stops at the first invalid digit, wraps on overflow. */
KT_API kt_long kt_strtol(kt_ctx *ctx, const char *s, kt_long base) {
    int neg = 0;
    uint64_t v = 0;
    (void)ctx;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (base == 0) {
        if (s[0] == '0') {
            if ((s[1] == 'x' || s[1] == 'X') && kt_digit_val(s[2]) < 16)
                base = 16;
            else
                base = 8;
        } else {
            base = 10;
        }
    }
    if (base < 2 || base > 36)
        return 0;
    if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    for (; kt_digit_val(*s) < base; s++)
        v = v * (uint64_t)base + (uint64_t)kt_digit_val(*s);
    return neg ? (kt_long)(0 - v) : (kt_long)v;
}

static char kt_hexd(int v) {
    return (char)(v < 10 ? '0' + v : 'a' + v - 10);
}

/* UTF-8 decoding as _stp_decode_utf8: returns bytes consumed, the code point in *c. */
static int kt_decode_utf8(const char *buf, int size, int *c_ret) {
    signed char b = (signed char)buf[0];
    int c, n, i;
    size--;
    if ((b & 0xE0) == 0xC0 && size >= 1)
        n = 1, c = b & 0x1F;
    else if ((b & 0xF0) == 0xE0 && size >= 2)
        n = 2, c = b & 0xF;
    else if ((b & 0xF8) == 0xF0 && size >= 3)
        n = 3, c = b & 0x7;
    else
        goto verbatim;
    for (i = 0; i < n; i++) {
        signed char b2 = (signed char)buf[1 + i];
        if ((b2 & 0xC0) != 0x80)
            goto verbatim;
        c = (c << 6) | (b2 & 0x3F);
    }
    if ((0xD800 <= c && c <= 0xDFFF) || c > 0x10FFFF)
        goto verbatim;
    *c_ret = c;
    return 1 + n;
verbatim:
    *c_ret = (unsigned char)b;
    return 1;
}

/* _stp_text_str(out, in, inlen = 0, outlen, quoted, user = 0) with MAXSTRINGLEN = cap. */
static void kt_text_str_impl(char *outstr, const char *in, int outlen, int quoted, uint32_t cap) {
    int c = 0, inlen = (int)kt_strnlen(in, cap - 1); /* bytes readable: we stop at the NUL */
    int inmax = (int)cap - 1;
    char *out = outstr;
    if (outlen <= 0 || outlen > (int)cap - 1)
        outlen = (int)cap - 1;
    if (quoted) {
        outlen = (outlen > 5 ? outlen : 5) - 2;
        *out++ = '"';
    }
    /* stap's inlen budget is MAXSTRINGLEN-1; reading stops at the NUL (c == 0) anyway. */
    inmax = inlen < inmax ? inlen + 1 : inmax;
    while (inmax > 0) {
        int num = 1;
        int n = kt_decode_utf8(in, inmax, &c);
        if (c == 0 || outlen <= 0)
            break;
        in += n;
        inmax -= n;
        if (n > 1) {
            num = c <= 0xFFFF ? 6 : 10;
            if (outlen < num)
                break;
            *out++ = '\\';
            *out++ = c <= 0xFFFF ? 'u' : 'U';
            for (int i = num - 3; i >= 0; --i)
                *out++ = kt_hexd((c >> (i * 4)) & 0xF);
        } else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            *out++ = (char)c;
        } else {
            char esc = kt_escape_letter(c, '"');
            num = esc ? 2 : 4;
            if (outlen < num)
                break;
            *out++ = '\\';
            if (esc) {
                *out++ = esc;
            } else {
                *out++ = (char)('0' + ((c >> 6) & 3));
                *out++ = (char)('0' + ((c >> 3) & 7));
                *out++ = (char)('0' + (c & 7));
            }
        }
        outlen -= num;
    }
    if (quoted) {
        if (c && inmax > 0) {
            /* Truncated: stap backs up so the result is exactly the budget, ending `"...`.
               (stap moves forward over unwritten bytes when more than 3 remain; we don't.) */
            out = out - 3 + (outlen < 3 ? outlen : 3);
            *out++ = '"';
            *out++ = '.';
            *out++ = '.';
            *out++ = '.';
        } else {
            *out++ = '"';
        }
    }
    *out = 0;
}

KT_API void kt_text_str(char *dst, const char *s, uint32_t cap) {
    if (cap)
        kt_text_str_impl(dst, s, 0, 0, cap);
}

KT_API void kt_text_strn(char *dst, const char *s, kt_long n, kt_long quoted, uint32_t cap) {
    if (!cap)
        return;
    if (n < 0)
        n = 0;
    if (n > (kt_long)cap)
        n = cap;
    kt_text_str_impl(dst, s, (int)n, quoted != 0, cap);
}

KT_API void kt_string_quoted(char *dst, const char *s, uint32_t cap) {
    if (cap)
        kt_text_str_impl(dst, s, 0, 1, cap);
}

/* tokenize(input, delim): a non-empty input restarts; empty tokens are skipped (strsep loop).
   `state` holds the unconsumed rest of the string. */
KT_API void kt_tokenize(char *dst, char *state, const char *s, const char *delim, uint32_t cap) {
    uint32_t i = 0, n = 0;
    if (!cap)
        return;
    dst[0] = 0;
    if (s[0])
        kt_strcpy(state, s, cap);
    for (;;) {
        uint32_t start = i;
        if (!state[i])
            break;
        while (state[i]) {
            const char *d = delim;
            while (*d && *d != state[i])
                d++;
            if (*d)
                break;
            i++;
        }
        n = i - start;
        if (state[i])
            i++; /* skip the delimiter */
        if (n) {
            kt_memcpy(dst, state + start, n);
            dst[n] = 0;
            break;
        }
    }
    /* Shift the rest to the front so the state stays a plain string. */
    {
        uint32_t j = 0;
        while (state[i])
            state[j++] = state[i++];
        state[j] = 0;
    }
}
