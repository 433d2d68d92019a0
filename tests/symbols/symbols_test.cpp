// Tests of compiler/symbols: module maps of live test programs (x86_64 and i386, PIE and
// non-PIE, stripped to .dynsym, C++), function pattern matching, aliases, ifuncs, libraries,
// listings, and programs on disk.
#include "elf_file.h"
#include "symbols.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fnmatch.h>
#include <map>
#include <memory>
#include <poll.h>
#include <set>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

using namespace ktap;
namespace fs = std::filesystem;

std::string real(const std::string &p) {
    char buf[PATH_MAX];
    return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// A test program running as a child: the addresses it printed, killed at destruction.
struct Child {
    pid_t pid = -1;
    std::map<std::string, uint64_t> addr;

    ~Child() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
    uint64_t at(const std::string &name) const {
        auto it = addr.find(name);
        EXPECT_NE(it, addr.end()) << "the program did not print " << name;
        return it == addr.end() ? 0 : it->second;
    }
};

std::unique_ptr<Child> start(const std::string &path, std::string &error) {
    auto c = std::make_unique<Child>();
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        error = "pipe failed";
        return nullptr;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    std::string arg0 = path;
    char *argv[] = {arg0.data(), nullptr};
    int rc = posix_spawn(&c->pid, path.c_str(), &fa, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        c->pid = -1;
        error = "cannot start " + path + ": " + strerror(rc);
        return nullptr;
    }
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (out.find("ready\n") == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fds[0], POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, int(left.count())) <= 0) {
            error = path + " did not print 'ready'; output so far: " + out;
            close(fds[0]);
            return nullptr;
        }
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) {
            error = path + " exited early; output: " + out;
            close(fds[0]);
            return nullptr;
        }
        out.append(buf, size_t(n));
    }
    close(fds[0]);
    size_t b = 0;
    while (b < out.size()) {
        size_t e = out.find('\n', b);
        std::string line = out.substr(b, e - b);
        size_t eq = line.find('=');
        if (eq != std::string::npos && line.compare(eq + 1, 2, "0x") == 0)
            c->addr[line.substr(0, eq)] = strtoull(line.c_str() + eq + 1, nullptr, 16);
        b = e + 1;
    }
    return c;
}

std::vector<FunctionSite> resolve(const ModuleMap &map, const std::string &process,
                                  const std::string &library, const std::string &function) {
    std::vector<FunctionSite> sites;
    std::string error;
    bool ok = resolve_functions(map, {process, library, function}, sites, error);
    EXPECT_TRUE(ok) << error;
    return sites;
}

std::string resolve_error(const ModuleMap &map, const std::string &process,
                          const std::string &library, const std::string &function) {
    std::vector<FunctionSite> sites;
    std::string error;
    EXPECT_FALSE(resolve_functions(map, {process, library, function}, sites, error));
    return error;
}

std::set<std::string> names(const std::vector<FunctionSite> &sites) {
    std::set<std::string> out;
    for (const auto &s : sites)
        out.insert(s.name);
    return out;
}

std::set<uint64_t> addresses(const std::vector<FunctionSite> &sites) {
    std::set<uint64_t> out;
    for (const auto &s : sites)
        out.insert(s.address);
    return out;
}

const Module *module_named(const ModuleMap &map, const std::string &basename_prefix) {
    for (const Module &m : map.modules)
        if (fs::path(m.path).filename().string().rfind(basename_prefix, 0) == 0)
            return &m;
    return nullptr;
}

// Sites come in module order, then by address, one per address.
void expect_ordered_unique(const ModuleMap &map, const std::vector<FunctionSite> &sites) {
    std::set<uint64_t> seen;
    long last_module = -1;
    uint64_t last_addr = 0;
    for (const auto &s : sites) {
        long mi = s.module - map.modules.data();
        ASSERT_GE(mi, 0);
        ASSERT_LT(mi, long(map.modules.size()));
        ASSERT_GE(mi, last_module) << s.name;
        if (mi == last_module)
            ASSERT_GT(s.address, last_addr) << s.name;
        last_module = mi;
        last_addr = s.address;
        ASSERT_TRUE(seen.insert(s.address).second) << s.name;
    }
}

// --- Names and patterns, no process ---------------------------------------------------------

TEST(Names, StripParameters) {
    using symbols_detail::strip_parameters;
    EXPECT_EQ(strip_parameters("ns::Class::method(int, char const*) const"), "ns::Class::method");
    EXPECT_EQ(strip_parameters("int ns::twice<int>(int)"), "ns::twice<int>");
    EXPECT_EQ(strip_parameters("std::vector<int, std::allocator<int> >::push_back(int const&)"),
              "std::vector<int, std::allocator<int> >::push_back");
    EXPECT_EQ(strip_parameters("operator new(unsigned long)"), "operator new");
    EXPECT_EQ(strip_parameters("ns::A::operator()(int) const"), "ns::A::operator()");
    EXPECT_EQ(strip_parameters("bool ns::operator< <int>(ns::A<int> const&, ns::A<int> const&)"),
              "ns::operator< <int>");
    EXPECT_EQ(strip_parameters("ns::A::operator<<(int)"), "ns::A::operator<<");
    EXPECT_EQ(strip_parameters("ns::A::operator unsigned long() const"),
              "ns::A::operator unsigned long");
    EXPECT_EQ(strip_parameters("(anonymous namespace)::hidden(int)"),
              "(anonymous namespace)::hidden");
    EXPECT_EQ(strip_parameters("ns::f()::{lambda(int)#1}::operator()(int) const"),
              "ns::f()::{lambda(int)#1}::operator()");
    EXPECT_EQ(strip_parameters("foo(int) [clone .constprop.0] [clone .isra.0]"),
              "foo.constprop.0.isra.0");
    EXPECT_EQ(strip_parameters("ns::name_of[abi:cxx11](int)"), "ns::name_of");
    EXPECT_EQ(strip_parameters("std::__cxx11::basic_string<char, std::char_traits<char>, "
                               "std::allocator<char> > ns::f<int>[abi:cxx11](int)"),
              "ns::f<int>");
    EXPECT_EQ(strip_parameters("non-virtual thunk to ns::B::f()"), "non-virtual thunk to ns::B::f");
    EXPECT_EQ(strip_parameters("std::__cxx11::basic_string<char, std::char_traits<char>, "
                               "std::allocator<char> >::size() const"),
              "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> "
              ">::size");
}

TEST(Names, Demangle) {
    using symbols_detail::demangle;
    EXPECT_EQ(demangle("_ZN2ns6Widget6methodEi"), "ns::Widget::method(int)");
    EXPECT_EQ(demangle("main"), "");
    EXPECT_EQ(demangle("_Znotvalid"), "");
}

TEST(Patterns, SourcePositionsAreNotSupportedYet) {
    ModuleMap map;
    std::string error;
    ASSERT_TRUE(file_module_map(SYMTEST_PIE64, map, error, false)) << error;
    for (const char *pat : {"foo@target.c", "foo@target.c:12", "*@*.c", "foo:12", "foo:*"}) {
        std::string e = resolve_error(map, "", "", pat);
        EXPECT_NE(e.find("does not read yet"), std::string::npos) << pat << ": " << e;
    }
    EXPECT_FALSE(resolve_error(map, "", "", "").empty());
    EXPECT_EQ(resolve(map, "", "", "ns::foo").size(), 0u);  // "::" is not a line number
}

TEST(ModuleMapErrors, NoSuchProcess) {
    ModuleMap map;
    std::string error;
    EXPECT_FALSE(read_module_map(999999999, map, error));
    EXPECT_FALSE(error.empty());
}

TEST(ModuleMapErrors, UnknownProcessAndLibrary) {
    ModuleMap map;
    std::string error;
    ASSERT_TRUE(file_module_map(SYMTEST_PIE64, map, error)) << error;
    EXPECT_NE(resolve_error(map, "/nonexistent/prog", "", "foo").find("/nonexistent/prog"),
              std::string::npos);
    EXPECT_NE(resolve_error(map, "/bin/sh", "", "foo").find("not mapped"), std::string::npos);
    EXPECT_NE(resolve_error(map, "", "libnope*.so", "foo").find("matches no library"),
              std::string::npos);
}

TEST(ModuleMapErrors, KtapLibrariesAreNotProbed) {
    char dir[] = "/tmp/ktap-symtest-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    std::string copy = std::string(dir) + "/libktap-fake.so";
    fs::copy_file(SYMTEST_LIB64, copy);
    ModuleMap map;
    std::string error;
    ASSERT_TRUE(file_module_map(copy, map, error, false)) << error;
    ASSERT_EQ(map.modules.size(), 1u);
    EXPECT_TRUE(map.modules[0].is_ktap);
    EXPECT_NE(resolve_error(map, copy, "", "lib_add").find("ktap's own runtime"),
              std::string::npos);
    EXPECT_TRUE(resolve(map, "", "", "lib_add").empty());
    fs::remove_all(dir);
}

// --- C programs, live -----------------------------------------------------------------------

struct CVariant {
    const char *name;
    const char *exe;
    const char *lib;
    int word_size;
    bool pie;
    bool stripped;
};

std::ostream &operator<<(std::ostream &os, const CVariant &v) {
    return os << v.name;
}

class CTarget : public ::testing::TestWithParam<CVariant> {
  protected:
    void SetUp() override {
        std::string error;
        child = start(GetParam().exe, error);
        ASSERT_TRUE(child) << error;
        ASSERT_TRUE(read_module_map(child->pid, map, error)) << error;
        exe = real(GetParam().exe);
    }
    std::unique_ptr<Child> child;
    ModuleMap map;
    std::string exe;
};

TEST_P(CTarget, ModuleMap) {
    const CVariant &v = GetParam();
    ASSERT_FALSE(map.modules.empty());
    const Module &main = map.modules[0];
    EXPECT_TRUE(main.is_main);
    EXPECT_EQ(map.main(), &main);
    EXPECT_EQ(main.path, exe);
    EXPECT_EQ(main.word_size, v.word_size);
    if (v.pie)
        EXPECT_NE(main.bias, 0u);
    else
        EXPECT_EQ(main.bias, 0u);
    EXPECT_LE(main.low, child->at("foo"));
    EXPECT_LT(child->at("foo"), main.high);

    const Module *lib = module_named(map, "libsymtest");
    ASSERT_TRUE(lib);
    EXPECT_EQ(lib->path, real(v.lib));
    EXPECT_FALSE(lib->is_main);
    EXPECT_NE(lib->bias, 0u);
    const Module *libc = module_named(map, "libc.so");
    ASSERT_TRUE(libc);
    EXPECT_EQ(libc->soname, "libc.so.6");
    EXPECT_EQ(libc->word_size, v.word_size);
    EXPECT_TRUE(module_named(map, "ld-linux"));
    for (const Module &m : map.modules) {
        EXPECT_EQ(m.path[0], '/') << m.path;
        EXPECT_EQ(m.is_main, &m == &main) << m.path;
        EXPECT_EQ(m.word_size, v.word_size) << m.path;
    }
    if (v.stripped)
        EXPECT_EQ(main.elf->functions().source, ".dynsym");
    else
        EXPECT_EQ(main.elf->functions().source, ".symtab");
}

TEST_P(CTarget, AddressesMatchTheProgram) {
    const CVariant &v = GetParam();
    std::vector<std::string> fns = {"foo", "fao", "bar", "baz", "alias_target"};
    if (!v.stripped) {
        fns.push_back("local_helper");
        fns.push_back("chosen_impl");
    }
    for (const std::string &fn : fns) {
        auto sites = resolve(map, exe, "", fn);
        ASSERT_EQ(sites.size(), 1u) << fn;
        EXPECT_EQ(sites[0].address, child->at(fn)) << fn;
        EXPECT_EQ(sites[0].name, fn);
        EXPECT_EQ(sites[0].symbol, fn);
        EXPECT_EQ(sites[0].display, fn);
        EXPECT_GT(sites[0].size, 0u);
        EXPECT_TRUE(sites[0].module->is_main);
        if (v.word_size == 32)
            EXPECT_LT(sites[0].address, 1ull << 32);
    }
    if (v.stripped) {  // local functions are not in .dynsym
        EXPECT_TRUE(resolve(map, exe, "", "local_helper").empty());
        EXPECT_TRUE(resolve(map, exe, "", "chosen_impl").empty());
    }
}

TEST_P(CTarget, Globs) {
    EXPECT_EQ(names(resolve(map, exe, "", "f?o")), (std::set<std::string>{"fao", "foo"}));
    auto ab = resolve(map, exe, "", "[ab]*");
    std::set<std::string> n = names(ab);
    for (const char *want : {"bar", "baz", "alias_one"})
        EXPECT_TRUE(n.count(want)) << want;
    for (const auto &s : ab)
        EXPECT_EQ(fnmatch("[ab]*", s.name.c_str(), 0), 0) << s.name;
    auto all = resolve(map, exe, "", "*");
    std::set<uint64_t> a = addresses(all);
    for (const char *fn : {"foo", "fao", "bar", "baz", "alias_target"})
        EXPECT_TRUE(a.count(child->at(fn))) << fn;
    for (const auto &s : all)
        EXPECT_TRUE(s.module->is_main);
    expect_ordered_unique(map, all);
    // A pattern that names no function is not an error.
    EXPECT_TRUE(resolve(map, exe, "", "no_such_function*").empty());
    EXPECT_TRUE(resolve(map, exe, "", "no_such_function").empty());
}

TEST_P(CTarget, AliasesAreOneSite) {
    uint64_t target = child->at("alias_target");
    auto sites = resolve(map, exe, "", "alias_*");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, target);
    EXPECT_EQ(sites[0].name, "alias_one");  // preferred among the names that matched
    sites = resolve(map, exe, "", "__alias_two");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].name, "__alias_two");  // the name that matched
    EXPECT_EQ(sites[0].address, target);
    sites = resolve(map, exe, "", "alias_target");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].name, "alias_target");
    auto all = resolve(map, exe, "", "*alias*");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].name, "alias_one");
}

TEST_P(CTarget, IfuncResolversAreExcluded) {
    EXPECT_TRUE(resolve(map, exe, "", "chosen").empty());
    EXPECT_TRUE(resolve(map, "", "libc.so.6", "strlen").empty());
    if (GetParam().word_size == 64)  // memcpy@@GLIBC_2.14 is an ifunc; memcpy@GLIBC_2.2.5 is compat
        EXPECT_TRUE(resolve(map, "", "libc.so.6", "memcpy").empty());
}

TEST_P(CTarget, Libraries) {
    const CVariant &v = GetParam();
    uint64_t lib_add = child->at("lib_add");
    // Plain function("PAT"): the main executable and every library.
    auto sites = resolve(map, "", "", "lib_add");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, lib_add);
    EXPECT_EQ(sites[0].module->path, real(v.lib));
    for (const char *lib : {"libsymtest*", "*symtest*", "lib*.so"}) {
        auto s = resolve(map, "", lib, "lib_add");
        ASSERT_EQ(s.size(), 1u) << lib;
        EXPECT_EQ(s[0].address, lib_add);
    }
    EXPECT_EQ(resolve(map, "", real(v.lib), "lib_add").size(), 1u);
    EXPECT_EQ(resolve(map, exe, "libsymtest*", "lib_add").size(), 1u);
    // process("GLOB") globs over module paths.
    auto g = resolve(map, fs::path(exe).parent_path().string() + "/symtest_*", "", "foo");
    ASSERT_EQ(g.size(), 1u);
    EXPECT_EQ(g[0].address, child->at("foo"));
    // process("PATH") names one module: the executable does not contain lib_add.
    EXPECT_TRUE(resolve(map, exe, "", "lib_add").empty());
    auto st = resolve(map, "", "libsymtest*", "lib_static");
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].address, child->at("lib_static"));

    // Listing: the library's own path in process("..."), which resolves back to the site.
    auto lines = list_probe_points(sites);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "process(\"" + real(v.lib) + "\").function(\"lib_add\")");
    auto again = resolve(map, real(v.lib), "", "lib_add");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].address, lib_add);

    // The main executable's matches come first.
    auto mains = resolve(map, "", "", "*");
    ASSERT_FALSE(mains.empty());
    EXPECT_TRUE(mains[0].module->is_main);
    expect_ordered_unique(map, mains);
}

TEST_P(CTarget, LibcMalloc) {
    uint64_t malloc_addr = child->at("malloc");
    auto sites = resolve(map, "", "libc.so.6", "malloc");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, malloc_addr);
    EXPECT_EQ(sites[0].name, "malloc");
    sites = resolve(map, "", "libc.so.6", "__libc_malloc");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, malloc_addr);
    EXPECT_EQ(sites[0].name, "__libc_malloc");
    sites = resolve(map, "", "*libc*", "*malloc");
    bool found = false;
    for (const auto &s : sites) {
        if (s.address == malloc_addr) {
            EXPECT_EQ(s.name, "malloc");
            found = true;
        }
    }
    EXPECT_TRUE(found);
    // GCC's cold parts (foo.cold) are not function entries.
    EXPECT_TRUE(resolve(map, "", "libc.so.6", "*.cold*").empty());
    // '@' in a pattern is a source position (stap), never a symbol version.
    EXPECT_NE(resolve_error(map, "", "libc.so.6", "malloc@GLIBC_2.2.5").find("@FILE"),
              std::string::npos);
}

TEST_P(CTarget, ProcessFoundInPath) {
    const char *old = getenv("PATH");
    std::string saved = old ? old : "";
    std::string dir = fs::path(exe).parent_path().string();
    setenv("PATH", ("/nonexistent:" + dir).c_str(), 1);
    auto sites = resolve(map, fs::path(exe).filename().string(), "", "foo");
    setenv("PATH", saved.c_str(), 1);
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, child->at("foo"));
}

TEST_P(CTarget, ProgramOnDisk) {
    const CVariant &v = GetParam();
    ModuleMap disk;
    std::string error;
    ASSERT_TRUE(file_module_map(v.exe, disk, error)) << error;
    EXPECT_EQ(disk.pid, 0);
    ASSERT_GE(disk.modules.size(), 3u);  // the program, libsymtest, libc, ld.so
    EXPECT_TRUE(disk.modules[0].is_main);
    EXPECT_EQ(disk.modules[0].path, exe);
    const Module *main = map.main();
    ASSERT_TRUE(main);
    auto sites = resolve(disk, exe, "", "foo");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, child->at("foo") - main->bias);  // link-time address
    auto lib = resolve(disk, "", "libsymtest*", "lib_add");
    ASSERT_EQ(lib.size(), 1u);
    EXPECT_EQ(lib[0].address + module_named(map, "libsymtest")->bias, child->at("lib_add"));
    auto m = resolve(disk, exe, "libc.so.6", "malloc");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].address + module_named(map, "libc.so")->bias, child->at("malloc"));
    EXPECT_TRUE(module_named(disk, "ld-linux"));
    // Listing a program on disk.
    auto lines = list_probe_points(resolve(disk, exe, "", "f?o"));
    EXPECT_EQ(lines, (std::vector<std::string>{"process(\"" + exe + "\").function(\"fao\")",
                                               "process(\"" + exe + "\").function(\"foo\")"}));
}

INSTANTIATE_TEST_SUITE_P(
    Symbols, CTarget,
    ::testing::Values(CVariant{"pie64", SYMTEST_PIE64, SYMTEST_LIB64, 64, true, false},
                      CVariant{"nopie64", SYMTEST_NOPIE64, SYMTEST_LIB64, 64, false, false},
                      CVariant{"stripped64", SYMTEST_STRIPPED64, SYMTEST_LIB64, 64, true, true},
                      CVariant{"pie32", SYMTEST_PIE32, SYMTEST_LIB32, 32, true, false},
                      CVariant{"nopie32", SYMTEST_NOPIE32, SYMTEST_LIB32, 32, false, false},
                      CVariant{"stripped32", SYMTEST_STRIPPED32, SYMTEST_LIB32, 32, true, true}),
    [](const ::testing::TestParamInfo<CVariant> &i) { return std::string(i.param.name); });

// --- C++ programs, live ---------------------------------------------------------------------

struct CxxVariant {
    const char *name;
    const char *exe;
    int word_size;
};

std::ostream &operator<<(std::ostream &os, const CxxVariant &v) {
    return os << v.name;
}

class CxxTarget : public ::testing::TestWithParam<CxxVariant> {
  protected:
    void SetUp() override {
        std::string error;
        child = start(GetParam().exe, error);
        ASSERT_TRUE(child) << error;
        ASSERT_TRUE(read_module_map(child->pid, map, error)) << error;
        exe = real(GetParam().exe);
    }
    std::unique_ptr<Child> child;
    ModuleMap map;
    std::string exe;
};

TEST_P(CxxTarget, DemangledNames) {
    auto sites = resolve(map, exe, "", "ns::Widget::method");
    ASSERT_EQ(sites.size(), 2u);  // both overloads
    EXPECT_EQ(addresses(sites),
              (std::set<uint64_t>{child->at("method_int"), child->at("method_double")}));
    for (const auto &s : sites)
        EXPECT_EQ(s.name, "ns::Widget::method");
    std::set<std::string> displays;
    for (const auto &s : sites)
        displays.insert(s.display);
    EXPECT_EQ(displays, (std::set<std::string>{"ns::Widget::method(int)",
                                               "ns::Widget::method(double)"}));

    sites = resolve(map, exe, "", "ns::Widget::method(double)");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, child->at("method_double"));

    sites = resolve(map, exe, "", "_ZN2ns6Widget6methodEi");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, child->at("method_int"));
    EXPECT_EQ(sites[0].symbol, "_ZN2ns6Widget6methodEi");
    EXPECT_EQ(sites[0].name, "ns::Widget::method");

    struct {
        const char *pattern, *key;
    } one[] = {{"ns::Widget::smethod", "smethod"},
               {"ns::Widget::operator()", "call_operator"},
               {"ns::free_fn", "free_fn"},
               {"ns::name_of", "name_of"},
               {"ns::twice<int>", "twice_int"},
               {"ns::twice<long>", "twice_long"},
               {"(anonymous namespace)::hidden_fn", "hidden_fn"},
               {"*hidden_fn", "hidden_fn"},
               {"c_linkage", "c_linkage"}};
    for (const auto &o : one) {
        auto s = resolve(map, exe, "", o.pattern);
        ASSERT_EQ(s.size(), 1u) << o.pattern;
        EXPECT_EQ(s[0].address, child->at(o.key)) << o.pattern;
    }
    EXPECT_EQ(resolve(map, exe, "", "ns::twice*").size(), 2u);
    // Constructors: the complete (C1) and base (C2) constructors are one function.
    EXPECT_EQ(resolve(map, exe, "", "ns::Widget::Widget").size(), 1u);
}

TEST_P(CxxTarget, NamespaceGlobs) {
    auto demangled = resolve(map, exe, "", "ns::*");
    auto mangled = resolve(map, exe, "", "_ZN2ns*");
    std::set<uint64_t> d = addresses(demangled), m = addresses(mangled);
    for (const char *key : {"method_int", "method_double", "smethod", "free_fn", "twice_int",
                            "twice_long", "call_operator"})
        EXPECT_TRUE(d.count(child->at(key))) << key;
    // _ZNK2ns... (const members) does not start with _ZN2ns.
    for (const char *key : {"method_int", "method_double", "smethod", "free_fn", "twice_int"})
        EXPECT_TRUE(m.count(child->at(key))) << key;
    for (uint64_t a : m)
        EXPECT_TRUE(d.count(a));
    for (const auto &s : demangled)
        EXPECT_EQ(s.name.rfind("ns::", 0), 0u) << s.name;
    EXPECT_FALSE(d.count(child->at("hidden_fn")));
    EXPECT_FALSE(d.count(child->at("c_linkage")));

    auto lines = list_probe_points(resolve(map, exe, "", "ns::Widget::*"));
    std::string p = "process(\"" + exe + "\").function(\"";
    std::vector<std::string> want = {p + "ns::Widget::Widget\")", p + "ns::Widget::method\")",
                                     p + "ns::Widget::operator()\")", p + "ns::Widget::smethod\")"};
    EXPECT_EQ(lines, want);
}

TEST_P(CxxTarget, Libstdcxx) {
    // Matched by soname: the mapped file is libstdc++.so.6.0.30.
    auto sites = resolve(map, "", "libstdc++.so.6", "std::*");
    EXPECT_GT(sites.size(), 100u);
    for (const auto &s : sites)
        EXPECT_NE(s.module->path.find("libstdc++"), std::string::npos);
    expect_ordered_unique(map, sites);
    EXPECT_FALSE(resolve(map, "", "libstdc++.so.6", "operator new").empty());
}

INSTANTIATE_TEST_SUITE_P(Symbols, CxxTarget,
                         ::testing::Values(CxxVariant{"cxx64", SYMTEST_CXX64, 64},
                                           CxxVariant{"cxx32", SYMTEST_CXX32, 32}),
                         [](const ::testing::TestParamInfo<CxxVariant> &i) {
                             return std::string(i.param.name);
                         });

// --- Other cases ----------------------------------------------------------------------------

TEST(Deleted, DeletedExecutableIsNotedAndSkipped) {
    char dir[] = "/tmp/ktap-symtest-XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    std::string copy = std::string(dir) + "/symtest_copy";
    fs::copy_file(SYMTEST_PIE64, copy);
    fs::permissions(copy, fs::perms::owner_all);
    std::string error;
    auto child = start(copy, error);
    ASSERT_TRUE(child) << error;
    fs::remove_all(dir);
    ModuleMap map;
    ASSERT_TRUE(read_module_map(child->pid, map, error)) << error;
    EXPECT_EQ(map.main(), nullptr);
    bool noted = false;
    for (const auto &n : map.notes)
        noted |= n.find(copy) != std::string::npos && n.find("deleted") != std::string::npos;
    EXPECT_TRUE(noted);
    auto sites = resolve(map, "", "", "lib_add");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].address, child->at("lib_add"));
}

TEST(Speed, EverythingInACxxProcess) {
    std::string error;
    auto child = start(SYMTEST_CXX64, error);
    ASSERT_TRUE(child) << error;
    symbols_detail::clear_elf_cache();
    auto t0 = std::chrono::steady_clock::now();
    ModuleMap map;
    ASSERT_TRUE(read_module_map(child->pid, map, error)) << error;
    auto t1 = std::chrono::steady_clock::now();
    auto cold = resolve(map, "", "", "*");
    auto t2 = std::chrono::steady_clock::now();
    auto warm = resolve(map, "", "", "*");
    auto t3 = std::chrono::steady_clock::now();
    auto glob = resolve(map, "", "", "*alloc*");
    auto t4 = std::chrono::steady_clock::now();
    auto exact = resolve(map, "", "", "malloc");
    auto t5 = std::chrono::steady_clock::now();
    EXPECT_EQ(cold.size(), warm.size());
    EXPECT_FALSE(glob.empty());
    EXPECT_EQ(exact.size(), 1u);
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::printf("[ timing ] %zu modules, %zu sites: module map %.2f ms, '*' cold %.2f ms, "
                "'*' warm %.2f ms, '*alloc*' %.2f ms, 'malloc' %.3f ms\n",
                map.modules.size(), cold.size(), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4),
                ms(t4, t5));
}

} // namespace
