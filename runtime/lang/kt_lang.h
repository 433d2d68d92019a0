/* The language runtime: what JIT-compiled handlers call to touch script state.
 *
 * One C library, compiled three times: into the controller (x86_64, runs begin/end/timer
 * probes), and into libktap-rt.so for x86_64 and i386 targets (function/return probes). All
 * script state lives in the *state arena*, a memfd mapped by the controller and the target at
 * different addresses and possibly different word sizes: every structure in it has fixed-width
 * fields and refers to other parts by 64-bit offsets from the arena base, never by pointers.
 *
 * Probe-path rules (DESIGN.md decision 4): nothing here may call malloc, take a blocking lock,
 * make a syscall in the common path, or call libc functions that may themselves be probed
 * (no snprintf/strlen/memcpy from libc: use the kt_ helpers). Fixed-size storage only.
 *
 * Concurrency contract: the handler prologue (generated code) takes the per-global locks in a
 * fixed order (kt_lock_*), read or write as the handler needs; map, string and scalar helpers
 * assume the caller holds the right lock. Statistics (`<<<`) need only a read lock on their
 * global: each thread adds into its own slot (kt_stat_add), and readers merge slots.
 */
#ifndef KTAP_LANG_H
#define KTAP_LANG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t kt_long;

#define KT_MAX_KEYS 9
#define KT_ERRMSG_LEN 256
#define KT_MAX_FORMAT_ARGS 32

/* Value and key kinds. */
enum { KT_LONG = 0, KT_STRING = 1, KT_STATS = 2 };

/* Runtime error codes (kt_ctx.error). Messages follow SystemTap's wording. */
enum {
#ifndef KT_OK_DEFINED /* the engine's rt.h defines KT_OK = 0 too */
#define KT_OK_DEFINED
    KT_OK = 0,
#endif
    KT_ERR_DIVZERO = 1,    /* "division by 0" */
    KT_ERR_OVERFLOW,       /* "Array overflow, check MAXMAPENTRIES" */
    KT_ERR_MAXACTION,      /* "MAXACTION exceeded" (not catchable) */
    KT_ERR_MAXNESTING,     /* "MAXNESTING exceeded" */
    KT_ERR_EMPTY_AGG,      /* "empty aggregate" */
    KT_ERR_STRINGAT,       /* stringat index out of range */
    KT_ERR_USER,           /* error("...") */
    KT_ERR_FAULT,          /* bad user memory read */
    KT_ERR_HIST_INDEX,     /* histogram bucket index out of range */
    KT_ERR_NEXT,           /* `next` with no further overload */
    KT_ERR_ABORT,          /* abort(): not catchable */
};

/* ---------------------------------------------------------------------------------------
 * Arena layout. The controller computes the layout (compiler/layout.cpp) and initialises the
 * arena with the kt_*_init functions before any handler runs.
 */
#define KT_ARENA_MAGIC 0x616e6572612d746bULL /* "kt-arena" */

typedef struct kt_arena_header {
    uint64_t magic;
    uint64_t size;            /* bytes of the whole arena */
    uint32_t maxstringlen;    /* string slot size incl. NUL (MAXSTRINGLEN) */
    uint32_t maxmapentries;
    int64_t maxaction;
    int32_t maxnesting;
    int32_t nslots;           /* thread slots: output rings and statistics slots */
    uint64_t slots_off;       /* kt_slot[nslots] */
    uint64_t rings_off;       /* nslots rings of ring_bytes each */
    uint64_t ring_bytes;      /* power of two */
    /* Session state, written with atomics. */
    int32_t exit_requested;   /* exit() was called */
    int32_t error_exit;       /* an uncaught runtime error asked for shutdown */
    int64_t errors;           /* runtime errors (uncaught) */
    int64_t skipped;          /* handlers skipped: lock timeouts, no slot, reentrancy */
    int64_t dropped_bytes;    /* output lost to full rings */
    int64_t dropped_records;
    uint64_t maxtrylock;      /* lock spins before giving up (kt_arena_init: KT_MAXTRYLOCK) */
    uint64_t hist_width;      /* HIST_WIDTH: histogram bar width; 0 means 50 */
    /* Target probes (runtime/include/ktap/agent.h). */
    uint64_t sites_off;       /* kt_site[nsites], 0 when the script has no target probes */
    uint32_t nsites;
    int32_t probes_enabled;   /* target handlers run only while 1: one switch starts them all */
    int64_t target_pid;       /* target() */
    uint32_t dlopen_pending;  /* the agent's dlopen hook waits (futex) until ktap clears it */
    uint32_t output_flags;    /* KT_OUTPUT_*: how printed values reach the controller */
    uint64_t unwind_off;      /* struct kt_uw_area (ktap/unwind.h), 0 when the script unwinds
                                 no stacks */
    uint64_t sample_off;      /* struct kt_sample_area (ktap/sample.h), 0: no sampling probes */
} kt_arena_header;

#define KT_MAXTRYLOCK 4096

/* output_flags: KT_OUTPUT_STRUCTURED (ktap -f json) makes print of a histogram leave its
   buckets as a marker the controller turns into a JSON event instead of rendering the text:
   "\x06H" KIND(L|N) " " lo " " width " " nbuckets " " count " " sum " " min " " max, then
   " " index ":" count for every bucket that holds data, then "\x07". */
#define KT_OUTPUT_STRUCTURED 1u

/* One per thread that ever ran a handler; claimed with a CAS on `tid`. */
typedef struct kt_slot {
    int32_t tid;              /* 0: free */
    int32_t pad;
    uint64_t ring_head;       /* producer position (bytes written) */
    uint64_t ring_tail;       /* consumer position (bytes drained) */
    /* The unwinder's cache (kt_unwind.c): the mapping holding thread stack_tid's stack. */
    uint64_t stack_tid, stack_lo, stack_hi;
    uint64_t uw_cache_map; /* the module map (offset) this slot's rule cache holds rules of */
    uint32_t stack_lookups; /* times the agent was asked for thread stack_tid's stack mapping */
    uint32_t reserved;
} kt_slot;

/* Parameters the compiler chooses per global; the same struct drives sizing and init. */
typedef struct kt_map_params {
    uint32_t nkeys;           /* 1..KT_MAX_KEYS */
    uint32_t key_kinds;       /* bit i set: key i is a string */
    uint32_t value_kind;      /* KT_LONG, KT_STRING or KT_STATS */
    uint32_t capacity;        /* max entries (declared size or MAXMAPENTRIES) */
    uint32_t wrap;            /* `%`: a full array drops its oldest entry instead of failing */
    uint32_t maxstringlen;
    uint32_t nslots;          /* statistics values: per-thread slots */
    uint32_t hist_kind;       /* KT_HIST_* for statistics values */
    int64_t hist_lo, hist_hi, hist_width;
    int32_t var_shift;        /* statistics values: see kt_stat_params */
    int32_t pad;
} kt_map_params;

enum { KT_HIST_NONE = 0, KT_HIST_LOG = 1, KT_HIST_LINEAR = 2 };

typedef struct kt_stat_params {
    uint32_t nslots;
    uint32_t hist_kind;
    int64_t hist_lo, hist_hi, hist_width;
    /* @variance(s, shift): stap folds the shift in on every `<<<` (Welford on shifted values),
       so it is fixed per statistic. 0..62; -1 when @variance is never read (saves a division
       per `<<<`). */
    int32_t var_shift;
    int32_t pad;
} kt_stat_params;

uint64_t kt_map_bytes(const kt_map_params *p);
void kt_map_init(void *at, const kt_map_params *p);
uint64_t kt_stat_bytes(const kt_stat_params *p);
void kt_stat_init(void *at, const kt_stat_params *p);
uint64_t kt_lock_bytes(void);
void kt_lock_init(void *at);
/* Init functions expect zero-filled memory (a fresh memfd) and write only headers, so untouched
   pages of large maps stay uncommitted. Globals need 8-byte aligned offsets; give maps, stats
   and locks 64-byte aligned ones (all kt_*_bytes() results are multiples of 64) so per-thread
   statistics slots and locks sit on their own cache lines. */
/* Header, slots and rings: at arena offset 0, `total` bytes including `extra` bytes of
   globals that follow at kt_arena_globals_off() (== kt_arena_prefix_bytes()). */
uint64_t kt_arena_prefix_bytes(int32_t nslots, uint64_t ring_bytes);
uint64_t kt_arena_globals_off(int32_t nslots, uint64_t ring_bytes);
void kt_arena_init(void *arena, uint64_t total, int32_t nslots, uint64_t ring_bytes,
                   uint32_t maxstringlen, uint32_t maxmapentries, int64_t maxaction,
                   int32_t maxnesting);

/* ---------------------------------------------------------------------------------------
 * Handler context: on the stack of whoever runs a handler (a controller thread for
 * begin/end/timer, the runtime's dispatcher in the target for function probes).
 */
typedef struct kt_ctx {
    uint8_t *arena;           /* arena base in this process */
    int32_t slot;             /* this thread's slot, -1 until claimed */
    int32_t error;            /* KT_ERR_* pending, 0 when none */
    int64_t actions;          /* statements executed in this handler */
    int32_t depth;            /* script function nesting */
    int32_t probe;            /* index of the running probe */
    const char *where;        /* "identifier 'x' at file:line:col" of the failing construct */
    /* Target context, set by the agent for function and return probes (NULL / -1 / 0 in
       begin, end, error and timer probes). Generated code reads entry_data (field 8). */
    void *regs;               /* struct kt_regs * of the hit (runtime/include/ktap/rt.h) */
    uint8_t *entry_data;      /* return probes: this instance's @entry area */
    int32_t site;             /* index in the arena's site table */
    int32_t is_return;
    int32_t matched_n;        /* regex: groups from the last =~ (matched()/ngroups()) */
    int32_t sample;           /* 1 in sampling probes: regs are the interrupted thread's */
    int32_t match_off[10], match_len[10];
    char match_src[KT_ERRMSG_LEN]; /* the string the last =~ matched (truncated) */
    char errmsg[KT_ERRMSG_LEN];
} kt_ctx;

void kt_ctx_init(kt_ctx *ctx, void *arena, int32_t probe);
/* Thread slots: the handler prologue claims this thread's slot (by tid, CAS, no syscall) and
   skips the handler (counted) when none is free. Sets and returns ctx->slot, or -1. A thread
   that exits releases its slot; its ring contents and statistics stay (and are still read). */
int32_t kt_slot_claim(kt_ctx *ctx, int32_t tid);
void kt_slot_release(void *arena, int32_t tid);
/* Raises a runtime error: sets ctx->error and the message (printf-free formatting). */
void kt_error(kt_ctx *ctx, int32_t code, const char *msg);

/* ---------------------------------------------------------------------------------------
 * Locks: one reader/writer lock per global. Spins a bounded number of times (MAXTRYLOCK);
 * returns 0 on failure, after which the handler is skipped and counted in `skipped`.
 * Reader counts are sharded by ctx->slot: claim the slot before taking locks and keep it until
 * they are released (kt_lock_bytes() is about 1 KiB).
 */
int kt_lock_read(kt_ctx *ctx, uint64_t lock_off);
int kt_lock_write(kt_ctx *ctx, uint64_t lock_off);
void kt_unlock_read(kt_ctx *ctx, uint64_t lock_off);
void kt_unlock_write(kt_ctx *ctx, uint64_t lock_off);

/* ---------------------------------------------------------------------------------------
 * Strings: `char[maxstringlen]` buffers, always NUL-terminated, silently truncated.
 */
uint32_t kt_strlen(const char *s);
void kt_strcpy(char *dst, const char *src, uint32_t cap);
void kt_strcat(char *dst, const char *src, uint32_t cap);
int kt_strcmp(const char *a, const char *b);
void kt_long_to_str(char *dst, kt_long v, uint32_t cap);
void kt_substr(char *dst, const char *s, kt_long start, kt_long len, uint32_t cap);
kt_long kt_stringat(kt_ctx *ctx, const char *s, kt_long i);
kt_long kt_strpos(const char *hay, const char *needle);   /* -1 when absent */
void kt_str_replace(char *dst, const char *s, const char *from, const char *to, uint32_t cap);
kt_long kt_strtol(kt_ctx *ctx, const char *s, kt_long base);
void kt_text_str(char *dst, const char *s, uint32_t cap);             /* escapes */
void kt_text_strn(char *dst, const char *s, kt_long n, kt_long quoted, uint32_t cap);
void kt_string_quoted(char *dst, const char *s, uint32_t cap);
/* tokenize(s, delim): stateful per context in stap; ktap keeps the state in the caller's
   buffer `state` (maxstringlen bytes). */
void kt_tokenize(char *dst, char *state, const char *s, const char *delim, uint32_t cap);

/* ---------------------------------------------------------------------------------------
 * Keys of associative arrays: a tuple of up to 9 longs or strings, passed by pointer.
 */
typedef struct kt_key {
    kt_long n[KT_MAX_KEYS];
    const char *s[KT_MAX_KEYS];
} kt_key;

/* Entry index >= 0, or -1. `find` never inserts; `insert` fails with KT_ERR_OVERFLOW when
   full (or drops the oldest entry with wrap). Finds and inserts may run concurrently under the
   global's read lock (`a[k] <<< v`): inserts serialise on a bounded per-map spin; if that times
   out, insert returns -1 with ctx->error still 0 (counted in `skipped`; the update is lost).
   Deletes and clears need the write lock. */
int32_t kt_map_find(kt_ctx *ctx, uint64_t map_off, const kt_key *key);
int32_t kt_map_insert(kt_ctx *ctx, uint64_t map_off, const kt_key *key);
kt_long *kt_map_long(kt_ctx *ctx, uint64_t map_off, int32_t entry);
char *kt_map_str(kt_ctx *ctx, uint64_t map_off, int32_t entry);
uint64_t kt_map_stat(kt_ctx *ctx, uint64_t map_off, int32_t entry); /* offset of its stat */
kt_long kt_map_key_long(kt_ctx *ctx, uint64_t map_off, int32_t entry, uint32_t k);
const char *kt_map_key_str(kt_ctx *ctx, uint64_t map_off, int32_t entry, uint32_t k);
void kt_map_delete(kt_ctx *ctx, uint64_t map_off, const kt_key *key);
/* Deletes every entry matching the keys whose bit is clear in `wildcards` (`delete a[*, k]`);
   also serves `[*, k] in a` through kt_map_any. */
void kt_map_delete_matching(kt_ctx *ctx, uint64_t map_off, const kt_key *key, uint32_t wildcards);
int kt_map_any(kt_ctx *ctx, uint64_t map_off, const kt_key *key, uint32_t wildcards);
void kt_map_clear(kt_ctx *ctx, uint64_t map_off);
int32_t kt_map_count(kt_ctx *ctx, uint64_t map_off);

/* foreach: fills `out` (room for the map's capacity) with entry indices in iteration order
   and returns how many. sort_by: -1 unsorted (insertion order), 0 the value (for statistics:
   `agg`, a KT_AGG_*), 1..9 that key. dir: +1 ascending, -1 descending. limit < 0: none.
   Only entries matching `slice` (keys whose bit is clear in `wildcards`) when slice != 0. */
int32_t kt_map_sorted(kt_ctx *ctx, uint64_t map_off, int32_t sort_by, int32_t dir, int32_t agg,
                      kt_long limit, const kt_key *slice, uint32_t wildcards, int32_t *out);

/* ---------------------------------------------------------------------------------------
 * Statistics: `<<<` and the extractors. Stats live at an arena offset (a global, or an array
 * entry via kt_map_stat).
 */
enum { KT_AGG_COUNT = 0, KT_AGG_SUM, KT_AGG_MIN, KT_AGG_MAX, KT_AGG_AVG, KT_AGG_VARIANCE };

void kt_stat_add(kt_ctx *ctx, uint64_t stat_off, kt_long value);
/* Merges the per-thread slots; @count and @sum of an empty aggregate are 0, the others raise
   KT_ERR_EMPTY_AGG. `shift` is @variance's optional argument. */
kt_long kt_stat_get(kt_ctx *ctx, uint64_t stat_off, int32_t agg, int32_t shift);
/* (`shift` is ignored: the statistic's declared var_shift applies, see kt_stat_params.) */
void kt_stat_clear(kt_ctx *ctx, uint64_t stat_off);
/* Histogram buckets: @hist_log 128 buckets (negative, 0, positive powers of two), @hist_linear
   (hi-lo)/width + 3 (underflow, buckets, overflow). */
int32_t kt_hist_buckets(kt_ctx *ctx, uint64_t stat_off);
kt_long kt_hist_bucket(kt_ctx *ctx, uint64_t stat_off, kt_long index);
/* Renders the histogram byte-for-byte as SystemTap prints it (reference systemtap.md §1.10:
   width, `~` elision with HIST_ELISION, trailing blank line) into dst (cap bytes: like stap's
   sprint, the first cap-1 bytes and a NUL). Empty aggregate: KT_ERR_EMPTY_AGG. Returns the
   length. */
uint32_t kt_hist_render(kt_ctx *ctx, uint64_t stat_off, int32_t elision, char *dst, uint32_t cap);

/* ---------------------------------------------------------------------------------------
 * Formatting and output.
 */
typedef struct kt_fmt_arg {
    kt_long n;
    const char *s;            /* non-null for string arguments */
} kt_fmt_arg;

/* printf semantics of reference systemtap.md §1.11: flags `-+ #0`, width, precision (`*`
   taken from the args), `%d %i %u %o %x %X %p %s %c %b %m %M %%` (`l`/`h` ignored).
   Writes at most cap-1 bytes and a NUL; returns the length written. */
uint32_t kt_format(kt_ctx *ctx, char *dst, uint32_t cap, const char *fmt,
                   const kt_fmt_arg *args, int32_t nargs);
/* Appends bytes to this thread's output ring as one record; a full ring drops the record and
   counts it (never blocks). */
void kt_out(kt_ctx *ctx, const char *bytes, uint32_t len);
void kt_out_str(kt_ctx *ctx, const char *s);
void kt_out_long(kt_ctx *ctx, kt_long v);
/* printf straight into the ring as one record (at most KT_PRINTF_MAX bytes), and print of a
   histogram (one record; KT_ERR_EMPTY_AGG when empty): no stack buffer needed. */
#define KT_PRINTF_MAX 8192
void kt_out_format(kt_ctx *ctx, const char *fmt, const kt_fmt_arg *args, int32_t nargs);
void kt_out_hist(kt_ctx *ctx, uint64_t stat_off, int32_t elision);
/* Controller side (one draining thread): copies out whole records, merged across the slots in
   the order they were committed (a sequence number per record), so output from different
   threads keeps its global order. Returns bytes; stops before a record that does not fit
   (cap >= ring_bytes always makes progress). */
uint64_t kt_drain(void *arena, char *dst, uint64_t cap);
/* Diagnostics from handlers in the target ("ERROR: ...", "WARNING: ..." lines) travel in the
   same rings as records of the stderr stream, so they keep their place in the output order. */
enum { KT_STREAM_OUT = 0, KT_STREAM_ERR = 1 };
void kt_out_err(kt_ctx *ctx, const char *bytes, uint32_t len);
/* Like kt_drain, but copies records of one stream only: the stream of the oldest pending
   record, returned in *stream; stops before a record of the other stream. */
uint64_t kt_drain_stream(void *arena, char *dst, uint64_t cap, int32_t *stream);

/* ---------------------------------------------------------------------------------------
 * Probe context of function and return probes (kt_target.c). They read ctx->regs (struct
 * kt_regs of runtime/include/ktap/rt.h, this build's architecture); with ctx->regs == NULL
 * (begin, end, timer probes) they raise KT_ERR_USER "<name>: not available in this probe".
 */
enum {
    KT_ARG_INT = 0,   /* int_arg, s32_arg: low 32 bits, sign-extended */
    KT_ARG_UINT,      /* uint_arg, u32_arg: low 32 bits, zero-extended */
    KT_ARG_LONG,      /* long_arg: native word, sign-extended */
    KT_ARG_ULONG,     /* ulong_arg, pointer_arg: native word, zero-extended */
    KT_ARG_S64,       /* s64_arg, longlong_arg: 64 bits (i386: two stack words, low first) */
    KT_ARG_U64,       /* u64_arg, ulonglong_arg */
};
/* Argument n (1-based) by the platform ABI at function entry: x86_64 rdi rsi rdx rcx r8 r9 then
   the stack; i386 [sp + 4n] (a fault-safe read). In a return probe it reads the registers at
   return (stap does the same; scripts should use @entry). n out of range: KT_ERR_USER. */
kt_long kt_ctx_arg(kt_ctx *ctx, kt_long n, int32_t kind);
/* register("rax") / u_register: the names stap accepts for the architecture (x86_64: rax..r15,
   eax.., ax.., al..; rip, rsp, rflags; i386: eax.. esp, eip, eflags), 32-bit names sign- or
   zero-extended; an unknown name is KT_ERR_USER. */
kt_long kt_ctx_register(kt_ctx *ctx, const char *name, int32_t is_unsigned);
kt_long kt_ctx_returnval(kt_ctx *ctx);   /* rax / eax sign-extended (returnval()) */
/* $return: the return register(s) as the function's type (the site's ret_bytes/ret_signed from
   DWARF: an int is the low half of rax sign-extended, a long long on i386 is edx:eax); the
   register as returnval() when the type is unknown. */
kt_long kt_ctx_return_value(kt_ctx *ctx);
kt_long kt_ctx_uaddr(kt_ctx *ctx);       /* regs->ip */
void kt_ctx_ppfunc(kt_ctx *ctx, char *dst, uint32_t cap);   /* the site's function name */
void kt_ctx_probemod(kt_ctx *ctx, char *dst, uint32_t cap); /* the site's module path */

/* Fault-safe reads of this process's memory (process_vm_readv on itself, a raw system call):
   a bad address is an error or a default, never a crash. */
int32_t kt_user_read(void *dst, uint64_t addr, uint32_t n);   /* 0, or -1 on a fault */
/* user_string(addr[, err_msg]), user_string_n(addr, n[, err_msg]) and the _quoted forms:
   at most maxlen bytes (< 0: cap - 1). deflt == NULL: a fault raises KT_ERR_FAULT with stap's
   message ("user string copy fault -14 at 0x... [man error::fault]"); otherwise the result is
   deflt. quoted: the text as stap's string_quoted() (with "..." and escapes; a fault gives
   "<unknown>"). */
void kt_user_string(kt_ctx *ctx, char *dst, kt_long addr, kt_long maxlen, const char *deflt,
                    int32_t quoted, uint32_t cap);
/* user_char/short/int/long/int8..uint64: bytes 1, 2, 4, 8 (long: the target's word size),
   sign- or zero-extended; a fault raises KT_ERR_FAULT ("read fault [man error::fault] at
   0x...") and returns 0. */
kt_long kt_user_int(kt_ctx *ctx, kt_long addr, int32_t bytes, int32_t is_signed);

/* ---------------------------------------------------------------------------------------
 * User backtraces (kt_unwind.c, docs/backtraces.md). The hit's stack is unwound here with the
 * tables ktap compiled from each module's call-frame information (ktap/unwind.h); addresses
 * travel as text and ktap symbolizes them when it prints. Symbolic results are markers,
 * "\x01" KIND ADDRESSES ["!" STOP] "\x02", which the controller expands in the output
 * (KIND: F full, B brief, L with file:line, S sprint_ubacktrace's simple form, N usymname,
 * D usymdata, f usymfile, l usymfileline, M umodname).
 */
/* Unwinds into pcs[0..max): returns the frames, *stop = enum kt_uw_stop. pcs[0] is the probed
   function's address at entry, the return address at return. flags (may be NULL): per frame,
   KT_UW_F_SIGTRAMP (a signal trampoline) and KT_UW_F_EXACT (an interrupted address, not a
   return address). */
#define KT_UW_F_SIGTRAMP 1
#define KT_UW_F_EXACT 2
uint32_t kt_unwind(kt_ctx *ctx, uint64_t *pcs, uint8_t *flags, uint32_t max, int32_t *stop);
/* ubacktrace() (skip 0) and ucallers(n) (skip 1, at most n; n < 0: all): "0x%016x" joined by
   spaces, whole addresses only. */
void kt_ubacktrace(kt_ctx *ctx, char *dst, int64_t skip, int64_t n, int32_t maxframes,
                   uint32_t cap);
/* print_ubacktrace{,_brief,_fileline}: one output record with a marker of kind `kind`. */
void kt_print_ubacktrace(kt_ctx *ctx, int32_t kind, int32_t maxframes);
/* sprint_ubacktrace(): a marker of kind S (as many whole addresses as fit). */
void kt_sprint_ubacktrace(kt_ctx *ctx, char *dst, int32_t maxframes, uint32_t cap);
/* print_ustack/print_usyms (print = 1) and sprint_ustack/sprint_usyms: the addresses of a
   ubacktrace()/ucallers() string wrapped in a marker of kind `kind`. */
void kt_ustack(kt_ctx *ctx, char *dst, const char *addrs, int32_t kind, int32_t print,
               uint32_t cap);
/* ustack(n): the address of frame n (0 = the probed address), 0 when the stack is shorter or
   n is outside [0, maxframes). */
kt_long kt_ustack_frame(kt_ctx *ctx, kt_long n, int32_t maxframes);
/* usymname/usymdata/usymfile/usymline/usymfileline/umodname: a marker for one address (for
   usymname and umodname: the start of its function or module, when ktap's tables cover it). */
void kt_usym(kt_ctx *ctx, char *dst, int64_t addr, int32_t kind, uint32_t cap);
/* The agent's translation of a return-probe stub address to the real return address (NULL in
   the controller). */
extern uintptr_t (*kt_unwind_pc_hook)(uintptr_t pc);
extern uintptr_t kt_unwind_stub_lo, kt_unwind_stub_hi; /* where the hook applies */
/* The agent's lookup of the readable mapping holding sp (NULL in the controller): 0, or -1. */
extern int32_t (*kt_stack_bounds_hook)(uint64_t sp, uint64_t *lo, uint64_t *hi);

/* ---------------------------------------------------------------------------------------
 * Regular expressions: `s =~ "ERE"`, `s !~ "ERE"`, matched(n), ngroups() (kt_regex.c).
 *
 * Syntax: POSIX extended regular expressions, as SystemTap parses them (stapregex-parse.cxx):
 * literals; `\c` is the byte c literally for any c except those rejected below (so the
 * script-level escapes `\n`, `\t`, `\x41`, ... are already decoded by the lexer and arrive
 * as bytes); `.` any byte; bracket expressions `[...]`, `[^...]` with ranges, `]` first is
 * literal, `-` first or last is literal, POSIX classes `[:alpha:] alnum blank cntrl digit
 * xdigit graph lower print punct space upper` (C locale, ASCII) plus SystemTap's aliases `d l
 * s u`, single-character `[.c.]` and `[=c=]`, and (SystemTap, not POSIX) `\` escaping inside
 * brackets; anchors `^` `$` anywhere (start / end of the subject only: no REG_NEWLINE);
 * groups `( )` (empty allowed), alternation `|` (empty alternatives allowed); `* + ?`,
 * `{m}`, `{m,}`, `{m,n}` with m, n <= 1000, stackable (`a{2}{3}`, `a+?` == `(a+)?`).
 * Rejected with a message: back-references `\1`-`\9`, GNU/Perl escapes `\w \W \s \S \d
 * \D \b \B \< \> \` \'`, a quantifier with nothing to repeat (`*a`, `a|*`) or applied to
 * an anchor (`^*`), `{,n}`, inverted ranges, unknown classes, unbalanced parentheses,
 * unclosed brackets, and programs beyond the limits below. (stap itself reads `\1` and `\w`
 * as the literal characters; ktap rejects them because they never mean that elsewhere.)
 *
 * Matching: the subject is a NUL-terminated string of bytes (unsigned, case-sensitive),
 * looked at up to KT_REGEX_MAX_SUBJECT bytes. The overall match is POSIX leftmost-longest
 * (as SystemTap's DFA and glibc's regexec): the earliest start, then the longest end.
 * Submatches: among all ways the pattern can produce that overall match, the one a
 * backtracking matcher would try first: alternatives left to right, each quantifier taking as
 * many iterations as possible (greedy), earlier constructs before later ones; a repeated
 * group reports its last iteration; a starred group that can match empty takes one (empty)
 * iteration rather than none (`(a*)*` on "b": matched(1) is "", set, as glibc); a group
 * that did not participate reports "". This equals POSIX's subexpression rule (and glibc)
 * in the common cases (`(a*)a*a`, `(.*).*`, `(a+|b)*`, `([abc])*d`, `(ab|cd)e`, URL
 * splitting...: SystemTap's regex_grouping tests all pass) but not when an earlier
 * alternative or iteration count yields a shorter group than a later one for the same overall
 * match: `(a|ab)(c|bcd)(d*)` on "abcd" gives "a", "bcd", "" (POSIX and glibc: "ab", "c",
 * "d"); `a(.{1,3}){0,2}b` on "acbcb" gives "cbc" (glibc: two iterations, "c"). In a random
 * differential test about 2% of matches differ from glibc in some group, never in matched(0).
 *
 * Engine: a Pike VM (Thompson NFA with captures): O(strlen * program) time, no recursion, no
 * allocation; its working storage (thread lists sized from the program) is on the stack and
 * at most KT_REGEX_MAX_SCRATCH bytes (typical patterns: a few hundred; the compiler rejects
 * programs that would need more). `{m,n}` is expanded (n copies of the operand), so the
 * instruction limit bounds the counts in practice. Roughly 40-300 ns per match for short
 * patterns on short subjects, 65534-byte subjects in a few ms even for `(a*)*b`.
 */
#define KT_REGEX_MAX_INST 1024     /* instructions in a compiled program */
#define KT_REGEX_MAX_CLASSES 64    /* distinct bracket expressions */
#define KT_REGEX_MAX_SCRATCH 16384 /* stack bytes a match may use */
#define KT_REGEX_MAX_GROUPS 9      /* groups whose offsets are recorded: matched(0..9) */
#define KT_REGEX_MAX_SUBJECT 65534 /* subject bytes looked at (MAXSTRINGLEN <= 65536) */
/* Upper bound of a compiled program's size: a buffer this large always suffices. */
#define KT_REGEX_PROG_MAX (80 + 8 * KT_REGEX_MAX_INST + 32 * KT_REGEX_MAX_CLASSES)

/* Controller side. Compiles `pattern` into `out` (cap bytes); returns the bytes used, a
   multiple of 8, or 0 on error with "regex compilation error (at position N): ..." in `error`
   (N: 0-based byte offset in the pattern). With out == NULL only validates and returns the
   size. The program is position-independent, fixed-width little-endian data, identical for
   the x86_64 and i386 executors; embed it as a read-only constant (any alignment works, 8 is
   best). Uses about 60 KiB of stack: never call it from a probe handler. */
uint32_t kt_regex_compile(const char *pattern, void *out, uint32_t cap, char *error,
                          uint32_t error_cap);
/* Probe path. Returns 1 on a match, 0 otherwise (`!~` is the negation). Either way it sets
   the context's last-match state, as stap does for both operators: on a match, the matched
   text (match 0, truncated to KT_ERRMSG_LEN-1 bytes) goes to ctx->match_src, group offsets
   relative to it to match_off/match_len (-1: did not participate), and matched_n to the
   number of groups + 1; on no match matched_n = 0. `program` must come from
   kt_regex_compile (only its header is checked: a bad one raises KT_ERR_USER). */
int32_t kt_regex_match(kt_ctx *ctx, const void *program, const char *subject);
/* matched(n): group n of the last match ("" when it did not participate; truncated to cap-1
   bytes and to what match_src holds). KT_ERR_USER with SystemTap's messages after a failed
   match ("Attempted to get subexpression N from failed match") or for n < 0 or n >=
   ngroups() ("Attempted to get nonexistent subexpression N"); groups past 9 exist (and
   count in ngroups()) but are not recorded: matched(10..) is an error that says so. */
void kt_regex_matched(kt_ctx *ctx, char *dst, kt_long n, uint32_t cap);
/* ngroups(): as SystemTap's tapset (num_final_tags / 2), the number of parenthesised groups
   plus one for matched(0), so `for (i = 0; i < ngroups(); i++) matched(i)` visits them all.
   KT_ERR_USER after a failed match ("Attempted to get subexpression count from failed
   match"). */
kt_long kt_regex_ngroups(kt_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* KTAP_LANG_H */
