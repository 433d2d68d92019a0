// Private to compiler/backend: the code generator's state, shared by codegen.cpp (the
// language) and codegen_target.cpp (target variables from DWARF).
#pragma once

#include "backend_impl.h"
#include "target_scope.h"

#include "sema/builtins.h"
#include "sema/format.h"
#include "kt_lang.h"

#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ktap {

using namespace llvm;

// Size of the buffer printf and print render into before one kt_out record.
inline constexpr uint32_t kOutBuffer = 16384;

struct LocalSlot {
    Value *addr = nullptr;  // i64 slot or char buffer
    ktap::Type type = ktap::Type::Unknown;
};

class CodeGen {
  public:
    CodeGen(LLVMContext &c, Module &m, const ElaboratedProgram &p, const Layout &l,
            Diagnostics &d, const std::string &arch)
        : C(c), M(m), B(c), P(p), L(l), diag(d), wordBytes(arch == "i386" ? 4 : 8) {
        i8 = llvm::Type::getInt8Ty(C);
        i32 = llvm::Type::getInt32Ty(C);
        i64 = llvm::Type::getInt64Ty(C);
        ptr = PointerType::get(C, 0);
        voidTy = llvm::Type::getVoidTy(C);
        // Leading fields of kt_ctx; the target's data layout gives the same offsets as C:
        // arena, slot, error, actions, depth, probe, where, regs, entry_data, site, is_return.
        ctxTy = StructType::create(C, {ptr, i32, i32, i64, i32, i32, ptr, ptr, ptr, i32, i32},
                                   "kt_ctx");
        keyTy = StructType::create(
            C, {ArrayType::get(i64, KT_MAX_KEYS), ArrayType::get(ptr, KT_MAX_KEYS)}, "kt_key");
        fmtArgTy = StructType::create(C, {i64, ptr}, "kt_fmt_arg");
        strCap = L.limits.maxstringlen;
    }

    bool run();
    // Set by Backend::generate from BackendOptions.
    const TargetScopes *scopes = nullptr;
    bool withoutTarget = false;
    bool skipBadvars = false;
    // Per probe: bytes of @entry data (0: none).
    std::vector<uint32_t> entryBytesPerProbe;

  private:
    // --- helpers to declare runtime functions
    FunctionCallee rt(const std::string &name, llvm::Type *ret, std::vector<llvm::Type *> args) {
        return M.getOrInsertFunction(name, FunctionType::get(ret, args, false));
    }
    Value *cst(int64_t v) { return ConstantInt::get(i64, v); }
    Value *c32(int32_t v) { return ConstantInt::get(i32, v); }
    Value *str_const(const std::string &s) { return B.CreateGlobalStringPtr(s, "str"); }
    Value *arena_at(uint64_t off) {
        return B.CreateGEP(i8, arenaPtr, cst(static_cast<int64_t>(off)));
    }
    Value *field(unsigned idx) { return B.CreateStructGEP(ctxTy, ctxArg, idx); }
    Value *entry_alloca(llvm::Type *t, const char *name) {
        IRBuilder<> eb(&F->getEntryBlock(), F->getEntryBlock().begin());
        return eb.CreateAlloca(t, nullptr, name);
    }
    Value *str_temp() {
        Value *buf = entry_alloca(ArrayType::get(i8, strCap), "strtmp");
        return buf;
    }
    BasicBlock *block(const char *name) { return BasicBlock::Create(C, name, F); }

    // --- errors
    std::string where(const Expr &e) const;
    std::string where_stmt(const Stmt &s) const;
    void check_error(const std::string &where);
    void raise(int code, const std::string &msg, const std::string &where);
    void count_action(const std::string &where);

    // --- functions and probes
    void declare_functions();
    void gen_function(const FunctionDecl &f, size_t overload_index);
    // The controller's copy of a probe that runs in the traced process: its body is empty and
    // its @entry part is not generated (the controller never calls them).
    bool never_called(const ResolvedProbe &p) const {
        return p.info.runs_in_target() && !scopes && !withoutTarget;
    }
    void gen_probe(const ResolvedProbe &p, size_t index, size_t variant);
    void gen_entry_part(const ResolvedProbe &p, size_t index, size_t variant,
                        const std::vector<const Expr *> &entries);
    Value *entry_value(const Expr &e);
    Value *backtrace_builtin(const std::string &n, std::vector<Value *> &vals);
    Value *context_builtin(const std::string &n, const Expr &e, std::vector<Value *> &vals);
    void lock_globals(const std::set<const GlobalDecl *> &reads,
                      const std::set<const GlobalDecl *> &writes);
    void setup_locals(const std::vector<Param> &locals);
    void collect_globals(const Stmt &s, std::set<const GlobalDecl *> &reads,
                         std::set<const GlobalDecl *> &writes,
                         std::set<const FunctionDecl *> &seen);
    void collect_expr(const Expr &e, std::set<const GlobalDecl *> &reads,
                      std::set<const GlobalDecl *> &writes, std::set<const FunctionDecl *> &seen,
                      bool written);

    // --- statements and expressions
    void stmt(const Stmt &s);
    void foreach_stmt(const Stmt &s);
    void delete_stmt(const Stmt &s);
    Value *expr(const Expr &e);
    Value *cond(const Expr &e) { return B.CreateICmpNE(expr(e), cst(0)); }
    Value *binary(const Expr &e);
    Value *assign(const Expr &e);
    Value *incdec(const Expr &e);
    Value *call(const Expr &e);
    Value *builtin(const Expr &e, const Builtin &b);
    Value *stat_op(const Expr &e);
    Value *histogram_bucket(const Expr &e);
    Value *existing_stat(const Expr &s, const Expr &site);
    Value *arith(const std::string &op, Value *a, Value *b, const Expr &site);
    Value *compare(const std::string &op, Value *a, Value *b);
    Value *print_args(const Expr &e, size_t first, const char *delim_or_null, bool newline,
                      Value *dst, uint32_t cap);
    Value *to_string(const Expr &e, Value *v);
    Value *format_call(const Expr &e, Value *dst, uint32_t cap);
    Value *format_args(const std::vector<const Expr *> &args);
    Value *emit_format(const std::string &fmt, const std::vector<const Expr *> &args,
                       const Expr &site, Value *dst, uint32_t cap);
    Value *print_call(const Expr &e, size_t first, const char *delim, bool newline, Value *dst,
                      uint32_t cap);
    Value *render_histogram(const Expr &h, Value *dst, uint32_t cap);

    // --- target variables (codegen_target.cpp)
    struct TargetPath;
    struct Place;
    bool register_return(const Expr &e) const;
    Value *target_value(const Expr &e);
    Value *target_address(const Expr &e);
    Value *defined_value(const Expr &e);
    std::optional<bool> defined_known(const Expr &e);
    std::optional<bool> static_truth(const Expr &e);
    bool resolve_target(const Expr &e, TargetPath &path, std::string &error, SourceLoc &at);
    bool target_fallback(const Expr &e, const std::string &error, const SourceLoc &at);
    Place base_place(const TargetPath &path, const Expr &e);
    Place follow(const TargetPath &path, const Expr &e);
    Value *load_scalar(const Place &pl, const dwarf::Type *t, uint32_t bit_size,
                       uint32_t bit_offset, const Expr &e);
    Value *dwarf_reg(int reg);
    Value *eval_ops(const std::vector<dwarf::LocOp> &ops, uint64_t bias, const Expr &e);
    Value *pretty_value(const Expr &e, const TargetPath &path);
    Value *pretty_string(const Expr &e, const TargetPath &path);
    Value *whole_vars(const Expr &e);
    Value *whole_vars_string(const Expr &e);
    Value *fault_as_error_string(const std::function<Value *()> &build);
    void pretty_object(const Place &pl, const dwarf::Type *t, bool deep, int depth,
                       std::string &fmt, std::vector<std::pair<Value *, bool>> &args,
                       const Expr &e);
    Value *format_values(const std::string &fmt,
                         const std::vector<std::pair<Value *, bool>> &args, const Expr &e);

    // --- variables
    const GlobalDecl *global_of(const Expr &e) const;
    LocalSlot *local_of(const std::string &name);
    Value *key_of(const Expr &index_expr, uint32_t *wildcards);
    Value *load_var(const Expr &e);
    void store_var(const Expr &lhs, Value *v);
    Value *map_entry(const Expr &index_expr, bool insert);
    Value *element_slot(const Expr &index_expr);

    const FunctionDecl *resolve_call(const Expr &e) const;
    std::vector<const FunctionDecl *> overloads(const FunctionDecl *f) const;

    bool unsupported(const SourceLoc &loc, const std::string &what) {
        diag.error(loc, what + " is not supported by the code generator yet");
        failed = true;
        return false;
    }

    LLVMContext &C;
    Module &M;
    IRBuilder<> B;
    const ElaboratedProgram &P;
    const Layout &L;
    Diagnostics &diag;
    int wordBytes;  // the target's long: 8 (x86_64) or 4 (i386)
    // @entry(expr) of the current return probe: offset of its value in kt_ctx.entry_data.
    std::map<const Expr *, uint32_t> entryOff;
    bool inEntryPart = false;  // generating ktap_entry_N: @entry(e) evaluates e
    llvm::Type *i8, *i32, *i64, *ptr, *voidTy;
    StructType *ctxTy, *keyTy, *fmtArgTy;
    uint32_t strCap;
    bool failed = false;

    // Per-function state.
    Function *F = nullptr;
    Value *ctxArg = nullptr;
    Value *arenaPtr = nullptr;
    std::map<std::string, LocalSlot> locals;
    BasicBlock *errorTarget = nullptr;   // innermost try's catch, or the failure exit
    BasicBlock *failExit = nullptr;      // uncatchable errors go here
    BasicBlock *doneBlock = nullptr;     // `next` in probes, normal end
    struct Loop {
        BasicBlock *brk, *cont;
        std::string where;
    };
    std::vector<Loop> loops;
    const FunctionDecl *curFn = nullptr;
    const ResolvedProbe *curProbe = nullptr;
    const TargetScope *curScope = nullptr;  // the function this handler is compiled for
    std::set<std::string> reportedTargetErrors;  // place + message, reported once
    Value *retSlot = nullptr;  // i64 alloca, or the caller's string buffer
    Value *tokenizeState = nullptr;
    int64_t maxaction = 0;
    std::map<const FunctionDecl *, Function *> fnMap;
    std::map<const FunctionDecl *, std::string> fnFile;
};

} // namespace ktap
