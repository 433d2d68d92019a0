// The functions ktap provides natively (stap implements most of them as embedded-C tapset
// functions, which ktap does not support). Code generation implements each of them.
#pragma once

#include "frontend/ast.h"

#include <string>
#include <vector>

namespace ktap {

enum class BuiltinKind {
    Plain,      // fixed signature below
    Print,      // print println sprint sprintln: any number of long/string (and histograms)
    PrintDelim, // printd printdln sprintd sprintdln: literal delimiter, then values
    Printf,     // printf sprintf: literal format, checked arguments
};

enum class ProbeContext {
    Any,       // works everywhere
    Function,  // needs a function or return probe in the target (context functions)
    Return,    // only in .return probes
};

struct Builtin {
    std::string name;
    BuiltinKind kind = BuiltinKind::Plain;
    Type ret = Type::Void;
    std::vector<Type> params;
    size_t optional = 0;  // trailing params that may be omitted
    ProbeContext context = ProbeContext::Any;
    bool unwinds = false;  // unwinds the probed thread's stack (the target needs unwind tables)
    bool symbolizes = false;  // its result is symbolized by ktap when printed
};

// nullptr when `name` is not a built-in.
const Builtin *find_builtin(const std::string &name);
const std::vector<Builtin> &all_builtins();

} // namespace ktap
