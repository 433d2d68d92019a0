/* Regex cases shared by t_regex.cc (x86_64, compared with glibc's regexec) and lang_regex32
 * (-m32): pattern/subject pairs, and a runner that renders every compiled program and match
 * result as text lines, which must be identical on both architectures. */
#ifndef KT_REGEX_CASES_H
#define KT_REGEX_CASES_H

#include "kt_lang.h"

#include <stdio.h>
#include <string.h>

typedef struct regex_case {
    const char *pattern, *subject;
} regex_case;

/* Patterns on which the engine should agree with glibc regexec(REG_EXTENDED) for the overall
   match and every group (see kt_lang.h for where the submatch rules differ). */
static const regex_case regex_cases[] = {
    /* SystemTap testsuite (runok/regex_grouping.stp and regex.stp subset) */
    {"a*", "aaa"}, {"a?", "aaa"}, {"(ab)*", "abab"}, {"(ab)?", "ab"}, {"(ab)?", "abab"},
    {"c(ab)*", "cabab"}, {"c(ab)?", "cab"}, {"c(ab)?", "cabab"}, {"(a*)a*a", "aaa"},
    {"re(gex)", "regex"}, {"(long|longer)", "longer"}, {"regex", "unrelated"}, {"a|b", "ab"},
    {"a+|b", "baaab"}, {"a*|b", "aaab"}, {"a*|b", "baaab"}, {"b|a*", "baaab"},
    {"(.*).*", "abcdef"}, {"\\\\", "\\"}, {"abc", "xabcy"}, {"ab*bc", "abbbbc"},
    {"ab?bc", "abbc"}, {"^abc$", "abcc"}, {"a[b-d]e", "abd"}, {"a[b-d]e", "ace"},
    {"a\\(*b", "ab"}, {"a\\(*b", "a((b"}, {"(a+|b)*", "ab"}, {"(a+|b)+", "ab"},
    {"([abc])*d", "abbbcd"}, {"^(ab|cd)e", "abcde"}, {"(ab|cd)e", "abcde"},
    {"(ab|cd)e$", "abcde"}, {"[A-Za-z_][A-Za-z0-9_]*", "alpha"},
    {"(bc+d$|ef*g.|h?i(j|k))", "ij"}, {"(bc+d$|ef*g.|h?i(j|k))", "effg"},
    {"(bc+d$|ef*g.|h?i(j|k))", "00effg12"}, {"(bc+d$|ef*g.|h?i(j|k))", "bcccd"},
    {"(((((((((a)))))))))", "a"}, {"\\((.*),", "(.*)\\)"}, {"[k]", "ab"}, {"abcd", "abcd"},
    {"a(bc)d", "abcd"}, {"ab[cde]", "xyabez"},
    {"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\\?([^#]*))?(#(.*))?",
     "http://www.regex.com/pattern/matching.html#intro"},
    {"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\\?([^#]*))?(#(.*))?",
     "http://www.regex.com/pattern/matching.html?query#intro"},
    {"xy$", "xyz"}, {"^#! */.*/(k|ba||pdk|z)sh", "#! /bin/sh"}, {"[abc]*d", "foacabdxy"},
    {"a(.*)b", "a b"}, {"(^|foo)bar", "bar"}, {"(foo|^)bar", "bar"}, {"(foo|^)bar", "bazbar"},
    {"(foo|^)bar", "bazfoobar"}, {"a^b", "a^b"}, {"a t.st", "This is a test."},
    /* glibc posix/bug-regex13.c */
    {"ab{0}c", "ac"}, {"ab{0}c", "abc"}, {"ab{0}c", "abbc"}, {"ab{1}{1}c", "ac"},
    {"ab{1}{1}c", "abc"}, {"ab{1}{1}c", "abbc"}, {"ab{2}{2}c", "ac"}, {"ab{2}{2}c", "abbc"},
    {"ab{2}{2}c", "abbbbc"}, {"ab{2}{2}c", "abbbbbc"}, {"ab{0}{1}c", "ac"},
    {"ab{0}{1}c", "abc"}, {"ab{1}{0}c", "ac"}, {"ab{1}{0}c", "abc"}, {"ab{0}*c", "ac"},
    {"ab{0}*c", "abc"}, {"ab{0}?c", "ac"}, {"ab{0}+c", "ac"}, {"ab{0}+c", "abbc"},
    /* glibc posix/bug-regex20.c (bytes) */
    {"foo", "b\xc3\xa4rfoob\xc3\xa4z"}, {"b.*foo", "b\xc3\xa4rfoob\xc3\xa4z"},
    /* more: anchors, classes, intervals, alternation, empty pieces */
    {"", ""}, {"", "abc"}, {"^", "abc"}, {"$", "abc"}, {"^$", ""}, {"^$", "a"},
    {"a$", "aa"}, {"^a", "ba"}, {"(a|^b)c", "bc"}, {"(a|b$)", "ab"}, {"x(a|$)", "xbx"},
    {"[[:digit:]]+", "abc123def"}, {"[[:alpha:]]+", "123abcDEF456"},
    {"[[:space:]]+", "a \t\nb"}, {"[[:upper:][:digit:]]+", "abC9Dx"},
    {"[^[:alnum:]]+", "ab,.;cd"}, {"[[:xdigit:]]+", "zz0fAgh"}, {"[[:punct:]]+", "ab!@#cd"},
    {"[[:lower:]]*", "abcD"}, {"[[:blank:]]", "a\tb"}, {"[[:cntrl:]]", "a\x01" "b"},
    {"[[:graph:]]+", "  ab  "}, {"[[:print:]]+", "\x01" "ab c\x02"},
    {"[]a]+", "x]a]y"}, {"[^]a]+", "]]bcd"}, {"[a-]+", "b-a-c"}, {"[-a]+", "b-a-c"},
    {"[a-c-]+", "x-abc"}, {"[.]", "a.b"}, {"[*+?{]+", "a*+?{b"}, {"[$^]+", "a$^b"},
    {"[^a-y]", "abz"}, {"[\x80-\xff]+", "a\x80\xfe" "b"},
    {"a{3}", "aaaa"}, {"a{2,3}", "aaaa"}, {"a{2,}", "aaaaa"}, {"a{0,2}b", "aaab"},
    {"(ab){2}", "abababab"}, {"(ab){1,2}c", "abababc"}, {"(a|b){3}", "abba"},
    {"(a{2})*", "aaaaa"}, {"x{0}y", "xy"}, {"(x){0}y", "xy"}, {"a{1,1}", "a"},
    {"(a)|(b)", "b"}, {"(a)|(b)", "a"}, {"(a)|b", "b"}, {"((a)|b)+", "ab"},
    {"((a)|b)+", "ba"}, {"(a|b)*c", "abac"}, {"(a*)+", "aaa"}, {"(a*)+b", "aab"},
    {"(a+)(b+)?", "aab"}, {"(a+)(b+)?", "aac"}, {"(.)(.)(.)", "xyz"}, {"(..)*", "abcde"},
    {"(foo|foobar)", "foobar"}, {"(foobar|foo)", "foobar"}, {"(a|ab)(c|bcd)", "abcd"},
    {"(a|ab)(bcd|c)", "abcd"}, {"(ab|a)(c|bcd)", "abcd"},
    {"(wee|week)(knights|night)", "weeknights"}, {"(a|b)+(c|d)", "xabadcd"},
    {"((a|b)c)+", "acbcx"}, {"([a-c]*)(c)", "abcc"}, {"(.*)c(.*)", "abcdcef"},
    {"(.*)(\\.c)", "file.c"}, {"(.+)/(.+)", "/usr/lib/x.so"}, {"^([^/]*)/", "usr/lib"},
    {"(a|)+b", "aab"}, {"()", "x"}, {"(()a)", "a"}, {"(|a)b", "ab"},
    {"[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}", "ip 192.168.10.255 x"},
    {"^(sys_)?(open|close)(at)?$", "sys_openat"}, {"^(sys_)?(open|close)(at)?$", "close"},
    {"^(sys_)?(open|close)(at)?$", "closet"}, {"e", "hello"}, {"l+", "hello"},
    {"o$", "hello"}, {"(h|he)(llo|l)", "hello"}, {"k", "hello"}, {".", ""}, {".*", ""},
    {"a.c", "a\nc"}, {"\\.", "a.b"}, {"\\*\\+\\?\\{\\|\\(\\)\\[\\^\\$", "*+?{|()[^$"},
    {"a\\|b", "a|b"}, {"}", "a}b"}, {"]", "a]b"}, {"a{1}}", "a}"},
};
#define REGEX_NCASES (sizeof regex_cases / sizeof *regex_cases)

typedef void (*regex_emit)(const char *line, void *user);

/* Renders case i: the program's bytes in hex and the match result with every group. */
static inline void regex_case_render(const char *pattern, const char *subject, char *out,
                                     size_t cap) {
    static unsigned char prog[KT_REGEX_PROG_MAX];
    char err[256];
    size_t n = 0;
    uint32_t bytes = kt_regex_compile(pattern, prog, sizeof prog, err, sizeof err);
    n += (size_t)snprintf(out + n, cap - n, "%u:", bytes);
    if (!bytes) {
        snprintf(out + n, cap - n, "error %s", err);
        return;
    }
    for (uint32_t i = 0; i < bytes && n + 3 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%02x", prog[i]);
    kt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    int32_t r = kt_regex_match(&ctx, prog, subject);
    n += (size_t)snprintf(out + n, cap - n, " -> %d", r);
    if (r) {
        kt_long g = kt_regex_ngroups(&ctx);
        n += (size_t)snprintf(out + n, cap - n, " ngroups=%lld", (long long)g);
        for (kt_long k = 0; k < g && k <= KT_REGEX_MAX_GROUPS; k++) {
            char b[512];
            kt_regex_matched(&ctx, b, k, sizeof b);
            n += (size_t)snprintf(out + n, cap - n, " [%d,%d]'", ctx.match_off[k],
                                  ctx.match_len[k]);
            for (char *q = b; *q && n + 8 < cap; q++)
                n += (size_t)snprintf(out + n, cap - n, *q >= 32 && *q < 127 ? "%c" : "\\x%02x",
                                      (unsigned char)*q);
            n += (size_t)snprintf(out + n, cap - n, "'");
        }
    }
}

static inline void regex_cross_run(regex_emit emit, void *user, const regex_case *extra,
                                   size_t nextra) {
    static char line[KT_REGEX_PROG_MAX * 2 + 8192];
    for (size_t i = 0; i < REGEX_NCASES; i++) {
        regex_case_render(regex_cases[i].pattern, regex_cases[i].subject, line, sizeof line);
        emit(line, user);
    }
    for (size_t i = 0; i < nextra; i++) {
        regex_case_render(extra[i].pattern, extra[i].subject, line, sizeof line);
        emit(line, user);
    }
}

/* Cases only for the architecture cross-check (errors, limits, long subjects). */
static const regex_case regex_cross_extra[] = {
    {"(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"},
    {"(a|aa)*c", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"},
    {"\\1", "a"}, {"(a", "a"}, {"a)", "a"}, {"*a", "a"}, {"a{2,1}", "a"}, {"[z-a]", "a"},
    {"[[:foo:]]", "a"}, {"a{1001}", "a"}, {"a{1000}", "a"}, {"a{600}b{600}", "a"},
    {"(a)(b)(c)(d)(e)(f)(g)(h)(i)[x]{190}", "a"}, {"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "abcdefghijk"},
    {"(x(y(z)))", "wxyz"}, {"\\d", "1"}, {"[abc", "a"}, {"a{", "a"}, {"a{1", "a"},
    {"a{1,x}", "a"}, {"^*", "a"}, {"a\\", "a"}, {"[\\]]+", "a]]b"}, {"[[:d:]]+", "ab123"},
    {"\xff+", "a\xff\xff"}, {"[^\x01-\x7f]+", "ab\xc3\xa4z"}, {"(a){0}b", "ab"},
    {"(a*)*", "b"}, {"(a|ab)(c|bcd)(d*)", "abcd"}, {"a(.{1,3}){0,2}b{1,2}", "acbcbcc"},
};
#define REGEX_NCROSS_EXTRA (sizeof regex_cross_extra / sizeof *regex_cross_extra)

#endif
