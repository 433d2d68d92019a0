/* Regular expressions for `=~` / `!~`, matched(n) and ngroups() (reference systemtap.md §1.7).
 *
 * kt_regex_compile (controller, at compile time) parses a POSIX ERE into a Pike-VM program of
 * fixed-width little-endian records; the program is embedded as a constant in the generated
 * code. kt_regex_match (probe path) runs it over the subject with a thread list sized from the
 * program: no allocation, no recursion, O(len * program) time, stack bounded by
 * KT_REGEX_MAX_SCRATCH. Semantics are documented in kt_lang.h.
 */
#include "kt_lang_int.h"

/* ---- program format ----------------------------------------------------------------------
 * Packed structures of fixed-width fields: byte-identical on i386 and x86_64, and readable at
 * any alignment. */
enum {
    RE_CHAR = 1, /* arg: the byte */
    RE_ANY,      /* any byte but NUL */
    RE_CLASS,    /* x: class index (256-bit bitmap) */
    RE_MATCH,
    RE_JMP,   /* x */
    RE_SPLIT, /* x preferred, y */
    RE_SAVE,  /* x: capture slot */
    RE_BOL,
    RE_EOL,
};

typedef struct __attribute__((packed)) re_inst {
    uint8_t op, arg;
    uint16_t x, y, pad;
} re_inst;

#define RE_MAGIC 0x6572746bu /* "ktre" */
#define RE_VERSION 1

typedef struct __attribute__((packed)) re_hdr {
    uint32_t magic;
    uint16_t version;
    uint16_t flags;    /* RE_F_* */
    uint32_t bytes;    /* whole program */
    uint16_t ninst;
    uint16_t ncons;    /* consuming + MATCH instructions: the longest thread list */
    uint16_t ngroups;  /* parenthesised groups in the pattern */
    uint16_t nsave;    /* groups with recorded offsets: min(ngroups, KT_REGEX_MAX_GROUPS) */
    uint16_t nclass;
    uint16_t nstack;   /* closure stack entries: SPLIT and SAVE instructions + 1 */
    uint32_t scratch;  /* stack bytes kt_regex_match needs */
    uint32_t inst_off; /* re_inst[ninst] */
    uint32_t class_off;/* uint8_t[nclass][32] */
    uint8_t first[32]; /* bytes that can start a match (when !RE_F_NULLABLE) */
    uint32_t reserved[3];
} re_hdr;

enum { RE_F_NULLABLE = 1, RE_F_NOSTART = 2 };

KT_STATIC_ASSERT(sizeof(re_inst) == 8, "re_inst");
KT_STATIC_ASSERT(sizeof(re_hdr) == 80, "re_hdr");

/* A position is stored +1 in a uint16 capture slot (0: unset), so subjects are looked at up to
   KT_REGEX_MAX_SUBJECT bytes. */

/* ---- compiler ---------------------------------------------------------------------------- */
enum { N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_BOL, N_EOL, N_CAT, N_ALT, N_REP, N_GROUP };

#define RE_MAX_NODES 4096
#define RE_MAX_DEPTH 64
#define RE_MAX_COUNT 1000 /* largest m, n in {m,n} */

typedef struct re_node {
    uint8_t type, ch;
    uint16_t kid;  /* first child (CAT, ALT: a list through `next`; REP, GROUP: the operand) */
    uint16_t next; /* next sibling, 0: none (node 0 is never a child) */
    uint16_t min, max; /* REP; max 0xffff: unbounded. GROUP: min is the group number */
    uint16_t cls;
} re_node;

typedef struct re_comp {
    const char *pat;
    uint32_t pos, len;
    int failed;
    char *err;
    uint32_t err_cap;
    uint32_t depth;
    uint32_t nnodes;
    uint32_t ngroups;
    uint32_t nclass;
    uint32_t ninst;
    uint32_t ncons;
    re_node nodes[RE_MAX_NODES];
    uint8_t classes[KT_REGEX_MAX_CLASSES][32];
    re_inst inst[KT_REGEX_MAX_INST];
} re_comp;

static void re_fail(re_comp *c, uint32_t pos, const char *msg, const char *arg, int64_t num,
                    const char *tail) {
    kt_buf b = {c->err, c->err_cap ? c->err_cap - 1 : 0, 0};
    if (c->failed)
        return;
    c->failed = 1;
    if (!c->err || !c->err_cap)
        return;
    kt_buf_puts(&b, "regex compilation error (at position ");
    kt_buf_long(&b, pos, 0);
    kt_buf_puts(&b, "): ");
    kt_buf_puts(&b, msg);
    if (arg)
        kt_buf_puts(&b, arg);
    if (num >= 0)
        kt_buf_long(&b, num, 0);
    if (tail)
        kt_buf_puts(&b, tail);
    c->err[b.len < b.cap ? b.len : b.cap] = 0;
}

static uint32_t re_new(re_comp *c, uint8_t type) {
    if (c->nnodes >= RE_MAX_NODES) {
        re_fail(c, c->pos, "regex too large", 0, -1, 0);
        return 0;
    }
    re_node *n = &c->nodes[c->nnodes];
    n->type = type;
    n->ch = 0;
    n->kid = n->next = 0;
    n->min = n->max = n->cls = 0;
    return c->nnodes++;
}

static int re_peek(re_comp *c) {
    return c->pos < c->len ? (uint8_t)c->pat[c->pos] : -1;
}

static int re_isdigit(int ch) {
    return ch >= '0' && ch <= '9';
}

static void re_bit_set(uint8_t *bm, uint32_t ch) {
    bm[ch >> 3] |= (uint8_t)(1u << (ch & 7));
}

static void re_bit_range(uint8_t *bm, uint32_t lo, uint32_t hi) {
    for (uint32_t ch = lo; ch <= hi; ch++)
        re_bit_set(bm, ch);
}

/* POSIX classes (plus SystemTap's d, l, s, u aliases); ASCII, as the C locale. */
static int re_named_class(uint8_t *bm, const char *name, uint32_t len) {
    static const char *const names[] = {"alpha", "alnum", "blank", "cntrl", "digit", "d",
                                        "xdigit", "graph", "lower", "l",     "print", "punct",
                                        "space", "s",     "upper", "u"};
    int which = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++) {
        const char *n = names[i];
        uint32_t k = 0;
        while (k < len && n[k] && n[k] == name[k])
            k++;
        if (k == len && !n[k]) {
            which = i;
            break;
        }
    }
    switch (which) {
    case 0: /* alpha */
        re_bit_range(bm, 'a', 'z'), re_bit_range(bm, 'A', 'Z');
        break;
    case 1: /* alnum */
        re_bit_range(bm, 'a', 'z'), re_bit_range(bm, 'A', 'Z'), re_bit_range(bm, '0', '9');
        break;
    case 2: /* blank */
        re_bit_set(bm, ' '), re_bit_set(bm, '\t');
        break;
    case 3: /* cntrl */
        re_bit_range(bm, 1, 31), re_bit_set(bm, 127);
        break;
    case 4: case 5: /* digit */
        re_bit_range(bm, '0', '9');
        break;
    case 6: /* xdigit */
        re_bit_range(bm, '0', '9'), re_bit_range(bm, 'a', 'f'), re_bit_range(bm, 'A', 'F');
        break;
    case 7: /* graph */
        re_bit_range(bm, 33, 126);
        break;
    case 8: case 9: /* lower */
        re_bit_range(bm, 'a', 'z');
        break;
    case 10: /* print */
        re_bit_range(bm, 32, 126);
        break;
    case 11: /* punct */
        re_bit_range(bm, 33, 47), re_bit_range(bm, 58, 64), re_bit_range(bm, 91, 96),
            re_bit_range(bm, 123, 126);
        break;
    case 12: case 13: /* space */
        re_bit_set(bm, ' '), re_bit_range(bm, '\t', '\r');
        break;
    case 14: case 15: /* upper */
        re_bit_range(bm, 'A', 'Z');
        break;
    default:
        return 0;
    }
    return 1;
}

/* One bracket item's first character: a plain byte, an escaped byte (SystemTap allows `\` in
   brackets), a single-character collating element [.c.] or equivalence class [=c=].
   Returns the byte, or -1 after an error. */
static int re_bracket_char(re_comp *c) {
    int ch = re_peek(c);
    if (ch == '\\') {
        c->pos++;
        ch = re_peek(c);
        if (ch < 0) {
            re_fail(c, c->pos, "unclosed character class", 0, -1, 0);
            return -1;
        }
        c->pos++;
        return ch;
    }
    if (ch == '[' && c->pos + 1 < c->len && (c->pat[c->pos + 1] == '.' || c->pat[c->pos + 1] == '=')) {
        char kind = c->pat[c->pos + 1];
        uint32_t start = c->pos;
        if (c->pos + 4 < c->len && c->pat[c->pos + 3] == kind && c->pat[c->pos + 4] == ']') {
            ch = (uint8_t)c->pat[c->pos + 2];
            c->pos += 5;
            return ch;
        }
        re_fail(c, start, kind == '.' ? "unsupported collating element (only [.c.] with one character)"
                                     : "unsupported equivalence class (only [=c=] with one character)",
                0, -1, 0);
        return -1;
    }
    c->pos++;
    return ch;
}

static uint32_t re_class_index(re_comp *c, const uint8_t *bm, uint32_t pos) {
    for (uint32_t i = 0; i < c->nclass; i++) {
        int same = 1;
        for (int k = 0; k < 32; k++)
            if (c->classes[i][k] != bm[k])
                same = 0;
        if (same)
            return i;
    }
    if (c->nclass >= KT_REGEX_MAX_CLASSES) {
        re_fail(c, pos, "too many bracket expressions (at most ", 0, KT_REGEX_MAX_CLASSES, ")");
        return 0;
    }
    for (int k = 0; k < 32; k++)
        c->classes[c->nclass][k] = bm[k];
    return c->nclass++;
}

/* After '[': a bracket expression up to and including ']'. */
static uint32_t re_bracket(re_comp *c) {
    uint32_t open = c->pos - 1;
    uint8_t bm[32];
    int negate = 0, first = 1;
    for (int k = 0; k < 32; k++)
        bm[k] = 0;
    if (re_peek(c) == '^') {
        negate = 1;
        c->pos++;
    }
    for (;;) {
        int ch = re_peek(c);
        if (ch < 0) {
            re_fail(c, open, "unclosed character class", 0, -1, 0);
            return 0;
        }
        if (ch == ']' && !first) {
            c->pos++;
            break;
        }
        first = 0;
        if (ch == '[' && c->pos + 1 < c->len && c->pat[c->pos + 1] == ':') {
            uint32_t start = c->pos, nstart = c->pos + 2, e = nstart;
            while (e + 1 < c->len && !(c->pat[e] == ':' && c->pat[e + 1] == ']'))
                e++;
            if (e + 1 >= c->len) {
                re_fail(c, start, "unclosed character class '[:'", 0, -1, 0);
                return 0;
            }
            if (!re_named_class(bm, c->pat + nstart, e - nstart)) {
                char name[40];
                uint32_t n = e - nstart < sizeof name - 1 ? e - nstart : sizeof name - 1;
                for (uint32_t k = 0; k < n; k++)
                    name[k] = c->pat[nstart + k];
                name[n] = 0;
                re_fail(c, start, "unknown character class '", name, -1, "'");
                return 0;
            }
            c->pos = e + 2;
            continue;
        }
        uint32_t at = c->pos;
        int lo = re_bracket_char(c), hi;
        if (lo < 0)
            return 0;
        if (re_peek(c) == '-' && c->pos + 1 < c->len && c->pat[c->pos + 1] != ']') {
            c->pos++;
            if (re_peek(c) == '[' && c->pos + 1 < c->len && c->pat[c->pos + 1] == ':') {
                re_fail(c, c->pos, "character class cannot end a range", 0, -1, 0);
                return 0;
            }
            hi = re_bracket_char(c);
            if (hi < 0)
                return 0;
            if (hi < lo) {
                char r[4] = {(char)lo, '-', (char)hi, 0};
                re_fail(c, at, "Inverted character range ", r, -1, 0);
                return 0;
            }
        } else {
            hi = lo;
        }
        re_bit_range(bm, (uint32_t)lo, (uint32_t)hi);
    }
    if (negate)
        for (int k = 0; k < 32; k++)
            bm[k] = (uint8_t)~bm[k];
    bm[0] &= (uint8_t)~1u; /* NUL ends the subject: never matched */
    uint32_t n = re_new(c, N_CLASS);
    c->nodes[n].cls = (uint16_t)re_class_index(c, bm, open);
    return n;
}

static uint32_t re_parse_alt(re_comp *c);

static int re_number(re_comp *c, uint32_t *out) {
    uint32_t v = 0, start = c->pos;
    if (!re_isdigit(re_peek(c))) {
        re_fail(c, c->pos, "expected number", 0, -1, 0);
        return 0;
    }
    while (re_isdigit(re_peek(c))) {
        v = v * 10 + (uint32_t)(re_peek(c) - '0');
        c->pos++;
        if (v > RE_MAX_COUNT) {
            re_fail(c, start, "repetition count too large (at most ", 0, RE_MAX_COUNT, ")");
            return 0;
        }
    }
    *out = v;
    return 1;
}

/* An atom and its postfix operators. */
static uint32_t re_parse_factor(re_comp *c) {
    uint32_t at = c->pos, n;
    int ch = re_peek(c);
    if (ch == '*' || ch == '+' || ch == '?' || ch == '{') {
        char s[2] = {(char)ch, 0};
        re_fail(c, at, "unexpected '", s, -1, "' (nothing to repeat)");
        return 0;
    }
    c->pos++;
    switch (ch) {
    case '.':
        n = re_new(c, N_ANY);
        break;
    case '^':
        n = re_new(c, N_BOL);
        break;
    case '$':
        n = re_new(c, N_EOL);
        break;
    case '[':
        n = re_bracket(c);
        break;
    case '(': {
        uint32_t group = ++c->ngroups, inner;
        if (++c->depth > RE_MAX_DEPTH) {
            re_fail(c, at, "regex nested too deeply", 0, -1, 0);
            return 0;
        }
        inner = re_parse_alt(c);
        c->depth--;
        if (c->failed)
            return 0;
        if (re_peek(c) != ')') {
            re_fail(c, c->pos, "expected ')', found end of regex", 0, -1, 0);
            return 0;
        }
        c->pos++;
        n = re_new(c, N_GROUP);
        c->nodes[n].kid = (uint16_t)inner;
        c->nodes[n].min = (uint16_t)group;
        break;
    }
    case '\\': {
        int e = re_peek(c);
        if (e < 0) {
            re_fail(c, at, "unexpected end of regex (trailing backslash)", 0, -1, 0);
            return 0;
        }
        if (re_isdigit(e)) {
            re_fail(c, at, "back-references are not supported", 0, -1, 0);
            return 0;
        }
        switch (e) {
        case 'w': case 'W': case 's': case 'S': case 'd': case 'D': case 'b': case 'B':
        case '<': case '>': case '`': case '\'': {
            char s[3] = {'\\', (char)e, 0};
            re_fail(c, at, s, 0, -1,
                    " is not POSIX ERE (use a bracket expression such as [[:space:]])");
            return 0;
        }
        default:
            break;
        }
        c->pos++;
        n = re_new(c, N_CHAR);
        c->nodes[n].ch = (uint8_t)e;
        break;
    }
    default:
        n = re_new(c, N_CHAR);
        c->nodes[n].ch = (uint8_t)ch;
        break;
    }
    if (c->failed)
        return 0;
    /* postfix operators */
    for (uint32_t nops = 0;; nops++) {
        uint32_t opos = c->pos, lo, hi, r;
        ch = re_peek(c);
        if (ch != '*' && ch != '+' && ch != '?' && ch != '{')
            break;
        c->pos++;
        if (c->nodes[n].type == N_BOL || c->nodes[n].type == N_EOL) {
            char s[2] = {(char)ch, 0};
            re_fail(c, opos, "postfix closure '", s, -1, "' applied to anchoring operator");
            return 0;
        }
        if (nops >= RE_MAX_DEPTH) {
            re_fail(c, opos, "too many repetition operators", 0, -1, 0);
            return 0;
        }
        if (ch == '*')
            lo = 0, hi = 0xffff;
        else if (ch == '+')
            lo = 1, hi = 0xffff;
        else if (ch == '?')
            lo = 0, hi = 1;
        else {
            if (!re_number(c, &lo))
                return 0;
            if (re_peek(c) == '}') {
                hi = lo;
                c->pos++;
            } else if (re_peek(c) == ',') {
                c->pos++;
                if (re_peek(c) == '}') {
                    hi = 0xffff;
                    c->pos++;
                } else if (re_isdigit(re_peek(c))) {
                    if (!re_number(c, &hi))
                        return 0;
                    if (re_peek(c) != '}') {
                        re_fail(c, c->pos, "expected '}'", 0, -1, 0);
                        return 0;
                    }
                    c->pos++;
                    if (hi < lo) {
                        re_fail(c, opos, "invalid interval: minimum exceeds maximum", 0, -1, 0);
                        return 0;
                    }
                } else {
                    re_fail(c, c->pos, "expected '}' or number", 0, -1, 0);
                    return 0;
                }
            } else {
                re_fail(c, c->pos, "expected ',' or '}'", 0, -1, 0);
                return 0;
            }
        }
        r = re_new(c, N_REP);
        if (c->failed)
            return 0;
        c->nodes[r].kid = (uint16_t)n;
        c->nodes[r].min = (uint16_t)lo;
        c->nodes[r].max = (uint16_t)hi;
        n = r;
    }
    return n;
}

static uint32_t re_parse_cat(re_comp *c) {
    uint32_t cat = re_new(c, N_CAT), last = 0;
    while (!c->failed) {
        int ch = re_peek(c);
        if (ch < 0 || ch == '|' || ch == ')')
            break;
        uint32_t f = re_parse_factor(c);
        if (c->failed)
            break;
        if (last)
            c->nodes[last].next = (uint16_t)f;
        else
            c->nodes[cat].kid = (uint16_t)f;
        last = f;
    }
    return cat;
}

static uint32_t re_parse_alt(re_comp *c) {
    uint32_t alt = re_new(c, N_ALT), last = re_parse_cat(c);
    c->nodes[alt].kid = (uint16_t)last;
    while (!c->failed && re_peek(c) == '|') {
        c->pos++;
        uint32_t t = re_parse_cat(c);
        c->nodes[last].next = (uint16_t)t;
        last = t;
    }
    return alt;
}

/* ---- code generation --------------------------------------------------------------------- */
static uint32_t re_emit(re_comp *c, uint8_t op, uint8_t arg, uint32_t x, uint32_t y) {
    if (c->ninst >= KT_REGEX_MAX_INST) {
        re_fail(c, c->len, "regex too large (compiles to more than ", 0, KT_REGEX_MAX_INST,
                " instructions; reduce repetition counts)");
        return 0;
    }
    re_inst *i = &c->inst[c->ninst];
    i->op = op;
    i->arg = arg;
    i->x = (uint16_t)x;
    i->y = (uint16_t)y;
    i->pad = 0;
    if (op == RE_CHAR || op == RE_ANY || op == RE_CLASS || op == RE_MATCH)
        c->ncons++;
    return c->ninst++;
}

static void re_gen(re_comp *c, uint32_t n, uint32_t depth) {
    re_node *nd = &c->nodes[n];
    if (c->failed)
        return;
    if (depth > 2 * RE_MAX_DEPTH + 8) {
        re_fail(c, 0, "regex nested too deeply", 0, -1, 0);
        return;
    }
    switch (nd->type) {
    case N_EMPTY:
        break;
    case N_CHAR:
        re_emit(c, RE_CHAR, nd->ch, 0, 0);
        break;
    case N_ANY:
        re_emit(c, RE_ANY, 0, 0, 0);
        break;
    case N_CLASS:
        re_emit(c, RE_CLASS, 0, nd->cls, 0);
        break;
    case N_BOL:
        re_emit(c, RE_BOL, 0, 0, 0);
        break;
    case N_EOL:
        re_emit(c, RE_EOL, 0, 0, 0);
        break;
    case N_CAT:
        for (uint32_t k = nd->kid; k && !c->failed; k = c->nodes[k].next)
            re_gen(c, k, depth + 1);
        break;
    case N_GROUP: {
        uint32_t g = nd->min;
        if (g <= KT_REGEX_MAX_GROUPS)
            re_emit(c, RE_SAVE, 0, 2 * g - 1, 0);
        re_gen(c, nd->kid, depth + 1);
        if (g <= KT_REGEX_MAX_GROUPS)
            re_emit(c, RE_SAVE, 0, 2 * g, 0);
        break;
    }
    case N_ALT: {
        /* SPLIT L1, next; L1: e1; JMP end; next: ... last alternative; end:
           Jumps to `end` are chained through their x fields and patched afterwards. */
        uint32_t chain = 0xffff;
        for (uint32_t k = nd->kid; k && !c->failed; k = c->nodes[k].next) {
            if (c->nodes[k].next) {
                uint32_t split = re_emit(c, RE_SPLIT, 0, 0, 0);
                c->inst[split].x = (uint16_t)(split + 1);
                re_gen(c, k, depth + 1);
                uint32_t j = re_emit(c, RE_JMP, 0, chain, 0);
                chain = j;
                c->inst[split].y = (uint16_t)c->ninst;
            } else {
                re_gen(c, k, depth + 1);
            }
        }
        while (!c->failed && chain != 0xffff) {
            uint32_t nx = c->inst[chain].x;
            c->inst[chain].x = (uint16_t)c->ninst;
            chain = nx;
        }
        break;
    }
    case N_REP: {
        uint32_t lo = nd->min, hi = nd->max, k;
        if (hi == 0xffff) {
            /* e{lo,}: lo-1 copies, then e+ (L: body; SPLIT L, out), made optional when lo
               is 0: (e+)?. An iteration that matches empty is taken once (its groups are
               set), as glibc does for `(a*)*` on "". */
            uint32_t skip = 0xffff, body;
            for (k = 1; k < lo && !c->failed; k++)
                re_gen(c, nd->kid, depth + 1);
            if (lo == 0) {
                skip = re_emit(c, RE_SPLIT, 0, 0, 0);
                c->inst[skip].x = (uint16_t)(skip + 1);
            }
            body = c->ninst;
            re_gen(c, nd->kid, depth + 1);
            uint32_t split = re_emit(c, RE_SPLIT, 0, body, 0);
            c->inst[split].y = (uint16_t)c->ninst;
            if (skip != 0xffff && !c->failed)
                c->inst[skip].y = (uint16_t)c->ninst;
        } else {
            /* lo copies, then (e(e(e)?)?)?: each optional copy's SPLIT skips to the common
               end (chained). */
            uint32_t chain = 0xffff;
            for (k = 0; k < lo && !c->failed; k++)
                re_gen(c, nd->kid, depth + 1);
            for (; k < hi && !c->failed; k++) {
                uint32_t split = re_emit(c, RE_SPLIT, 0, 0, chain);
                c->inst[split].x = (uint16_t)(split + 1);
                chain = split;
                re_gen(c, nd->kid, depth + 1);
            }
            while (!c->failed && chain != 0xffff) {
                uint32_t nx = c->inst[chain].y;
                c->inst[chain].y = (uint16_t)c->ninst;
                chain = nx;
            }
        }
        break;
    }
    }
}

/* First bytes and nullability: the epsilon closure of pc 0 at a position > 0 (BOL fails there). */
static void re_first(re_comp *c, re_hdr *h) {
    uint8_t seen[KT_REGEX_MAX_INST];
    uint16_t stack[KT_REGEX_MAX_INST + 1];
    uint32_t sp = 0;
    int any = 0;
    for (uint32_t i = 0; i < c->ninst; i++)
        seen[i] = 0;
    for (int k = 0; k < 32; k++)
        h->first[k] = 0;
    stack[sp++] = 0;
    while (sp) {
        uint32_t pc = stack[--sp];
        while (!seen[pc]) {
            const re_inst *in = &c->inst[pc];
            seen[pc] = 1;
            if (in->op == RE_JMP) {
                pc = in->x;
            } else if (in->op == RE_SPLIT) {
                stack[sp++] = in->y;
                pc = in->x;
            } else if (in->op == RE_SAVE || in->op == RE_EOL) {
                pc++;
            } else if (in->op == RE_BOL) {
                break;
            } else if (in->op == RE_MATCH) {
                h->flags |= RE_F_NULLABLE;
                break;
            } else {
                any = 1;
                for (uint32_t ch = 1; ch < 256; ch++) {
                    int ok = in->op == RE_ANY ||
                             (in->op == RE_CHAR && in->arg == ch) ||
                             (in->op == RE_CLASS && (c->classes[in->x][ch >> 3] >> (ch & 7)) & 1);
                    if (ok)
                        re_bit_set(h->first, ch);
                }
                break;
            }
        }
    }
    if (!any && !(h->flags & RE_F_NULLABLE))
        h->flags |= RE_F_NOSTART;
}

static uint32_t re_scratch_bytes(uint32_t ninst, uint32_t nstack, uint32_t ncons,
                                 uint32_t nsave) {
    uint32_t nslot = 1 + 2 * nsave, words = 1 + nslot; /* thread: pc + slots, uint16 each */
    /* marks (uint16 per instruction), closure stack, two thread lists, working and best
       captures, and a margin for the frame */
    return 2 * ninst + 4 * nstack + 2 * 2 * ncons * words + 2 * 2 * nslot + 128;
}

KT_API uint32_t kt_regex_compile(const char *pattern, void *out, uint32_t cap, char *error,
                                 uint32_t error_cap) {
    /* About 60 KiB of stack: this runs in the controller (front end, code generator), never in
       a probe handler. */
    re_comp comp_storage;
    re_comp *c = &comp_storage;
    uint32_t root, bytes, i;
    re_hdr h;
    if (error && error_cap)
        error[0] = 0;
    c->pat = pattern ? pattern : "";
    c->len = kt_strnlen(c->pat, 1u << 20);
    c->pos = 0;
    c->failed = 0;
    c->err = error;
    c->err_cap = error_cap;
    c->depth = c->nnodes = c->ngroups = c->nclass = c->ninst = c->ncons = 0;
    re_new(c, N_EMPTY); /* node 0: never a child */
    root = re_parse_alt(c);
    if (!c->failed && c->pos < c->len)
        re_fail(c, c->pos, "unbalanced ')'", 0, -1, 0);
    if (c->failed)
        return 0;
    re_gen(c, root, 0);
    re_emit(c, RE_MATCH, 0, 0, 0);
    if (c->failed)
        return 0;
    for (i = 0; i < sizeof h; i++)
        ((uint8_t *)&h)[i] = 0;
    h.magic = RE_MAGIC;
    h.version = RE_VERSION;
    h.ninst = (uint16_t)c->ninst;
    h.ncons = (uint16_t)c->ncons;
    h.ngroups = (uint16_t)(c->ngroups > 0xfffe ? 0xfffe : c->ngroups);
    h.nsave = (uint16_t)(c->ngroups < KT_REGEX_MAX_GROUPS ? c->ngroups : KT_REGEX_MAX_GROUPS);
    h.nclass = (uint16_t)c->nclass;
    h.nstack = 1;
    for (i = 0; i < c->ninst; i++)
        h.nstack += c->inst[i].op == RE_SPLIT || c->inst[i].op == RE_SAVE;
    h.scratch = re_scratch_bytes(c->ninst, h.nstack, c->ncons, h.nsave);
    h.inst_off = sizeof h;
    h.class_off = h.inst_off + c->ninst * (uint32_t)sizeof(re_inst);
    bytes = h.class_off + c->nclass * 32;
    bytes = (bytes + 7) & ~7u;
    h.bytes = bytes;
    re_first(c, &h);
    if (h.scratch > KT_REGEX_MAX_SCRATCH) {
        re_fail(c, 0, "regex too complex (needs ", 0, h.scratch,
                " bytes of match state; reduce repetition counts or groups)");
        return 0;
    }
    if (!out)
        return bytes; /* validation / sizing only */
    if (cap < bytes) {
        re_fail(c, 0, "compiled regex does not fit its buffer (needs ", 0, bytes, " bytes)");
        return 0;
    }
    uint8_t *o = out;
    kt_memcpy(o, &h, sizeof h);
    kt_memcpy(o + h.inst_off, c->inst, c->ninst * sizeof(re_inst));
    kt_memcpy(o + h.class_off, c->classes, c->nclass * 32);
    for (i = h.class_off + c->nclass * 32; i < bytes; i++)
        o[i] = 0;
    return bytes;
}

/* ---- matcher ----------------------------------------------------------------------------- */
typedef struct re_vm {
    const re_hdr *h;
    const re_inst *inst;
    const uint8_t *classes;
    const uint8_t *s;
    uint32_t nslot, words;
    uint16_t *mark, gen;
    uint32_t *stack;
    uint16_t *cap; /* working captures while following epsilon edges */
} re_vm;

static inline int re_at_end(const re_vm *vm, uint32_t pos) {
    return pos >= KT_REGEX_MAX_SUBJECT || vm->s[pos] == 0;
}

/* Adds the threads reachable from pc at `pos` (captures in vm->cap) to list, in priority
   order; each pc at most once per generation. Explicit stack: split targets and capture
   restores (tagged with the top bit). */
static void re_add(re_vm *vm, uint16_t *list, uint32_t *n, uint32_t pc0, uint32_t pos) {
    uint32_t sp = 0;
    vm->stack[sp++] = pc0;
    while (sp) {
        uint32_t e = vm->stack[--sp];
        if (e & 0x80000000u) {
            vm->cap[(e >> 16) & 0x7fff] = (uint16_t)e;
            continue;
        }
        uint32_t pc = e;
        for (;;) {
            if (vm->mark[pc] == vm->gen)
                break;
            vm->mark[pc] = vm->gen;
            const re_inst *in = &vm->inst[pc];
            switch (in->op) {
            case RE_JMP:
                pc = in->x;
                continue;
            case RE_SPLIT:
                vm->stack[sp++] = in->y;
                pc = in->x;
                continue;
            case RE_SAVE:
                vm->stack[sp++] = 0x80000000u | ((uint32_t)in->x << 16) | vm->cap[in->x];
                vm->cap[in->x] = (uint16_t)(pos + 1);
                pc++;
                continue;
            case RE_BOL:
                if (pos != 0)
                    break;
                pc++;
                continue;
            case RE_EOL:
                if (!re_at_end(vm, pos))
                    break;
                pc++;
                continue;
            default: {
                uint16_t *t = list + *n * vm->words;
                t[0] = (uint16_t)pc;
                for (uint32_t k = 0; k < vm->nslot; k++)
                    t[1 + k] = vm->cap[k];
                ++*n;
                break;
            }
            }
            break;
        }
    }
}

static void re_next_gen(re_vm *vm) {
    if (++vm->gen == 0) {
        for (uint32_t i = 0; i < vm->h->ninst; i++)
            vm->mark[i] = 0;
        vm->gen = 1;
    }
}

static void re_seed(re_vm *vm, uint16_t *list, uint32_t *n, uint32_t pos) {
    for (uint32_t k = 0; k < vm->nslot; k++)
        vm->cap[k] = 0;
    vm->cap[0] = (uint16_t)(pos + 1);
    re_add(vm, list, n, 0, pos);
}

static void re_record(kt_ctx *ctx, const re_vm *vm, const uint16_t *best, uint32_t end) {
    uint32_t start = (uint32_t)best[0] - 1, len = end - start, stored;
    uint32_t g, ngroups = vm->h->ngroups;
    stored = len < KT_ERRMSG_LEN - 1 ? len : KT_ERRMSG_LEN - 1;
    for (uint32_t k = 0; k < stored; k++)
        ctx->match_src[k] = (char)vm->s[start + k];
    ctx->match_src[stored] = 0;
    ctx->match_off[0] = 0;
    ctx->match_len[0] = (int32_t)stored;
    for (g = 1; g < KT_REGEX_MAX_GROUPS + 1; g++) {
        int32_t off = -1, l = 0;
        if (g <= vm->h->nsave && best[2 * g - 1] && best[2 * g]) {
            uint32_t a = (uint32_t)best[2 * g - 1] - 1 - start, b = (uint32_t)best[2 * g] - 1 - start;
            if (a > stored)
                a = stored;
            if (b > stored)
                b = stored;
            off = (int32_t)a;
            l = b > a ? (int32_t)(b - a) : 0;
        }
        ctx->match_off[g] = off;
        ctx->match_len[g] = l;
    }
    ctx->matched_n = (int32_t)ngroups + 1;
}

KT_API int32_t kt_regex_match(kt_ctx *ctx, const void *program, const char *subject) {
    const re_hdr *h = program;
    re_vm vm;
    uint32_t ninst, ncons, nslot, words, n0 = 0, n1 = 0, pos = 0, best_end = 0;
    int matched = 0;
    if (!h || h->magic != RE_MAGIC || h->version != RE_VERSION ||
        h->scratch > KT_REGEX_MAX_SCRATCH || h->ninst > KT_REGEX_MAX_INST || !h->ninst ||
        h->nstack > h->ninst + 1 || h->ncons > h->ninst || h->nsave > KT_REGEX_MAX_GROUPS ||
        h->scratch != re_scratch_bytes(h->ninst, h->nstack, h->ncons, h->nsave)) {
        ctx->matched_n = 0;
        kt_error(ctx, KT_ERR_USER, "invalid compiled regex");
        return 0;
    }
    if (!subject)
        subject = "";
    ninst = h->ninst;
    ncons = h->ncons;
    nslot = 1 + 2 * (uint32_t)h->nsave;
    words = 1 + nslot;
    /* Scratch, sized from the program (bounded by KT_REGEX_MAX_SCRATCH at compile time). */
    uint16_t marks[ninst];
    uint32_t stack[h->nstack];
    uint16_t lists[2 * ncons * words];
    uint16_t cap[nslot], best[nslot];
    uint16_t *clist = lists, *nlist = lists + ncons * words, *tmp;

    vm.h = h;
    vm.inst = (const re_inst *)((const uint8_t *)program + h->inst_off);
    vm.classes = (const uint8_t *)program + h->class_off;
    vm.s = (const uint8_t *)subject;
    vm.nslot = nslot;
    vm.words = words;
    vm.mark = marks;
    vm.stack = stack;
    vm.cap = cap;
    vm.gen = 1;
    for (uint32_t i = 0; i < ninst; i++)
        marks[i] = 0;
    for (uint32_t k = 0; k < nslot; k++)
        best[k] = 0;

    for (;;) {
        /* Start a thread at pos (lowest priority) until something matched. With no live
           thread, first skip to a byte that can start a match. */
        if (!matched && (pos == 0 || !(h->flags & RE_F_NOSTART))) {
            if (!n0) {
                if (pos > 0 && !(h->flags & RE_F_NULLABLE)) {
                    while (!re_at_end(&vm, pos) &&
                           !((h->first[vm.s[pos] >> 3] >> (vm.s[pos] & 7)) & 1))
                        pos++;
                    if (re_at_end(&vm, pos))
                        break;
                }
                re_next_gen(&vm); /* no list to share marks with */
            }
            re_seed(&vm, clist, &n0, pos);
        }
        if (!n0) {
            if (matched || re_at_end(&vm, pos) || (h->flags & RE_F_NOSTART))
                break;
            pos++;
            continue;
        }
        uint32_t ch = re_at_end(&vm, pos) ? 0 : vm.s[pos];
        re_next_gen(&vm);
        n1 = 0;
        for (uint32_t t = 0; t < n0; t++) {
            uint16_t *th = clist + t * words;
            const re_inst *in = &vm.inst[th[0]];
            int ok = 0;
            if (matched && th[1] > best[0])
                continue; /* starts after the leftmost match found so far */
            switch (in->op) {
            case RE_MATCH:
                if (!matched || th[1] < best[0] || (th[1] == best[0] && pos > best_end)) {
                    for (uint32_t k = 0; k < nslot; k++)
                        best[k] = th[1 + k];
                    best_end = pos;
                    matched = 1;
                }
                continue;
            case RE_CHAR:
                ok = ch && ch == in->arg;
                break;
            case RE_ANY:
                ok = ch != 0;
                break;
            case RE_CLASS:
                ok = ch && ((vm.classes[(uint32_t)in->x * 32 + (ch >> 3)] >> (ch & 7)) & 1);
                break;
            default:
                break;
            }
            if (ok) {
                for (uint32_t k = 0; k < nslot; k++)
                    cap[k] = th[1 + k];
                re_add(&vm, nlist, &n1, th[0] + 1u, pos + 1);
            }
        }
        if (!ch)
            break;
        pos++;
        tmp = clist, clist = nlist, nlist = tmp;
        n0 = n1;
    }
    if (!matched) {
        ctx->matched_n = 0;
        return 0;
    }
    re_record(ctx, &vm, best, best_end);
    return 1;
}

/* ---- tapset ------------------------------------------------------------------------------ */
static void re_ctx_error(kt_ctx *ctx, const char *a, kt_long n, const char *b) {
    char msg[KT_ERRMSG_LEN];
    kt_buf buf = {msg, sizeof msg - 1, 0};
    kt_buf_puts(&buf, a);
    if (n != INT64_MIN)
        kt_buf_long(&buf, n, 0);
    kt_buf_puts(&buf, b);
    msg[buf.len < buf.cap ? buf.len : buf.cap] = 0;
    kt_error(ctx, KT_ERR_USER, msg);
}

KT_API void kt_regex_matched(kt_ctx *ctx, char *dst, kt_long n, uint32_t cap) {
    if (cap)
        dst[0] = 0;
    if (ctx->matched_n <= 0) {
        re_ctx_error(ctx, "Attempted to get subexpression ", n, " from failed match");
        return;
    }
    if (n < 0 || n >= ctx->matched_n) {
        re_ctx_error(ctx, "Attempted to get nonexistent subexpression ", n, "");
        return;
    }
    if (n > KT_REGEX_MAX_GROUPS) {
        re_ctx_error(ctx, "subexpression ", n, " is not recorded (ktap keeps matched(0) to matched(9))");
        return;
    }
    int32_t off = ctx->match_off[n], len = ctx->match_len[n];
    if (off < 0 || !cap)
        return;
    if ((uint32_t)len > cap - 1)
        len = (int32_t)(cap - 1);
    for (int32_t k = 0; k < len; k++)
        dst[k] = ctx->match_src[off + k];
    dst[len] = 0;
}

KT_API kt_long kt_regex_ngroups(kt_ctx *ctx) {
    if (ctx->matched_n <= 0) {
        re_ctx_error(ctx, "Attempted to get subexpression count from failed match", INT64_MIN, "");
        return 0;
    }
    return ctx->matched_n;
}
