// A small command-line view of compiler/dwarf for debugging and for measuring the function
// index on big files: dwarf_dump FILE [functions|inlined|vars FUNC|ret FUNC|type NAME|global NAME]
#include "debuginfo.h"

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace ktap::dwarf;

static const char *kind_name(Piece::Kind k) {
    switch (k) {
    case Piece::Kind::Register:
        return "reg";
    case Piece::Kind::Memory:
        return "mem";
    case Piece::Kind::Value:
        return "value";
    case Piece::Kind::Implicit:
        return "implicit";
    case Piece::Kind::Unavailable:
        return "unavailable";
    }
    return "?";
}

static std::string ops_text(const std::vector<LocOp> &ops) {
    static const char *names[] = {"reg", "const", "addr", "cfa", "add",  "sub", "mul", "and",
                                  "or",  "xor",   "shl",  "shr", "shra", "neg", "not", "deref"};
    std::string s;
    for (const LocOp &o : ops) {
        if (!s.empty())
            s += ' ';
        s += names[int(o.op)];
        if (o.op == Op::Reg)
            s += std::to_string(o.reg);
        else if (o.op == Op::Const || o.op == Op::Addr)
            s += "(" + std::to_string(o.value) + ")";
        else if (o.op == Op::Deref)
            s += std::to_string(o.size);
    }
    return s;
}

static void print_var(const Variable &v) {
    printf("  %s%s : %s", v.is_parameter ? "param " : "local ", v.name.c_str(),
           v.type ? v.type->name.c_str() : "void");
    if (v.location.from_abi)
        printf(" [abi]");
    for (const Piece &p : v.location.pieces) {
        printf(" {%s %u", kind_name(p.kind), p.bytes);
        if (p.kind == Piece::Kind::Register)
            printf(" r%d", p.reg);
        if (!p.ops.empty())
            printf(" %s", ops_text(p.ops).c_str());
        printf("}");
    }
    if (!v.location.unavailable.empty())
        printf(" unavailable: %s", v.location.unavailable.c_str());
    printf("\n");
}

static void print_type(const Type *t, int depth) {
    if (!t || depth > 3)
        return;
    printf("%*s%s kind=%d size=%llu signed=%d count=%llu%s\n", depth * 2, "", t->name.c_str(),
           int(t->kind), (unsigned long long)t->size, t->is_signed, (unsigned long long)t->count,
           t->incomplete ? " incomplete" : "");
    for (const Member &m : t->members)
        printf("%*s.%s @%llu bits %u:%u : %s\n", depth * 2 + 2, "", m.name.c_str(),
               (unsigned long long)m.offset, m.bit_offset, m.bit_size,
               m.type ? m.type->name.c_str() : "?");
    for (const Enumerator &e : t->enumerators)
        printf("%*s%s = %lld\n", depth * 2 + 2, "", e.name.c_str(), (long long)e.value);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "usage: dwarf_dump FILE [functions|inlined|vars F|ret F|type T|global G]\n");
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    std::string error;
    auto info = DebugInfo::open(argv[1], error);
    if (!info) {
        fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::string what = argc > 2 ? argv[2] : "";
    const auto &fns = info->functions();
    const auto &inl = info->inlined_only();
    auto t1 = std::chrono::steady_clock::now();
    fprintf(stderr, "%s: debug from %s, %zu functions, %zu inline-only, %.3f s\n", argv[1],
            info->debug_path().c_str(), fns.size(), inl.size(),
            std::chrono::duration<double>(t1 - t0).count());
    auto find = [&](const char *name) -> const Function * {
        for (const Function &f : fns)
            if (f.name == name || f.linkage_name == name)
                return &f;
        return nullptr;
    };
    if (what == "functions") {
        for (const Function &f : fns)
            printf("%#llx %s %s %s:%d\n", (unsigned long long)f.entry, f.name.c_str(),
                   f.linkage_name.c_str(), f.decl_file.c_str(), f.decl_line);
    } else if (what == "inlined") {
        for (const InlinedOnly &i : inl)
            printf("%s %s:%d sites=%zu\n", i.name.c_str(), i.decl_file.c_str(), i.decl_line,
                   i.sites);
    } else if ((what == "vars" || what == "ret") && argc > 3) {
        const Function *f = find(argv[3]);
        if (!f) {
            fprintf(stderr, "no function %s\n", argv[3]);
            return 1;
        }
        if (what == "vars") {
            std::vector<Variable> params, locals;
            if (!info->variables_at_entry(*f, params, locals, error)) {
                fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
            for (auto &v : params)
                print_var(v);
            for (auto &v : locals)
                print_var(v);
        } else {
            Variable r;
            if (!info->return_value(*f, r, error)) {
                fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
            print_var(r);
        }
    } else if (what == "type" && argc > 3) {
        print_type(info->find_type(argv[3]), 0);
    } else if (what == "global" && argc > 3) {
        Variable v;
        if (!info->find_global(argv[3], argc > 4 ? argv[4] : "", v)) {
            fprintf(stderr, "no global %s\n", argv[3]);
            return 1;
        }
        print_var(v);
    }
    return 0;
}
