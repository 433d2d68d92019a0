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

// A -l line without its DWARF source position: function("f@/src/x.c:12") -> function("f").
std::string without_position(const std::string &line) {
    size_t open = line.find(".function(\"");
    if (open == std::string::npos)
        return line;
    size_t at = line.find('@', open);
    size_t close = line.find("\")", open + 11);
    if (at == std::string::npos || close == std::string::npos || at > close)
        return line;
    return line.substr(0, at) + line.substr(close);
}

std::vector<std::string> without_positions(const std::vector<std::string> &lines) {
    std::vector<std::string> out;
    for (const auto &l : lines)
        out.push_back(without_position(l));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// The test programs are built with the build type's flags: with -g (RelWithDebInfo, Debug)
// their sites carry a source position, which the line shows as stap does.
void expect_position(const std::string &line, const FunctionSite &site, const char *source) {
    if (site.decl_file.empty()) {
        EXPECT_EQ(line.find('@'), std::string::npos) << line;
        return;
    }
    EXPECT_EQ(fs::path(site.decl_file).filename(), source) << site.decl_file;
    EXPECT_GT(site.decl_line, 0);
    EXPECT_NE(line.find("@" + site.decl_file + ":" + std::to_string(site.decl_line) + "\")"),
              std::string::npos)
        << line;
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
    // A lambda's operator() inside template arguments is not the function's name.
    EXPECT_EQ(strip_parameters("void std::__sort<int*, Cmp<ns::f()::{lambda(int)#1}::operator()"
                               "(int) const::{lambda(long)#1}> >(int*, int*)"),
              "std::__sort<int*, Cmp<ns::f()::{lambda(int)#1}::operator()(int) "
              "const::{lambda(long)#1}> >");
    EXPECT_EQ(strip_parameters("ns::f()::{lambda(int)#1}::operator()(int) const::"
                               "{lambda(long)#1}::operator()(long) const"),
              "ns::f()::{lambda(int)#1}::operator()(int) const::{lambda(long)#1}::operator()");
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

TEST(Names, CloneOrigin) {
    using symbols_detail::clone_origin;
    EXPECT_EQ(clone_origin("f.constprop.0"), "f");
    EXPECT_EQ(clone_origin("f.isra.0"), "f");
    EXPECT_EQ(clone_origin("f.part.12"), "f");
    EXPECT_EQ(clone_origin("f.isra.0.constprop.0"), "f");
    EXPECT_EQ(clone_origin("f.part.0.isra.1"), "f");
    EXPECT_EQ(clone_origin("f.constprop"), "f");  // older GCCs: no number
    EXPECT_EQ(clone_origin("_Z1fi.isra.0"), "_Z1fi");
    EXPECT_EQ(clone_origin("a.b.constprop.1"), "a.b");
    // Not clones: cold parts (no entries), other suffixes, the plain name.
    for (const char *s : {"f", "f.cold", "f.cold.3", "f.part.0.cold", "f.lto_priv.0",
                          "f.constprop.x", ".constprop.0", "f.constprops.0", "f.isra.0.", ""})
        EXPECT_EQ(clone_origin(s), "") << s;
}

TEST(Patterns, FunctionSpec) {
    using symbols_detail::FunctionSpec;
    using symbols_detail::parse_function_spec;
    FunctionSpec s;
    std::string e;
    ASSERT_TRUE(parse_function_spec("foo", s, e)) << e;
    EXPECT_EQ(s.name, "foo");
    EXPECT_FALSE(s.has_file);
    ASSERT_TRUE(parse_function_spec("ns::foo", s, e)) << e;  // "::" is not a line number
    EXPECT_EQ(s.name, "ns::foo");
    ASSERT_TRUE(parse_function_spec("f*@src/*.c", s, e)) << e;
    EXPECT_EQ(s.name, "f*");
    EXPECT_EQ(s.file, "src/*.c");
    EXPECT_TRUE(s.has_file);
    EXPECT_FALSE(s.has_line);
    ASSERT_TRUE(parse_function_spec("f@prog.c:12", s, e)) << e;
    EXPECT_EQ(s.file, "prog.c");
    EXPECT_TRUE(s.has_line);
    EXPECT_EQ(s.line_lo, 12);
    EXPECT_EQ(s.line_hi, 12);
    ASSERT_TRUE(parse_function_spec("ns::f@/abs/prog.c:10-20", s, e)) << e;
    EXPECT_EQ(s.name, "ns::f");
    EXPECT_EQ(s.file, "/abs/prog.c");
    EXPECT_EQ(s.line_lo, 10);
    EXPECT_EQ(s.line_hi, 20);
    ASSERT_TRUE(parse_function_spec("f@prog.c:*", s, e)) << e;
    EXPECT_TRUE(s.has_file);
    EXPECT_FALSE(s.has_line);
    for (const char *bad : {"", "foo:12", "foo:*", "@prog.c", "f@", "f@:12", "f@prog.c:20-10",
                            "f@prog.c:+3", "f@prog.c:1,2"}) {
        e.clear();
        EXPECT_FALSE(parse_function_spec(bad, s, e)) << bad;
        EXPECT_FALSE(e.empty()) << bad;
    }
}

TEST(Patterns, SourceFileMatches) {
    using symbols_detail::source_file_matches;
    const std::string f = "/home/u/proj/src/prog.c";
    for (const char *yes : {"prog.c", "src/prog.c", "*/prog.c", "/home/u/proj/src/prog.c",
                            "/home/*/proj/src/prog.c", "*.c", "pro?.c", "proj/*/prog.c"})
        EXPECT_TRUE(source_file_matches(yes, f)) << yes;
    for (const char *no : {"rog.c", "prog", "prog.h", "/src/prog.c", "*/src", "other/prog.c",
                           "/home/*/prog.c"})
        EXPECT_FALSE(source_file_matches(no, f)) << no;
    EXPECT_FALSE(source_file_matches("*", ""));
    EXPECT_TRUE(source_file_matches("prog.c", "prog.c"));  // relative DWARF name
}

TEST(Patterns, LineWithoutFileIsAnError) {
    ModuleMap map;
    std::string error;
    ASSERT_TRUE(file_module_map(SYMTEST_PIE64, map, error, false)) << error;
    for (const char *pat : {"foo:12", "foo:*"}) {
        std::string e = resolve_error(map, "", "", pat);
        EXPECT_NE(e.find("needs a source file"), std::string::npos) << pat << ": " << e;
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

// A live test program per variant (its `exe`), its module map and real path.
template <class Variant> class LiveTarget : public ::testing::TestWithParam<Variant> {
  protected:
    void SetUp() override {
        std::string error;
        child = start(this->GetParam().exe, error);
        ASSERT_TRUE(child) << error;
        ASSERT_TRUE(read_module_map(child->pid, map, error)) << error;
        exe = real(this->GetParam().exe);
    }
    std::unique_ptr<Child> child;
    ModuleMap map;
    std::string exe;
};

class CTarget : public LiveTarget<CVariant> {};

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
    EXPECT_EQ(without_position(lines[0]), "process(\"" + real(v.lib) + "\").function(\"lib_add\")");
    expect_position(lines[0], sites[0], "target_lib.c");
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
    EXPECT_TRUE(resolve(map, "", "libc.so.6", "malloc@GLIBC_2.2.5").empty());
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
    auto lines = without_positions(list_probe_points(resolve(disk, exe, "", "f?o")));
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

class CxxTarget : public LiveTarget<CxxVariant> {};

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

    // With DWARF, the two overloads of method are two lines (two declaration lines).
    auto lines = without_positions(list_probe_points(resolve(map, exe, "", "ns::Widget::*")));
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

// --- DWARF: source positions, GCC clones, inlined-only functions ---------------------------

// `nm` of a file: symbol -> link-time address (what the compiler really produced).
std::map<std::string, uint64_t> nm_symbols(const std::string &path) {
    std::map<std::string, uint64_t> out;
    FILE *p = popen(("nm " + path + " 2>/dev/null").c_str(), "r");
    if (!p)
        return out;
    char buf[1024];
    while (fgets(buf, sizeof buf, p)) {
        char type, name[900];
        unsigned long long addr;
        if (sscanf(buf, "%llx %c %899s", &addr, &type, name) == 3 && (type == 't' || type == 'T'))
            out[name] = addr;
    }
    pclose(p);
    return out;
}

// The "decl:NAME" markers of tests/symbols/target_dwarf*.c: NAME -> line.
std::map<std::string, int> decl_lines(const std::string &source) {
    std::map<std::string, int> out;
    FILE *f = fopen(source.c_str(), "r");
    if (!f)
        return out;
    char buf[1024];
    int line = 0;
    while (fgets(buf, sizeof buf, f)) {
        ++line;
        const char *m = strstr(buf, "/* decl:");
        if (!m)
            continue;
        std::string name(m + 8);
        name.resize(name.find(' '));
        out[name] = line;
    }
    fclose(f);
    return out;
}

struct DwarfVariant {
    const char *name;
    const char *exe;
    bool optimized;
};

std::ostream &operator<<(std::ostream &os, const DwarfVariant &v) {
    return os << v.name;
}

class DwarfProgram : public ::testing::TestWithParam<DwarfVariant> {
  protected:
    void SetUp() override {
        std::string error;
        ASSERT_TRUE(file_module_map(GetParam().exe, map, error, false)) << error;
        exe = real(GetParam().exe);
        nm = nm_symbols(exe);
        ASSERT_FALSE(nm.empty()) << "nm " << exe;
        src_a = real(std::string(SYMTEST_SOURCE_DIR) + "/target_dwarf.c");
        src_b = real(std::string(SYMTEST_SOURCE_DIR) + "/target_dwarf_b.c");
        lines = decl_lines(src_a);
        for (auto &[k, v] : decl_lines(src_b))
            lines[k] = v;
        ASSERT_EQ(lines.size(), 9u);
    }
    // The clone GCC made of FN ("FN.part.0", ...), or "" (checked with nm, not with ktap).
    std::string clone_of(const std::string &fn, const char *kind) const {
        for (const auto &[name, addr] : nm)
            if (name.rfind(fn + "." + kind, 0) == 0)
                return name;
        return {};
    }
    std::string pp(const std::string &fn, const std::string &src) const {
        return "process(\"" + exe + "\").function(\"" + fn + "@" + src + ":" +
               std::to_string(lines.at(fn)) + "\")";
    }
    ModuleMap map;
    std::string exe, src_a, src_b;
    std::map<std::string, uint64_t> nm;
    std::map<std::string, int> lines;
};

TEST_P(DwarfProgram, SourcePositions) {
    for (const char *fn : {"dw_one", "dw_two", "dw_other", "with_cold", "split_me", "scale",
                           "sum_fields"}) {
        auto sites = resolve(map, exe, "", fn);
        ASSERT_FALSE(sites.empty()) << fn;
        for (const auto &s : sites) {
            EXPECT_EQ(s.name, fn);
            EXPECT_EQ(s.decl_file, std::string(fn).rfind("dw_t", 0) == 0 || !strcmp(fn, "dw_other")
                                       ? src_b : src_a)
                << fn;
            EXPECT_EQ(s.decl_line, lines.at(fn)) << fn;
        }
    }
    // -l lines as stap prints them: the source file as DWARF names it, the declaration line.
    EXPECT_EQ(list_probe_points(resolve(map, exe, "", "dw_*")),
              (std::vector<std::string>{pp("dw_one", src_a), pp("dw_other", src_b),
                                        pp("dw_two", src_b)}));
}

TEST_P(DwarfProgram, FilePatterns) {
    using Names = std::set<std::string>;
    EXPECT_EQ(names(resolve(map, exe, "", "dw_*@target_dwarf.c")), Names{"dw_one"});
    for (std::string file : {"target_dwarf_b.c", "*/target_dwarf_b.c", "symbols/target_dwarf_b.c",
                             "*_b.c", "target_dwarf_?.c"})
        EXPECT_EQ(names(resolve(map, exe, "", "dw_*@" + file)), (Names{"dw_two", "dw_other"}))
            << file;
    EXPECT_EQ(names(resolve(map, exe, "", "dw_*@" + src_b)), (Names{"dw_two", "dw_other"}));
    EXPECT_EQ(names(resolve(map, exe, "", "dw_*@*.c")), (Names{"dw_one", "dw_two", "dw_other"}));
    EXPECT_EQ(names(resolve(map, exe, "", "*@*.c:*")), names(resolve(map, exe, "", "*@*.c")));
    EXPECT_TRUE(resolve(map, exe, "", "dw_*@nope.c").empty());
    EXPECT_TRUE(resolve(map, exe, "", "dw_*@arget_dwarf.c").empty());  // whole components only
    EXPECT_TRUE(resolve(map, exe, "", "dw_one@target_dwarf_b.c").empty());
    // Lines: the declaration line, or a range containing it.
    int two = lines.at("dw_two"), other = lines.at("dw_other");
    EXPECT_EQ(names(resolve(map, exe, "", "dw_*@target_dwarf_b.c:" + std::to_string(two))),
              Names{"dw_two"});
    EXPECT_EQ(names(resolve(map, exe, "", "*@target_dwarf_b.c:" + std::to_string(two) + "-" +
                                              std::to_string(other))),
              (Names{"dw_two", "dw_other"}));
    EXPECT_EQ(names(resolve(map, exe, "", "*@target_dwarf_b.c:" + std::to_string(two + 1) + "-" +
                                              std::to_string(other))),
              Names{"dw_other"});
    EXPECT_TRUE(resolve(map, exe, "", "dw_two@target_dwarf_b.c:" + std::to_string(two + 1)).empty());
    // A clone is found by its source file and line too.
    auto sc = resolve(map, exe, "", "*@target_dwarf.c:" + std::to_string(lines.at("scale")));
    ASSERT_EQ(sc.size(), 1u);
    EXPECT_EQ(sc[0].name, "scale");
    // Every site a @FILE pattern selects comes from that file.
    for (const auto &s : resolve(map, exe, "", "*@target_dwarf.c"))
        EXPECT_EQ(s.decl_file, src_a) << s.symbol;
}

TEST_P(DwarfProgram, GccClones) {
    const DwarfVariant &v = GetParam();
    struct {
        const char *fn, *kind;
    } clones[] = {{"scale", "constprop"}, {"sum_fields", "isra"}, {"slow_path", "part"}};
    for (const auto &c : clones) {
        std::string clone = clone_of(c.fn, c.kind);
        auto sites = resolve(map, exe, "", c.fn);
        ASSERT_EQ(sites.size(), 1u) << c.fn;
        EXPECT_EQ(sites[0].name, c.fn);  // pp(), ppfunc(), -l: the source name
        if (!v.optimized) {
            EXPECT_TRUE(clone.empty()) << clone;
            EXPECT_EQ(sites[0].symbol, c.fn);
            EXPECT_EQ(sites[0].address, nm.at(c.fn));
            continue;
        }
        ASSERT_FALSE(clone.empty()) << "GCC made no " << c.kind << " clone of " << c.fn;
        EXPECT_EQ(nm.count(c.fn), 0u) << c.fn << " exists next to its clone";
        EXPECT_EQ(sites[0].symbol, clone);  // the ELF name stays
        EXPECT_EQ(sites[0].address, nm.at(clone));
        EXPECT_EQ(sites[0].display, clone);
        // The clone's own name selects it too, and globs over the source name.
        auto by_symbol = resolve(map, exe, "", clone);
        ASSERT_EQ(by_symbol.size(), 1u);
        EXPECT_EQ(by_symbol[0].name, c.fn);
        auto glob = resolve(map, exe, "", std::string(c.fn).substr(0, 3) + "*");
        EXPECT_TRUE(addresses(glob).count(nm.at(clone))) << c.fn;
        EXPECT_EQ(list_probe_points(sites),
                  std::vector<std::string>{pp(c.fn, src_a)});
    }
    // split_me is exported: -O2 keeps it next to its split-off part; both are sites, one name.
    auto split = resolve(map, exe, "", "split_me");
    std::string part = clone_of("split_me", "part");
    if (v.optimized) {
        ASSERT_FALSE(part.empty()) << "GCC made no part clone of split_me";
        ASSERT_EQ(split.size(), 2u);
        EXPECT_EQ(addresses(split), (std::set<uint64_t>{nm.at("split_me"), nm.at(part)}));
        std::set<std::string> symbols;
        for (const auto &s : split) {
            EXPECT_EQ(s.name, "split_me");
            symbols.insert(s.symbol);
        }
        EXPECT_EQ(symbols, (std::set<std::string>{"split_me", part}));
        EXPECT_EQ(list_probe_points(split), std::vector<std::string>{pp("split_me", src_a)});
    } else {
        ASSERT_EQ(split.size(), 1u);
    }
    // Cold parts are never sites.
    if (v.optimized)
        ASSERT_TRUE(nm.count("with_cold.cold")) << "GCC made no with_cold.cold";
    auto cold = resolve(map, exe, "", "with_cold*");
    ASSERT_EQ(cold.size(), 1u);
    EXPECT_EQ(cold[0].symbol, "with_cold");
    EXPECT_TRUE(resolve(map, exe, "", "*.cold*").empty());
    EXPECT_TRUE(resolve(map, exe, "", "with_cold.cold").empty());
    for (const auto &s : resolve(map, exe, "", "*"))
        EXPECT_EQ(s.symbol.find(".cold"), std::string::npos) << s.symbol;
}

TEST_P(DwarfProgram, InlinedOnly) {
    std::string want = "function \"tiny_inline\" in " + exe + " is only inlined (";
    std::string where = "target_dwarf.c:" + std::to_string(lines.at("tiny_inline")) +
                        "): ktap probes out-of-line copies only";
    for (std::string pat : std::vector<std::string>{"tiny_inline", "tiny_inline@target_dwarf.c",
                            "tiny_inline@*.c:" + std::to_string(lines.at("tiny_inline"))}) {
        std::string e = resolve_error(map, exe, "", pat);
        EXPECT_EQ(e.rfind(want, 0), 0u) << pat << ": " << e;
        EXPECT_NE(e.find(where), std::string::npos) << pat << ": " << e;
        if (!GetParam().optimized)  // three calls, three inlined copies
            EXPECT_NE(e.find("(3 sites, "), std::string::npos) << e;
    }
    // Also when the whole map is searched.
    EXPECT_EQ(resolve_error(map, "", "", "tiny_inline").rfind(want, 0), 0u);
    // Wildcards, another file or line: nothing, and no error.
    EXPECT_TRUE(resolve(map, exe, "", "tiny_inl*").empty());
    EXPECT_TRUE(resolve(map, exe, "", "tiny_inline@target_dwarf_b.c").empty());
    EXPECT_TRUE(resolve(map, exe, "", "tiny_inline@target_dwarf.c:1").empty());
    EXPECT_TRUE(resolve(map, exe, "", "no_such_function").empty());
}

TEST_P(DwarfProgram, LiveProcessPositions) {
    // In a process the lookup uses link-time addresses (runtime address - bias).
    std::string error;
    auto child = start(GetParam().exe, error);
    ASSERT_TRUE(child) << error;
    ModuleMap live;
    ASSERT_TRUE(read_module_map(child->pid, live, error)) << error;
    for (const char *fn : {"dw_one", "dw_two", "with_cold"}) {
        auto sites = resolve(live, exe, "", fn);
        ASSERT_EQ(sites.size(), 1u) << fn;
        EXPECT_EQ(sites[0].address, child->at(fn));
        EXPECT_EQ(sites[0].decl_line, lines.at(fn)) << fn;
        EXPECT_EQ(probe_point_text(sites[0]), pp(fn, fn[3] == 't' ? src_b : src_a));
    }
    auto sc = resolve(live, exe, "", "scale@target_dwarf.c");
    ASSERT_EQ(sc.size(), 1u);
    EXPECT_EQ(sc[0].address - sc[0].module->bias, nm.at(sc[0].symbol));
}

INSTANTIATE_TEST_SUITE_P(
    Symbols, DwarfProgram,
    ::testing::Values(DwarfVariant{"O0_64", SYMTEST_DWARF_O0_64, false},
                      DwarfVariant{"O2_64", SYMTEST_DWARF_O2_64, true},
                      DwarfVariant{"O0_32", SYMTEST_DWARF_O0_32, false},
                      DwarfVariant{"O2_32", SYMTEST_DWARF_O2_32, true}),
    [](const ::testing::TestParamInfo<DwarfVariant> &i) { return std::string(i.param.name); });

TEST(NoDwarf, SymbolTableOnly) {
    ModuleMap map;
    std::string error;
    ASSERT_TRUE(file_module_map(SYMTEST_NODWARF_O2_64, map, error, false)) << error;
    std::string exe = real(SYMTEST_NODWARF_O2_64);
    auto sites = resolve(map, exe, "", "dw_one");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_TRUE(sites[0].decl_file.empty());
    EXPECT_EQ(sites[0].decl_line, 0);
    EXPECT_EQ(list_probe_points(sites),
              std::vector<std::string>{"process(\"" + exe + "\").function(\"dw_one\")"});
    // Clones still answer to their source name.
    auto sc = resolve(map, exe, "", "scale");
    ASSERT_EQ(sc.size(), 1u);
    EXPECT_EQ(sc[0].name, "scale");
    EXPECT_EQ(sc[0].symbol.rfind("scale.constprop.", 0), 0u);
    // @FILE never matches without DWARF; an inlined-only function is simply not found.
    EXPECT_TRUE(resolve(map, exe, "", "dw_one@target_dwarf.c").empty());
    EXPECT_TRUE(resolve(map, exe, "", "*@*").empty());
    EXPECT_TRUE(resolve(map, exe, "", "tiny_inline").empty());
}

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
