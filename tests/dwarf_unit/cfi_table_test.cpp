// compile_cfi (compiler/dwarf/cfi_table.h): the rule tables the target's unwinder reads. The
// end-to-end comparison with gdb's backtraces is tests/backtrace; these check the tables
// themselves on the test programs, libc and this process's vDSO.
#include "cfi_table.h"

#include <gtest/gtest.h>

#include <sys/auxv.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace {

using ktap::dwarf::CfiTable;
using ktap::dwarf::compile_cfi;

std::string prog(const std::string &variant) {
    return std::string(DWARF_UNIT_BIN) + "/dwarfprog-" + variant;
}

CfiTable compiled(const std::string &path, int bits) {
    CfiTable t;
    std::string error;
    EXPECT_TRUE(compile_cfi(path, bits, t, error)) << error;
    return t;
}

size_t count_kind(const CfiTable &t, int kind) {
    return size_t(std::count_if(t.rules.begin(), t.rules.end(),
                                [&](const kt_uw_rule &r) { return r.cfa_kind == kind; }));
}

void expect_well_formed(const CfiTable &t) {
    ASSERT_FALSE(t.pcs.empty());
    ASSERT_EQ(t.pcs.size(), t.rules.size());
    EXPECT_TRUE(std::is_sorted(t.pcs.begin(), t.pcs.end()));
    EXPECT_TRUE(std::adjacent_find(t.pcs.begin(), t.pcs.end()) == t.pcs.end())
        << "two rows at one address";
    EXPECT_GT(t.end, t.pcs.back());
    for (size_t i = 1; i < t.rules.size(); ++i) {
        const kt_uw_rule &a = t.rules[i - 1], &b = t.rules[i];
        EXPECT_FALSE(a.cfa_kind == b.cfa_kind && a.cfa_off == b.cfa_off && a.bp_kind == b.bp_kind &&
                     a.bp_off == b.bp_off)
            << "identical neighbours not merged at row " << i;
    }
}

TEST(CfiTable, FramePointerProgram64) {
    CfiTable t = compiled(prog("64-O0"), 64);
    expect_well_formed(t);
    EXPECT_EQ(t.source, ".eh_frame");
    // A function's first instruction: CFA = rsp + 8.
    EXPECT_TRUE(std::any_of(t.rules.begin(), t.rules.end(), [](const kt_uw_rule &r) {
        return r.cfa_kind == KT_UW_CFA_SP && r.cfa_off == 8 && r.bp_kind == KT_UW_BP_SAME;
    }));
    // After push rbp; mov rsp, rbp: CFA = rbp + 16, the caller's rbp at CFA - 16.
    bool framed = false;
    for (const kt_uw_rule &r : t.rules)
        framed |= r.cfa_kind == KT_UW_CFA_BP && r.cfa_off == 16 && r.bp_kind == KT_UW_BP_AT_CFA &&
                  r.bp_off == -16;
    EXPECT_TRUE(framed);
    EXPECT_GE(count_kind(t, KT_UW_END), 1u) << "_start leaves the return address undefined";
}

TEST(CfiTable, RealignedMain32) {
    // gcc -m32 realigns main's stack: CFA = *(ebp - 16) once edi, esi, ebx are pushed, ebp
    // saved at *(ebp + 0).
    CfiTable t = compiled(prog("32-O0"), 32);
    expect_well_formed(t);
    bool drap = false;
    for (const kt_uw_rule &r : t.rules)
        drap |= r.cfa_kind == KT_UW_CFA_DEREF_BP && r.cfa_off == -16 &&
                r.bp_kind == KT_UW_BP_AT_BP && r.bp_off == 0;
    EXPECT_TRUE(drap);
    EXPECT_TRUE(std::any_of(t.rules.begin(), t.rules.end(), [](const kt_uw_rule &r) {
        return r.cfa_kind == KT_UW_CFA_SP && r.cfa_off == 4 && r.bp_kind == KT_UW_BP_SAME;
    }));
}

TEST(CfiTable, OptimizedPrograms) {
    for (const char *v : {"64-O2", "32-O2"}) {
        CfiTable t = compiled(prog(v), v[0] == '6' ? 64 : 32);
        expect_well_formed(t);
        EXPECT_GT(count_kind(t, KT_UW_CFA_SP), count_kind(t, KT_UW_CFA_BP)) << v;
    }
}

TEST(CfiTable, LibcSignalFrameAndPlt) {
    const char *libc = "/lib/x86_64-linux-gnu/libc.so.6";
    CfiTable t = compiled(libc, 64);
    expect_well_formed(t);
    EXPECT_GT(t.fdes, 1000u);
    EXPECT_EQ(count_kind(t, KT_UW_SIGNAL), 1u) << "__restore_rt";
    EXPECT_GE(count_kind(t, KT_UW_CFA_PLT), 1u) << "the lazy PLT's rule";
    // Nearly every row is in the rule set (a few hand-written expressions are not).
    EXPECT_LT(t.invalid_rows, 32u);
}

TEST(CfiTable, OwnVdso) {
    auto *ehdr = reinterpret_cast<const unsigned char *>(getauxval(AT_SYSINFO_EHDR));
    if (!ehdr)
        GTEST_SKIP() << "no vDSO";
    // Size: the vDSO's file image ends with its section headers.
    uint64_t shoff, shentsize, shnum;
    memcpy(&shoff, ehdr + 0x28, 8);
    shentsize = uint16_t(ehdr[0x3a] | ehdr[0x3b] << 8);
    shnum = uint16_t(ehdr[0x3c] | ehdr[0x3d] << 8);
    CfiTable t;
    std::string error;
    ASSERT_TRUE(ktap::dwarf::compile_cfi_image(ehdr, shoff + shentsize * shnum, 64, t, error))
        << error;
    expect_well_formed(t);
}

TEST(CfiTable, Errors) {
    CfiTable t;
    std::string error;
    EXPECT_FALSE(compile_cfi("/nonexistent/file", 64, t, error));
    EXPECT_NE(error.find("/nonexistent/file"), std::string::npos);
    EXPECT_FALSE(compile_cfi(std::string(DWARF_UNIT_SRC) + "/prog.c", 64, t, error));
    EXPECT_NE(error.find("not an ELF file"), std::string::npos);
}

} // namespace
