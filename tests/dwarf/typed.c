/* typed [all|fault]: functions with parameters, fields and return values of every kind that
 * DWARF target variables cover ($x, $p->f, $$parms, $x$, $return, @cast, @var). Every function
 * prints, on entry, its own view of what it received, one line "KEY field=value ...", in the
 * format the scripts of run_dwarf_tests.sh print the same values from their probes; main prints
 * the return values ("ret ..." lines). Integers are printed widened to 64 bits as stap does
 * (sign-extended for signed types, zero-extended for unsigned ones): %d -> %lld, %u -> %llu,
 * %x -> %llx. Pointers as bare lowercase hex.
 *
 *   all    call everything once (twice for sig_ints), exit 0
 *   fault  print "ready pid=N", then for every line read on stdin call sig_list (whose
 *          n->next is NULL) and print "list x=..."; exit 0 at EOF
 *
 * The sig_* and ret_* functions are noipa: out of line, under their own names, with the
 * signature the source gives (no IPA-SRA, no constprop clones), so -L and $vars see them as
 * written at -O2 too. isra_fn becomes a GCC clone at -O2 (GCC 12: isra_fn.constprop.0.isra.0);
 * clone_fn may or may not (the clone case checks nm and counts both).
 *
 * Do not reorder the sig_* functions without regenerating tests/dwarf/golden (the -L lines
 * name their source lines). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIG __attribute__((noipa))
#define W(x) ((long long)(x))
#define U(x) ((unsigned long long)(long long)(x))
#define P(x) ((unsigned long long)(uintptr_t)(x))

enum color { RED = 0, GREEN = 1, BLUE = 2, BIG = 1000 };
typedef unsigned int my_id_t;
struct point { int x; int y; };
typedef struct point point_t;
struct inner { long x; struct inner *self; };
union num { int i; unsigned char bytes[4]; };
struct outer {
    int id;
    struct inner *inner;
    int arr[4];
    struct point pt;
    union num u;
    signed int bf_s : 5;
    unsigned int bf_u : 3;
    unsigned int bf_hi : 7;
    char name[8];
};
struct node { struct node *next; int x; };  /* x at offset 8 (x86_64) / 4 (i386) */
struct pretty_s {
    int a;
    unsigned b;
    char c;
    struct point pt;
    int arr[3];
    short bf : 4;
    unsigned ubf : 4;
    enum color e;
};
struct pair { long a; long b; };       /* x86_64: returned in rax:rdx */
struct big { long pad[4]; int field; }; /* returned through the hidden pointer */

int global_counter;
static volatile int static_name = 17;
volatile long sink;

/* ---- the -L functions (golden/): keep their order and lines stable ------------------------ */

SIG int sig_ints(char c, signed char sc, unsigned char uc, short s, unsigned short us, int i,
                 unsigned u, long l, unsigned long ul, long long ll, unsigned long long ull)
{
    printf("ints c=%lld sc=%lld uc=%lld s=%lld us=%lld i=%lld u=%lld l=%lld ul=%lld ll=%lld ull=%lld\n",
           W(c), W(sc), W(uc), W(s), W(us), W(i), W(u), W(l), W(ul), W(ll), W(ull));
    printf("intsu c=%llu sc=%llu uc=%llu s=%llu us=%llu i=%llu u=%llu l=%llu ul=%llu ll=%llu ull=%llu\n",
           U(c), U(sc), U(uc), U(s), U(us), U(i), U(u), U(l), U(ul), U(ll), U(ull));
    printf("intsx c=%llx sc=%llx uc=%llx s=%llx us=%llx i=%llx u=%llx l=%llx ul=%llx ll=%llx ull=%llx\n",
           U(c), U(sc), U(uc), U(s), U(us), U(i), U(u), U(l), U(ul), U(ll), U(ull));
    sink = c + sc + uc + s + us + i + (long)u + l + (long)ul + (long)ll + (long)ull;
    return i + c;
}

SIG int sig_misc(const char *s, int *ip, enum color e, _Bool b, void *vp)
{
    printf("misc s=%s ip=%llx deref=%d e=%d b=%d vp=%llx\n", s, P(ip), *ip, (int)e, (int)b, P(vp));
    sink = (long)strlen(s) + *ip + e + b;
    return (int)e;
}

SIG long sig_struct(struct outer *o)
{
    printf("struct id=%d inner_x=%ld self_x=%ld arr2=%d arr_dyn=%d pt_y=%d u_i=%d u_b0=%d "
           "bf_s=%d bf_u=%u bf_hi=%u pt_addr=%llx arr1_addr=%llx\n",
           o->id, o->inner->x, o->inner->self->x, o->arr[2], o->arr[o->id], o->pt.y, o->u.i,
           o->u.bytes[0], o->bf_s, o->bf_u, o->bf_hi, P(&o->pt), P(&o->arr[1]));
    sink = o->id + o->arr[0];
    return o->inner->x;
}

SIG int sig_byval(struct point p, long tail)
{
    printf("byval x=%d y=%d tail=%ld\n", p.x, p.y, tail);
    sink = p.x + tail;
    return p.y;
}

SIG long sig_bigval(struct big b)
{
    printf("bigval field=%d pad0=%ld\n", b.field, b.pad[0]);
    sink = b.field;
    return b.pad[0];
}

SIG int sig_arr(int arr[4], int n)
{
    printf("arr a1=%d n=%d\n", arr[1], n);
    sink = arr[0] + n;
    return arr[n];
}

SIG unsigned sig_typedef(my_id_t id, point_t *pt, size_t n)
{
    printf("typedef id=%u pt_x=%d n=%llu\n", id, pt->x, (unsigned long long)n);
    sink = id + pt->x + (long)n;
    return id;
}

SIG int sig_fnptr(int (*cb)(int, char *), const char *const *names)
{
    sink = (long)names[0][0];
    return cb(1, (char *)names[1]);
}

SIG int sig_pretty(struct pretty_s *ps)
{
    printf("pretty_shallow {.a=%d, .b=%u, .c='%c', .pt={...}, .arr=[...], .bf=%d, .ubf=%u, .e=%d}\n",
           ps->a, ps->b, ps->c, ps->bf, ps->ubf, (int)ps->e);
    printf("pretty_deep {.a=%d, .b=%u, .c='%c', .pt={.x=%d, .y=%d}, .arr=[%d, ...], .bf=%d, .ubf=%u, .e=%d}\n",
           ps->a, ps->b, ps->c, ps->pt.x, ps->pt.y, ps->arr[0], ps->bf, ps->ubf, (int)ps->e);
    printf("pretty_pt {.x=%d, .y=%d}\n", ps->pt.x, ps->pt.y);
    sink = ps->a + ps->pt.x;
    return ps->a;
}

SIG int sig_parms(int a, unsigned b, long c, short d)
{
    printf("parms a=0x%llx b=0x%llx c=0x%llx d=0x%llx\n", U(a), U(b), U(c), U(d));
    printf("parms_pretty a=%lld b=%lld c=%lld d=%lld\n", W(a), W(b), W(c), W(d));
    printf("parms_locals []\n");
    sink = a + (long)b + c + d;
    return -a;
}

SIG long sig_locals(int a)
{
    volatile int sq = a * a;
    long sum = 0;
    int window[2] = { a, a + 1 };   /* -L: "$window:int[]" (stap prints no array size) */
    for (int k = 0; k < a; k++) {
        volatile int inner = k * 3;
        sum += inner + sq;
    }
    sink = sum + window[a & 1];
    return sum;
}

SIG int sig_list(struct node *n)
{
    printf("list x=%d\n", n->x);
    sink = n->x;
    return n->next != 0;
}

SIG int sig_cast(long addr)
{
    struct point *p = (struct point *)addr;
    printf("cast y=%d x=%d\n", p->y, p->x);
    sink = p->x;
    return p->y;
}

SIG int sig_var(int round)
{
    printf("var counter=%d static=%d round=%d\n", global_counter, static_name, round);
    sink = round;
    return global_counter;
}

SIG long sig_entry(int a, long b)
{
    sink = a;
    a = a * 2;      /* the parameter changes before the return: @entry must give the old one */
    b = b + a;
    return a + b;
}

SIG void sig_void(int x)
{
    printf("void x=%d\n", x);
    sink = x;
}

/* ---- return values ----------------------------------------------------------------------- */

SIG int ret_neg(void) { sink = 1; return -7; }
SIG unsigned ret_uint(void) { sink = 2; return 0xfffffff0u; }
SIG signed char ret_schar(void) { sink = 3; return -3; }
SIG unsigned char ret_uchar(void) { sink = 4; return 200; }
SIG short ret_short(void) { sink = 5; return -300; }
SIG long long ret_ll(long long v) { sink = 6; return v; }
SIG unsigned long long ret_ull(void) { sink = 7; return 0xfedcba9876543210ull; }
static struct point ret_pt_storage = { 11, -22 };
SIG struct point *ret_ptr(void) { sink = 8; return &ret_pt_storage; }
SIG struct pair ret_pair(long a) { struct pair p = { a, -a * 3 }; sink = 9; return p; }
SIG struct big ret_big(int f)
{
    struct big b;
    memset(&b, 0, sizeof b);
    b.pad[0] = 5;
    b.field = f;
    sink = 10;
    return b;
}
SIG double ret_double(double x) { sink = 11; return x * 1.5; }
SIG enum color ret_enum(void) { sink = 12; return BLUE; }

/* ---- GCC clones at -O2 --------------------------------------------------------------------- */

static int clone_fn_calls, isra_fn_calls;

/* Called with mode 1 from two places and with a run-time mode from a third: IPA-CP makes
 * clone_fn.constprop.0 for mode 1 and keeps clone_fn for the rest. */
static __attribute__((noinline)) int clone_fn(int mode, int x)
{
    clone_fn_calls++;
    if (mode == 1)
        return x * 3 + (int)sink;
    return x - mode;
}

/* Uses only p->x: IPA-SRA passes the int instead (isra_fn.isra.0). */
static __attribute__((noinline)) int isra_fn(struct point *p)
{
    isra_fn_calls++;
    return p->x * 2 + (int)sink;
}

static int cb_impl(int a, char *s) { return a + (int)strlen(s); }

/* Values come from volatile objects, so -O2 cannot fold them into the calls. */
static volatile long long vals_a[11] = {
    -5, -128, 255, -32768, 65535, (-2147483647 - 1), 4294967295u,
    -1, -1, (-9223372036854775807LL - 1), -1 };
static volatile long long vals_b[11] = {
    'A', 127, 1, 12345, 40000, 123456789, 3000000000u,
    2147483647L, 0x80000000ul, 0x123456789abcdefLL, 0x8000000000000001ull };
static volatile int vol_int = 3;
static volatile int vol_mode = 2;

static void call_ints(volatile long long *v)
{
    int r = sig_ints((char)v[0], (signed char)v[1], (unsigned char)v[2], (short)v[3],
                     (unsigned short)v[4], (int)v[5], (unsigned)v[6], (long)v[7],
                     (unsigned long)v[8], (long long)v[9], (unsigned long long)v[10]);
    printf("ret ints=%d\n", r);
}

static void run_all(void)
{
    call_ints(vals_a);
    call_ints(vals_b);

    int target_a = -42, target_b = 7;
    int r = sig_misc("hello world", &target_a, BLUE, 1, &target_b);
    r += sig_misc("", &target_b, (enum color)(BIG + vol_int - 3), 0, 0);
    sink = r;

    struct inner in2 = { 77, 0 };
    struct inner in1 = { -123456, &in2 };
    struct outer o;
    memset(&o, 0, sizeof o);
    o.id = vol_int;
    o.inner = &in1;
    for (int k = 0; k < 4; k++) o.arr[k] = 100 + k * vol_int;
    o.pt.x = -9;
    o.pt.y = 31;
    o.u.i = 0x11223344;
    o.bf_s = -7;
    o.bf_u = 5;
    o.bf_hi = 100;
    strcpy(o.name, "outer");
    printf("ret struct=%ld\n", sig_struct(&o));

    struct point bp = { vol_int * 1000, -vol_int };
    printf("ret byval=%d\n", sig_byval(bp, -77777));
    struct big bv;
    memset(&bv, 0, sizeof bv);
    bv.pad[0] = -vol_int;
    bv.field = 4242;
    printf("ret bigval=%ld\n", sig_bigval(bv));

    int arr[4] = { 10, 20 + vol_int, 30, 40 };
    printf("ret arr=%d\n", sig_arr(arr, 2));

    point_t tp = { 5, 6 };
    printf("ret typedef=%u\n", sig_typedef(4000000000u, &tp, (size_t)vol_int));
    const char *names[] = { "alpha", "beta" };
    printf("ret fnptr=%d\n", sig_fnptr(cb_impl, names));

    struct pretty_s ps;
    memset(&ps, 0, sizeof ps);
    ps.a = -1;
    ps.b = 4294967295u;
    ps.c = 'A';
    ps.pt.x = 3;
    ps.pt.y = 4;
    ps.arr[0] = 7; ps.arr[1] = 8; ps.arr[2] = 9;
    ps.bf = -2;
    ps.ubf = 9;
    ps.e = BLUE;
    printf("ret pretty=%d\n", sig_pretty(&ps));

    int pr = sig_parms(5, 0xffffffffu, -1L, (short)(vol_int - 3));
    printf("parms_return return=0x%llx\n", U(pr));
    printf("ret locals=%ld\n", sig_locals(vol_int));

    struct node tail = { 0, 99 };
    struct node head = { 0, 5 };
    (void)tail;
    printf("ret list=%d\n", sig_list(&head));

    struct point cp = { 12, -34 };
    printf("ret cast=%d\n", sig_cast((long)&cp));

    global_counter += 40 + vol_int;
    printf("ret var=%d\n", sig_var(1));
    global_counter++;
    printf("ret var=%d\n", sig_var(2));

    long er = sig_entry(21, 1000);
    printf("entry a=%d b=%ld ret=%ld\n", 21, 1000L, er);
    sig_void(vol_int);

    printf("ret neg=%lld\n", W(ret_neg()));
    printf("ret uint=%lld\n", W(ret_uint()));
    printf("ret schar=%lld\n", W(ret_schar()));
    printf("ret uchar=%lld\n", W(ret_uchar()));
    printf("ret short=%lld\n", W(ret_short()));
    printf("ret ll=%lld\n", W(ret_ll(-2)));
    printf("ret ll=%lld\n", W(ret_ll(0x123456789LL * vol_int)));
    printf("ret ull=%lld\n", W(ret_ull()));
    printf("ret ptr_y=%d\n", ret_ptr()->y);
    struct pair pp = ret_pair(1000 + vol_int);
    printf("ret pair a=%ld b=%ld\n", pp.a, pp.b);
    struct big bb = ret_big(-555 + vol_int);
    printf("ret big field=%d\n", bb.field);
    printf("ret double=%g\n", ret_double(vol_int));
    printf("ret enum=%d\n", (int)ret_enum());

    int c = clone_fn(1, vol_int) + clone_fn(1, vol_int + 1) + clone_fn(vol_mode, 9);
    struct point ip = { vol_int, 0 };
    c += isra_fn(&ip) + isra_fn(&ip);
    sink = c;
    printf("clone clone_fn=%d isra_fn=%d\n", clone_fn_calls, isra_fn_calls);
    printf("static_name=%d\n", static_name);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *mode = argc > 1 ? argv[1] : "all";
    if (strcmp(mode, "fault") == 0) {
        struct node head = { 0, 5 };
        char line[64];
        printf("ready pid=%d\n", (int)getpid());
        while (fgets(line, sizeof line, stdin)) {
            int r = sig_list(&head);
            printf("ret list=%d\n", r);
        }
        printf("done\n");
        return 0;
    }
    run_all();
    return 0;
}
