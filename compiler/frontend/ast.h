// The abstract syntax tree of a ktap script. Built by ast_builder.cpp (the only code that sees
// ANTLR types), printed by ast_printer.cpp (-p1), analysed by the passes in elaborate*.cpp.
#pragma once

#include "frontend/source.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ktap {

enum class Type { Unknown, Long, String, Stats, Void };
const char *type_name(Type t);

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

enum class ExprKind {
    Number,     // value
    String,     // text (escapes decoded)
    Var,        // name: local, global scalar, or array used whole (foreach source, delete)
    Index,      // name[args]: array element; a Wildcard arg in delete/in/slices
    Wildcard,   // `*` as an array key in delete and membership tests
    Call,       // name(args): script, tapset or built-in function
    Unary,      // op operand: + - ! ~ &
    Binary,     // lhs op rhs: arithmetic, bitwise, logical, comparison, `.`, regex =~ !~
    Ternary,    // args[0] ? args[1] : args[2]
    Assign,     // lhs op rhs: = += ... .= and `<<<` (stats insertion)
    IncDec,     // op is "++"/"--", prefix or postfix
    In,         // [args] in name
    Target,     // $var with member/index chain; name is "$var", suffix pretty-printing
    AtOp,       // @entry @cast @defined @var @probewrite @count @sum @min @max @avg @variance
    Histogram,  // @hist_log(s) / @hist_linear(s, lo, hi, width), optional bucket index
};

// One step of a target-expression chain: `->field` or `[index]`.
struct TargetStep {
    bool is_index = false;
    std::string field;
    ExprPtr index;
    SourceLoc loc;
};

struct Expr {
    ExprKind kind;
    SourceLoc loc;
    Type type = Type::Unknown;
    int64_t number = 0;
    std::string text;  // string value, variable / function / operator name
    std::string op;
    bool prefix = false;  // IncDec
    std::vector<ExprPtr> args;
    std::vector<TargetStep> chain;  // Target, AtOp (@cast, @var)
    std::string pretty;             // "", "$" or "$$" after a target expression
    ExprPtr hist_index;             // Histogram bucket index

    // Filled by elaboration.
    struct FunctionDecl *callee = nullptr;
    struct GlobalDecl *global = nullptr;

    Expr(ExprKind k, SourceLoc l) : kind(k), loc(l) {}
};

enum class StmtKind { Block, Null, Expr, If, While, For, Foreach, Break, Continue, Next, Return,
                      Delete, Try };

struct ForeachKey {
    std::string name;
    SourceLoc loc;
    int sort = 0;  // +1 ascending, -1 descending, 0 none
};

struct Stmt {
    StmtKind kind;
    SourceLoc loc;
    std::vector<StmtPtr> body;  // Block; If: then[, else]; loops: [body]; Try: [try, catch]
    ExprPtr expr;               // Expr, If/While condition, Return value, Delete target
    ExprPtr init, step;         // For
    // Foreach
    std::string value_var;
    SourceLoc value_loc;
    int value_sort = 0;
    std::vector<ForeachKey> keys;
    bool keys_bracketed = false;
    ExprPtr source;  // Var, Index (slice with Wildcard keys) or Histogram
    std::string sort_aggregate;  // "@sum" etc. for stats arrays
    int array_sort = 0;
    ExprPtr limit;
    // Try
    std::string catch_var;
    SourceLoc catch_loc;

    Stmt(StmtKind k, SourceLoc l) : kind(k), loc(l) {}
};

struct Literal {
    bool is_string = false;
    int64_t number = 0;
    std::string text;
};

struct GlobalDecl {
    std::string name;
    SourceLoc loc;
    bool is_private = false;
    std::optional<Literal> init;
    int64_t max_entries = 0;  // 0: MAXMAPENTRIES
    bool wrap = false;        // `%`
    bool declared_array = false;  // has [SIZE] or %
    // Filled by elaboration.
    Type type = Type::Unknown;       // value type (element type for arrays)
    int arity = -1;                  // -1 unknown, 0 scalar, N keys
    std::vector<Type> key_types;
    SourceLoc type_loc, arity_loc;   // where type/arity were first inferred
    bool is_read = false, is_written = false;
    bool from_tapset = false;
    // Statistics: the one histogram shape used on it (0 none, 1 @hist_log, 2 @hist_linear).
    int hist_kind = 0;
    int64_t hist_lo = 0, hist_hi = 0, hist_width = 0;
    // @variance's shift (stap applies it on every `<<<`); -1 when @variance is never read.
    int var_shift = -1;
    SourceLoc var_shift_loc;
};

struct Param {
    std::string name;
    Type type = Type::Unknown;
    SourceLoc loc;
    SourceLoc type_loc;
};

struct FunctionDecl {
    std::string name;
    SourceLoc loc;
    bool is_private = false;
    Type ret = Type::Unknown;
    SourceLoc ret_loc;
    bool ret_declared = false;
    std::vector<Param> params;
    int64_t priority = 0;
    bool priority_given = false;
    StmtPtr body;
    bool from_tapset = false;
    // Locals found by elaboration, with their inferred types.
    std::vector<Param> locals;
    bool used = false;
};

// One component of a probe point: `process("a.out")`, `function("f*")`, `return`.
struct PPComponent {
    std::string name;  // may hold `*` wildcards
    std::optional<Literal> param;
    SourceLoc loc;
};

struct ProbePoint {
    std::vector<PPComponent> components;
    bool optional = false;    // `?`
    bool sufficient = false;  // `!`
    ExprPtr condition;        // `if (cond)`
    SourceLoc loc;

    std::string str() const;  // dotted form without flags and condition
};

struct ProbeDecl {
    std::vector<ProbePoint> points;
    StmtPtr body;
    SourceLoc loc;
    // Filled by elaboration.
    std::vector<Param> locals;
};

struct AliasDecl {
    std::vector<ProbePoint> names;    // the new names being defined
    std::vector<ProbePoint> targets;  // what they expand to
    bool is_epilogue = false;         // `+=`
    StmtPtr prologue;                 // `=` body
    StmtPtr epilogue;                 // `+=` body, or the second block of `= {..}, {..}`
    SourceLoc loc;
};

// One parsed file (script or tapset).
struct Program {
    const SourceFile *file = nullptr;
    std::vector<std::unique_ptr<GlobalDecl>> globals;
    std::vector<std::unique_ptr<FunctionDecl>> functions;
    std::vector<std::unique_ptr<ProbeDecl>> probes;
    std::vector<std::unique_ptr<AliasDecl>> aliases;
    // Declaration order across kinds, for printing back: ('g'|'f'|'p'|'a', index).
    std::vector<std::pair<char, size_t>> order;
};

ExprPtr clone(const Expr &e);
StmtPtr clone(const Stmt &s);
ProbePoint clone(const ProbePoint &p);

} // namespace ktap
