/* printf with SystemTap's semantics (runtime/vsprintf.c, every integer an int64 as the
 * translator passes them). Differences from C that are stap's and kept on purpose:
 * `%#o`/`%#x` always prefix (also for 0), a precision does not cancel the `0` flag, `%.0d` of 0
 * prints "0", `%p` is `%#x`, a negative `.*` precision is 0. */
#include "kt_lang_int.h"

enum {
    F_ZEROPAD = 1,
    F_SIGN = 2,
    F_PLUS = 4,
    F_SPACE = 8,
    F_LEFT = 16,
    F_SPECIAL = 32,
    F_LARGE = 64,
};

static int32_t kt_clamp(int64_t v, int32_t lo, int32_t hi) {
    return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

/* number() */
static void kt_number(kt_buf *b, uint64_t num, int base, int32_t size, int32_t precision,
                      int type) {
    const char *digits = (type & F_LARGE) ? "0123456789ABCDEF" : "0123456789abcdef";
    char c, sign = 0, tmp[66];
    int32_t i = 0;
    if (type & F_LEFT)
        type &= ~F_ZEROPAD;
    c = (type & F_ZEROPAD) ? '0' : ' ';
    if (type & F_SIGN) {
        if ((int64_t)num < 0) {
            sign = '-';
            num = 0 - num;
            size--;
        } else if (type & F_PLUS) {
            sign = '+';
            size--;
        } else if (type & F_SPACE) {
            sign = ' ';
            size--;
        }
    }
    if (type & F_SPECIAL) {
        if (base == 16)
            size -= 2;
        else if (base == 8)
            size--;
    }
    if (num == 0)
        tmp[i++] = '0';
    else
        while (num != 0) {
            tmp[i++] = digits[num % (unsigned)base];
            num /= (unsigned)base;
        }
    if (i > precision)
        precision = i;
    size -= precision;
    if (!(type & (F_ZEROPAD | F_LEFT)))
        while (size-- > 0)
            kt_buf_putc(b, ' ');
    if (sign)
        kt_buf_putc(b, sign);
    if (type & F_SPECIAL) {
        if (base == 8) {
            kt_buf_putc(b, '0');
        } else if (base == 16) {
            kt_buf_putc(b, '0');
            kt_buf_putc(b, (type & F_LARGE) ? 'X' : 'x');
        }
    }
    if (!(type & F_LEFT))
        while (size-- > 0)
            kt_buf_putc(b, c);
    while (i < precision--)
        kt_buf_putc(b, '0');
    while (i-- > 0)
        kt_buf_putc(b, tmp[i]);
    while (size-- > 0)
        kt_buf_putc(b, ' ');
}

static int kt_isprint_ascii(unsigned char c) {
    return c >= 0x20 && c < 0x7f;
}

/* _stp_vsprint_char: `%#c` escapes non-printables, quote and backslash. */
static void kt_char(kt_buf *b, char c, int32_t width, int flags) {
    int32_t size = 1;
    char esc = 0;
    if ((flags & F_SPECIAL) && (!kt_isprint_ascii((unsigned char)c) || c == '\'' || c == '\\')) {
        esc = kt_escape_letter(c, '\'');
        size = esc ? 2 : 4;
    }
    if (!(flags & F_LEFT))
        while (width-- > size)
            kt_buf_putc(b, ' ');
    if (size == 1) {
        kt_buf_putc(b, c);
    } else {
        kt_buf_putc(b, '\\');
        if (esc) {
            kt_buf_putc(b, esc);
        } else {
            kt_buf_putc(b, (char)('0' + ((c >> 6) & 3)));
            kt_buf_putc(b, (char)('0' + ((c >> 3) & 7)));
            kt_buf_putc(b, (char)('0' + (c & 7)));
        }
    }
    while (width-- > size)
        kt_buf_putc(b, ' ');
}

/* kt_target.c: a fault-safe read of this process's memory; raises stap's "read fault" */
int32_t kt_user_read_or_fault(kt_ctx *ctx, void *dst, uint64_t addr, uint32_t n);

/* _stp_vsprint_memory: %s, and %m / %M reading `precision` bytes (default 1) at an address of
 * this process (raw, or as hex pairs). An address argument (uaddr, ptr == NULL) is read with
 * fault-safe reads in chunks; a fault raises KT_ERR_FAULT and ends the conversion (stap drops
 * the whole print: kt_out_format does). A string argument is read directly. */
#define KT_MEM_CHUNK 64
static int kt_has_marker(const char *s, int32_t len) {
    for (int32_t i = 0; i < len; i++)
        if (s[i] == '\x01')
            return 1;
    return 0;
}

static void kt_memory(kt_ctx *ctx, kt_buf *b, const char *ptr, uint64_t uaddr, int32_t width,
                      int32_t precision, char format, int flags) {
    int32_t len, i;
    char chunk[KT_MEM_CHUNK];
    int user = format != 's' && !ptr;
    if (format == 's') {
        if (!ptr)
            ptr = "<NULL>";
        len = (int32_t)kt_strnlen(ptr, precision < 0 ? 0x7fffffffu : (uint32_t)precision);
        /* A symbol marker (usymname() ...) is named by ktap when it prints: the width applies to
           the name, so it travels with the text, "\x03[-]WIDTH\x04TEXT\x05" (OutputSymbols). */
        if (width > 0 && precision < 0 && kt_has_marker(ptr, len)) {
            char num[16];
            int32_t n = 0, w = width;
            do
                num[n++] = (char)('0' + w % 10);
            while ((w /= 10) > 0);
            kt_buf_putc(b, '\x03');
            if (flags & F_LEFT)
                kt_buf_putc(b, '-');
            while (n > 0)
                kt_buf_putc(b, num[--n]);
            kt_buf_putc(b, '\x04');
            for (i = 0; i < len; i++)
                kt_buf_putc(b, ptr[i]);
            kt_buf_putc(b, '\x05');
            return;
        }
    } else {
        len = precision > 0 ? precision : 1;
    }
    if (!(flags & F_LEFT)) {
        int32_t actlen = format == 'M' ? len * 2 : len;
        while (actlen < width--)
            kt_buf_putc(b, ' ');
    }
    if (format == 'M') {
        static const char hex[] = "0123456789abcdef";
        for (i = 0; i < len; i++) {
            unsigned char c;
            if (user) {
                if (i % KT_MEM_CHUNK == 0) {
                    uint32_t k = len - i < KT_MEM_CHUNK ? (uint32_t)(len - i) : KT_MEM_CHUNK;
                    if (kt_user_read_or_fault(ctx, chunk, uaddr + (uint64_t)i, k) != 0)
                        return;
                }
                c = (unsigned char)chunk[i % KT_MEM_CHUNK];
            } else {
                c = (unsigned char)ptr[i];
            }
            kt_buf_putc(b, hex[c >> 4]);
            kt_buf_putc(b, hex[c & 15]);
        }
        len *= 2;
    } else if (user) {
        for (i = 0; i < len; i++) {
            if (i % KT_MEM_CHUNK == 0) {
                uint32_t k = len - i < KT_MEM_CHUNK ? (uint32_t)(len - i) : KT_MEM_CHUNK;
                if (kt_user_read_or_fault(ctx, chunk, uaddr + (uint64_t)i, k) != 0)
                    return;
            }
            kt_buf_putc(b, chunk[i % KT_MEM_CHUNK]);
        }
    } else {
        for (i = 0; i < len; i++)
            kt_buf_putc(b, ptr[i]);
    }
    while (len < width--)
        kt_buf_putc(b, ' ');
}

static int32_t kt_binary_precision(int32_t p) {
    return (p == 1 || p == 2 || p == 4 || p == 8) ? p : -1;
}

/* _stp_vsprint_binary: native (little-endian) bytes, NUL padded to the width. */
static void kt_binary(kt_buf *b, int64_t num, int32_t width, int32_t precision, int flags) {
    precision = kt_binary_precision(precision);
    if (width == -1) {
        if (precision == -1)
            width = precision = 8;
        else
            width = precision;
    } else if (precision == -1) {
        precision = kt_binary_precision(width);
        if (precision == -1)
            precision = 8;
    }
    if (!(flags & F_LEFT))
        while (precision < width--)
            kt_buf_putc(b, 0);
    for (int32_t i = 0; i < precision; i++)
        kt_buf_putc(b, (char)((uint64_t)num >> (8 * i)));
    while (precision >= 0 && width >= 0 && precision < width--)
        kt_buf_putc(b, 0);
}

static int kt_isdigit(char c) {
    return c >= '0' && c <= '9';
}

static int32_t kt_atoi(const char **s) {
    int64_t v = 0;
    while (kt_isdigit(**s)) {
        if (v < 0x7fffffff)
            v = v * 10 + (*(*s)++ - '0');
        else
            (*s)++;
    }
    return v > 0x7fffffff ? 0x7fffffff : (int32_t)v;
}

uint32_t kt_format_buf(kt_ctx *ctx, kt_buf *b, const char *fmt, const kt_fmt_arg *args,
                       int32_t nargs, int32_t clampw) {
    int32_t ai = 0;
    uint32_t start = b->len;
    static const kt_fmt_arg none = {0, 0};
#define NEXT_ARG() (ai < nargs ? &args[ai++] : &none)
    for (; *fmt; ++fmt) {
        int flags = 0, base = 10;
        int32_t width = -1, precision = -1;
        const kt_fmt_arg *a;
        if (*fmt != '%') {
            kt_buf_putc(b, *fmt);
            continue;
        }
    repeat:
        ++fmt;
        switch (*fmt) {
        case '-':
            flags |= F_LEFT;
            goto repeat;
        case '+':
            flags |= F_PLUS;
            goto repeat;
        case ' ':
            flags |= F_SPACE;
            goto repeat;
        case '#':
            flags |= F_SPECIAL;
            goto repeat;
        case '0':
            flags |= F_ZEROPAD;
            goto repeat;
        }
        if (kt_isdigit(*fmt)) {
            width = kt_clamp(kt_atoi(&fmt), 0, clampw);
        } else if (*fmt == '*') {
            int64_t w = NEXT_ARG()->n;
            ++fmt;
            if (w < 0) {
                w = w == INT64_MIN ? INT64_MAX : -w;
                flags |= F_LEFT;
            }
            width = kt_clamp(w, 0, clampw);
        }
        if (*fmt == '.') {
            int64_t p = -1;
            ++fmt;
            if (kt_isdigit(*fmt))
                p = kt_atoi(&fmt);
            else if (*fmt == '*') {
                ++fmt;
                p = NEXT_ARG()->n;
            }
            precision = kt_clamp(p, 0, clampw);
        }
        /* length modifiers are accepted and ignored: every integer is 64-bit */
        while (*fmt == 'h' || *fmt == 'l' || *fmt == 'L')
            ++fmt;
        switch (*fmt) {
        case 'b':
            kt_binary(b, NEXT_ARG()->n, width, precision, flags);
            continue;
        case 's':
            a = NEXT_ARG();
            kt_memory(ctx, b, a->s, 0, width, precision, 's', flags);
            continue;
        case 'm':
        case 'M':
            a = NEXT_ARG();
            kt_memory(ctx, b, a->s, (uint64_t)a->n, width, precision, *fmt, flags);
            continue;
        case 'X':
            flags |= F_LARGE;
            /* fallthrough */
        case 'x':
            base = 16;
            break;
        case 'd':
        case 'i':
            flags |= F_SIGN;
            break;
        case 'u':
            break;
        case 'p':
            flags |= F_SPECIAL;
            base = 16;
            break;
        case 'o':
            base = 8;
            break;
        case '%':
            kt_buf_putc(b, '%');
            continue;
        case 'c':
            kt_char(b, (char)(unsigned char)NEXT_ARG()->n, width, flags);
            continue;
        default:
            kt_buf_putc(b, '%');
            if (*fmt)
                kt_buf_putc(b, *fmt);
            else
                --fmt;
            continue;
        }
        kt_number(b, (uint64_t)NEXT_ARG()->n, base, width, precision, flags);
    }
#undef NEXT_ARG
    return b->len - start;
}

KT_API uint32_t kt_format(kt_ctx *ctx, char *dst, uint32_t cap, const char *fmt,
                          const kt_fmt_arg *args, int32_t nargs) {
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    uint32_t n;
    if (!cap)
        return 0;
    kt_format_buf(ctx, &b, fmt, args, nargs, (int32_t)cap);
    n = b.len < b.cap ? b.len : b.cap;
    dst[n] = 0;
    return n;
}

KT_API void kt_out_format(kt_ctx *ctx, const char *fmt, const kt_fmt_arg *args, int32_t nargs) {
    kt_buf count = {0, 0, 0}, b;
    char *p;
    uint32_t len;
    /* Measure, then format straight into the ring record (one record: never interleaved). */
    int32_t err = ctx->error;
    kt_format_buf(ctx, &count, fmt, args, nargs, KT_PRINTF_MAX);
    if (ctx->error != err)
        return; /* a %m / %M read fault: nothing is printed (stap's _stp_vsnprintf) */
    len = count.len < KT_PRINTF_MAX ? count.len : KT_PRINTF_MAX;
    if (!len)
        return;
    p = kt_out_reserve(ctx, len);
    if (!p)
        return;
    b = (kt_buf){p, len, 0};
    kt_format_buf(ctx, &b, fmt, args, nargs, KT_PRINTF_MAX);
    kt_out_commit(ctx, len);
}
