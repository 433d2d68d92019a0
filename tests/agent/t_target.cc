// Probe context and fault-safe reads of the language runtime (runtime/lang/kt_target.c), x86_64:
// argument and register access on a hand-made struct kt_regs, the site table, and user memory
// reads against mapped, unmapped and PROT_NONE pages. The i386 side runs in agent.inproc.i386.
#include "ktap/agent.h"
#include "lang_test.h"

#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

struct Pages {
    // Two pages: the first readable and writable, the second PROT_NONE.
    uint8_t *base;
    long page = sysconf(_SC_PAGESIZE);
    Pages() {
        base = (uint8_t *)mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        EXPECT_NE(base, MAP_FAILED);
        EXPECT_EQ(mprotect(base + page, page, PROT_NONE), 0);
    }
    ~Pages() { munmap(base, 2 * page); }
    uint8_t *guard() { return base + page; } // first unreadable byte
};

struct Ctx : TestArena {
    struct kt_regs regs;
    Ctx() {
        memset(&regs, 0, sizeof regs);
        ctx.regs = &regs;
    }
    void clear_error() {
        ctx.error = 0;
        ctx.errmsg[0] = 0;
    }
    std::string drain_err() {
        std::string s(1 << 16, '\0');
        int32_t stream = -1;
        s.resize(kt_drain_stream(mem, s.data(), s.size(), &stream));
        if (!s.empty()) {
            EXPECT_EQ(stream, KT_STREAM_ERR);
        }
        return s;
    }
};

std::string user_string(Ctx &c, const void *addr, kt_long maxlen = -1, const char *deflt = nullptr,
                        int quoted = 0, uint32_t cap = 512) {
    std::string s(cap, '\x7f');
    kt_user_string(&c.ctx, s.data(), (kt_long)(uintptr_t)addr, maxlen, deflt, quoted, cap);
    s.resize(strlen(s.c_str()));
    return s;
}

TEST(Target, ArgsFromRegistersAndStack) {
    Ctx c;
    uint64_t stack[4] = {0x1234 /* return address */, 0xfffffffffffffff9ull, 8, 0};
    c.regs.rdi = 0xffffffff80000001ull;
    c.regs.rsi = 2;
    c.regs.rdx = 3;
    c.regs.rcx = 4;
    c.regs.r8 = 5;
    c.regs.r9 = 0x100000006ull;
    c.regs.sp = (uint64_t)(uintptr_t)stack;
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 1, KT_ARG_INT), -2147483647);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 1, KT_ARG_UINT), 0x80000001);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 1, KT_ARG_LONG), (kt_long)0xffffffff80000001ull);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 1, KT_ARG_ULONG), (kt_long)0xffffffff80000001ull);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 2, KT_ARG_S64), 2);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 3, KT_ARG_U64), 3);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 4, KT_ARG_LONG), 4);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 5, KT_ARG_LONG), 5);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 6, KT_ARG_INT), 6);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 6, KT_ARG_LONG), 0x100000006ll);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 7, KT_ARG_LONG), -7);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 7, KT_ARG_UINT), 0xfffffff9);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 8, KT_ARG_LONG), 8);
    EXPECT_EQ(c.ctx.error, 0);
}

TEST(Target, ArgErrors) {
    Ctx c;
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 0, KT_ARG_LONG), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_USER);
    EXPECT_STREQ(c.ctx.errmsg, "cannot access arg(0)");
    c.clear_error();
    EXPECT_EQ(kt_ctx_arg(&c.ctx, -3, KT_ARG_LONG), 0);
    EXPECT_STREQ(c.ctx.errmsg, "cannot access arg(-3)");
    c.clear_error();
    c.ctx.regs = nullptr;
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 1, KT_ARG_LONG), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_USER);
    EXPECT_STREQ(c.ctx.errmsg, "cannot access function args in this context");
}

TEST(Target, UnreadableStackArgWarnsAndGivesZero) {
    Ctx c;
    Pages p;
    c.regs.sp = (uint64_t)(uintptr_t)(p.guard() - 16); // arg 7 at sp + 8 is readable, 8 is not
    memset(p.guard() - 16, 0x11, 16);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 7, KT_ARG_LONG), 0x1111111111111111ll);
    EXPECT_EQ(kt_ctx_arg(&c.ctx, 8, KT_ARG_LONG), 0);
    EXPECT_EQ(c.ctx.error, 0); // stap: a warning, not an error
    char expect[128];
    snprintf(expect, sizeof expect, "WARNING: cannot access arg(8) at user stack address %#llx\n",
             (unsigned long long)(uintptr_t)p.guard());
    EXPECT_EQ(c.drain_err(), expect);
}

TEST(Target, Registers) {
    Ctx c;
    c.regs.rax = 0x11223344ffffff80ull;
    c.regs.rbx = 0xabcd;
    c.regs.ip = 0x401000;
    c.regs.sp = 0x7ffc0000;
    c.regs.flags = 0x246;
    c.regs.r15 = 15;
    EXPECT_EQ(kt_ctx_register(&c.ctx, "rax", 0), (kt_long)0x11223344ffffff80ull);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "eax", 0), -128);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "eax", 1), 0xffffff80);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "ax", 0), -128);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "ax", 1), 0xff80);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "al", 0), -128);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "al", 1), 0x80);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "ah", 1), 0xff);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "bh", 1), 0xab);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "r15", 0), 15);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "rip", 0), 0x401000);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "rsp", 0), 0x7ffc0000);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "eflags", 0), 0x246);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "flags", 1), 0x246);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "orig_rax", 0), -1);
    uint16_t cs, ss;
    __asm__("mov %%cs, %0" : "=r"(cs));
    __asm__("mov %%ss, %0" : "=r"(ss));
    EXPECT_EQ(kt_ctx_register(&c.ctx, "cs", 1), cs);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "xss", 1), ss);
    EXPECT_EQ(c.ctx.error, 0);
    EXPECT_EQ(kt_ctx_register(&c.ctx, "r8d", 0), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_USER);
    EXPECT_STREQ(c.ctx.errmsg, "Unknown register: r8d");
    c.clear_error();
    c.ctx.regs = nullptr;
    EXPECT_EQ(kt_ctx_register(&c.ctx, "rax", 0), 0);
    EXPECT_STREQ(c.ctx.errmsg, "cannot access CPU registers in this context");
}

TEST(Target, ReturnValueAndAddress) {
    Ctx c;
    c.regs.rax = (uint64_t)-42;
    c.regs.ip = 0x7f0000001234ull;
    EXPECT_EQ(kt_ctx_returnval(&c.ctx), -42);
    EXPECT_EQ(kt_ctx_uaddr(&c.ctx), 0x7f0000001234ll);
    c.ctx.regs = nullptr;
    EXPECT_EQ(kt_ctx_uaddr(&c.ctx), 0); // stap: 0 without user registers
    EXPECT_EQ(c.ctx.error, 0);
    EXPECT_EQ(kt_ctx_returnval(&c.ctx), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_USER);
    EXPECT_STREQ(c.ctx.errmsg, "returnval: not available in this probe");
}

TEST(Target, SiteNames) {
    Ctx c;
    uint64_t strings = c.alloc(64);
    strcpy((char *)c.mem + strings, "main");
    strcpy((char *)c.mem + strings + 8, "/usr/bin/true");
    uint64_t sites = c.alloc((2 * sizeof(kt_site) + 63) & ~63ull);
    kt_site *s = (kt_site *)(c.mem + sites);
    s[1].name_off = strings;
    s[1].module_off = strings + 8;
    c.hdr()->sites_off = sites;
    c.hdr()->nsites = 2;
    char buf[64];
    c.ctx.site = 1;
    kt_ctx_ppfunc(&c.ctx, buf, sizeof buf);
    EXPECT_STREQ(buf, "main");
    kt_ctx_probemod(&c.ctx, buf, sizeof buf);
    EXPECT_STREQ(buf, "/usr/bin/true");
    kt_ctx_probemod(&c.ctx, buf, 5);
    EXPECT_STREQ(buf, "/usr");
    c.ctx.site = 0; // no names: ""
    kt_ctx_ppfunc(&c.ctx, buf, sizeof buf);
    EXPECT_STREQ(buf, "");
    c.ctx.site = -1; // begin/end/timer: "" (stap's ppfunc of a non-function probe)
    kt_ctx_ppfunc(&c.ctx, buf, sizeof buf);
    EXPECT_STREQ(buf, "");
    c.ctx.site = 2; // out of the table
    kt_ctx_probemod(&c.ctx, buf, sizeof buf);
    EXPECT_STREQ(buf, "");
    EXPECT_EQ(c.ctx.error, 0);
}

TEST(Target, UserRead) {
    Pages p;
    memcpy(p.guard() - 4, "abcd", 4);
    char buf[8] = {};
    EXPECT_EQ(kt_user_read(buf, (uint64_t)(uintptr_t)(p.guard() - 4), 4), 0);
    EXPECT_EQ(std::string(buf, 4), "abcd");
    EXPECT_EQ(kt_user_read(buf, (uint64_t)(uintptr_t)(p.guard() - 4), 5), -1); // runs into PROT_NONE
    EXPECT_EQ(kt_user_read(buf, (uint64_t)(uintptr_t)p.guard(), 1), -1);
    EXPECT_EQ(kt_user_read(buf, 0, 1), -1);
    EXPECT_EQ(kt_user_read(buf, ~0ull - 1, 4), -1); // wraps around
    EXPECT_EQ(kt_user_read(buf, 0, 0), 0);
}

TEST(Target, UserString) {
    Ctx c;
    Pages p;
    const char *hello = "hello, world";
    EXPECT_EQ(user_string(c, hello), "hello, world");
    EXPECT_EQ(user_string(c, hello, 5), "hello");
    EXPECT_EQ(user_string(c, hello, 0), "");
    EXPECT_EQ(user_string(c, hello, -1, nullptr, 0, 6), "hello"); // cap - 1
    // A string that ends right before an unreadable page, and one that runs into it.
    memcpy(p.guard() - 3, "ab", 3);
    EXPECT_EQ(user_string(c, p.guard() - 3), "ab");
    memcpy(p.guard() - 3, "abc", 3);
    EXPECT_EQ(c.ctx.error, 0);
    EXPECT_EQ(user_string(c, p.guard() - 3), "");
    EXPECT_EQ(c.ctx.error, KT_ERR_FAULT);
    char expect[128];
    snprintf(expect, sizeof expect, "user string copy fault -14 at %#llx [man error::fault]",
             (unsigned long long)(uintptr_t)(p.guard() - 3));
    EXPECT_STREQ(c.ctx.errmsg, expect);
    c.clear_error();
    EXPECT_EQ(user_string(c, p.guard() - 3, 3), "abc"); // n bytes suffice: no fault
    EXPECT_EQ(c.ctx.error, 0);
    EXPECT_EQ(user_string(c, nullptr), "");
    EXPECT_STREQ(c.ctx.errmsg, "user string copy fault -14 at 0x0 [man error::fault]");
    c.clear_error();
    EXPECT_EQ(user_string(c, nullptr, -1, "<bad>"), "<bad>");
    EXPECT_EQ(c.ctx.error, 0);
    // A long string over several pages.
    std::string big(10000, 'x');
    EXPECT_EQ(user_string(c, big.c_str(), -1, nullptr, 0, 65536), big);
    EXPECT_EQ(user_string(c, big.c_str(), 4097, nullptr, 0, 65536), big.substr(0, 4097));
}

TEST(Target, UserStringQuoted) {
    Ctx c;
    EXPECT_EQ(user_string(c, "a\nb\"", -1, nullptr, 1), "\"a\\nb\\\"\"");
    EXPECT_EQ(user_string(c, "abcdef", 3, nullptr, 1), "\"abc\"");
    // stap's user_string_quoted: the address in hex on a fault, no error
    EXPECT_EQ(user_string(c, (const void *)0x10, -1, nullptr, 1), "0x10");
    EXPECT_EQ(user_string(c, nullptr, -1, "<d>", 1), "<d>");
    EXPECT_EQ(c.ctx.error, 0);
}

TEST(Target, UserInt) {
    Ctx c;
    Pages p;
    const uint8_t bytes[8] = {0xfe, 0xff, 0xff, 0x7f, 0x80, 0x00, 0x00, 0x80};
    kt_long a = (kt_long)(uintptr_t)bytes;
    EXPECT_EQ(kt_user_int(&c.ctx, a, 1, 1), -2);
    EXPECT_EQ(kt_user_int(&c.ctx, a, 1, 0), 0xfe);
    EXPECT_EQ(kt_user_int(&c.ctx, a, 2, 1), -2);
    EXPECT_EQ(kt_user_int(&c.ctx, a, 2, 0), 0xfffe);
    EXPECT_EQ(kt_user_int(&c.ctx, a, 4, 1), 0x7ffffffe);
    EXPECT_EQ(kt_user_int(&c.ctx, a + 4, 4, 1), (kt_long)(int32_t)0x80000080);
    EXPECT_EQ(kt_user_int(&c.ctx, a + 4, 4, 0), 0x80000080ll);
    EXPECT_EQ(kt_user_int(&c.ctx, a, 8, 1), (kt_long)0x800000807ffffffeull);
    EXPECT_EQ(c.ctx.error, 0);
    EXPECT_EQ(kt_user_int(&c.ctx, (kt_long)(uintptr_t)(p.guard() - 2), 4, 1), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_FAULT);
    char expect[96];
    snprintf(expect, sizeof expect, "read fault [man error::fault] at %#llx",
             (unsigned long long)(uintptr_t)(p.guard() - 2));
    EXPECT_STREQ(c.ctx.errmsg, expect);
    c.clear_error();
    EXPECT_EQ(kt_user_int(&c.ctx, a, 3, 1), 0);
    EXPECT_EQ(c.ctx.error, KT_ERR_USER);
}

TEST(Target, PrintfMemoryIsFaultSafe) {
    Ctx c;
    Pages p;
    memcpy(p.guard() - 2, "hi", 2);
    kt_fmt_arg ok = {(kt_long)(uintptr_t)(p.guard() - 2), nullptr};
    char buf[64];
    kt_fmt_arg two[2] = {ok, ok};
    EXPECT_EQ(kt_format(&c.ctx, buf, sizeof buf, "%.2m|%.2M", two, 2), 7u);
    EXPECT_STREQ(buf, "hi|6869");
    EXPECT_EQ(c.ctx.error, 0);
    // One byte too many: a read fault at the first unreadable byte, nothing printed.
    kt_fmt_arg bad = {(kt_long)(uintptr_t)(p.guard() - 2), nullptr};
    kt_out_format(&c.ctx, "x=%.3m\n", &bad, 1);
    EXPECT_EQ(c.ctx.error, KT_ERR_FAULT);
    char expect[96];
    snprintf(expect, sizeof expect, "read fault [man error::fault] at %#llx",
             (unsigned long long)(uintptr_t)p.guard());
    EXPECT_STREQ(c.ctx.errmsg, expect);
    EXPECT_EQ(c.drain(), "");
    c.clear_error();
    kt_fmt_arg null = {0, nullptr};
    kt_format(&c.ctx, buf, sizeof buf, "%M", &null, 1);
    EXPECT_EQ(c.ctx.error, KT_ERR_FAULT);
    EXPECT_STREQ(c.ctx.errmsg, "read fault [man error::fault] at 0x0");
}

} // namespace
