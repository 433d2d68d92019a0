#include "sema/builtins.h"

#include <map>

namespace ktap {

namespace {

constexpr Type L = Type::Long;
constexpr Type S = Type::String;
constexpr Type V = Type::Void;

std::vector<Builtin> make_table() {
    std::vector<Builtin> t;
    auto plain = [&](const char *name, Type ret, std::vector<Type> params, size_t optional = 0,
                     ProbeContext ctx = ProbeContext::Any) {
        t.push_back({name, BuiltinKind::Plain, ret, std::move(params), optional, ctx});
    };
    for (const char *n : {"print", "println"})
        t.push_back({n, BuiltinKind::Print, V, {}, 0, ProbeContext::Any});
    for (const char *n : {"sprint", "sprintln"})
        t.push_back({n, BuiltinKind::Print, S, {}, 0, ProbeContext::Any});
    for (const char *n : {"printd", "printdln"})
        t.push_back({n, BuiltinKind::PrintDelim, V, {}, 0, ProbeContext::Any});
    for (const char *n : {"sprintd", "sprintdln"})
        t.push_back({n, BuiltinKind::PrintDelim, S, {}, 0, ProbeContext::Any});
    t.push_back({"printf", BuiltinKind::Printf, V, {}, 0, ProbeContext::Any});
    t.push_back({"sprintf", BuiltinKind::Printf, S, {}, 0, ProbeContext::Any});

    // Control and messages.
    plain("exit", V, {});
    plain("abort", V, {});
    plain("error", V, {S});
    plain("warn", V, {S});
    plain("log", V, {S});
    plain("assert", V, {L, S}, 1);

    // Strings.
    plain("strlen", L, {S});
    plain("substr", S, {S, L, L});
    plain("stringat", L, {S, L});
    plain("isinstr", L, {S, S});
    plain("strpos", L, {S, S});
    plain("str_replace", S, {S, S, S});
    plain("strtol", L, {S, L});
    plain("isdigit", L, {S});
    plain("text_str", S, {S});
    plain("text_strn", S, {S, L, L});
    plain("string_quoted", S, {S});
    plain("tokenize", S, {S, S}, 1);  // tokenize(delim) continues the previous string
    plain("matched", S, {L});
    plain("ngroups", L, {});
    plain("str_lower", S, {S});
    plain("str_upper", S, {S});

    // Time and numbers.
    for (const char *n : {"gettimeofday_ns", "gettimeofday_us", "gettimeofday_ms",
                          "gettimeofday_s", "local_clock_ns", "local_clock_us", "local_clock_ms",
                          "local_clock_s"})
        plain(n, L, {});
    for (const char *n : {"cpu_clock_ns", "cpu_clock_us", "cpu_clock_ms", "cpu_clock_s"})
        plain(n, L, {L});  // cpu_clock_ns(cpu): ktap's clock is the same on every CPU
    plain("ctime", S, {L}, 1);
    plain("randint", L, {L});
    plain("abs", L, {L});

    // Process context: valid everywhere (in begin/end they describe ktap itself).
    for (const char *n : {"pid", "tid", "ppid", "uid", "gid", "euid", "egid", "cpu", "target",
                          "gettid"})
        plain(n, L, {});
    plain("execname", S, {});
    plain("pexecname", S, {});
    plain("pp", S, {});

    // Probe context: only meaningful in function and return probes.
    constexpr auto F = ProbeContext::Function;
    plain("ppfunc", S, {}, 0, F);
    plain("probefunc", S, {}, 0, F);
    plain("probemod", S, {}, 0, F);
    plain("is_return", L, {}, 0, F);
    plain("uaddr", L, {}, 0, F);
    plain("returnval", L, {}, 0, ProbeContext::Return);
    plain("returnstr", S, {L}, 0, ProbeContext::Return);
    for (const char *n : {"int_arg", "uint_arg", "long_arg", "ulong_arg", "pointer_arg",
                          "s32_arg", "u32_arg", "s64_arg", "u64_arg", "longlong_arg",
                          "ulonglong_arg"})
        plain(n, L, {L}, 0, F);
    plain("register", L, {S}, 0, F);
    plain("u_register", L, {S}, 0, F);

    // Backtraces (docs/backtraces.md): unwound in the target, symbolized by ktap when printed.
    auto unwinding = [&](const char *name, Type ret, std::vector<Type> params) {
        plain(name, ret, std::move(params), 0, F);
        t.back().unwinds = t.back().symbolizes = true;
    };
    unwinding("ubacktrace", S, {});
    unwinding("print_ubacktrace", V, {});
    unwinding("print_ubacktrace_brief", V, {});
    unwinding("print_ubacktrace_fileline", V, {});
    unwinding("sprint_ubacktrace", S, {});
    unwinding("ucallers", S, {L});
    for (const char *n : {"print_ustack", "print_usyms"}) {
        plain(n, V, {S});
        t.back().symbolizes = true;
    }
    // ktap extension: folded stacks for flame graphs ("main;f;g", outermost first).
    for (const char *n : {"sprint_ustack", "sprint_usyms", "sprint_ustack_folded"}) {
        plain(n, S, {S});
        t.back().symbolizes = true;
    }
    unwinding("ustack", L, {L});  // the address of frame n (0 when the stack is shorter)
    for (const char *n :
         {"usymname", "usymdata", "usymfile", "usymline", "usymfileline", "umodname"}) {
        plain(n, S, {L});
        t.back().symbolizes = true;
    }

    // Fault-safe reads of the target's memory.
    plain("user_string", S, {L, S}, 1);
    plain("user_string_n", S, {L, L, S}, 1);
    plain("user_string_quoted", S, {L});
    plain("user_string_n_quoted", S, {L, L});
    for (const char *n : {"user_char", "user_short", "user_ushort", "user_int", "user_uint",
                          "user_long", "user_ulong", "user_int8", "user_uint8", "user_int16",
                          "user_uint16", "user_int32", "user_uint32", "user_int64",
                          "user_uint64"})
        plain(n, L, {L});
    return t;
}

} // namespace

const std::vector<Builtin> &all_builtins() {
    static const std::vector<Builtin> table = make_table();
    return table;
}

const Builtin *find_builtin(const std::string &name) {
    static const std::map<std::string, const Builtin *> index = [] {
        std::map<std::string, const Builtin *> m;
        for (const auto &b : all_builtins())
            m[b.name] = &b;
        return m;
    }();
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
}

} // namespace ktap
