// What a traced process shares with ktap without opening anything of ktap's (issue 11): system
// calls made by the target itself, descriptors taken from it and given to it; and the seccomp
// check that runs before any of it.
#include "attach/remote_syscall.h"
#include "attach/seccomp.h"
#include "attach/tracee.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace attach_test;
using ktap::RemoteSys;
using ktap::RemoteSyscalls;
using ktap::SeccompFilters;
using ktap::Tracee;

namespace {

struct Variant {
    const char *name;
    const char *target;
    int bits;
};

class Shared : public ::testing::TestWithParam<Variant> {};

std::string contents(int fd) {
    std::string s(64, '\0');
    ssize_t n = pread(fd, s.data(), s.size(), 0);
    s.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return s;
}

// A memfd the target creates, reached here by pidfd_getfd; a descriptor of ours given to the
// target over the socket pair and taken back: both ends see the same file.
TEST_P(Shared, MemfdAndDescriptorRoundTrip) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, c.pid, 0));
    ASSERT_GE(pidfd, 0);
    RemoteSyscalls sys(t);

    uint64_t name = 0;
    int64_t fd = -1;
    ASSERT_TRUE(t.push_string("ktap-test", name, error)) << error;
    ASSERT_TRUE(sys.call(RemoteSys::MemfdCreate, {name, MFD_CLOEXEC}, fd, error)) << error;
    ASSERT_GE(fd, 3);
    int local = ktap::take_target_fd(c.pid, pidfd, static_cast<int>(fd), O_RDWR, error);
    ASSERT_GE(local, 0) << error;
    ASSERT_EQ(pwrite(local, "from ktap", 9, 0), 9);

    // Ours to the target, and back: the target's new descriptor is the same memfd.
    int given = -1;
    ASSERT_TRUE(ktap::give_fd_to_target(t, sys, pidfd, local, given, error)) << error;
    EXPECT_NE(given, fd);
    int back = ktap::take_target_fd(c.pid, pidfd, given, O_RDWR, error);
    ASSERT_GE(back, 0) << error;
    EXPECT_EQ(contents(back), "from ktap");

    // Failures come back as -errno: closing a descriptor twice.
    int64_t rc = 0;
    ASSERT_TRUE(sys.call(RemoteSys::Close, {static_cast<uint64_t>(given)}, rc, error)) << error;
    EXPECT_EQ(rc, 0);
    ASSERT_TRUE(sys.call(RemoteSys::Close, {static_cast<uint64_t>(given)}, rc, error)) << error;
    EXPECT_EQ(rc, -EBADF);
    ASSERT_TRUE(sys.call(RemoteSys::Close, {static_cast<uint64_t>(fd)}, rc, error)) << error;
    EXPECT_EQ(rc, 0);
    close(back);
    close(local);
    close(pidfd);
    t.detach();
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, false));
}

const Variant kArch[] = {{"x86_64", TARGET64, 64}, {"i386", TARGET32, 32}};
INSTANTIATE_TEST_SUITE_P(, Shared, ::testing::ValuesIn(kArch),
                         [](const auto &info) { return std::string(info.param.name); });

// ---- seccomp: the filters run here on ktap's own system calls ---------------------------------

std::vector<sock_filter> ret(uint32_t action) {
    return {BPF_STMT(BPF_RET | BPF_K, action)};
}

// Answers ACTION for system call NR of architecture ARCH, allows everything else.
std::vector<sock_filter> on(uint32_t arch, uint32_t nr, uint32_t action) {
    return {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
}

TEST(Seccomp, NoFilterOrAllowAll) {
    std::string why;
    SeccompFilters none;
    EXPECT_TRUE(ktap::seccomp_allows_ktap(none, 64, why)) << why;
    SeccompFilters all;
    all.add(ret(SECCOMP_RET_ALLOW));
    EXPECT_TRUE(ktap::seccomp_allows_ktap(all, 64, why)) << why;
    EXPECT_TRUE(ktap::seccomp_allows_ktap(all, 32, why)) << why;
}

TEST(Seccomp, KillOnANeededCallIsRefusedWithItsName) {
    SeccompFilters f;
    f.add(on(AUDIT_ARCH_X86_64, 319 /* memfd_create */, SECCOMP_RET_KILL_PROCESS));
    std::string why;
    EXPECT_FALSE(ktap::seccomp_allows_ktap(f, 64, why));
    EXPECT_EQ(why, "its seccomp filter would kill the process on memfd_create, which ktap's "
                   "injection needs");
    // The same filter says nothing about i386's numbers.
    EXPECT_TRUE(ktap::seccomp_allows_ktap(f, 32, why)) << why;
    SeccompFilters g;
    g.add(on(AUDIT_ARCH_I386, 356 /* memfd_create */, SECCOMP_RET_ERRNO | EPERM));
    EXPECT_FALSE(ktap::seccomp_allows_ktap(g, 32, why));
    EXPECT_NE(why.find("fail with EPERM on memfd_create"), std::string::npos) << why;
}

TEST(Seccomp, FailuresOfOptionalCallsAreAccepted) {
    SeccompFilters f;
    f.add(on(AUDIT_ARCH_X86_64, 310 /* process_vm_readv */, SECCOMP_RET_ERRNO | EPERM));
    std::string why;
    EXPECT_TRUE(ktap::seccomp_allows_ktap(f, 64, why)) << why;
    SeccompFilters g;
    g.add(on(AUDIT_ARCH_X86_64, 310, SECCOMP_RET_TRAP));
    EXPECT_FALSE(ktap::seccomp_allows_ktap(g, 64, why));
    EXPECT_NE(why.find("raise SIGSYS on process_vm_readv"), std::string::npos) << why;
}

// A filter against what dlopen does (open, fstat) refuses the target's dlopen of the agent, not
// ktap's own loader (the freestanding agent, mapped from its memfd); one against statx refuses
// the loader's agent (its fstat of the arenas) but not dlopen on x86_64 (glibc's newfstatat).
TEST(Seccomp, WhatEachWayOfLoadingTheAgentNeeds) {
    using ktap::AgentLoad;
    SeccompFilters f;
    f.add(on(AUDIT_ARCH_X86_64, 257 /* openat */, SECCOMP_RET_ERRNO | EPERM));
    std::string why;
    EXPECT_FALSE(ktap::seccomp_allows_ktap(f, 64, why, AgentLoad::Dlopen));
    EXPECT_NE(why.find("on openat, which dlopen of ktap's agent needs"), std::string::npos) << why;
    EXPECT_TRUE(ktap::seccomp_allows_ktap(f, 64, why, AgentLoad::Loader)) << why;
    SeccompFilters g;
    g.add(on(AUDIT_ARCH_X86_64, 332 /* statx */, SECCOMP_RET_KILL_PROCESS));
    EXPECT_TRUE(ktap::seccomp_allows_ktap(g, 64, why, AgentLoad::Dlopen)) << why;
    EXPECT_FALSE(ktap::seccomp_allows_ktap(g, 64, why, AgentLoad::Loader));
    EXPECT_NE(why.find("kill the process on statx, which the agent's arenas needs"),
              std::string::npos)
        << why;
}

// systemd's MemoryDenyWriteExecute=yes as a filter: the engine writes code through
// /proc/self/mem instead, which needs pwrite64.
TEST(Seccomp, MemoryDenyWriteExecuteNeedsPwrite) {
    auto wx = [] {
        return std::vector<sock_filter>{
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 10 /* mprotect */, 0, 3),
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[2])),
            BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
    };
    SeccompFilters f;
    f.add(wx());
    std::string why;
    EXPECT_TRUE(ktap::seccomp_allows_ktap(f, 64, why)) << why;
    f.add(on(AUDIT_ARCH_X86_64, 18 /* pwrite64 */, SECCOMP_RET_ERRNO | EPERM));
    EXPECT_FALSE(ktap::seccomp_allows_ktap(f, 64, why));
    EXPECT_NE(why.find("on pwrite64, which the engine's code writes through /proc/self/mem"),
              std::string::npos)
        << why;
}

// The kernel's precedence across filters: the most restrictive answer wins.
TEST(Seccomp, MostRestrictiveFilterWins) {
    const uint64_t args[6] = {};
    SeccompFilters f;
    f.add(ret(SECCOMP_RET_ALLOW));
    f.add(ret(SECCOMP_RET_ERRNO | EACCES));
    f.add(ret(SECCOMP_RET_LOG));
    EXPECT_EQ(f.evaluate(64, 0, args), SECCOMP_RET_ERRNO | EACCES);
    f.add(ret(SECCOMP_RET_TRAP));
    EXPECT_EQ(f.evaluate(64, 0, args), SECCOMP_RET_TRAP);
    f.add(ret(SECCOMP_RET_KILL_PROCESS));
    EXPECT_EQ(f.evaluate(64, 0, args), SECCOMP_RET_KILL_PROCESS);
    EXPECT_EQ(ktap::seccomp_action_text(SECCOMP_RET_ERRNO | EACCES), "fail with EACCES");
}

// Arithmetic, scratch memory and X as the interpreter's seccomp subset runs them.
TEST(Seccomp, InterpreterInstructions) {
    const uint64_t args[6] = {5, 0, 0, 0, 0, 0};
    SeccompFilters f;
    f.add({
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])), // A = 5
        BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),                               // 15
        BPF_STMT(BPF_ST, 2),                                                  // M[2] = 15
        BPF_STMT(BPF_LDX | BPF_MEM, 2),                                       // X = 15
        BPF_STMT(BPF_LD | BPF_IMM, 1),                                        // A = 1
        BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),                               // 16
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 16, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 16),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    });
    EXPECT_EQ(f.evaluate(64, 1, args), SECCOMP_RET_ERRNO | 16);
}

} // namespace
