/* Probe context of function and return probes, and fault-safe reads of this process's memory
 * (kt_lang.h, "Probe context" and "Fault-safe reads"). Runs in the target on the probe path:
 * no libc; the reads are raw process_vm_readv system calls on the own process, so a bad address
 * is an error or a default, never a crash. In the agent, kt_fast_read_hook replaces the system
 * call with a copy whose faults the agent's SIGSEGV/SIGBUS handler turns into an error return
 * (runtime/agent/agent_fault.c, docs/agent.md "Fault-safe reads"); the hook says when it cannot
 * be used and the system call is taken then. In the controller the hook stays NULL.
 *
 * Headers: agent.h (struct kt_site; through rt.h struct kt_regs of this architecture) defines
 * KT_API and KT_STATIC_ASSERT like kt_lang_int.h (KT_STATIC_ASSERT in another form): they are
 * dropped before the language runtime's own definitions are read. */
#include "../include/ktap/agent.h"
#undef KT_API
#undef KT_STATIC_ASSERT

#include "kt_lang_int.h"

/* ---- raw system calls ------------------------------------------------------------------ */

#if defined(__x86_64__)
#define KT_NR_GETPID 39
#define KT_NR_PROCESS_VM_READV 310
static inline long kt_sys5(long nr, long a, long b, long c, long d, long e) {
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = 0;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__i386__)
#define KT_NR_GETPID 20
#define KT_NR_PROCESS_VM_READV 347
/* The sixth argument (ebp) is always 0 here; ebp may be the frame pointer or a register the
 * compiler uses, so it is saved around the call. */
static inline long kt_sys5(long nr, long a, long b, long c, long d, long e) {
    long ret;
    __asm__ __volatile__("push %%ebp\n\t"
                         "xor %%ebp, %%ebp\n\t"
                         "int $0x80\n\t"
                         "pop %%ebp"
                         : "=a"(ret)
                         : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                         : "memory");
    return ret;
}
#else
#error "kt_target.c: unsupported architecture"
#endif

/* The process id for process_vm_readv, cached. A fork child must forget it (the agent calls
 * kt_target_fork_child from its pthread_atfork child handler): the parent's id would read the
 * parent's memory. A vfork child shares the memory, so the parent's id reads the right bytes. */
static int32_t kt_self_pid;

void kt_target_fork_child(void) {
    __atomic_store_n(&kt_self_pid, 0, __ATOMIC_RELAXED);
}

static int32_t kt_pid(void) {
    int32_t pid = __atomic_load_n(&kt_self_pid, __ATOMIC_RELAXED);
    if (KT_UNLIKELY(pid <= 0)) {
        pid = (int32_t)kt_sys5(KT_NR_GETPID, 0, 0, 0, 0, 0);
        __atomic_store_n(&kt_self_pid, pid, __ATOMIC_RELAXED);
    }
    return pid;
}

/* struct iovec of this architecture. */
typedef struct kt_iov {
    uintptr_t base;
    uintptr_t len;
} kt_iov;

#define KT_PAGE 4096u

/* The agent's fault-safe copy of n bytes at addr (runtime/agent/agent_fault.c): 0 when copied,
 * -1 on a fault, 1 when it cannot be used right now (then process_vm_readv is). NULL in the
 * controller, which runs this file for begin/end probes. */
int32_t (*kt_fast_read_hook)(void *dst, uint64_t addr, uint32_t n);

static inline int32_t (*kt_fast_read(void))(void *, uint64_t, uint32_t) {
    return __atomic_load_n(&kt_fast_read_hook, __ATOMIC_ACQUIRE);
}

/* Reads up to n bytes at addr into dst, one page-bounded iovec per page touched, in one system
 * call: returns the bytes read before the first unreadable page (0 when the first one is), or
 * -1 on an address outside this process's address space. */
static int64_t kt_read_pages(void *dst, uint64_t addr, uint32_t n) {
    if (!n)
        return 0;
    if (addr + n < addr || addr + n - 1 > (uint64_t)UINTPTR_MAX)
        return -1;
    int32_t (*fast)(void *, uint64_t, uint32_t) = kt_fast_read();
    if (fast) {
        /* page by page: the bytes before the first unreadable page, as the system call */
        uint32_t got = 0;
        while (got < n) {
            uint64_t at = addr + got;
            uint32_t room = KT_PAGE - (uint32_t)(at & (KT_PAGE - 1));
            uint32_t k = n - got < room ? n - got : room;
            int32_t r = fast((uint8_t *)dst + got, at, k);
            if (r < 0)
                return got;
            if (r > 0) { /* not usable any more: the rest by the system call */
                if (!got)
                    break;
                int64_t more = kt_read_pages((uint8_t *)dst + got, at, n - got);
                return got + (more > 0 ? more : 0);
            }
            got += k;
        }
        if (got == n)
            return n;
    }
    uint32_t npages = (uint32_t)((((addr & (KT_PAGE - 1)) + n) + KT_PAGE - 1) / KT_PAGE);
    kt_iov remote[npages];
    kt_iov local = {(uintptr_t)dst, n};
    uint64_t at = addr;
    uint32_t left = n;
    for (uint32_t i = 0; i < npages; i++) {
        uint32_t room = KT_PAGE - (uint32_t)(at & (KT_PAGE - 1));
        uint32_t k = left < room ? left : room;
        remote[i].base = (uintptr_t)at;
        remote[i].len = k;
        at += k;
        left -= k;
    }
    long r = kt_sys5(KT_NR_PROCESS_VM_READV, kt_pid(), (long)&local, 1, (long)remote, (long)npages);
    return r < 0 ? 0 : r;
}

KT_API int32_t kt_user_read(void *dst, uint64_t addr, uint32_t n) {
    if (!n)
        return 0;
    if (addr + n < addr || addr + n - 1 > (uint64_t)UINTPTR_MAX)
        return -1;
    int32_t (*fast)(void *, uint64_t, uint32_t) = kt_fast_read();
    if (fast) {
        int32_t r = fast(dst, addr, n);
        if (r <= 0)
            return r;
    }
    kt_iov local = {(uintptr_t)dst, n};
    kt_iov remote = {(uintptr_t)addr, n};
    long r = kt_sys5(KT_NR_PROCESS_VM_READV, kt_pid(), (long)&local, 1, (long)&remote, 1);
    return r == (long)n ? 0 : -1;
}

/* ---- messages ------------------------------------------------------------------------------ */

static void kt_put_hex(kt_buf *b, uint64_t v) {
    char tmp[16];
    int n = 0;
    kt_buf_puts(b, "0x");
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        kt_buf_putc(b, tmp[--n]);
}

static void kt_buf_end(kt_buf *b) {
    b->p[b->len < b->cap ? b->len : b->cap] = 0;
}

/* stap's loc2c DEREF_FAULT message. */
static void kt_read_fault(kt_ctx *ctx, uint64_t addr) {
    char msg[64];
    kt_buf b = {msg, sizeof msg - 1, 0};
    kt_buf_puts(&b, "read fault [man error::fault] at ");
    kt_put_hex(&b, addr);
    kt_buf_end(&b);
    kt_error(ctx, KT_ERR_FAULT, msg);
}

/* ---- the site table ------------------------------------------------------------------------ */

static const kt_site *kt_site_of(const kt_ctx *ctx) {
    const kt_arena_header *h = kt_hdr(ctx);
    if (!h || ctx->site < 0 || (uint32_t)ctx->site >= h->nsites || !h->sites_off)
        return 0;
    return (const kt_site *)(ctx->arena + h->sites_off) + ctx->site;
}

/* Copies the NUL-terminated string at arena offset `off` (bounded by the arena). */
static void kt_arena_str(const kt_ctx *ctx, uint64_t off, char *dst, uint32_t cap) {
    const kt_arena_header *h = kt_hdr(ctx);
    uint32_t i = 0;
    if (!cap)
        return;
    if (off && off < h->size) {
        const char *s = (const char *)ctx->arena + off;
        uint64_t room = h->size - off;
        while (i + 1 < cap && i < room && s[i]) {
            dst[i] = s[i];
            i++;
        }
    }
    dst[i] = 0;
}

/* In a sampling probe: the function and module of the sampled address, as usymname() and
 * umodname() of it (markers ktap names when it prints). */
static int kt_sample_sym(kt_ctx *ctx, int32_t kind, char *dst, uint32_t cap) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    if (!ctx->sample || !r)
        return 0;
    kt_usym(ctx, dst, (int64_t)(uint64_t)r->ip, kind, cap);
    return 1;
}

KT_API void kt_ctx_ppfunc(kt_ctx *ctx, char *dst, uint32_t cap) {
    if (kt_sample_sym(ctx, 'N', dst, cap))
        return;
    const kt_site *s = kt_site_of(ctx);
    kt_arena_str(ctx, s ? s->name_off : 0, dst, cap); /* "" outside function probes, as stap */
}

KT_API void kt_ctx_probemod(kt_ctx *ctx, char *dst, uint32_t cap) {
    if (kt_sample_sym(ctx, 'M', dst, cap))
        return;
    const kt_site *s = kt_site_of(ctx);
    kt_arena_str(ctx, s ? s->module_off : 0, dst, cap);
}

/* ---- registers and arguments --------------------------------------------------------------- */

#if defined(__x86_64__)
#define KT_WORD 8
#define KT_SP(r) ((r)->sp)
#define KT_IP(r) ((r)->ip)
#define KT_RET(r) ((int64_t)(r)->rax)
#else
#define KT_WORD 4
#define KT_SP(r) ((r)->sp)
#define KT_IP(r) ((r)->ip)
#define KT_RET(r) ((int64_t)(int32_t)(r)->eax)
#endif

static void kt_msg_num(kt_ctx *ctx, int32_t code, const char *pre, kt_long n, const char *post) {
    char msg[96];
    kt_buf b = {msg, sizeof msg - 1, 0};
    kt_buf_puts(&b, pre);
    kt_buf_long(&b, n, 0);
    kt_buf_puts(&b, post);
    kt_buf_end(&b);
    kt_error(ctx, code, msg);
}

/* stap warns (and returns 0) when a stack argument cannot be read: a stderr record. */
static void kt_arg_warn(kt_ctx *ctx, kt_long n, uint64_t addr) {
    char msg[96];
    kt_buf b = {msg, sizeof msg - 1, 0};
    if (ctx->slot < 0)
        return;
    kt_buf_puts(&b, "WARNING: cannot access arg(");
    kt_buf_long(&b, n, 0);
    kt_buf_puts(&b, ") at user stack address ");
    kt_put_hex(&b, addr);
    kt_buf_putc(&b, '\n');
    kt_out_err(ctx, msg, b.len < b.cap ? b.len : b.cap);
}

/* Reads a stack word: directly when it lies on the page of a stack address known to be mapped
 * (at entry the return-address slot at sp; at return the slot just below sp), which is the
 * common case and costs no system call; else with a fault-safe read. */
static int kt_stack_read(const kt_ctx *ctx, const struct kt_regs *r, void *dst, uint64_t addr,
                         uint32_t n) {
    uint64_t known = (uint64_t)KT_SP(r) - (ctx->is_return ? KT_WORD : 0);
    uint64_t page = known & ~(uint64_t)(KT_PAGE - 1);
    if (addr >= known && addr + n >= addr && addr + n <= page + KT_PAGE) {
        const volatile uint8_t *src = (const volatile uint8_t *)(uintptr_t)addr;
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)dst)[i] = src[i];
        return 0;
    }
    return kt_user_read(dst, addr, n);
}

/* One argument word (1-based) by the ABI at function entry; 0 and a warning on a fault. */
static uint64_t kt_arg_word(kt_ctx *ctx, const struct kt_regs *r, kt_long n) {
    uint64_t addr;
#if defined(__x86_64__)
    switch (n) {
    case 1: return r->rdi;
    case 2: return r->rsi;
    case 3: return r->rdx;
    case 4: return r->rcx;
    case 5: return r->r8;
    case 6: return r->r9;
    default: break;
    }
    addr = KT_SP(r) + (uint64_t)(n - 6) * 8;
    uint64_t v = 0;
#else
    addr = (uint64_t)KT_SP(r) + (uint64_t)n * 4;
    uint32_t v = 0;
#endif
    if (kt_stack_read(ctx, r, &v, addr, sizeof v) != 0) {
        kt_arg_warn(ctx, n, addr);
        return 0;
    }
    return v;
}

#define KT_MAX_ARG 4096 /* stack arguments beyond this are refused (stap: no limit, a fault) */

KT_API kt_long kt_ctx_arg(kt_ctx *ctx, kt_long n, int32_t kind) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    if (!r) {
        kt_error(ctx, KT_ERR_USER, "cannot access function args in this context");
        return 0;
    }
    if (n < 1 || n > KT_MAX_ARG) {
        kt_msg_num(ctx, KT_ERR_USER, "cannot access arg(", n, ")");
        return 0;
    }
    uint64_t w = kt_arg_word(ctx, r, n);
    switch (kind) {
    case KT_ARG_INT:
        return (kt_long)(int32_t)(uint32_t)w;
    case KT_ARG_UINT:
        return (kt_long)(uint32_t)w;
#if defined(__x86_64__)
    case KT_ARG_LONG:
    case KT_ARG_ULONG:
    case KT_ARG_S64:
    case KT_ARG_U64:
    default:
        return (kt_long)w;
#else
    case KT_ARG_LONG:
        return (kt_long)(int32_t)(uint32_t)w;
    case KT_ARG_S64:
    case KT_ARG_U64:
        /* two stack words, low first (stap's longlong_arg on 32-bit) */
        return (kt_long)(((uint64_t)(uint32_t)kt_arg_word(ctx, r, n + 1) << 32) | (uint32_t)w);
    case KT_ARG_ULONG:
    default:
        return (kt_long)(uint32_t)w;
#endif
    }
}

/* register() names, as stap's tapset/<arch>/registers.stp. */
enum { KT_R_GPR, KT_R_ORIG, KT_R_CS, KT_R_SS, KT_R_DS, KT_R_ES, KT_R_FS, KT_R_GS };
typedef struct kt_regname {
    const char *name;
    uint8_t kind;  /* KT_R_* */
    uint8_t off;   /* byte offset in struct kt_regs (KT_R_GPR) */
    uint8_t width; /* bytes: 8, 4, 2 or 1 */
} kt_regname;

#define KT_RO(f) ((uint8_t)__builtin_offsetof(struct kt_regs, f))

#if defined(__x86_64__)
static const kt_regname kt_regnames[] = {
    {"r15", KT_R_GPR, KT_RO(r15), 8}, {"r14", KT_R_GPR, KT_RO(r14), 8},
    {"r13", KT_R_GPR, KT_RO(r13), 8}, {"r12", KT_R_GPR, KT_RO(r12), 8},
    {"rbp", KT_R_GPR, KT_RO(rbp), 8}, {"rbx", KT_R_GPR, KT_RO(rbx), 8},
    {"r11", KT_R_GPR, KT_RO(r11), 8}, {"r10", KT_R_GPR, KT_RO(r10), 8},
    {"r9", KT_R_GPR, KT_RO(r9), 8},   {"r8", KT_R_GPR, KT_RO(r8), 8},
    {"rax", KT_R_GPR, KT_RO(rax), 8}, {"rcx", KT_R_GPR, KT_RO(rcx), 8},
    {"rdx", KT_R_GPR, KT_RO(rdx), 8}, {"rsi", KT_R_GPR, KT_RO(rsi), 8},
    {"rdi", KT_R_GPR, KT_RO(rdi), 8}, {"orig_rax", KT_R_ORIG, 0, 8},
    {"rip", KT_R_GPR, KT_RO(ip), 8},  {"xcs", KT_R_CS, 0, 8},
    {"eflags", KT_R_GPR, KT_RO(flags), 8}, {"rflags", KT_R_GPR, KT_RO(flags), 8},
    {"rsp", KT_R_GPR, KT_RO(sp), 8},  {"xss", KT_R_SS, 0, 8},
    {"ebp", KT_R_GPR, KT_RO(rbp), 4}, {"ebx", KT_R_GPR, KT_RO(rbx), 4},
    {"eax", KT_R_GPR, KT_RO(rax), 4}, {"ecx", KT_R_GPR, KT_RO(rcx), 4},
    {"edx", KT_R_GPR, KT_RO(rdx), 4}, {"esi", KT_R_GPR, KT_RO(rsi), 4},
    {"edi", KT_R_GPR, KT_RO(rdi), 4}, {"orig_eax", KT_R_ORIG, 0, 4},
    {"eip", KT_R_GPR, KT_RO(ip), 4},  {"esp", KT_R_GPR, KT_RO(sp), 4},
    {"bp", KT_R_GPR, KT_RO(rbp), 2},  {"bx", KT_R_GPR, KT_RO(rbx), 2},
    {"ax", KT_R_GPR, KT_RO(rax), 2},  {"cx", KT_R_GPR, KT_RO(rcx), 2},
    {"dx", KT_R_GPR, KT_RO(rdx), 2},  {"si", KT_R_GPR, KT_RO(rsi), 2},
    {"di", KT_R_GPR, KT_RO(rdi), 2},  {"orig_ax", KT_R_ORIG, 0, 2},
    {"ip", KT_R_GPR, KT_RO(ip), 2},   {"cs", KT_R_CS, 0, 2},
    {"flags", KT_R_GPR, KT_RO(flags), 2}, {"sp", KT_R_GPR, KT_RO(sp), 2},
    {"ss", KT_R_SS, 0, 2},
    {"al", KT_R_GPR, KT_RO(rax), 1},  {"ah", KT_R_GPR, KT_RO(rax) + 1, 1},
    {"bl", KT_R_GPR, KT_RO(rbx), 1},  {"bh", KT_R_GPR, KT_RO(rbx) + 1, 1},
    {"cl", KT_R_GPR, KT_RO(rcx), 1},  {"ch", KT_R_GPR, KT_RO(rcx) + 1, 1},
    {"dl", KT_R_GPR, KT_RO(rdx), 1},  {"dh", KT_R_GPR, KT_RO(rdx) + 1, 1},
};
#else
static const kt_regname kt_regnames[] = {
    {"ebx", KT_R_GPR, KT_RO(ebx), 4}, {"ecx", KT_R_GPR, KT_RO(ecx), 4},
    {"edx", KT_R_GPR, KT_RO(edx), 4}, {"esi", KT_R_GPR, KT_RO(esi), 4},
    {"edi", KT_R_GPR, KT_RO(edi), 4}, {"ebp", KT_R_GPR, KT_RO(ebp), 4},
    {"eax", KT_R_GPR, KT_RO(eax), 4}, {"xds", KT_R_DS, 0, 4},
    {"xes", KT_R_ES, 0, 4},           {"xfs", KT_R_FS, 0, 4},
    {"xgs", KT_R_GS, 0, 4},           {"orig_eax", KT_R_ORIG, 0, 4},
    {"eip", KT_R_GPR, KT_RO(ip), 4},  {"xcs", KT_R_CS, 0, 4},
    {"eflags", KT_R_GPR, KT_RO(flags), 4}, {"esp", KT_R_GPR, KT_RO(sp), 4},
    {"xss", KT_R_SS, 0, 4},
    {"bx", KT_R_GPR, KT_RO(ebx), 2},  {"cx", KT_R_GPR, KT_RO(ecx), 2},
    {"dx", KT_R_GPR, KT_RO(edx), 2},  {"si", KT_R_GPR, KT_RO(esi), 2},
    {"di", KT_R_GPR, KT_RO(edi), 2},  {"bp", KT_R_GPR, KT_RO(ebp), 2},
    {"ax", KT_R_GPR, KT_RO(eax), 2},  {"ds", KT_R_DS, 0, 2},
    {"es", KT_R_ES, 0, 2},            {"fs", KT_R_FS, 0, 2},
    {"gs", KT_R_GS, 0, 2},            {"orig_ax", KT_R_ORIG, 0, 2},
    {"ip", KT_R_GPR, KT_RO(ip), 2},   {"cs", KT_R_CS, 0, 2},
    {"flags", KT_R_GPR, KT_RO(flags), 2}, {"sp", KT_R_GPR, KT_RO(sp), 2},
    {"ss", KT_R_SS, 0, 2},
    {"bl", KT_R_GPR, KT_RO(ebx), 1},  {"bh", KT_R_GPR, KT_RO(ebx) + 1, 1},
    {"cl", KT_R_GPR, KT_RO(ecx), 1},  {"ch", KT_R_GPR, KT_RO(ecx) + 1, 1},
    {"dl", KT_R_GPR, KT_RO(edx), 1},  {"dh", KT_R_GPR, KT_RO(edx) + 1, 1},
    {"al", KT_R_GPR, KT_RO(eax), 1},  {"ah", KT_R_GPR, KT_RO(eax) + 1, 1},
};
#endif

/* Segment registers are not saved by the trampolines; user code does not change them between
 * the hit and the handler, so the live value is the value at the probe. */
static uint64_t kt_segment(int kind) {
    uint16_t v = 0;
    switch (kind) {
    case KT_R_CS: __asm__ __volatile__("mov %%cs, %0" : "=r"(v)); break;
    case KT_R_SS: __asm__ __volatile__("mov %%ss, %0" : "=r"(v)); break;
    case KT_R_DS: __asm__ __volatile__("mov %%ds, %0" : "=r"(v)); break;
    case KT_R_ES: __asm__ __volatile__("mov %%es, %0" : "=r"(v)); break;
    case KT_R_FS: __asm__ __volatile__("mov %%fs, %0" : "=r"(v)); break;
    case KT_R_GS: __asm__ __volatile__("mov %%gs, %0" : "=r"(v)); break;
    default: break;
    }
    return v;
}

KT_API kt_long kt_ctx_register(kt_ctx *ctx, const char *name, int32_t is_unsigned) {
    const uint8_t *r = (const uint8_t *)ctx->regs;
    if (!r) {
        kt_error(ctx, KT_ERR_USER, "cannot access CPU registers in this context");
        return 0;
    }
    for (uint32_t i = 0; i < sizeof kt_regnames / sizeof kt_regnames[0]; i++) {
        const kt_regname *rn = &kt_regnames[i];
        if (kt_strcmp(rn->name, name) != 0)
            continue;
        uint64_t v = 0;
        if (rn->kind == KT_R_GPR) {
            /* little endian: the low `width` bytes of the saved register */
            for (int k = rn->width; k-- > 0;)
                v = v << 8 | r[rn->off + k];
        } else if (rn->kind == KT_R_ORIG) {
            v = (uint64_t)-1; /* not in a system call (a uprobe's pt_regs says the same) */
        } else {
            v = kt_segment(rn->kind);
        }
        switch (rn->width) {
        case 1: return is_unsigned ? (kt_long)(uint8_t)v : (kt_long)(int8_t)(uint8_t)v;
        case 2: return is_unsigned ? (kt_long)(uint16_t)v : (kt_long)(int16_t)(uint16_t)v;
        case 4: return is_unsigned ? (kt_long)(uint32_t)v : (kt_long)(int32_t)(uint32_t)v;
        default: return (kt_long)v;
        }
    }
    char msg[KT_ERRMSG_LEN];
    kt_strcpy(msg, "Unknown register: ", sizeof msg);
    kt_strcat(msg, name, sizeof msg);
    kt_error(ctx, KT_ERR_USER, msg);
    return 0;
}

KT_API kt_long kt_ctx_returnval(kt_ctx *ctx) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    if (!r) {
        kt_error(ctx, KT_ERR_USER, "returnval: not available in this probe");
        return 0;
    }
    return KT_RET(r);
}

KT_API kt_long kt_ctx_return_value(kt_ctx *ctx) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    const kt_site *s = kt_site_of(ctx);
    if (!r || !s || !s->ret_bytes)
        return kt_ctx_returnval(ctx);
    uint64_t v;
#if defined(__x86_64__)
    v = r->rax;
#else
    v = (uint64_t)r->eax | (s->ret_bytes == 8 ? (uint64_t)r->edx << 32 : 0);
#endif
    if (s->ret_bytes >= 8)
        return (kt_long)v;
    uint32_t bits = s->ret_bytes * 8;
    v &= ((uint64_t)1 << bits) - 1;
    if (s->ret_signed && (v >> (bits - 1)) & 1)
        v |= ~(((uint64_t)1 << bits) - 1);
    return (kt_long)v;
}

KT_API kt_long kt_ctx_uaddr(kt_ctx *ctx) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    return r ? (kt_long)(uint64_t)KT_IP(r) : 0; /* stap: 0 without user registers */
}

/* ---- user memory ------------------------------------------------------------------------- */

/* Copies the NUL-terminated string at addr, at most n characters, into dst (n + 1 bytes).
 * Returns its length, or -1 on a fault before the string ended. */
#define KT_STR_CHUNK 256u

static int64_t kt_user_strncpy(char *dst, uint64_t addr, uint32_t n) {
    int32_t (*fast)(void *, uint64_t, uint32_t) = kt_fast_read();
    if (fast && n && addr + n >= addr && addr + n - 1 <= (uint64_t)UINTPTR_MAX) {
        /* chunks within one page, stopping at the NUL (the system call reads all n at once) */
        uint32_t got = 0;
        while (got < n) {
            uint64_t at = addr + got;
            uint32_t room = KT_PAGE - (uint32_t)(at & (KT_PAGE - 1));
            uint32_t k = n - got < room ? n - got : room;
            if (k > KT_STR_CHUNK)
                k = KT_STR_CHUNK;
            int32_t r = fast(dst + got, at, k);
            if (r < 0)
                return -1; /* an unreadable page before the NUL */
            if (r > 0)
                break; /* not usable any more: from the start by the system call */
            for (uint32_t i = got; i < got + k; i++)
                if (!dst[i])
                    return i;
            got += k;
        }
        if (got == n) {
            dst[n] = 0;
            return n;
        }
    }
    int64_t got = kt_read_pages(dst, addr, n);
    if (got < 0)
        return -1;
    for (int64_t i = 0; i < got; i++)
        if (!dst[i])
            return i;
    if ((uint64_t)got < n)
        return -1; /* an unreadable page before the NUL */
    dst[n] = 0;
    return n;
}

KT_API void kt_user_string(kt_ctx *ctx, char *dst, kt_long addr, kt_long maxlen, const char *deflt,
                           int32_t quoted, uint32_t cap) {
    if (!cap)
        return;
    uint32_t n = maxlen < 0 || maxlen > (kt_long)(cap - 1) ? cap - 1 : (uint32_t)maxlen;
    char raw[quoted ? cap : 1]; /* quoting needs the raw bytes apart (at most cap: stap's
                                   MAXSTRINGLEN-sized temporaries live on the stack too) */
    char *buf = quoted ? raw : dst;
    if (kt_user_strncpy(buf, (uint64_t)addr, n) < 0) {
        if (deflt) {
            kt_strcpy(dst, deflt, cap);
        } else if (quoted) {
            /* user_string_quoted: `catch { return sprintf("0x%x", addr) }` */
            kt_buf b = {dst, cap - 1, 0};
            kt_put_hex(&b, (uint64_t)addr);
            kt_buf_end(&b);
        } else {
            char msg[96];
            kt_buf b = {msg, sizeof msg - 1, 0};
            dst[0] = 0;
            kt_buf_puts(&b, "user string copy fault -14 at ");
            kt_put_hex(&b, (uint64_t)addr);
            kt_buf_puts(&b, " [man error::fault]");
            kt_buf_end(&b);
            kt_error(ctx, KT_ERR_FAULT, msg);
        }
        return;
    }
    if (quoted)
        kt_string_quoted(dst, raw, cap);
}

KT_API kt_long kt_user_int(kt_ctx *ctx, kt_long addr, int32_t bytes, int32_t is_signed) {
    uint8_t v[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
        kt_msg_num(ctx, KT_ERR_USER, "invalid user read size ", bytes, "");
        return 0;
    }
    if (kt_user_read(v, (uint64_t)addr, (uint32_t)bytes) != 0) {
        kt_read_fault(ctx, (uint64_t)addr);
        return 0;
    }
    uint64_t u = 0;
    for (int k = bytes; k-- > 0;)
        u = u << 8 | v[k];
    if (is_signed && bytes < 8) {
        uint64_t sign = (uint64_t)1 << (bytes * 8 - 1);
        u = (u ^ sign) - sign;
    }
    return (kt_long)u;
}

/* printf's %m / %M with an address argument (kt_format.c): a fault raises stap's read fault. */
int32_t kt_user_read_or_fault(kt_ctx *ctx, void *dst, uint64_t addr, uint32_t n) {
    if (kt_user_read(dst, addr, n) == 0)
        return 0;
    for (uint32_t i = 0; i < n; i++) /* find the first unreadable byte for the message */
        if (kt_user_read((uint8_t *)dst + i, addr + i, 1) != 0) {
            addr += i;
            break;
        }
    if (ctx)
        kt_read_fault(ctx, addr);
    return -1;
}
