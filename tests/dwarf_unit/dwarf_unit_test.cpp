// Tests of compiler/dwarf against the programs of this folder (prog.c, prog_b.c, prog_cxx.cpp),
// built in several variants (CMakeLists.txt). Expectations are semantic: which register or which
// stack slot relative to the CFA holds a parameter at the entry, as the calling convention says,
// not just the shape of what the reader returns. Addresses are checked against `nm`.
#include "debuginfo.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace ktap::dwarf;

namespace {

// DWARF register numbers.
constexpr int RAX = 0, RDX = 1, RCX = 2, RSI = 4, RDI = 5, R8 = 8, R9 = 9;
constexpr int EAX = 0, EDX = 2;

std::string prog(const std::string &variant) {
    return std::string(DWARF_UNIT_BIN) + "/dwarfprog-" + variant;
}
std::string cxx(const std::string &opt) {
    return std::string(DWARF_UNIT_BIN) + "/dwarfcxx-" + opt;
}

std::string run(const std::string &cmd) {
    std::string out;
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    pclose(p);
    return out;
}

// Symbol name -> address, from nm (every symbol, including clones' suffixed names).
std::map<std::string, uint64_t> symbols(const std::string &path) {
    std::map<std::string, uint64_t> m;
    std::istringstream in(run("nm " + path));
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream l(line);
        std::string addr, type, name;
        if (l >> addr >> type >> name)
            m[name] = std::stoull(addr, nullptr, 16);
    }
    return m;
}

// The line of a source file that contains `needle` (first occurrence).
int line_of(const std::string &file, const std::string &needle) {
    std::ifstream in(std::string(DWARF_UNIT_SRC) + "/" + file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.find(needle) != std::string::npos)
            return n;
    return -1;
}

std::shared_ptr<DebugInfo> open_ok(const std::string &path) {
    std::string error;
    auto info = DebugInfo::open(path, error);
    EXPECT_TRUE(info) << error;
    return info;
}

const Function *find_fn(DebugInfo &info, const std::string &name) {
    for (const Function &f : info.functions())
        if (f.name == name)
            return &f;
    return nullptr;
}

struct Vars {
    std::vector<Variable> params, locals;
    const Variable *param(const std::string &n) const {
        for (const Variable &v : params)
            if (v.name == n)
                return &v;
        return nullptr;
    }
    const Variable *local(const std::string &n) const {
        for (const Variable &v : locals)
            if (v.name == n)
                return &v;
        return nullptr;
    }
};

Vars vars_of(DebugInfo &info, const std::string &fn) {
    Vars v;
    const Function *f = find_fn(info, fn);
    EXPECT_TRUE(f) << fn;
    if (!f)
        return v;
    std::string error;
    EXPECT_TRUE(info.variables_at_entry(*f, v.params, v.locals, error)) << error;
    return v;
}

Variable ret_of(DebugInfo &info, const std::string &fn) {
    Variable r;
    const Function *f = find_fn(info, fn);
    EXPECT_TRUE(f) << fn;
    std::string error;
    if (f) {
        EXPECT_TRUE(info.return_value(*f, r, error)) << error;
    }
    return r;
}

// A location as text, to compare semantically: "reg5:4" (register 5, 4 bytes),
// "mem:8[cfa+16]" (8 bytes at CFA+16), "mem:40[reg0]" (at the address in rax),
// "value:4[const1]", "implicit:4", "unavailable:8".
std::string ops_text(const std::vector<LocOp> &ops) {
    // Folds the common shapes: X, X + k.
    std::string s;
    for (size_t i = 0; i < ops.size(); ++i) {
        const LocOp &o = ops[i];
        std::string part;
        switch (o.op) {
        case Op::Reg:
            part = "reg" + std::to_string(o.reg);
            break;
        case Op::CFA:
            part = "cfa";
            break;
        case Op::Addr:
            part = "addr" + std::to_string(o.value);
            break;
        case Op::Const:
            if (i + 1 < ops.size() && ops[i + 1].op == Op::Add) {
                part = (o.value >= 0 ? "+" : "") + std::to_string(o.value);
                ++i;
            } else {
                part = " const" + std::to_string(o.value);
            }
            break;
        case Op::Deref:
            part = " deref" + std::to_string(o.size);
            break;
        default:
            part = " op" + std::to_string(int(o.op));
        }
        s += part;
    }
    return s;
}

std::string loc_text(const Location &loc) {
    std::string s;
    for (const Piece &p : loc.pieces) {
        if (!s.empty())
            s += " ";
        switch (p.kind) {
        case Piece::Kind::Register:
            s += "reg" + std::to_string(p.reg) + ":" + std::to_string(p.bytes);
            break;
        case Piece::Kind::Memory:
            s += "mem:" + std::to_string(p.bytes) + "[" + ops_text(p.ops) + "]";
            break;
        case Piece::Kind::Value:
            s += "value:" + std::to_string(p.bytes) + "[" + ops_text(p.ops) + "]";
            break;
        case Piece::Kind::Implicit:
            s += "implicit:" + std::to_string(p.bytes);
            break;
        case Piece::Kind::Unavailable:
            s += "unavailable:" + std::to_string(p.bytes);
            break;
        }
    }
    return s;
}

std::string where(const Vars &v, const std::string &name) {
    const Variable *p = v.param(name);
    if (!p)
        p = v.local(name);
    return p ? loc_text(p->location) : "<no variable " + name + ">";
}

std::string reg(int r, int bytes) {
    return "reg" + std::to_string(r) + ":" + std::to_string(bytes);
}

// ---------------------------------------------------------------------------------------------
// Opening, separate debuginfo, cache

class TempDir {
  public:
    TempDir() {
        char tmpl[] = "/tmp/dwarf_unit.XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { run("rm -rf '" + path + "'"); }
    std::string path;
};

std::string build_id(const std::string &file) {
    std::string out = run("readelf -n '" + file + "'");
    size_t at = out.find("Build ID: ");
    if (at == std::string::npos)
        return "";
    std::istringstream in(out.substr(at + 10));
    std::string id;
    in >> id;
    return id;
}

struct ScopedEnv {
    ScopedEnv(const char *name, const std::string &value) : name_(name) {
        if (const char *old = getenv(name))
            old_ = old, had_ = true;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (had_)
            setenv(name_, old_.c_str(), 1);
        else
            unsetenv(name_);
    }
    const char *name_;
    std::string old_;
    bool had_ = false;
};

TEST(Open, CachedPerPath) {
    std::string e1, e2;
    auto a = DebugInfo::open(prog("64-O0"), e1);
    auto b = DebugInfo::open(prog("64-O0"), e2);
    ASSERT_TRUE(a) << e1;
    EXPECT_EQ(a.get(), b.get());
    EXPECT_EQ(a->debug_path(), prog("64-O0"));
    EXPECT_EQ(a->word_bytes(), 8);
    EXPECT_EQ(open_ok(prog("32-O2"))->word_bytes(), 4);
}

TEST(Open, NoDebugInfo) {
    TempDir dir;
    std::string stripped = dir.path + "/stripped";
    ASSERT_EQ(0, system((std::string(DWARF_UNIT_STRIP) + " --strip-debug -o '" + stripped + "' '" +
                         prog("64-O2") + "'")
                            .c_str()));
    ScopedEnv root("KTAP_DEBUG_ROOT", dir.path + "/empty-root");
    std::string error;
    EXPECT_FALSE(DebugInfo::open(stripped, error));
    EXPECT_NE(error.find("no DWARF"), std::string::npos) << error;
    EXPECT_FALSE(DebugInfo::open(dir.path + "/missing", error));
}

// objcopy --only-keep-debug + strip --strip-debug, debug file at <root>/.build-id/xx/rest.debug.
TEST(Open, SeparateByBuildId) {
    TempDir dir;
    std::string bin = dir.path + "/prog";
    std::string dbg = dir.path + "/prog.debug";
    std::string objcopy = DWARF_UNIT_OBJCOPY, strip = DWARF_UNIT_STRIP;
    ASSERT_EQ(
        0, system((objcopy + " --only-keep-debug '" + prog("64-O2") + "' '" + dbg + "'").c_str()));
    ASSERT_EQ(0,
              system((strip + " --strip-debug -o '" + bin + "' '" + prog("64-O2") + "'").c_str()));
    std::string id = build_id(bin);
    ASSERT_GT(id.size(), 2u);
    std::string root = dir.path + "/root";
    std::string dir_id = root + "/.build-id/" + id.substr(0, 2);
    ASSERT_EQ(0, system(("mkdir -p '" + dir_id + "' && mv '" + dbg + "' '" + dir_id + "/" +
                         id.substr(2) + ".debug'")
                            .c_str()));
    ScopedEnv env("KTAP_DEBUG_ROOT", root);
    auto info = open_ok(bin);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->debug_path(), dir_id + "/" + id.substr(2) + ".debug");
    EXPECT_EQ(info->elf_path(), bin);
    const Function *f = find_fn(*info, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->entry, symbols(prog("64-O2"))["f"]);
    Vars v = vars_of(*info, "f");
    EXPECT_EQ(where(v, "a"), reg(RDI, 4));
}

// .gnu_debuglink naming a file in .debug/ next to the stripped program.
TEST(Open, SeparateByDebuglink) {
    TempDir dir;
    std::string objcopy = DWARF_UNIT_OBJCOPY, strip = DWARF_UNIT_STRIP;
    std::string cmd = "cd '" + dir.path + "' && mkdir .debug && " + objcopy +
                      " --only-keep-debug '" + prog("32-O0") + "' .debug/prog.dbg && " + strip +
                      " --strip-debug -o prog '" + prog("32-O0") + "' && cd .debug && " + objcopy +
                      " --add-gnu-debuglink=prog.dbg ../prog";
    ASSERT_EQ(0, system(cmd.c_str()));
    ScopedEnv env("KTAP_DEBUG_ROOT", dir.path + "/no-such-root");
    auto info = open_ok(dir.path + "/prog");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->debug_path(), dir.path + "/.debug/prog.dbg");
    EXPECT_EQ(info->word_bytes(), 4);
    EXPECT_TRUE(find_fn(*info, "types_fn"));
}

// ---------------------------------------------------------------------------------------------
// The function index

class Index : public ::testing::TestWithParam<std::string> {};

TEST_P(Index, EveryFunctionAtItsSymbol) {
    auto info = open_ok(prog(GetParam()));
    ASSERT_TRUE(info);
    auto syms = symbols(prog(GetParam()));
    const auto &fns = info->functions();
    for (size_t i = 1; i < fns.size(); ++i)
        EXPECT_LT(fns[i - 1].entry, fns[i].entry);
    for (const char *name : {"f", "many", "mixed", "sret", "ret_ll", "ret_small", "ret_two",
                             "ret_double", "ret_void", "types_fn", "locals_fn", "main", "b_unit"}) {
        const Function *f = find_fn(*info, name);
        ASSERT_TRUE(f) << name;
        EXPECT_EQ(f->entry, syms[name]) << name;
        EXPECT_EQ(info->function_at(f->entry), f) << name;
        EXPECT_EQ(f->linkage_name, "");
    }
    const Function *f = find_fn(*info, "f");
    EXPECT_EQ(f->decl_file, std::string(DWARF_UNIT_SRC) + "/prog.c");
    EXPECT_EQ(f->decl_line, line_of("prog.c", "int f(int a"));
    EXPECT_EQ(info->function_at(f->entry + 1), nullptr);
    const Function *b = find_fn(*info, "b_unit");
    EXPECT_EQ(b->decl_file, std::string(DWARF_UNIT_SRC) + "/prog_b.c");
    EXPECT_EQ(b->decl_line, line_of("prog_b.c", "int b_unit("));
    // Never out of line: only inline copies (three call sites).
    EXPECT_EQ(find_fn(*info, "inline_only"), nullptr);
    bool seen = false;
    for (const InlinedOnly &i : info->inlined_only()) {
        if (i.name != "inline_only")
            continue;
        seen = true;
        EXPECT_EQ(i.sites, 3u);
        EXPECT_EQ(i.decl_line, line_of("prog.c", "int inline_only(int x)"));
        EXPECT_EQ(i.decl_file, std::string(DWARF_UNIT_SRC) + "/prog.c");
    }
    EXPECT_TRUE(seen);
}

// At -O2 GCC replaces clone_me by clone_me.constprop.0 (mode is always 1): the clone is a
// function of the index with the source name, found at the clone's symbol.
TEST_P(Index, GccClone) {
    auto info = open_ok(prog(GetParam()));
    ASSERT_TRUE(info);
    auto syms = symbols(prog(GetParam()));
    const Function *f = find_fn(*info, "clone_me");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->decl_line, line_of("prog.c", "int clone_me(int mode"));
    if (GetParam().find("O2") != std::string::npos) {
        ASSERT_TRUE(syms.count("clone_me.constprop.0") || syms.count("clone_me.isra.0"))
            << "gcc made no clone; the test program needs adjusting";
        uint64_t at = syms.count("clone_me.constprop.0") ? syms["clone_me.constprop.0"]
                                                         : syms["clone_me.isra.0"];
        EXPECT_EQ(f->entry, at);
        EXPECT_EQ(syms.count("clone_me"), 0u);
    } else {
        EXPECT_EQ(f->entry, syms["clone_me"]);
    }
}

INSTANTIATE_TEST_SUITE_P(Variants, Index,
                         ::testing::Values("64-O0", "64-O2", "32-O0", "32-O2", "64-O2-d4",
                                           "32-O0-d4"),
                         [](const auto &info) {
                             std::string s = info.param;
                             for (char &c : s)
                                 if (c == '-')
                                     c = '_';
                             return s;
                         });

TEST(Index, Cxx) {
    for (const char *opt : {"O0", "O2"}) {
        auto info = open_ok(cxx(opt));
        ASSERT_TRUE(info);
        auto syms = symbols(cxx(opt));
        const Function *m = find_fn(*info, "method");
        ASSERT_TRUE(m) << opt;
        EXPECT_EQ(m->linkage_name, "_ZNK7Derived6methodERiRKS_");
        EXPECT_EQ(m->entry, syms["_ZNK7Derived6methodERiRKS_"]);
        // Declared in the class, defined outside: the definition's line.
        EXPECT_EQ(m->decl_line, line_of("prog_cxx.cpp", "int Derived::method("));
        const Function *t = find_fn(*info, "twice");
        ASSERT_TRUE(t);
        EXPECT_EQ(t->linkage_name, "_ZN2ns5twiceENS_5InnerE");
    }
}

// ---------------------------------------------------------------------------------------------
// Types

class Types : public ::testing::TestWithParam<std::string> {};

TEST_P(Types, OfTypesFnParameters) {
    auto info = open_ok(prog(GetParam()));
    ASSERT_TRUE(info);
    const uint64_t word = uint64_t(info->word_bytes());
    Vars v = vars_of(*info, "types_fn");
    auto type = [&](const char *n) -> const Type * {
        const Variable *p = v.param(n);
        EXPECT_TRUE(p) << n;
        return p ? p->type : nullptr;
    };

    const Type *str = type("str");
    ASSERT_TRUE(str);
    EXPECT_EQ(str->name, "char const*");
    EXPECT_EQ(str->kind, TypeKind::Pointer);
    EXPECT_EQ(str->size, word);
    ASSERT_TRUE(str->target);
    EXPECT_EQ(str->target->name, "char const");
    EXPECT_TRUE(str->target->is_char);
    EXPECT_EQ(str->target->size, 1u);

    const Type *u = type("u");
    EXPECT_EQ(u->name, "unsigned int");
    EXPECT_EQ(u->kind, TypeKind::Integer);
    EXPECT_FALSE(u->is_signed);
    EXPECT_EQ(u->size, 4u);
    EXPECT_EQ(type("ul")->size, word);
    EXPECT_FALSE(type("ul")->is_signed);
    EXPECT_EQ(type("sh")->size, 2u);
    EXPECT_TRUE(type("sh")->is_signed);
    EXPECT_TRUE(type("uc")->is_char);
    EXPECT_FALSE(type("uc")->is_signed);
    EXPECT_EQ(type("flag")->kind, TypeKind::Bool);

    const Type *col = type("col");
    EXPECT_EQ(col->name, "enum color");
    EXPECT_EQ(col->kind, TypeKind::Enum);
    EXPECT_TRUE(col->is_signed);
    ASSERT_EQ(col->enumerators.size(), 3u);
    EXPECT_EQ(col->enumerators[1].name, "GREEN");
    EXPECT_EQ(col->enumerators[1].value, 5);
    EXPECT_EQ(col->enumerators[2].value, -1);

    const Type *m = type("m");
    EXPECT_EQ(m->name, "my_t");
    EXPECT_EQ(m->kind, TypeKind::Integer);
    EXPECT_EQ(m->size, 4u);
    EXPECT_FALSE(m->is_signed);

    const Type *p = type("p");
    EXPECT_EQ(p->name, "struct point*");
    ASSERT_TRUE(p->target);
    EXPECT_EQ(p->target->name, "struct point");
    EXPECT_EQ(p->target->size, 8u);
    ASSERT_EQ(p->target->members.size(), 2u);
    EXPECT_EQ(p->target->members[1].name, "y");
    EXPECT_EQ(p->target->members[1].offset, 4u);
    EXPECT_EQ(p->target->members[1].type->name, "int");

    // struct bits { unsigned a : 3; signed b : 5; unsigned c : 12; int whole; }
    const Type *bits = type("bf")->target;
    ASSERT_TRUE(bits);
    ASSERT_EQ(bits->members.size(), 4u);
    auto bit = [&](size_t i) {
        const Member &mm = bits->members[i];
        return std::to_string(mm.offset * 8 + mm.bit_offset) + "+" + std::to_string(mm.bit_size);
    };
    EXPECT_EQ(bit(0), "0+3");
    EXPECT_EQ(bit(1), "3+5");
    EXPECT_EQ(bit(2), "8+12");
    EXPECT_EQ(bits->members[3].offset, 4u);
    EXPECT_EQ(bits->members[3].bit_size, 0u);
    EXPECT_TRUE(bits->members[1].type->is_signed);

    const Type *n = type("n")->target;
    EXPECT_EQ(n->name, "union num");
    EXPECT_EQ(n->kind, TypeKind::Union);
    ASSERT_EQ(n->members.size(), 3u);
    EXPECT_EQ(n->members[2].type->name, "char[]");
    EXPECT_EQ(n->members[2].type->count, 4u);
    EXPECT_EQ(n->members[2].offset, 0u);

    // Self-reference: the member's pointee is the struct itself.
    const Type *node = type("list")->target;
    ASSERT_TRUE(node);
    EXPECT_EQ(node->name, "struct node");
    ASSERT_FALSE(node->members.empty());
    EXPECT_EQ(node->members[0].type->name, "struct node*");
    EXPECT_EQ(node->members[0].type->target, node);

    // Anonymous union and struct members.
    const Type *w = type("w")->target;
    ASSERT_EQ(w->members.size(), 3u);
    EXPECT_EQ(w->members[1].name, "");
    EXPECT_EQ(w->members[1].type->kind, TypeKind::Union);
    EXPECT_EQ(w->members[1].offset, word);
    EXPECT_EQ(w->members[2].type->kind, TypeKind::Struct);
    EXPECT_EQ(w->members[2].type->members[1].name, "s2");

    // Declared only in prog.c, completed from prog_b.c.
    const Type *o = type("o")->target;
    ASSERT_TRUE(o);
    EXPECT_EQ(o->name, "struct opaque");
    EXPECT_FALSE(o->incomplete);
    EXPECT_EQ(o->size, 2 * word);
    ASSERT_EQ(o->members.size(), 2u);
    EXPECT_EQ(o->members[1].name, "more");

    const Type *arr = type("arr")->target;
    ASSERT_EQ(arr->members.size(), 2u);
    const Type *four = arr->members[0].type;
    EXPECT_EQ(four->name, "int[]");
    EXPECT_EQ(four->kind, TypeKind::Array);
    EXPECT_EQ(four->count, 4u);
    EXPECT_EQ(four->size, 16u);
    EXPECT_EQ(four->target->name, "int");
    const Type *grid = arr->members[1].type;
    EXPECT_EQ(grid->name, "char[][]");
    EXPECT_EQ(grid->count, 2u);
    EXPECT_EQ(grid->size, 6u);
    ASSERT_TRUE(grid->target);
    EXPECT_EQ(grid->target->name, "char[]");
    EXPECT_EQ(grid->target->count, 3u);
}

TEST_P(Types, FindType) {
    auto info = open_ok(prog(GetParam()));
    ASSERT_TRUE(info);
    const uint64_t word = uint64_t(info->word_bytes());
    const Type *t = info->find_type("struct point");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->size, 8u);
    EXPECT_EQ(info->find_type("struct point"), t);
    const Type *pp = info->find_type("struct point **");
    ASSERT_TRUE(pp);
    EXPECT_EQ(pp->kind, TypeKind::Pointer);
    EXPECT_EQ(pp->size, word);
    ASSERT_TRUE(pp->target);
    EXPECT_EQ(pp->target->target, t);
    EXPECT_EQ(pp->name, "struct point**");
    EXPECT_EQ(info->find_type("union num")->kind, TypeKind::Union);
    EXPECT_EQ(info->find_type("enum color")->enumerators.size(), 3u);
    EXPECT_EQ(info->find_type("my_t")->name, "my_t");
    const Type *ul = info->find_type("unsigned long");
    ASSERT_TRUE(ul);
    EXPECT_EQ(ul->size, word);
    EXPECT_FALSE(ul->is_signed);
    const Type *ll = info->find_type("long long");
    ASSERT_TRUE(ll);
    EXPECT_EQ(ll->size, 8u);
    EXPECT_TRUE(ll->is_signed);
    const Type *cpp = info->find_type("char**");
    ASSERT_TRUE(cpp);
    EXPECT_TRUE(cpp->target->target->is_char);
    EXPECT_FALSE(info->find_type("struct opaque")->incomplete);
    EXPECT_EQ(info->find_type("void*")->target, nullptr);
    EXPECT_EQ(info->find_type("struct no_such_thing"), nullptr);
    EXPECT_EQ(info->find_type("no_such_t"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Variants, Types,
                         ::testing::Values("64-O0", "64-O2", "32-O0", "32-O2", "64-O2-d4",
                                           "32-O0-d4"),
                         [](const auto &info) {
                             std::string s = info.param;
                             for (char &c : s)
                                 if (c == '-')
                                     c = '_';
                             return s;
                         });

TEST(Types, Cxx) {
    for (const char *opt : {"O0", "O2"}) {
        auto info = open_ok(cxx(opt));
        ASSERT_TRUE(info);
        Vars v = vars_of(*info, "method");
        ASSERT_EQ(v.params.size(), 3u) << opt;
        const Variable &self = v.params[0];
        EXPECT_EQ(self.name, "this");
        EXPECT_TRUE(self.artificial);
        ASSERT_TRUE(self.type);
        EXPECT_EQ(self.type->kind, TypeKind::Pointer);
        const Type *cls = self.type->target;
        ASSERT_TRUE(cls);
        // Base class members flattened first, at their offsets.
        ASSERT_EQ(cls->members.size(), 3u);
        EXPECT_EQ(cls->members[0].name, "b1");
        EXPECT_EQ(cls->members[1].name, "b2");
        EXPECT_EQ(cls->members[1].offset, 8u);
        EXPECT_EQ(cls->members[2].name, "d1");
        EXPECT_EQ(cls->members[2].offset, 16u);
        EXPECT_EQ(cls->size, 24u);
        const Variable &ref = v.params[1];
        EXPECT_EQ(ref.name, "ref");
        EXPECT_EQ(ref.type->kind, TypeKind::Pointer);
        EXPECT_TRUE(ref.type->is_reference);
        EXPECT_EQ(ref.type->name, "int&");
        EXPECT_EQ(ref.type->target->name, "int");
        EXPECT_FALSE(ref.artificial);
        EXPECT_TRUE(v.params[2].type->is_reference);
        EXPECT_EQ(info->find_type("Derived")->members.size(), 3u);
        EXPECT_EQ(info->find_type("ns::Inner")->size, 4u);
    }
}

// ---------------------------------------------------------------------------------------------
// Parameter and local locations at the entry

// x86_64 -O0: DWARF describes the prologue's spill slots (below the CFA); the calling
// convention says where the values are at the entry.
TEST(Params, X86_64_O0) {
    auto info = open_ok(prog("64-O0"));
    ASSERT_TRUE(info);
    Vars f = vars_of(*info, "f");
    ASSERT_EQ(f.params.size(), 4u);
    EXPECT_EQ(f.params[0].name, "a");
    EXPECT_EQ(where(f, "a"), reg(RDI, 4));
    EXPECT_EQ(where(f, "b"), reg(RSI, 8));
    EXPECT_EQ(where(f, "s"), reg(RDX, 8) + " " + reg(RCX, 8));
    EXPECT_EQ(where(f, "c"), reg(R8, 1));
    EXPECT_TRUE(f.param("a")->location.from_abi);
    EXPECT_TRUE(f.param("s")->location.available());

    Vars many = vars_of(*info, "many");
    EXPECT_EQ(where(many, "a6"), reg(R9, 4));
    EXPECT_EQ(where(many, "a7"), "mem:4[cfa]"); // seventh: first stack slot, above the return

    // double in xmm0 takes no GPR; struct big (40 bytes) is passed in memory at CFA+0.
    Vars mixed = vars_of(*info, "mixed");
    EXPECT_FALSE(mixed.param("d")->location.available());
    EXPECT_EQ(mixed.param("d")->location.unavailable, "floating-point values are not supported");
    EXPECT_EQ(where(mixed, "i"), reg(RDI, 4));
    EXPECT_EQ(where(mixed, "b"), "mem:40[cfa]");
    EXPECT_EQ(where(mixed, "j"), reg(RSI, 4));

    // The struct return pointer takes rdi.
    Vars sret = vars_of(*info, "sret");
    EXPECT_EQ(where(sret, "a"), reg(RSI, 4));
    EXPECT_EQ(where(sret, "b"), reg(RDX, 4));

    // Six GPRs, then the stack: 8-byte slots from CFA+0.
    Vars t = vars_of(*info, "types_fn");
    EXPECT_EQ(where(t, "bf"), reg(R9, 8));
    EXPECT_EQ(where(t, "n"), "mem:8[cfa]");
    EXPECT_EQ(where(t, "sh"), "mem:2[cfa+40]");
    EXPECT_EQ(where(t, "uc"), "mem:1[cfa+48]");
    EXPECT_EQ(where(t, "arr"), "mem:8[cfa+64]");

    // Locals: frame slots below the CFA (valid addresses, contents not yet set).
    Vars l = vars_of(*info, "locals_fn");
    ASSERT_TRUE(l.local("sum"));
    EXPECT_EQ(l.local("sum")->location.pieces.size(), 1u);
    EXPECT_EQ(l.local("sum")->location.pieces[0].kind, Piece::Kind::Memory);
    EXPECT_EQ(where(l, "sum").rfind("mem:4[cfa-", 0), 0u) << where(l, "sum");
    EXPECT_FALSE(l.local("sum")->location.from_abi);
}

// x86_64 -O2: DWARF's own locations (registers at the entry).
TEST(Params, X86_64_O2) {
    for (const char *variant : {"64-O2", "64-O2-d4"}) {
        auto info = open_ok(prog(variant));
        ASSERT_TRUE(info);
        Vars f = vars_of(*info, "f");
        EXPECT_EQ(where(f, "a"), reg(RDI, 4)) << variant;
        EXPECT_EQ(where(f, "b"), reg(RSI, 8));
        EXPECT_EQ(where(f, "s"), reg(RDX, 8) + " " + reg(RCX, 8));
        EXPECT_EQ(where(f, "c"), reg(R8, 1));
        EXPECT_FALSE(f.param("a")->location.from_abi);
        Vars many = vars_of(*info, "many");
        EXPECT_EQ(where(many, "a7"), "mem:4[cfa]");
        Vars sret = vars_of(*info, "sret");
        EXPECT_EQ(where(sret, "a"), reg(RSI, 4));
        // The clone clone_me.constprop.0: mode is the constant 1, x moved to rdi.
        Vars c = vars_of(*info, "clone_me");
        ASSERT_EQ(c.params.size(), 2u);
        const Location &mode = c.param("mode")->location;
        ASSERT_EQ(mode.pieces.size(), 1u);
        if (mode.pieces[0].kind == Piece::Kind::Implicit) {
            ASSERT_GE(mode.pieces[0].data.size(), 1u);
            EXPECT_EQ(mode.pieces[0].data[0], 1);
        } else {
            EXPECT_EQ(loc_text(mode), "value:4[ const1]");
        }
        EXPECT_EQ(where(c, "x"), reg(RDI, 4));
    }
}

// i386: everything on the stack from CFA+0 (CFA = sp + 4 at the entry).
TEST(Params, I386) {
    for (const char *variant : {"32-O0", "32-O2", "32-O0-d4"}) {
        auto info = open_ok(prog(variant));
        ASSERT_TRUE(info);
        Vars f = vars_of(*info, "f");
        EXPECT_EQ(where(f, "a"), "mem:4[cfa]") << variant;
        EXPECT_EQ(where(f, "b"), "mem:4[cfa+4]");
        EXPECT_EQ(where(f, "s"), "mem:8[cfa+8]");
        EXPECT_EQ(where(f, "c"), "mem:1[cfa+16]");
        Vars many = vars_of(*info, "many");
        EXPECT_EQ(where(many, "a7"), "mem:4[cfa+24]");
        Vars mixed = vars_of(*info, "mixed");
        EXPECT_EQ(mixed.param("d")->location.unavailable,
                  "floating-point values are not supported");
        EXPECT_EQ(where(mixed, "i"), "mem:4[cfa+8]");
        EXPECT_EQ(where(mixed, "b"), "mem:20[cfa+12]");
        EXPECT_EQ(where(mixed, "j"), "mem:4[cfa+32]");
        // The struct return pointer is the first slot.
        Vars sret = vars_of(*info, "sret");
        EXPECT_EQ(where(sret, "a"), "mem:4[cfa+4]");
        EXPECT_EQ(where(sret, "b"), "mem:4[cfa+8]");
        Vars t = vars_of(*info, "types_fn");
        EXPECT_EQ(where(t, "sh"), "mem:2[cfa+44]");
        EXPECT_EQ(where(t, "arr"), "mem:4[cfa+56]");
    }
    // -O0: int parameters are described at CFA+k (valid at the entry, DWARF's own); a char is
    // copied to a local slot by the prologue, so it comes from the calling convention.
    auto info = open_ok(prog("32-O0"));
    Vars f = vars_of(*info, "f");
    EXPECT_FALSE(f.param("a")->location.from_abi);
    EXPECT_TRUE(f.param("c")->location.from_abi);
}

TEST(Params, Cxx) {
    for (const char *opt : {"O0", "O2"}) {
        auto info = open_ok(cxx(opt));
        ASSERT_TRUE(info);
        Vars m = vars_of(*info, "method");
        EXPECT_EQ(where(m, "this"), reg(RDI, 8)) << opt;
        EXPECT_EQ(where(m, "ref"), reg(RSI, 8));
        EXPECT_EQ(where(m, "other"), reg(RDX, 8));
        // A class with a user-written copy constructor and destructor is passed by invisible
        // reference: rsi holds the address of the caller's copy.
        Vars nt = vars_of(*info, "take_nt");
        EXPECT_EQ(where(nt, "a"), reg(RDI, 4));
        EXPECT_EQ(where(nt, "nt"), "mem:4[reg4]");
        // struct Inner (4 bytes of int) in one register.
        Vars tw = vars_of(*info, "twice");
        EXPECT_EQ(where(tw, "in"), reg(RDI, 4));
        // A constructor's concrete DIE refers to an abstract one even at -O0; the abstract
        // one's artificial __in_chrg is not a parameter of this variant.
        if (std::string(opt) == "O0") {
            Vars ctor = vars_of(*info, "Derived");
            ASSERT_EQ(ctor.params.size(), 2u);
            EXPECT_EQ(where(ctor, "this"), reg(RDI, 8));
            EXPECT_EQ(where(ctor, "v"), reg(RSI, 4));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Return values

TEST(Returns, X86_64) {
    for (const char *variant : {"64-O0", "64-O2"}) {
        auto info = open_ok(prog(variant));
        ASSERT_TRUE(info);
        EXPECT_EQ(loc_text(ret_of(*info, "f").location), reg(RAX, 4)) << variant;
        EXPECT_EQ(loc_text(ret_of(*info, "ret_ll").location), reg(RAX, 8));
        EXPECT_EQ(loc_text(ret_of(*info, "ret_small").location), reg(RAX, 8));
        EXPECT_EQ(loc_text(ret_of(*info, "ret_two").location), reg(RAX, 8) + " " + reg(RDX, 8));
        Variable big = ret_of(*info, "sret");
        EXPECT_EQ(loc_text(big.location), "mem:40[reg0]");
        EXPECT_TRUE(big.location.in_memory());
        EXPECT_EQ(big.type->name, "struct big");
        Variable d = ret_of(*info, "ret_double");
        EXPECT_FALSE(d.location.available());
        EXPECT_EQ(d.location.unavailable, "floating-point return values are not supported");
        Variable v = ret_of(*info, "ret_void");
        EXPECT_EQ(v.type, nullptr);
        EXPECT_TRUE(v.location.pieces.empty());
    }
}

TEST(Returns, I386) {
    for (const char *variant : {"32-O0", "32-O2"}) {
        auto info = open_ok(prog(variant));
        ASSERT_TRUE(info);
        EXPECT_EQ(loc_text(ret_of(*info, "f").location), reg(EAX, 4)) << variant;
        EXPECT_EQ(loc_text(ret_of(*info, "ret_ll").location), reg(EAX, 4) + " " + reg(EDX, 4));
        // Linux i386 returns every struct through the hidden pointer, handed back in eax.
        EXPECT_EQ(loc_text(ret_of(*info, "ret_small").location), "mem:8[reg0]");
        EXPECT_EQ(loc_text(ret_of(*info, "sret").location), "mem:20[reg0]");
        EXPECT_EQ(ret_of(*info, "ret_double").location.unavailable,
                  "floating-point return values are not supported");
        EXPECT_EQ(ret_of(*info, "ret_void").type, nullptr);
    }
}

// A 4-byte class with a user-written copy constructor and destructor is still returned through
// the hidden pointer (and so its caller passes that pointer in rdi).
TEST(Returns, CxxNonTrivialInMemory) {
    for (const char *opt : {"O0", "O2"}) {
        auto info = open_ok(cxx(opt));
        ASSERT_TRUE(info);
        EXPECT_EQ(loc_text(ret_of(*info, "twice").location), reg(RAX, 4)) << opt;
        EXPECT_EQ(loc_text(ret_of(*info, "make_nt").location), "mem:4[reg0]");
        Vars v = vars_of(*info, "make_nt");
        EXPECT_EQ(where(v, "x"), reg(RSI, 4));
    }
}

// ---------------------------------------------------------------------------------------------
// Globals

TEST(Globals, FindGlobal) {
    for (const char *variant : {"64-O0", "64-O2", "32-O0", "32-O2"}) {
        auto info = open_ok(prog(variant));
        ASSERT_TRUE(info);
        auto syms = symbols(prog(variant));
        Variable g;
        ASSERT_TRUE(info->find_global("global_counter", "", g)) << variant;
        EXPECT_EQ(g.type->name, "int");
        EXPECT_EQ(loc_text(g.location),
                  "mem:4[addr" + std::to_string(syms["global_counter"]) + "]");
        Variable o;
        ASSERT_TRUE(info->find_global("origin", "prog.c", o));
        EXPECT_EQ(o.type->name, "struct point");
        EXPECT_TRUE(o.location.in_memory());
        // Two file-statics named file_static: the unit glob picks one.
        Variable a, b;
        ASSERT_TRUE(info->find_global("file_static", "prog.c", a));
        ASSERT_TRUE(info->find_global("file_static", "*/prog_b.c", b));
        EXPECT_NE(loc_text(a.location), loc_text(b.location));
        Variable x;
        EXPECT_FALSE(info->find_global("per_thread", "", x)); // thread-local
        EXPECT_FALSE(info->find_global("no_such_global", "", x));
        EXPECT_FALSE(info->find_global("global_counter", "prog_b.c", x));
    }
    auto info = open_ok(cxx("O0"));
    Variable v;
    EXPECT_TRUE(info->find_global("ns::ns_global", "", v));
    EXPECT_TRUE(info->find_global("Derived::count", "", v));
    EXPECT_TRUE(v.location.in_memory());
}

} // namespace
