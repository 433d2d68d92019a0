// String helpers with the semantics of stap's string.stp / stp_string.c, plus the context and
// error plumbing.
#include "lang_test.h"

namespace {
struct Str {
    char b[512];
    Str() { b[0] = 0; }
    std::string s() const { return b; }
};
} // namespace

TEST(Str, CopyConcatTruncate) {
    char b[8];
    kt_strcpy(b, "abcdefghij", sizeof b);
    EXPECT_STREQ(b, "abcdefg");
    kt_strcpy(b, "ab", sizeof b);
    kt_strcat(b, "cdefghij", sizeof b);
    EXPECT_STREQ(b, "abcdefg");
    kt_strcat(b, "x", sizeof b); // full: unchanged
    EXPECT_STREQ(b, "abcdefg");
    EXPECT_EQ(kt_strlen("hello"), 5u);
    EXPECT_EQ(kt_strlen(""), 0u);
}

TEST(Str, Compare) {
    EXPECT_EQ(kt_strcmp("a", "a"), 0);
    EXPECT_LT(kt_strcmp("a", "b"), 0);
    EXPECT_GT(kt_strcmp("b", "a"), 0);
    EXPECT_LT(kt_strcmp("ab", "abc"), 0);
    EXPECT_GT(kt_strcmp("\xff", "a"), 0); // unsigned bytes, as strcmp
}

TEST(Str, LongToStr) {
    char b[32];
    kt_long_to_str(b, 0, sizeof b);
    EXPECT_STREQ(b, "0");
    kt_long_to_str(b, -123, sizeof b);
    EXPECT_STREQ(b, "-123");
    kt_long_to_str(b, INT64_MIN, sizeof b);
    EXPECT_STREQ(b, "-9223372036854775808");
    kt_long_to_str(b, INT64_MAX, 5);
    EXPECT_STREQ(b, "9223");
}

TEST(Str, Substr) {
    Str r;
    kt_substr(r.b, "hello world", 6, 5, 512);
    EXPECT_EQ(r.s(), "world");
    kt_substr(r.b, "hello", 1, 100, 512);
    EXPECT_EQ(r.s(), "ello");
    kt_substr(r.b, "hello", 0, 0, 512);
    EXPECT_EQ(r.s(), "");
    kt_substr(r.b, "hello", 5, 2, 512); // start at the end
    EXPECT_EQ(r.s(), "");
    kt_substr(r.b, "hello", -1, 2, 512);
    EXPECT_EQ(r.s(), "");
    kt_substr(r.b, "hello", 1, -4, 512);
    EXPECT_EQ(r.s(), "");
    kt_substr(r.b, "hello", 2, INT64_MAX, 512);
    EXPECT_EQ(r.s(), "llo");
}

TEST(Str, StringAt) {
    TestArena a(1, 4096, 4096);
    EXPECT_EQ(kt_stringat(&a.ctx, "abc", 1), 'b');
    EXPECT_EQ(a.ctx.error, KT_OK);
    EXPECT_EQ(kt_stringat(&a.ctx, "abc", 3), 0);
    EXPECT_EQ(a.ctx.error, KT_ERR_STRINGAT);
    EXPECT_STREQ(a.ctx.errmsg, "Position out of bounds");
    a.ctx.error = 0;
    kt_stringat(&a.ctx, "abc", -1);
    EXPECT_EQ(a.ctx.error, KT_ERR_STRINGAT);
}

TEST(Str, SearchAndReplace) {
    EXPECT_EQ(kt_strpos("hello", "ll"), 2);
    EXPECT_EQ(kt_strpos("hello", "h"), 0);
    EXPECT_EQ(kt_strpos("hello", ""), 0);
    EXPECT_EQ(kt_strpos("hello", "lo!"), -1);
    EXPECT_EQ(kt_strpos("", "a"), -1);
    Str r;
    kt_str_replace(r.b, "a-b-c", "-", "+=", 512);
    EXPECT_EQ(r.s(), "a+=b+=c");
    kt_str_replace(r.b, "aaaa", "aa", "b", 512);
    EXPECT_EQ(r.s(), "bb");
    kt_str_replace(r.b, "abc", "", "x", 512);
    EXPECT_EQ(r.s(), "abc");
    kt_str_replace(r.b, "abc", "zz", "x", 512);
    EXPECT_EQ(r.s(), "abc");
    char small[6];
    kt_str_replace(small, "a-b-c", "-", "XYZ", sizeof small);
    EXPECT_STREQ(small, "aXYZb");
}

TEST(Str, Strtol) {
    TestArena a(1, 4096, 4096);
    EXPECT_EQ(kt_strtol(&a.ctx, "123", 10), 123);
    EXPECT_EQ(kt_strtol(&a.ctx, "-123", 10), -123);
    EXPECT_EQ(kt_strtol(&a.ctx, "ff", 16), 255);
    EXPECT_EQ(kt_strtol(&a.ctx, "0xff", 16), 255);
    EXPECT_EQ(kt_strtol(&a.ctx, "0x1F", 0), 31);
    EXPECT_EQ(kt_strtol(&a.ctx, "017", 0), 15);
    EXPECT_EQ(kt_strtol(&a.ctx, "17", 0), 17);
    EXPECT_EQ(kt_strtol(&a.ctx, "1011", 2), 11);
    EXPECT_EQ(kt_strtol(&a.ctx, "12abc", 10), 12);
    EXPECT_EQ(kt_strtol(&a.ctx, "zz", 36), 35 * 36 + 35);
    EXPECT_EQ(kt_strtol(&a.ctx, "", 10), 0);
    EXPECT_EQ(kt_strtol(&a.ctx, "9223372036854775807", 10), INT64_MAX);
}

TEST(Str, TextStrEscapes) {
    Str r;
    kt_text_str(r.b, "a\tb\nc\"d\\e\x01", 512);
    EXPECT_EQ(r.s(), "a\\tb\\nc\\\"d\\\\e\\001");
    kt_text_str(r.b, "caf\xc3\xa9", 512); // UTF-8 becomes \uXXXX
    EXPECT_EQ(r.s(), "caf\\u00e9");
    kt_text_str(r.b, "\xf0\x9f\x98\x80", 512);
    EXPECT_EQ(r.s(), "\\U0001f600");
    kt_text_str(r.b, "\xff", 512); // invalid UTF-8: octal
    EXPECT_EQ(r.s(), "\\377");
}

TEST(Str, StringQuotedAndTextStrn) {
    Str r;
    kt_string_quoted(r.b, "say \"hi\"\n", 512);
    EXPECT_EQ(r.s(), "\"say \\\"hi\\\"\\n\"");
    kt_text_strn(r.b, "hello world", 0, 0, 512);
    EXPECT_EQ(r.s(), "hello world");
    kt_text_strn(r.b, "hello world", 5, 0, 512);
    EXPECT_EQ(r.s(), "hello");
    // Quoted and truncated: exactly `len` characters ending in `"...`.
    kt_text_strn(r.b, "hello world", 10, 1, 512);
    EXPECT_EQ(r.s(), "\"hello\"...");
    EXPECT_EQ(r.s().size(), 10u);
    kt_text_strn(r.b, "hi", 10, 1, 512);
    EXPECT_EQ(r.s(), "\"hi\"");
    kt_text_strn(r.b, "hello", 2, 1, 512); // at least 5
    EXPECT_EQ(r.s(), "\"\"...");
}

TEST(Str, Tokenize) {
    Str r;
    char state[512];
    kt_tokenize(r.b, state, "a,,b;c", ",;", 512);
    EXPECT_EQ(r.s(), "a");
    kt_tokenize(r.b, state, "", ",;", 512);
    EXPECT_EQ(r.s(), "b"); // empty tokens are skipped
    kt_tokenize(r.b, state, "", ",;", 512);
    EXPECT_EQ(r.s(), "c");
    kt_tokenize(r.b, state, "", ",;", 512);
    EXPECT_EQ(r.s(), "");
    kt_tokenize(r.b, state, "", ",;", 512);
    EXPECT_EQ(r.s(), "");
    kt_tokenize(r.b, state, "x y", " ", 512); // a new input restarts
    EXPECT_EQ(r.s(), "x");
    kt_tokenize(r.b, state, "", " ", 512);
    EXPECT_EQ(r.s(), "y");
}

TEST(Ctx, InitAndErrors) {
    TestArena a(2, 4096, 4096);
    kt_ctx c;
    kt_ctx_init(&c, a.mem, 3);
    EXPECT_EQ(c.slot, -1);
    EXPECT_EQ(c.probe, 3);
    EXPECT_EQ(c.error, 0);
    kt_error(&c, KT_ERR_DIVZERO, nullptr);
    EXPECT_EQ(c.error, KT_ERR_DIVZERO);
    EXPECT_STREQ(c.errmsg, "division by 0");
    kt_error(&c, KT_ERR_USER, "my message");
    EXPECT_STREQ(c.errmsg, "my message");
    std::string longmsg(1000, 'm');
    kt_error(&c, KT_ERR_USER, longmsg.c_str());
    EXPECT_EQ(strlen(c.errmsg), (size_t)KT_ERRMSG_LEN - 1);
    kt_error(&c, KT_ERR_MAXACTION, nullptr);
    EXPECT_STREQ(c.errmsg, "MAXACTION exceeded");
    kt_error(&c, KT_ERR_MAXNESTING, nullptr);
    EXPECT_STREQ(c.errmsg, "MAXNESTING exceeded");
}

TEST(Ctx, SlotsClaimReleaseReuse) {
    TestArena a(4, 4096, 4096); // the fixture claimed one slot
    kt_ctx c;
    kt_ctx_init(&c, a.mem, 0);
    int32_t s1 = kt_slot_claim(&c, 5001);
    EXPECT_GE(s1, 0);
    EXPECT_EQ(kt_slot_claim(&c, 5001), s1); // idempotent
    int32_t s2 = kt_slot_claim(&c, 5002), s3 = kt_slot_claim(&c, 5003);
    EXPECT_GE(s2, 0);
    EXPECT_GE(s3, 0);
    EXPECT_EQ(kt_slot_claim(&c, 5004), -1); // all four taken
    EXPECT_EQ(a.hdr()->skipped, 1);
    kt_slot_release(a.mem, 5002);
    EXPECT_EQ(kt_slot_claim(&c, 5003), s3); // still found past the released slot
    EXPECT_EQ(kt_slot_claim(&c, 5004), s2); // reuses it
    EXPECT_EQ(kt_slot_claim(&c, 5001), s1);
}

TEST(Ctx, ArenaHeader) {
    TestArena a(3, 1 << 12, 1 << 12);
    kt_arena_header *h = a.hdr();
    EXPECT_EQ(h->magic, KT_ARENA_MAGIC);
    EXPECT_EQ(h->nslots, 3);
    EXPECT_EQ(h->ring_bytes, 4096u);
    EXPECT_EQ(h->maxstringlen, 512u);
    EXPECT_EQ(h->maxmapentries, 2048u);
    EXPECT_EQ(h->maxaction, 1000);
    EXPECT_EQ(h->maxtrylock, (uint64_t)KT_MAXTRYLOCK);
    EXPECT_EQ(h->slots_off % 64, 0u);
    EXPECT_EQ(h->rings_off % 4096, 0u);
    EXPECT_GE(h->rings_off, h->slots_off + 3 * sizeof(kt_slot));
    EXPECT_EQ(kt_arena_prefix_bytes(3, 4096), h->rings_off + 3 * 4096);
    EXPECT_EQ(kt_lock_bytes() % 64, 0u);
}
