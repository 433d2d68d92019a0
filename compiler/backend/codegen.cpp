// From the typed program to LLVM IR. One function per probe handler (`ktap_probe_N(ctx)`) and
// one per script function overload. All script state is reached through the arena base in the
// handler context and the offsets of the layout; every runtime operation is a call into the
// language runtime (runtime/lang/kt_lang.h), so the same IR runs in the controller and, compiled
// for the target's triple, inside the traced process.
#include "codegen_internal.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>

#include <functional>
#include <set>

namespace ktap {

using namespace llvm;

// Variant v > 0 of a probe is its handler compiled for the v-th function it is placed on.
std::string probe_symbol(size_t probe_index, size_t variant) {
    return "ktap_probe_" + std::to_string(probe_index) +
           (variant ? "_" + std::to_string(variant) : "");
}

std::string entry_symbol(size_t probe_index, size_t variant) {
    return "ktap_entry_" + std::to_string(probe_index) +
           (variant ? "_" + std::to_string(variant) : "");
}


// ---------------------------------------------------------------------------------------------
// Errors

std::string CodeGen::where(const Expr &e) const {
    std::string what;
    switch (e.kind) {
    case ExprKind::Binary:
    case ExprKind::Assign:
    case ExprKind::Unary:
    case ExprKind::IncDec:
        what = "operator '" + e.op + "'";
        break;
    case ExprKind::Var:
    case ExprKind::Index:
    case ExprKind::Call:
    case ExprKind::In:
    case ExprKind::Target:
        what = "identifier '" + e.text + "'";
        break;
    default:
        what = "operator '" + e.text + "'";
        break;
    }
    return what + " at " + e.loc.str();
}

std::string CodeGen::where_stmt(const Stmt &s) const {
    static const char *names[] = {"{",     ";",     "expression", "if",     "while",
                                  "for",   "foreach", "break",    "continue", "next",
                                  "return", "delete", "try"};
    return std::string("keyword '") + names[static_cast<int>(s.kind)] + "' at " + s.loc.str();
}

void CodeGen::check_error(const std::string &w) {
    Value *err = B.CreateLoad(i32, field(2));
    BasicBlock *bad = block("err");
    BasicBlock *ok = block("ok");
    B.CreateCondBr(B.CreateICmpNE(err, c32(0)), bad, ok);
    B.SetInsertPoint(bad);
    // Record where the error happened unless an inner frame already did. A MAXACTION error
    // from a called function is reported at the caller's innermost loop, as stap does.
    Value *here = str_const(w);
    if (!loops.empty())
        here = B.CreateSelect(B.CreateICmpEQ(err, c32(KT_ERR_MAXACTION)),
                              str_const(loops.back().where), here);
    Value *old = B.CreateLoad(ptr, field(6));
    Value *keep = B.CreateSelect(B.CreateICmpEQ(old, ConstantPointerNull::get(
                                                         cast<PointerType>(ptr))),
                                 here, old);
    B.CreateStore(keep, field(6));
    B.CreateBr(errorTarget);
    B.SetInsertPoint(ok);
}

void CodeGen::raise(int code, const std::string &msg, const std::string &w) {
    B.CreateCall(rt("kt_error", voidTy, {ptr, i32, ptr}), {ctxArg, c32(code), str_const(msg)});
    B.CreateStore(str_const(w), field(6));
    B.CreateBr(code == KT_ERR_MAXACTION || code == KT_ERR_ABORT ? failExit : errorTarget);
    B.SetInsertPoint(block("dead"));
}

void CodeGen::count_action(const std::string &statement_where) {
    // stap checks the statement budget on loop iterations, so the error names the loop.
    const std::string &w = loops.empty() ? statement_where : loops.back().where;
    Value *slot = field(3);
    Value *n = B.CreateAdd(B.CreateLoad(i64, slot), cst(1));
    B.CreateStore(n, slot);
    BasicBlock *over = block("maxaction");
    BasicBlock *ok = block("ok");
    B.CreateCondBr(B.CreateICmpSGT(n, cst(maxaction)), over, ok);
    B.SetInsertPoint(over);
    B.CreateCall(rt("kt_error", voidTy, {ptr, i32, ptr}),
                 {ctxArg, c32(KT_ERR_MAXACTION), str_const("MAXACTION exceeded")});
    // In a function with no loop of its own, the caller names the place (its loop).
    if (!curFn || !loops.empty())
        B.CreateStore(str_const(w), field(6));
    B.CreateBr(failExit);
    B.SetInsertPoint(ok);
}

// ---------------------------------------------------------------------------------------------
// Variables

const GlobalDecl *CodeGen::global_of(const Expr &e) const {
    if (locals.count(e.text))
        return nullptr;
    for (const GlobalDecl *g : P.globals)
        if (g->name == e.text)
            return g;
    return nullptr;
}

LocalSlot *CodeGen::local_of(const std::string &name) {
    auto it = locals.find(name);
    return it == locals.end() ? nullptr : &it->second;
}

void CodeGen::setup_locals(const std::vector<Param> &list) {
    for (const auto &l : list) {
        if (locals.count(l.name))
            continue;
        LocalSlot s;
        s.type = l.type;
        if (l.type == ktap::Type::String) {
            s.addr = entry_alloca(ArrayType::get(i8, strCap), l.name.c_str());
            B.CreateStore(ConstantInt::get(i8, 0), s.addr);
        } else {
            s.addr = entry_alloca(i64, l.name.c_str());
            B.CreateStore(cst(0), s.addr);
        }
        locals[l.name] = s;
    }
}

Value *CodeGen::key_of(const Expr &e, uint32_t *wildcards) {
    Value *key = entry_alloca(keyTy, "key");
    uint32_t wild = 0;
    for (size_t i = 0; i < e.args.size(); ++i) {
        const Expr &k = *e.args[i];
        if (k.kind == ExprKind::Wildcard) {
            wild |= 1u << i;
            continue;
        }
        Value *v = expr(k);
        if (k.type == ktap::Type::String) {
            Value *slot = B.CreateGEP(keyTy, key, {c32(0), c32(1), c32(static_cast<int>(i))});
            B.CreateStore(v, slot);
        } else {
            Value *slot = B.CreateGEP(keyTy, key, {c32(0), c32(0), c32(static_cast<int>(i))});
            B.CreateStore(v, slot);
        }
    }
    if (wildcards)
        *wildcards = wild;
    return key;
}

// Entry index of a[k...] (i32), -1 when absent (find) or after an error (insert).
Value *CodeGen::map_entry(const Expr &e, bool insert) {
    const GlobalDecl *g = global_of(e);
    Value *key = key_of(e, nullptr);
    uint64_t off = L.slot(g).value_off;
    Value *idx = B.CreateCall(rt(insert ? "kt_map_insert" : "kt_map_find", i32, {ptr, i64, ptr}),
                              {ctxArg, cst(static_cast<int64_t>(off)), key});
    if (insert)
        check_error(where(e));
    return idx;
}

Value *CodeGen::load_var(const Expr &e) {
    if (e.kind == ExprKind::Var) {
        if (LocalSlot *l = local_of(e.text))
            return l->type == ktap::Type::String ? l->addr : B.CreateLoad(i64, l->addr);
        const GlobalDecl *g = global_of(e);
        if (!g)
            return cst(0);
        Value *at = arena_at(L.slot(g).value_off);
        return g->type == ktap::Type::String ? at : B.CreateLoad(i64, at);
    }
    // a[k]: absent keys read as 0 / "" and are not created.
    const GlobalDecl *g = global_of(e);
    uint64_t off = L.slot(g).value_off;
    Value *idx = map_entry(e, false);
    BasicBlock *have = block("have");
    BasicBlock *none = block("none");
    BasicBlock *join = block("join");
    B.CreateCondBr(B.CreateICmpSGE(idx, c32(0)), have, none);
    if (g->type == ktap::Type::String) {
        B.SetInsertPoint(have);
        Value *s = B.CreateCall(rt("kt_map_str", ptr, {ptr, i64, i32}),
                                {ctxArg, cst(static_cast<int64_t>(off)), idx});
        B.CreateBr(join);
        B.SetInsertPoint(none);
        Value *empty = str_const("");
        B.CreateBr(join);
        B.SetInsertPoint(join);
        PHINode *phi = B.CreatePHI(ptr, 2);
        phi->addIncoming(s, have);
        phi->addIncoming(empty, none);
        // Copy: the entry may move or be deleted while the value is in use.
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, phi, c32(strCap)});
        return tmp;
    }
    B.SetInsertPoint(have);
    Value *p = B.CreateCall(rt("kt_map_long", ptr, {ptr, i64, i32}),
                            {ctxArg, cst(static_cast<int64_t>(off)), idx});
    Value *v = B.CreateLoad(i64, p);
    B.CreateBr(join);
    B.SetInsertPoint(none);
    B.CreateBr(join);
    B.SetInsertPoint(join);
    PHINode *phi = B.CreatePHI(i64, 2);
    phi->addIncoming(v, have);
    phi->addIncoming(cst(0), none);
    return phi;
}

void CodeGen::store_var(const Expr &lhs, Value *v) {
    bool is_str = lhs.type == ktap::Type::String;
    if (lhs.kind == ExprKind::Var) {
        Value *at;
        if (LocalSlot *l = local_of(lhs.text)) {
            at = l->addr;
            is_str = l->type == ktap::Type::String;
        } else {
            const GlobalDecl *g = global_of(lhs);
            at = arena_at(L.slot(g).value_off);
            is_str = g->type == ktap::Type::String;
        }
        if (is_str)
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {at, v, c32(strCap)});
        else
            B.CreateStore(v, at);
        return;
    }
    const GlobalDecl *g = global_of(lhs);
    uint64_t off = L.slot(g).value_off;
    Value *idx = map_entry(lhs, true);
    if (g->type == ktap::Type::String) {
        Value *s = B.CreateCall(rt("kt_map_str", ptr, {ptr, i64, i32}),
                                {ctxArg, cst(static_cast<int64_t>(off)), idx});
        B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {s, v, c32(strCap)});
    } else {
        Value *p = B.CreateCall(rt("kt_map_long", ptr, {ptr, i64, i32}),
                                {ctxArg, cst(static_cast<int64_t>(off)), idx});
        B.CreateStore(v, p);
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions

Value *CodeGen::to_string(const Expr &e, Value *v) {
    if (e.type == ktap::Type::String)
        return v;
    Value *tmp = str_temp();
    B.CreateCall(rt("kt_long_to_str", voidTy, {ptr, i64, i32}), {tmp, v, c32(strCap)});
    return tmp;
}

Value *CodeGen::expr(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Number:
        return cst(e.number);
    case ExprKind::String:
        return str_const(e.text);
    case ExprKind::Var:
    case ExprKind::Index:
        return load_var(e);
    case ExprKind::Unary: {
        if (e.op == "&" && e.args[0]->kind == ExprKind::Target)
            return entryOff.count(&e) && !inEntryPart ? entry_value(e) : target_address(e);
        Value *v = expr(*e.args[0]);
        if (e.op == "-")
            return B.CreateSub(cst(0), v);
        if (e.op == "+")
            return v;
        if (e.op == "!")
            return B.CreateZExt(B.CreateICmpEQ(v, cst(0)), i64);
        if (e.op == "~")
            return B.CreateNot(v);
        unsupported(e.loc, "'&' on target expressions");
        return cst(0);
    }
    case ExprKind::Binary:
        return binary(e);
    case ExprKind::Ternary: {
        // `@defined($x) ? $x : 0`: the branch @defined rules out is not compiled (stap folds it
        // in pass 2), so its unresolvable target variable is no error.
        if (auto known = static_truth(*e.args[0]))
            return expr(*e.args[*known ? 1 : 2]);
        Value *c = cond(*e.args[0]);
        BasicBlock *a = block("then"), *b = block("else"), *join = block("join");
        B.CreateCondBr(c, a, b);
        B.SetInsertPoint(a);
        Value *va = expr(*e.args[1]);
        if (e.type == ktap::Type::String) {
            // Both arms must stay valid after the join: copy into one buffer.
            Value *tmp = str_temp();
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, va, c32(strCap)});
            B.CreateBr(join);
            B.SetInsertPoint(b);
            Value *vb = expr(*e.args[2]);
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, vb, c32(strCap)});
            B.CreateBr(join);
            B.SetInsertPoint(join);
            return tmp;
        }
        BasicBlock *aEnd = B.GetInsertBlock();
        B.CreateBr(join);
        B.SetInsertPoint(b);
        Value *vb = expr(*e.args[2]);
        BasicBlock *bEnd = B.GetInsertBlock();
        B.CreateBr(join);
        B.SetInsertPoint(join);
        PHINode *phi = B.CreatePHI(i64, 2);
        phi->addIncoming(va, aEnd);
        phi->addIncoming(vb, bEnd);
        return phi;
    }
    case ExprKind::Assign:
        return assign(e);
    case ExprKind::IncDec:
        return incdec(e);
    case ExprKind::In: {
        const GlobalDecl *g = global_of(e);
        uint32_t wild = 0;
        Value *key = key_of(e, &wild);
        uint64_t off = L.slot(g).value_off;
        if (wild) {
            Value *r = B.CreateCall(rt("kt_map_any", i32, {ptr, i64, ptr, i32}),
                                    {ctxArg, cst(static_cast<int64_t>(off)), key,
                                     c32(static_cast<int32_t>(wild))});
            return B.CreateZExt(B.CreateICmpNE(r, c32(0)), i64);
        }
        Value *idx = B.CreateCall(rt("kt_map_find", i32, {ptr, i64, ptr}),
                                  {ctxArg, cst(static_cast<int64_t>(off)), key});
        return B.CreateZExt(B.CreateICmpSGE(idx, c32(0)), i64);
    }
    case ExprKind::Call:
        return call(e);
    case ExprKind::AtOp:
        if (e.text == "@count" || e.text == "@sum" || e.text == "@min" || e.text == "@max" ||
            e.text == "@avg" || e.text == "@variance")
            return stat_op(e);
        if (e.text == "@defined")
            return defined_value(e);
        if (e.text == "@entry")
            return entry_value(e);
        if (e.text == "@cast" || e.text == "@var")
            return target_value(e);
        unsupported(e.loc, e.text);
        return cst(0);
    case ExprKind::Histogram:
        if (e.hist_index)
            return histogram_bucket(e);
        {
            Value *tmp = str_temp();
            return render_histogram(e, tmp, strCap);
        }
    case ExprKind::Target:
        // In a return probe's body, parameters and locals are the values saved at entry.
        if (entryOff.count(&e) && !inEntryPart)
            return entry_value(e);
        return target_value(e);
    case ExprKind::Wildcard:
        return cst(0);
    }
    return cst(0);
}

// Signed comparison `a op b` (op is one of < > <= >= == !=), as an i1.
Value *CodeGen::compare(const std::string &op, Value *a, Value *b) {
    return op == "<"    ? B.CreateICmpSLT(a, b)
           : op == ">"  ? B.CreateICmpSGT(a, b)
           : op == "<=" ? B.CreateICmpSLE(a, b)
           : op == ">=" ? B.CreateICmpSGE(a, b)
           : op == "==" ? B.CreateICmpEQ(a, b)
                        : B.CreateICmpNE(a, b);
}

Value *CodeGen::binary(const Expr &e) {
    const std::string &op = e.op;
    const Expr &l = *e.args[0];
    const Expr &r = *e.args[1];
    if (op == "&&" || op == "||") {
        Value *lv = cond(l);
        BasicBlock *start = B.GetInsertBlock();
        BasicBlock *rhs = block("rhs"), *join = block("join");
        if (op == "&&")
            B.CreateCondBr(lv, rhs, join);
        else
            B.CreateCondBr(lv, join, rhs);
        B.SetInsertPoint(rhs);
        Value *rv = cond(r);
        BasicBlock *rEnd = B.GetInsertBlock();
        B.CreateBr(join);
        B.SetInsertPoint(join);
        PHINode *phi = B.CreatePHI(B.getInt1Ty(), 2);
        phi->addIncoming(ConstantInt::get(B.getInt1Ty(), op == "||"), start);
        phi->addIncoming(rv, rEnd);
        return B.CreateZExt(phi, i64);
    }
    if (op == ".") {
        Value *a = expr(l);
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, a, c32(strCap)});
        Value *b = expr(r);
        B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}), {tmp, b, c32(strCap)});
        return tmp;
    }
    if (op == "=~" || op == "!~") {
        // Compiled here, once; the program is read-only data next to the code.
        std::vector<char> program(KT_REGEX_PROG_MAX);
        char message[256];
        uint32_t size = kt_regex_compile(r.text.c_str(), program.data(),
                                         static_cast<uint32_t>(program.size()), message,
                                         sizeof message);
        if (size == 0) {
            diag.error(r.loc, std::string("invalid regular expression: ") + message);
            failed = true;
            return cst(0);
        }
        auto *data = ConstantDataArray::get(C, ArrayRef<uint8_t>(
                                                   reinterpret_cast<uint8_t *>(program.data()), size));
        auto *gv = new GlobalVariable(M, data->getType(), true, GlobalValue::PrivateLinkage, data,
                                      "regex");
        gv->setAlignment(Align(8));
        Value *subject = expr(l);
        Value *m = B.CreateCall(rt("kt_regex_match", i32, {ptr, ptr, ptr}), {ctxArg, gv, subject});
        Value *hit = op == "=~" ? B.CreateICmpNE(m, c32(0)) : B.CreateICmpEQ(m, c32(0));
        return B.CreateZExt(hit, i64);
    }
    static const std::set<std::string> cmp = {"<", ">", "<=", ">=", "==", "!="};
    if (cmp.count(op) && l.type == ktap::Type::String) {
        Value *a = expr(l);
        Value *b = expr(r);
        // Strings compare as strcmp(a, b) OP 0.
        Value *c = B.CreateCall(rt("kt_strcmp", i32, {ptr, ptr}), {a, b});
        return B.CreateZExt(compare(op, c, c32(0)), i64);
    }
    Value *a = expr(l);
    Value *b = expr(r);
    if (cmp.count(op))
        return B.CreateZExt(compare(op, a, b), i64);
    return arith(op, a, b, e);
}

// Integer operators. Shift counts are taken modulo 64; `/` and `%` by zero raise stap's error;
// INT64_MIN / -1 traps on x86, so dividing by -1 is negation (and % -1 is 0).
Value *CodeGen::arith(const std::string &op, Value *a, Value *b, const Expr &site) {
    if (op == "+")
        return B.CreateAdd(a, b);
    if (op == "-")
        return B.CreateSub(a, b);
    if (op == "*")
        return B.CreateMul(a, b);
    if (op == "&")
        return B.CreateAnd(a, b);
    if (op == "|")
        return B.CreateOr(a, b);
    if (op == "^")
        return B.CreateXor(a, b);
    if (op == "<<")
        return B.CreateShl(a, B.CreateAnd(b, cst(63)));
    if (op == ">>")
        return B.CreateAShr(a, B.CreateAnd(b, cst(63)));
    if (op == ">>>")
        return B.CreateLShr(a, B.CreateAnd(b, cst(63)));
    if (op != "/" && op != "%") {
        unsupported(site.loc, "operator '" + op + "'");
        return cst(0);
    }
    BasicBlock *zero = block("divzero"), *ok = block("divok");
    B.CreateCondBr(B.CreateICmpEQ(b, cst(0)), zero, ok);
    B.SetInsertPoint(zero);
    raise(KT_ERR_DIVZERO, "division by 0", where(site));
    B.CreateBr(ok);  // the block raise() left behind is unreachable
    B.SetInsertPoint(ok);
    Value *minus1 = B.CreateICmpEQ(b, cst(-1));
    Value *safe_b = B.CreateSelect(minus1, cst(1), b);
    Value *q = op == "/" ? B.CreateSDiv(a, safe_b) : B.CreateSRem(a, safe_b);
    return B.CreateSelect(minus1, op == "/" ? B.CreateSub(cst(0), a) : cst(0), q);
}

Value *CodeGen::assign(const Expr &e) {
    const Expr &lhs = *e.args[0];
    const Expr &rhs = *e.args[1];
    if (e.op == "<<<") {
        const GlobalDecl *g = global_of(lhs);
        Value *v = expr(rhs);
        uint64_t off = L.slot(g).value_off;
        Value *stat;
        if (lhs.kind == ExprKind::Index) {
            Value *idx = map_entry(lhs, true);
            stat = B.CreateCall(rt("kt_map_stat", i64, {ptr, i64, i32}),
                                {ctxArg, cst(static_cast<int64_t>(off)), idx});
        } else {
            stat = cst(static_cast<int64_t>(off));
        }
        B.CreateCall(rt("kt_stat_add", voidTy, {ptr, i64, i64}), {ctxArg, stat, v});
        return v;
    }
    if (e.op == "=") {
        Value *v = expr(rhs);
        if (lhs.type == ktap::Type::String && rhs.kind == ExprKind::Var) {
            // `a = b` where b is the same buffer later written: copy through a temp.
            Value *tmp = str_temp();
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, v, c32(strCap)});
            v = tmp;
        }
        store_var(lhs, v);
        return v;
    }
    if (e.op == ".=" && lhs.kind == ExprKind::Index) {
        Value *slot = element_slot(lhs);
        Value *add = expr(rhs);
        B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}), {slot, add, c32(strCap)});
        return slot;
    }
    if (e.op == ".=") {
        Value *cur = expr(lhs);
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {tmp, cur, c32(strCap)});
        Value *add = expr(rhs);
        B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}), {tmp, add, c32(strCap)});
        store_var(lhs, tmp);
        return tmp;
    }
    // Compound arithmetic: lhs op= rhs is lhs = lhs op rhs, each side evaluated once.
    Value *slot = lhs.kind == ExprKind::Index ? element_slot(lhs) : nullptr;
    Value *a = slot ? B.CreateLoad(i64, slot) : expr(lhs);
    Value *b = expr(rhs);
    Value *res = arith(e.op.substr(0, e.op.size() - 1), a, b, e);
    if (slot)
        B.CreateStore(res, slot);
    else
        store_var(lhs, res);
    return res;
}

// The address of a[k...]'s long or string value, inserting the element: the key is evaluated
// once for read-modify-write operators (a[f()]++ calls f once).
Value *CodeGen::element_slot(const Expr &index_expr) {
    const GlobalDecl *g = global_of(index_expr);
    uint64_t off = L.slot(g).value_off;
    Value *idx = map_entry(index_expr, true);
    const char *fn = g->type == ktap::Type::String ? "kt_map_str" : "kt_map_long";
    return B.CreateCall(rt(fn, ptr, {ptr, i64, i32}), {ctxArg, cst(static_cast<int64_t>(off)), idx});
}

Value *CodeGen::incdec(const Expr &e) {
    const Expr &target = *e.args[0];
    if (target.kind == ExprKind::Index) {
        Value *slot = element_slot(target);
        Value *old = B.CreateLoad(i64, slot);
        Value *now = e.op == "++" ? B.CreateAdd(old, cst(1)) : B.CreateSub(old, cst(1));
        B.CreateStore(now, slot);
        return e.prefix ? now : old;
    }
    Value *old = expr(target);
    Value *now = e.op == "++" ? B.CreateAdd(old, cst(1)) : B.CreateSub(old, cst(1));
    store_var(target, now);
    return e.prefix ? now : old;
}

Value *CodeGen::stat_op(const Expr &e) {
    static const std::map<std::string, int> aggs = {
        {"@count", KT_AGG_COUNT}, {"@sum", KT_AGG_SUM}, {"@min", KT_AGG_MIN},
        {"@max", KT_AGG_MAX},     {"@avg", KT_AGG_AVG}, {"@variance", KT_AGG_VARIANCE}};
    int agg = aggs.at(e.text);
    int shift = e.args.size() > 1 ? static_cast<int>(e.args[1]->number) : 0;
    const Expr &s = *e.args[0];
    const GlobalDecl *g = global_of(s);
    uint64_t off = L.slot(g).value_off;
    Value *stat;
    if (s.kind == ExprKind::Index) {
        Value *idx = map_entry(s, false);
        BasicBlock *none = block("nostat"), *have = block("stat");
        B.CreateCondBr(B.CreateICmpSLT(idx, c32(0)), none, have);
        B.SetInsertPoint(none);
        if (agg == KT_AGG_COUNT || agg == KT_AGG_SUM) {
            BasicBlock *join = block("join");
            B.CreateBr(join);
            B.SetInsertPoint(have);
            stat = B.CreateCall(rt("kt_map_stat", i64, {ptr, i64, i32}),
                                {ctxArg, cst(static_cast<int64_t>(off)), idx});
            Value *v = B.CreateCall(rt("kt_stat_get", i64, {ptr, i64, i32, i32}),
                                    {ctxArg, stat, c32(agg), c32(shift)});
            check_error(where(e));
            BasicBlock *haveEnd = B.GetInsertBlock();
            B.CreateBr(join);
            B.SetInsertPoint(join);
            PHINode *phi = B.CreatePHI(i64, 2);
            phi->addIncoming(cst(0), none);
            phi->addIncoming(v, haveEnd);
            return phi;
        }
        raise(KT_ERR_EMPTY_AGG, "empty aggregate", where(e));
        B.CreateBr(have);
        B.SetInsertPoint(have);
        stat = B.CreateCall(rt("kt_map_stat", i64, {ptr, i64, i32}),
                            {ctxArg, cst(static_cast<int64_t>(off)), idx});
    } else {
        stat = cst(static_cast<int64_t>(off));
    }
    Value *v = B.CreateCall(rt("kt_stat_get", i64, {ptr, i64, i32, i32}),
                            {ctxArg, stat, c32(agg), c32(shift)});
    check_error(where(e));
    return v;
}

static const Expr &hist_source(const Expr &h) { return *h.args[0]; }

// The arena offset of the statistics `s` names: a global, or an array element that must exist
// (reading a missing element's histogram is stap's "empty aggregate" error, raised at `site`).
Value *CodeGen::existing_stat(const Expr &s, const Expr &site) {
    uint64_t off = L.slot(global_of(s)).value_off;
    if (s.kind != ExprKind::Index)
        return cst(static_cast<int64_t>(off));
    Value *idx = map_entry(s, false);
    BasicBlock *none = block("nostat"), *have = block("stat");
    B.CreateCondBr(B.CreateICmpSLT(idx, c32(0)), none, have);
    B.SetInsertPoint(none);
    raise(KT_ERR_EMPTY_AGG, "empty aggregate", where(site));
    B.CreateBr(have);
    B.SetInsertPoint(have);
    return B.CreateCall(rt("kt_map_stat", i64, {ptr, i64, i32}),
                        {ctxArg, cst(static_cast<int64_t>(off)), idx});
}

Value *CodeGen::histogram_bucket(const Expr &e) {
    const Expr &s = hist_source(e);
    Value *stat = existing_stat(s, e);
    Value *i = expr(*e.hist_index);
    Value *v = B.CreateCall(rt("kt_hist_bucket", i64, {ptr, i64, i64}), {ctxArg, stat, i});
    check_error(where(e));
    return v;
}

Value *CodeGen::render_histogram(const Expr &h, Value *dst, uint32_t cap) {
    const Expr &s = hist_source(h);
    Value *stat = existing_stat(s, h);
    B.CreateCall(rt("kt_hist_render", i32, {ptr, i64, i32, ptr, i32}),
                 {ctxArg, stat, c32(L.limits.hist_elision), dst, c32(static_cast<int32_t>(cap))});
    check_error(where(h));
    return dst;
}

// print/println/sprint/sprintln/printd/printdln: renders into dst (cap bytes); returns dst.
Value *CodeGen::print_args(const Expr &e, size_t first, const char *delim, bool newline,
                           Value *dst, uint32_t cap) {
    B.CreateStore(ConstantInt::get(i8, 0), dst);
    for (size_t i = first; i < e.args.size(); ++i) {
        const Expr &a = *e.args[i];
        if (delim && i > first)
            B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}),
                         {dst, str_const(delim), c32(static_cast<int32_t>(cap))});
        Value *piece;
        if (a.kind == ExprKind::Histogram && !a.hist_index) {
            Value *tmp = entry_alloca(ArrayType::get(i8, kOutBuffer), "hist");
            piece = render_histogram(a, tmp, kOutBuffer);
        } else {
            piece = to_string(a, expr(a));
        }
        B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}),
                     {dst, piece, c32(static_cast<int32_t>(cap))});
    }
    if (newline)
        B.CreateCall(rt("kt_strcat", voidTy, {ptr, ptr, i32}),
                     {dst, str_const("\n"), c32(static_cast<int32_t>(cap))});
    return dst;
}

// A kt_fmt_arg array on the stack holding the values of `args`.
Value *CodeGen::format_args(const std::vector<const Expr *> &args) {
    size_t n = args.size();
    llvm::Type *arrTy = ArrayType::get(fmtArgTy, std::max<size_t>(n, 1));
    Value *arr = entry_alloca(arrTy, "fmtargs");
    for (size_t i = 0; i < n; ++i) {
        const Expr &a = *args[i];
        Value *v = expr(a);
        Value *nslot = B.CreateGEP(arrTy, arr, {c32(0), c32(static_cast<int>(i)), c32(0)});
        Value *sslot = B.CreateGEP(arrTy, arr, {c32(0), c32(static_cast<int>(i)), c32(1)});
        if (a.type == ktap::Type::String) {
            B.CreateStore(cst(0), nslot);
            B.CreateStore(v, sslot);
        } else {
            B.CreateStore(v, nslot);
            B.CreateStore(ConstantPointerNull::get(cast<PointerType>(ptr)), sslot);
        }
    }
    return arr;
}

// printf/sprintf, and print-family calls turned into formats: into `dst` (cap bytes), or
// straight into the output ring as one record when dst is null.
Value *CodeGen::emit_format(const std::string &fmt, const std::vector<const Expr *> &args,
                            const Expr &site, Value *dst, uint32_t cap) {
    Value *arr = format_args(args);
    Value *n = c32(static_cast<int32_t>(args.size()));
    if (dst)
        B.CreateCall(rt("kt_format", i32, {ptr, ptr, i32, ptr, ptr, i32}),
                     {ctxArg, dst, c32(static_cast<int32_t>(cap)), str_const(fmt), arr, n});
    else
        B.CreateCall(rt("kt_out_format", voidTy, {ptr, ptr, ptr, i32}),
                     {ctxArg, str_const(fmt), arr, n});
    check_error(where(site));
    return dst;
}

Value *CodeGen::format_call(const Expr &e, Value *dst, uint32_t cap) {
    std::vector<const Expr *> args;
    for (size_t i = 1; i < e.args.size(); ++i)
        args.push_back(e.args[i].get());
    return emit_format(e.args[0]->text, args, e, dst, cap);
}

// print/println/printd/printdln and their s- forms as one format: "%d" per long, "%s" per
// string, the delimiter between values, "\n" at the end of the -ln forms.
Value *CodeGen::print_call(const Expr &e, size_t first, const char *delim, bool newline,
                           Value *dst, uint32_t cap) {
    auto escape = [](const std::string &s) {
        std::string out;
        for (char ch : s)
            out += ch == '%' ? std::string("%%") : std::string(1, ch);
        return out;
    };
    bool histogram = false;
    for (size_t i = first; i < e.args.size(); ++i)
        histogram |= e.args[i]->kind == ExprKind::Histogram && !e.args[i]->hist_index;
    if (histogram && !dst && e.args.size() - first == 1) {
        // print(@hist_log(s)): rendered into the ring as one record.
        const Expr &h = *e.args[first];
        Value *stat = existing_stat(hist_source(h), h);
        B.CreateCall(rt("kt_out_hist", voidTy, {ptr, i64, i32}),
                     {ctxArg, stat, c32(L.limits.hist_elision)});
        check_error(where(h));
        if (newline)
            B.CreateCall(rt("kt_out_str", voidTy, {ptr, ptr}), {ctxArg, str_const("\n")});
        return nullptr;
    }
    if (histogram) {
        // Rare: a histogram among other values. Render everything into one buffer.
        Value *buf = dst ? dst : entry_alloca(ArrayType::get(i8, kOutBuffer), "out");
        print_args(e, first, delim, newline, buf, dst ? cap : kOutBuffer);
        if (!dst)
            B.CreateCall(rt("kt_out_str", voidTy, {ptr, ptr}), {ctxArg, buf});
        return buf;
    }
    std::string fmt;
    std::vector<const Expr *> args;
    for (size_t i = first; i < e.args.size(); ++i) {
        if (delim && i > first)
            fmt += escape(delim);
        fmt += e.args[i]->type == ktap::Type::String ? "%s" : "%d";
        args.push_back(e.args[i].get());
    }
    if (newline)
        fmt += "\n";
    return emit_format(fmt, args, e, dst, cap);
}

const FunctionDecl *CodeGen::resolve_call(const Expr &e) const {
    for (const FunctionDecl *f : P.functions)
        if (f->name == e.text && f->params.size() == e.args.size())
            return f;
    return nullptr;
}

std::vector<const FunctionDecl *> CodeGen::overloads(const FunctionDecl *f) const {
    std::vector<const FunctionDecl *> out;
    for (const FunctionDecl *g : P.functions)
        if (g->name == f->name && g->params.size() == f->params.size())
            out.push_back(g);
    std::stable_sort(out.begin(), out.end(), [](const FunctionDecl *a, const FunctionDecl *b) {
        return a->priority < b->priority;
    });
    return out;
}

Value *CodeGen::call(const Expr &e) {
    const FunctionDecl *f = resolve_call(e);
    if (!f) {
        if (const Builtin *b = find_builtin(e.text))
            return builtin(e, *b);
        unsupported(e.loc, "function '" + e.text + "'");
        return cst(0);
    }
    // The first overload by priority runs; `next` inside it calls the following one.
    const FunctionDecl *first = overloads(f).front();
    Function *fn = fnMap.at(first);
    std::vector<Value *> args{ctxArg};
    Value *retbuf = nullptr;
    if (first->ret == ktap::Type::String) {
        retbuf = str_temp();
        B.CreateStore(ConstantInt::get(i8, 0), retbuf);
        args.push_back(retbuf);
    }
    for (size_t i = 0; i < e.args.size(); ++i)
        args.push_back(expr(*e.args[i]));
    Value *r = B.CreateCall(fn, args);
    check_error(where(e));
    if (retbuf)
        return retbuf;
    return first->ret == ktap::Type::Long ? r : cst(0);
}

Value *CodeGen::builtin(const Expr &e, const Builtin &b) {
    const std::string &n = b.name;
    if (b.kind == BuiltinKind::Print || b.kind == BuiltinKind::PrintDelim) {
        bool nl = n == "println" || n == "sprintln" || n == "printdln" || n == "sprintdln";
        bool to_string_result = n[0] == 's';
        bool delimited = b.kind == BuiltinKind::PrintDelim;
        Value *dst = to_string_result ? str_temp() : nullptr;
        print_call(e, delimited ? 1 : 0, delimited ? e.args[0]->text.c_str() : nullptr, nl, dst,
                   strCap);
        return to_string_result ? dst : cst(0);
    }
    if (b.kind == BuiltinKind::Printf) {
        if (n == "sprintf")
            return format_call(e, str_temp(), strCap);
        format_call(e, nullptr, 0);
        return cst(0);
    }
    std::vector<Value *> vals;
    for (const auto &a : e.args)
        vals.push_back(expr(*a));
    auto str_result = [&](const char *fn, std::vector<Value *> extra) {
        Value *tmp = str_temp();
        std::vector<llvm::Type *> tys{ptr};
        std::vector<Value *> args{tmp};
        for (Value *v : extra) {
            tys.push_back(v->getType());
            args.push_back(v);
        }
        tys.push_back(i32);
        args.push_back(c32(static_cast<int32_t>(strCap)));
        B.CreateCall(rt(fn, voidTy, tys), args);
        return tmp;
    };
    if (n == "exit") {
        B.CreateCall(rt("ktap_host_exit", voidTy, {ptr}), {ctxArg});
        return cst(0);
    }
    if (n == "error") {
        // stap's error() reports only its message: an empty `where` means "no near ...".
        B.CreateCall(rt("kt_error", voidTy, {ptr, i32, ptr}), {ctxArg, c32(KT_ERR_USER), vals[0]});
        B.CreateStore(str_const(""), field(6));
        check_error(where(e));
        return cst(0);
    }
    if (n == "abort") {
        // Like exit(), but the rest of this handler does not run; not catchable, not an error.
        B.CreateCall(rt("ktap_host_exit", voidTy, {ptr}), {ctxArg});
        raise(KT_ERR_ABORT, "abort() called", where(e));
        return cst(0);
    }
    if (n == "warn" || n == "log") {
        B.CreateCall(rt(n == "warn" ? "ktap_host_warn" : "ktap_host_log", voidTy, {ptr, ptr}),
                     {ctxArg, vals[0]});
        return cst(0);
    }
    if (n == "assert") {
        BasicBlock *bad = block("assert"), *ok = block("ok");
        B.CreateCondBr(B.CreateICmpEQ(vals[0], cst(0)), bad, ok);
        B.SetInsertPoint(bad);
        B.CreateCall(rt("kt_error", voidTy, {ptr, i32, ptr}),
                     {ctxArg, c32(KT_ERR_USER),
                      vals.size() > 1 ? vals[1] : str_const("Assertion failed")});
        check_error(where(e));
        B.CreateBr(ok);
        B.SetInsertPoint(ok);
        return cst(0);
    }
    if (n == "strlen")
        return B.CreateZExt(B.CreateCall(rt("kt_strlen", i32, {ptr}), {vals[0]}), i64);
    if (n == "substr")
        return str_result("kt_substr", {vals[0], vals[1], vals[2]});
    if (n == "stringat") {
        Value *v = B.CreateCall(rt("kt_stringat", i64, {ptr, ptr, i64}), {ctxArg, vals[0], vals[1]});
        check_error(where(e));
        return v;
    }
    if (n == "isinstr") {
        Value *p = B.CreateCall(rt("kt_strpos", i64, {ptr, ptr}), {vals[0], vals[1]});
        return B.CreateZExt(B.CreateICmpSGE(p, cst(0)), i64);
    }
    if (n == "strpos")
        return B.CreateCall(rt("kt_strpos", i64, {ptr, ptr}), {vals[0], vals[1]});
    if (n == "str_replace")
        return str_result("kt_str_replace", {vals[0], vals[1], vals[2]});
    if (n == "strtol") {
        Value *v = B.CreateCall(rt("kt_strtol", i64, {ptr, ptr, i64}), {ctxArg, vals[0], vals[1]});
        check_error(where(e));
        return v;
    }
    if (n == "isdigit") {
        Value *c0 = B.CreateLoad(i8, vals[0]);
        Value *ge = B.CreateICmpUGE(c0, ConstantInt::get(i8, '0'));
        Value *le = B.CreateICmpULE(c0, ConstantInt::get(i8, '9'));
        return B.CreateZExt(B.CreateAnd(ge, le), i64);
    }
    if (n == "text_str")
        return str_result("kt_text_str", {vals[0]});
    if (n == "text_strn")
        return str_result("kt_text_strn", {vals[0], vals[1], vals[2]});
    if (n == "string_quoted")
        return str_result("kt_string_quoted", {vals[0]});
    if (n == "matched") {
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_regex_matched", voidTy, {ptr, ptr, i64, i32}),
                     {ctxArg, tmp, vals[0], c32(static_cast<int32_t>(strCap))});
        check_error(where(e));
        return tmp;
    }
    if (n == "ngroups") {
        Value *v = B.CreateCall(rt("kt_regex_ngroups", i64, {ptr}), {ctxArg});
        check_error(where(e));
        return v;
    }
    if (n == "tokenize") {
        // stap keeps tokenize's position between calls of one handler; so does this buffer.
        if (!tokenizeState) {
            tokenizeState = entry_alloca(ArrayType::get(i8, strCap), "tokenize_state");
            IRBuilder<> eb(&F->getEntryBlock(), F->getEntryBlock().getTerminator()
                                                    ? F->getEntryBlock().getTerminator()->getIterator()
                                                    : F->getEntryBlock().end());
            eb.CreateStore(ConstantInt::get(i8, 0), tokenizeState);
        }
        Value *tmp = str_temp();
        Value *input = vals.size() > 1 ? vals[0] : str_const("");
        Value *delim = vals.size() > 1 ? vals[1] : vals[0];
        B.CreateCall(rt("kt_tokenize", voidTy, {ptr, ptr, ptr, ptr, i32}),
                     {tmp, tokenizeState, input, delim, c32(static_cast<int32_t>(strCap))});
        return tmp;
    }
    static const std::set<std::string> host_longs = {
        "gettimeofday_ns", "gettimeofday_us", "gettimeofday_ms", "gettimeofday_s",
        "local_clock_ns",  "local_clock_us",  "local_clock_ms",  "local_clock_s",
        "pid",             "tid",
        "ppid",            "uid",             "gid",             "euid",
        "egid",            "cpu",             "target",          "gettid"};
    if (host_longs.count(n))
        return B.CreateCall(rt("ktap_host_" + n, i64, {ptr}), {ctxArg});
    if (n.rfind("cpu_clock_", 0) == 0) {
        static const std::map<std::string, int64_t> div = {
            {"cpu_clock_ns", 1}, {"cpu_clock_us", 1000}, {"cpu_clock_ms", 1000000},
            {"cpu_clock_s", 1000000000}};
        Value *ns = B.CreateCall(rt("ktap_host_cpu_clock_ns", i64, {ptr}), {ctxArg});
        return B.CreateSDiv(ns, cst(div.at(n)));
    }
    if (n == "execname" || n == "pexecname" || n == "pp") {
        Value *tmp = str_temp();
        B.CreateCall(rt("ktap_host_" + n, voidTy, {ptr, ptr, i32}), {ctxArg, tmp, c32(strCap)});
        return tmp;
    }
    if (Value *v = context_builtin(n, e, vals))
        return v;
    if (n == "randint") {
        Value *v = B.CreateCall(rt("ktap_host_randint", i64, {ptr, i64}), {ctxArg, vals[0]});
        check_error(where(e));
        return v;
    }
    if (n == "abs") {
        Value *neg = B.CreateICmpSLT(vals[0], cst(0));
        return B.CreateSelect(neg, B.CreateSub(cst(0), vals[0]), vals[0]);
    }
    if (n == "ctime") {
        Value *tmp = str_temp();
        Value *t = vals.empty() ? B.CreateCall(rt("ktap_host_gettimeofday_s", i64, {ptr}), {ctxArg})
                                : vals[0];
        B.CreateCall(rt("ktap_host_ctime", voidTy, {ptr, i64, ptr, i32}),
                     {ctxArg, t, tmp, c32(strCap)});
        return tmp;
    }
    if (n == "str_lower" || n == "str_upper") {
        Value *tmp = str_temp();
        B.CreateCall(rt("ktap_host_" + n, voidTy, {ptr, ptr, i32}), {tmp, vals[0], c32(strCap)});
        return tmp;
    }
    unsupported(e.loc, "built-in function '" + n + "'");
    return cst(0);
}

// ---------------------------------------------------------------------------------------------
// Statements

void CodeGen::stmt(const Stmt &s) {
    if (s.kind != StmtKind::Block && s.kind != StmtKind::Null)
        count_action(where_stmt(s));
    switch (s.kind) {
    case StmtKind::Block:
        for (const auto &b : s.body)
            stmt(*b);
        break;
    case StmtKind::Null:
        break;
    case StmtKind::Expr:
        expr(*s.expr);
        break;
    case StmtKind::If: {
        if (auto known = static_truth(*s.expr)) {  // if (@defined(...)): see Ternary
            if (*known)
                stmt(*s.body[0]);
            else if (s.body.size() > 1)
                stmt(*s.body[1]);
            break;
        }
        Value *c = cond(*s.expr);
        BasicBlock *then = block("then"), *els = block("else"), *join = block("endif");
        B.CreateCondBr(c, then, s.body.size() > 1 ? els : join);
        B.SetInsertPoint(then);
        stmt(*s.body[0]);
        B.CreateBr(join);
        B.SetInsertPoint(els);
        if (s.body.size() > 1)
            stmt(*s.body[1]);
        B.CreateBr(join);
        B.SetInsertPoint(join);
        break;
    }
    case StmtKind::While:
    case StmtKind::For: {
        if (s.init)
            expr(*s.init);
        BasicBlock *head = block("loop"), *body = block("body"), *step = block("step"),
                   *done = block("done");
        B.CreateBr(head);
        B.SetInsertPoint(head);
        if (s.expr)
            B.CreateCondBr(cond(*s.expr), body, done);
        else
            B.CreateBr(body);
        B.SetInsertPoint(body);
        loops.push_back({done, step, where_stmt(s)});
        stmt(*s.body[0]);
        loops.pop_back();
        B.CreateBr(step);
        B.SetInsertPoint(step);
        if (s.step)
            expr(*s.step);
        count_action(where_stmt(s));
        B.CreateBr(head);
        B.SetInsertPoint(done);
        break;
    }
    case StmtKind::Foreach:
        foreach_stmt(s);
        break;
    case StmtKind::Break:
        B.CreateBr(loops.back().brk);
        B.SetInsertPoint(block("after_break"));
        break;
    case StmtKind::Continue:
        B.CreateBr(loops.back().cont);
        B.SetInsertPoint(block("after_continue"));
        break;
    case StmtKind::Next:
        if (curFn) {
            // The next overload by priority, with this call's arguments; none left is an error.
            auto all = overloads(curFn);
            auto it = std::find(all.begin(), all.end(), curFn);
            if (it + 1 == all.end()) {
                raise(KT_ERR_NEXT, "all functions exhausted", where_stmt(s));
                break;
            }
            Function *nextFn = fnMap.at(*(it + 1));
            std::vector<Value *> args{ctxArg};
            if (curFn->ret == ktap::Type::String)
                args.push_back(retSlot);
            for (auto &a : F->args())
                if (a.getArgNo() >= args.size())
                    args.push_back(&a);
            Value *r = B.CreateCall(nextFn, args);
            if (curFn->ret == ktap::Type::Long)
                B.CreateStore(r, retSlot);
            check_error(where_stmt(s));
        }
        B.CreateBr(doneBlock);
        B.SetInsertPoint(block("after_next"));
        break;
    case StmtKind::Return:
        if (s.expr) {
            Value *v = expr(*s.expr);
            if (curFn->ret == ktap::Type::String)
                B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {retSlot, v, c32(strCap)});
            else
                B.CreateStore(v, retSlot);
        }
        B.CreateBr(doneBlock);
        B.SetInsertPoint(block("after_return"));
        break;
    case StmtKind::Delete:
        delete_stmt(s);
        break;
    case StmtKind::Try: {
        BasicBlock *handler = block("catch"), *done = block("endtry");
        BasicBlock *outer = errorTarget;
        errorTarget = handler;
        stmt(*s.body[0]);
        errorTarget = outer;
        B.CreateBr(done);
        B.SetInsertPoint(handler);
        // MAXACTION and abort() are not catchable, also when they come from a called function.
        {
            Value *code = B.CreateLoad(i32, field(2));
            Value *uncatchable = B.CreateOr(B.CreateICmpEQ(code, c32(KT_ERR_MAXACTION)),
                                            B.CreateICmpEQ(code, c32(KT_ERR_ABORT)));
            BasicBlock *catching = block("catching");
            B.CreateCondBr(uncatchable, failExit, catching);
            B.SetInsertPoint(catching);
        }
        if (!s.catch_var.empty()) {
            LocalSlot *l = local_of(s.catch_var);
            Value *msg = B.CreateCall(rt("ktap_error_message", ptr, {ptr}), {ctxArg});
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {l->addr, msg, c32(strCap)});
        }
        B.CreateStore(c32(0), field(2));
        B.CreateStore(ConstantPointerNull::get(cast<PointerType>(ptr)), field(6));
        stmt(*s.body[1]);
        B.CreateBr(done);
        B.SetInsertPoint(done);
        break;
    }
    }
}

void CodeGen::delete_stmt(const Stmt &s) {
    const Expr &t = *s.expr;
    if (t.kind == ExprKind::Var) {
        if (LocalSlot *l = local_of(t.text)) {
            if (l->type == ktap::Type::String)
                B.CreateStore(ConstantInt::get(i8, 0), l->addr);
            else
                B.CreateStore(cst(0), l->addr);
            return;
        }
        const GlobalDecl *g = global_of(t);
        uint64_t off = L.slot(g).value_off;
        if (g->arity > 0)
            B.CreateCall(rt("kt_map_clear", voidTy, {ptr, i64}), {ctxArg, cst(static_cast<int64_t>(off))});
        else if (g->type == ktap::Type::Stats)
            B.CreateCall(rt("kt_stat_clear", voidTy, {ptr, i64}), {ctxArg, cst(static_cast<int64_t>(off))});
        else if (g->type == ktap::Type::String)
            B.CreateStore(ConstantInt::get(i8, 0), arena_at(off));
        else
            B.CreateStore(cst(0), arena_at(off));
        return;
    }
    const GlobalDecl *g = global_of(t);
    uint64_t off = L.slot(g).value_off;
    uint32_t wild = 0;
    Value *key = key_of(t, &wild);
    if (wild)
        B.CreateCall(rt("kt_map_delete_matching", voidTy, {ptr, i64, ptr, i32}),
                     {ctxArg, cst(static_cast<int64_t>(off)), key, c32(static_cast<int32_t>(wild))});
    else
        B.CreateCall(rt("kt_map_delete", voidTy, {ptr, i64, ptr}),
                     {ctxArg, cst(static_cast<int64_t>(off)), key});
}

void CodeGen::foreach_stmt(const Stmt &s) {
    const Expr &src = *s.source;
    BasicBlock *head = block("foreach"), *body = block("foreach_body"),
               *step = block("foreach_next"), *done = block("foreach_done");
    Value *counter = entry_alloca(i32, "i");
    Value *count;
    // A negative limit iterates nothing (stap's loop counts down from it); no limit is -1.
    Value *limit = cst(-1);
    if (s.limit) {
        Value *given = expr(*s.limit);
        limit = B.CreateSelect(B.CreateICmpSLT(given, cst(0)), cst(0), given);
    }
    if (src.kind == ExprKind::Histogram) {
        const Expr &stat_expr = hist_source(src);
        const GlobalDecl *g = global_of(stat_expr);
        if (stat_expr.kind == ExprKind::Index) {
            unsupported(src.loc, "foreach over the histogram of an array element");
            return;
        }
        Value *stat = cst(static_cast<int64_t>(L.slot(g).value_off));
        count = B.CreateCall(rt("kt_hist_buckets", i32, {ptr, i64}), {ctxArg, stat});
        B.CreateStore(c32(0), counter);
        B.CreateBr(head);
        B.SetInsertPoint(head);
        Value *i = B.CreateLoad(i32, counter);
        Value *more = B.CreateICmpSLT(i, count);
        Value *under = B.CreateOr(B.CreateICmpSLT(limit, cst(0)),
                                  B.CreateICmpSLT(B.CreateSExt(i, i64), limit));
        B.CreateCondBr(B.CreateAnd(more, under), body, done);
        B.SetInsertPoint(body);
        B.CreateStore(B.CreateSExt(i, i64), local_of(s.keys[0].name)->addr);
        if (!s.value_var.empty()) {
            Value *v = B.CreateCall(rt("kt_hist_bucket", i64, {ptr, i64, i64}),
                                    {ctxArg, stat, B.CreateSExt(i, i64)});
            B.CreateStore(v, local_of(s.value_var)->addr);
        }
    } else {
        const GlobalDecl *g = global_of(src);
        const GlobalSlot &slot = L.slot(g);
        int64_t off = static_cast<int64_t>(slot.value_off);
        Value *indices = entry_alloca(ArrayType::get(i32, slot.capacity), "entries");
        int sort_by = -1, dir = 0;
        for (size_t k = 0; k < s.keys.size(); ++k)
            if (s.keys[k].sort) {
                sort_by = static_cast<int>(k) + 1;
                dir = s.keys[k].sort;
            }
        if (s.value_sort) {
            sort_by = 0;
            dir = s.value_sort;
        }
        if (s.array_sort) {
            sort_by = 0;
            dir = s.array_sort;
        }
        static const std::map<std::string, int> aggs = {{"@count", KT_AGG_COUNT},
                                                        {"@sum", KT_AGG_SUM},
                                                        {"@min", KT_AGG_MIN},
                                                        {"@max", KT_AGG_MAX},
                                                        {"@avg", KT_AGG_AVG}};
        int agg = s.sort_aggregate.empty() ? KT_AGG_COUNT : aggs.at(s.sort_aggregate);
        Value *slice = ConstantPointerNull::get(cast<PointerType>(ptr));
        uint32_t wild = 0;
        if (src.kind == ExprKind::Index)
            slice = key_of(src, &wild);
        count = B.CreateCall(
            rt("kt_map_sorted", i32, {ptr, i64, i32, i32, i32, i64, ptr, i32, ptr}),
            {ctxArg, cst(off), c32(sort_by), c32(dir), c32(agg), limit, slice,
             c32(static_cast<int32_t>(wild)), B.CreateGEP(ArrayType::get(i32, slot.capacity),
                                                          indices, {c32(0), c32(0)})});
        B.CreateStore(c32(0), counter);
        B.CreateBr(head);
        B.SetInsertPoint(head);
        Value *i = B.CreateLoad(i32, counter);
        B.CreateCondBr(B.CreateICmpSLT(i, count), body, done);
        B.SetInsertPoint(body);
        Value *entry = B.CreateLoad(
            i32, B.CreateGEP(ArrayType::get(i32, slot.capacity), indices, {c32(0), i}));
        for (size_t k = 0; k < s.keys.size(); ++k) {
            LocalSlot *l = local_of(s.keys[k].name);
            if (g->key_types[k] == ktap::Type::String) {
                Value *ks = B.CreateCall(rt("kt_map_key_str", ptr, {ptr, i64, i32, i32}),
                                         {ctxArg, cst(off), entry, c32(static_cast<int>(k))});
                B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {l->addr, ks, c32(strCap)});
            } else {
                Value *kv = B.CreateCall(rt("kt_map_key_long", i64, {ptr, i64, i32, i32}),
                                         {ctxArg, cst(off), entry, c32(static_cast<int>(k))});
                B.CreateStore(kv, l->addr);
            }
        }
        if (!s.value_var.empty()) {
            LocalSlot *l = local_of(s.value_var);
            if (g->type == ktap::Type::String) {
                Value *vs = B.CreateCall(rt("kt_map_str", ptr, {ptr, i64, i32}), {ctxArg, cst(off), entry});
                B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {l->addr, vs, c32(strCap)});
            } else {
                Value *vp = B.CreateCall(rt("kt_map_long", ptr, {ptr, i64, i32}), {ctxArg, cst(off), entry});
                B.CreateStore(B.CreateLoad(i64, vp), l->addr);
            }
        }
    }
    loops.push_back({done, step, where_stmt(s)});
    stmt(*s.body[0]);
    loops.pop_back();
    B.CreateBr(step);
    B.SetInsertPoint(step);
    B.CreateStore(B.CreateAdd(B.CreateLoad(i32, counter), c32(1)), counter);
    B.CreateBr(head);
    B.SetInsertPoint(done);
}

// ---------------------------------------------------------------------------------------------
// Functions and probes

void CodeGen::collect_expr(const Expr &e, std::set<const GlobalDecl *> &reads,
                           std::set<const GlobalDecl *> &writes,
                           std::set<const FunctionDecl *> &seen, bool written) {
    if (e.kind == ExprKind::Var || e.kind == ExprKind::Index || e.kind == ExprKind::In) {
        if (const GlobalDecl *g = global_of(e))
            (written ? writes : reads).insert(g);
    }
    if (e.kind == ExprKind::Call) {
        if (const FunctionDecl *f = resolve_call(e))
            for (const FunctionDecl *o : overloads(f))
                if (seen.insert(o).second)
                    collect_globals(*o->body, reads, writes, seen);
    }
    bool writes_first = e.kind == ExprKind::IncDec ||
                        (e.kind == ExprKind::Assign && e.op != "<<<");
    for (size_t i = 0; i < e.args.size(); ++i)
        if (e.args[i])
            collect_expr(*e.args[i], reads, writes, seen, writes_first && i == 0);
    if (e.hist_index)
        collect_expr(*e.hist_index, reads, writes, seen, false);
    for (const auto &step : e.chain)
        if (step.index)
            collect_expr(*step.index, reads, writes, seen, false);
}

void CodeGen::collect_globals(const Stmt &s, std::set<const GlobalDecl *> &reads,
                              std::set<const GlobalDecl *> &writes,
                              std::set<const FunctionDecl *> &seen) {
    if (s.kind == StmtKind::Delete && s.expr)
        collect_expr(*s.expr, reads, writes, seen, true);
    else if (s.expr)
        collect_expr(*s.expr, reads, writes, seen, false);
    for (const ExprPtr *e : {&s.init, &s.step, &s.source, &s.limit})
        if (*e)
            collect_expr(**e, reads, writes, seen, false);
    for (const auto &b : s.body)
        if (b)
            collect_globals(*b, reads, writes, seen);
}

void CodeGen::lock_globals(const std::set<const GlobalDecl *> &reads,
                           const std::set<const GlobalDecl *> &writes) {
    // A fixed global order (arena offset) makes deadlock impossible.
    std::map<uint64_t, bool> order;  // lock offset -> write
    for (const GlobalDecl *g : reads)
        order[L.slot(g).lock_off] |= false;
    for (const GlobalDecl *g : writes) {
        // Statistics only add into per-thread slots: a read lock is enough for `<<<`.
        bool stats_only = g->type == ktap::Type::Stats;
        order[L.slot(g).lock_off] |= !stats_only;
    }
    std::vector<std::pair<uint64_t, bool>> taken;
    BasicBlock *skip = block("skip");
    // unwind[k] releases the first k locks in reverse order, then skips the handler: a chain,
    // so a failed lock costs one branch into it (not a copy of every unlock per lock).
    std::vector<BasicBlock *> unwind{skip};
    for (const auto &[off, write] : order) {
        Value *ok = B.CreateCall(rt(write ? "kt_lock_write" : "kt_lock_read", i32, {ptr, i64}),
                                 {ctxArg, cst(static_cast<int64_t>(off))});
        BasicBlock *got = block("locked");
        B.CreateCondBr(B.CreateICmpNE(ok, c32(0)), got, unwind.back());
        taken.emplace_back(off, write);
        BasicBlock *release = block("unwind");
        IRBuilder<> ub(release);
        ub.CreateCall(rt(write ? "kt_unlock_write" : "kt_unlock_read", voidTy, {ptr, i64}),
                      {ctxArg, cst(static_cast<int64_t>(off))});
        ub.CreateBr(unwind.back());
        unwind.push_back(release);
        B.SetInsertPoint(got);
    }
    // Unlock on every way out: done and fail blocks branch to `unlock`.
    BasicBlock *body = B.GetInsertBlock();
    BasicBlock *unlock = block("unlock");
    B.SetInsertPoint(unlock);
    for (auto it = taken.rbegin(); it != taken.rend(); ++it)
        B.CreateCall(rt(it->second ? "kt_unlock_write" : "kt_unlock_read", voidTy, {ptr, i64}),
                     {ctxArg, cst(static_cast<int64_t>(it->first))});
    B.CreateRetVoid();
    B.SetInsertPoint(skip);  // kt_lock_* counted the skip
    B.CreateRetVoid();
    doneBlock = block("done");
    failExit = block("fail");
    B.SetInsertPoint(doneBlock);
    B.CreateBr(unlock);
    B.SetInsertPoint(failExit);
    B.CreateBr(unlock);
    B.SetInsertPoint(body);
}

void CodeGen::declare_functions() {
    for (const FunctionDecl *f : P.functions) {
        std::vector<llvm::Type *> params{ptr};
        if (f->ret == ktap::Type::String)
            params.push_back(ptr);
        for (const auto &p : f->params)
            params.push_back(p.type == ktap::Type::String ? ptr : i64);
        llvm::Type *ret = f->ret == ktap::Type::Long ? i64 : voidTy;
        std::string name = "ktap_fn_" + f->name + "_" + std::to_string(f->params.size()) + "_" +
                           std::to_string(fnMap.size());
        Function *fn = Function::Create(FunctionType::get(ret, params, false),
                                        GlobalValue::InternalLinkage, name, M);
        fn->addFnAttr(Attribute::NoUnwind);
        fnMap[f] = fn;
    }
}

void CodeGen::gen_function(const FunctionDecl &f, size_t) {
    F = fnMap.at(&f);
    tokenizeState = nullptr;
    curFn = &f;
    curProbe = nullptr;
    locals.clear();
    loops.clear();
    maxaction = L.limits.maxaction_begin_end;
    BasicBlock *entry = BasicBlock::Create(C, "entry", F);
    B.SetInsertPoint(entry);
    auto arg = F->arg_begin();
    ctxArg = &*arg++;
    arenaPtr = B.CreateLoad(ptr, field(0), "arena");
    if (f.ret == ktap::Type::String) {
        retSlot = &*arg++;
    } else {
        retSlot = entry_alloca(i64, "ret");
        B.CreateStore(cst(0), retSlot);
    }
    for (const auto &p : f.params) {
        Value *a = &*arg++;
        LocalSlot s;
        s.type = p.type;
        if (p.type == ktap::Type::String) {
            s.addr = entry_alloca(ArrayType::get(i8, strCap), p.name.c_str());
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {s.addr, a, c32(strCap)});
        } else {
            s.addr = entry_alloca(i64, p.name.c_str());
            B.CreateStore(a, s.addr);
        }
        locals[p.name] = s;
    }
    setup_locals(f.locals);
    // MAXNESTING: depth++ on entry, depth-- on every way out.
    Value *depth = B.CreateAdd(B.CreateLoad(i32, field(4)), c32(1));
    B.CreateStore(depth, field(4));
    doneBlock = block("done");
    failExit = block("fail");
    errorTarget = failExit;
    BasicBlock *deep = block("toodeep"), *ok = block("body");
    B.CreateCondBr(B.CreateICmpSGT(depth, c32(L.limits.maxnesting)), deep, ok);
    B.SetInsertPoint(deep);
    B.CreateCall(rt("kt_error", voidTy, {ptr, i32, ptr}),
                 {ctxArg, c32(KT_ERR_MAXNESTING), str_const("MAXNESTING exceeded")});
    B.CreateStore(str_const("identifier '" + f.name + "' at " + f.loc.str()), field(6));
    B.CreateBr(failExit);
    B.SetInsertPoint(ok);
    stmt(*f.body);
    B.CreateBr(doneBlock);
    BasicBlock *out = block("out");
    B.SetInsertPoint(doneBlock);
    B.CreateBr(out);
    B.SetInsertPoint(failExit);
    B.CreateBr(out);
    B.SetInsertPoint(out);
    B.CreateStore(B.CreateSub(B.CreateLoad(i32, field(4)), c32(1)), field(4));
    if (f.ret == ktap::Type::Long)
        B.CreateRet(B.CreateLoad(i64, retSlot));
    else
        B.CreateRetVoid();
}

// ---------------------------------------------------------------------------------------------
// Probe context of function and return probes (runtime/lang/kt_target.c reads the registers
// the engine saved). Returns nullptr when `n` is not one of these.

Value *CodeGen::context_builtin(const std::string &n, const Expr &e, std::vector<Value *> &vals) {
    static const std::map<std::string, int32_t> arg_kinds = {
        {"int_arg", KT_ARG_INT},      {"s32_arg", KT_ARG_INT},     {"uint_arg", KT_ARG_UINT},
        {"u32_arg", KT_ARG_UINT},     {"long_arg", KT_ARG_LONG},   {"ulong_arg", KT_ARG_ULONG},
        {"pointer_arg", KT_ARG_ULONG}, {"s64_arg", KT_ARG_S64},    {"longlong_arg", KT_ARG_S64},
        {"u64_arg", KT_ARG_U64},      {"ulonglong_arg", KT_ARG_U64}};
    auto checked = [&](Value *v) {
        check_error(where(e));
        return v;
    };
    auto string_of = [&](const char *fn) {
        Value *tmp = str_temp();
        B.CreateCall(rt(fn, voidTy, {ptr, ptr, i32}), {ctxArg, tmp, c32(strCap)});
        return tmp;
    };
    if (auto it = arg_kinds.find(n); it != arg_kinds.end())
        return checked(B.CreateCall(rt("kt_ctx_arg", i64, {ptr, i64, i32}),
                                    {ctxArg, vals[0], c32(it->second)}));
    if (n == "register" || n == "u_register")
        return checked(B.CreateCall(rt("kt_ctx_register", i64, {ptr, ptr, i32}),
                                    {ctxArg, vals[0], c32(n == "u_register")}));
    if (n == "returnval")
        return checked(B.CreateCall(rt("kt_ctx_returnval", i64, {ptr}), {ctxArg}));
    if (n == "returnstr") {
        // stap: returnstr(1) decimal, returnstr(2) hexadecimal.
        const Expr &fmt = *e.args[0];
        if (fmt.kind != ExprKind::Number || (fmt.number != 1 && fmt.number != 2)) {
            unsupported(e.loc, "returnstr() with a format other than the literal 1 or 2");
            return cst(0);
        }
        Value *v = checked(B.CreateCall(rt("kt_ctx_returnval", i64, {ptr}), {ctxArg}));
        Value *tmp = str_temp();
        if (fmt.number == 1) {
            B.CreateCall(rt("kt_long_to_str", voidTy, {ptr, i64, i32}), {tmp, v, c32(strCap)});
            return tmp;
        }
        Value *args = entry_alloca(fmtArgTy, "fmtarg");
        B.CreateStore(v, B.CreateStructGEP(fmtArgTy, args, 0));
        B.CreateStore(ConstantPointerNull::get(PointerType::get(C, 0)),
                      B.CreateStructGEP(fmtArgTy, args, 1));
        B.CreateCall(rt("kt_format", i32, {ptr, ptr, i32, ptr, ptr, i32}),
                     {ctxArg, tmp, c32(strCap), str_const("%#x"), args, c32(1)});
        return tmp;
    }
    if (n == "uaddr")
        return B.CreateCall(rt("kt_ctx_uaddr", i64, {ptr}), {ctxArg});
    if (n == "is_return")
        return B.CreateZExt(B.CreateLoad(i32, field(10)), i64);
    if (n == "ppfunc" || n == "probefunc")
        return string_of("kt_ctx_ppfunc");
    if (n == "probemod")
        return string_of("kt_ctx_probemod");
    if (Value *v = backtrace_builtin(n, vals))
        return v;
    if (n == "user_string" || n == "user_string_n" || n == "user_string_quoted" ||
        n == "user_string_n_quoted") {
        bool has_n = n.find("_n") != std::string::npos;
        bool quoted = n.find("quoted") != std::string::npos;
        size_t deflt_at = has_n ? 2 : 1;
        Value *maxlen = has_n ? vals[1] : cst(-1);
        bool has_default = !quoted && vals.size() > deflt_at;
        Value *deflt = has_default ? vals[deflt_at]
                                   : ConstantPointerNull::get(PointerType::get(C, 0));
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_user_string", voidTy, {ptr, ptr, i64, i64, ptr, i32, i32}),
                     {ctxArg, tmp, vals[0], maxlen, deflt, c32(quoted), c32(strCap)});
        if (!has_default && !quoted)
            check_error(where(e));
        return tmp;
    }
    static const std::map<std::string, std::pair<int, bool>> user_ints = {
        {"user_char", {1, true}},    {"user_short", {2, true}},  {"user_ushort", {2, false}},
        {"user_int", {4, true}},     {"user_uint", {4, false}},  {"user_long", {0, true}},
        {"user_ulong", {0, false}},  {"user_int8", {1, true}},   {"user_uint8", {1, false}},
        {"user_int16", {2, true}},   {"user_uint16", {2, false}}, {"user_int32", {4, true}},
        {"user_uint32", {4, false}}, {"user_int64", {8, true}},  {"user_uint64", {8, false}}};
    if (auto it = user_ints.find(n); it != user_ints.end()) {
        int bytes = it->second.first ? it->second.first : wordBytes;
        return checked(B.CreateCall(rt("kt_user_int", i64, {ptr, i64, i32, i32}),
                                    {ctxArg, vals[0], c32(bytes), c32(it->second.second)}));
    }
    return nullptr;
}

// Backtraces and symbols (runtime/lang/kt_unwind.c): unwinding runs here, in the target;
// symbolic forms are markers that ktap expands when it prints (docs/backtraces.md).
Value *CodeGen::backtrace_builtin(const std::string &n, std::vector<Value *> &vals) {
    Value *maxframes = c32(L.limits.maxbacktrace);
    if (n == "ubacktrace" || n == "ucallers") {
        bool callers = n == "ucallers";
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_ubacktrace", voidTy, {ptr, ptr, i64, i64, i32, i32}),
                     {ctxArg, tmp, cst(callers ? 1 : 0), callers ? vals[0] : cst(-1),
                      callers ? c32(L.limits.maxbacktrace + 1) : maxframes, c32(strCap)});
        return tmp;
    }
    static const std::map<std::string, char> printed = {{"print_ubacktrace", 'F'},
                                                        {"print_ubacktrace_brief", 'B'},
                                                        {"print_ubacktrace_fileline", 'L'}};
    if (auto it = printed.find(n); it != printed.end()) {
        B.CreateCall(rt("kt_print_ubacktrace", voidTy, {ptr, i32, i32}),
                     {ctxArg, c32(it->second), maxframes});
        return cst(0);
    }
    if (n == "sprint_ubacktrace") {
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_sprint_ubacktrace", voidTy, {ptr, ptr, i32, i32}),
                     {ctxArg, tmp, maxframes, c32(strCap)});
        return tmp;
    }
    // print_ustack / print_usyms: one line per address as print_ubacktrace; sprint_ustack as
    // sprint_ubacktrace; sprint_usyms as print_usyms, into a string.
    static const std::map<std::string, std::pair<char, int>> stacks = {
        {"print_ustack", {'F', 1}}, {"print_usyms", {'F', 1}},
        {"sprint_ustack", {'S', 0}}, {"sprint_usyms", {'G', 0}},
        {"sprint_ustack_folded", {'C', 0}}};
    if (auto it = stacks.find(n); it != stacks.end()) {
        Value *tmp = it->second.second ? ConstantPointerNull::get(PointerType::get(C, 0))
                                       : str_temp();
        B.CreateCall(rt("kt_ustack", voidTy, {ptr, ptr, ptr, i32, i32, i32}),
                     {ctxArg, tmp, vals[0], c32(it->second.first), c32(it->second.second),
                      c32(strCap)});
        return it->second.second ? cst(0) : tmp;
    }
    if (n == "ustack")
        return B.CreateCall(rt("kt_ustack_frame", i64, {ptr, i64, i32}),
                            {ctxArg, vals[0], maxframes});
    static const std::map<std::string, char> symbols = {
        {"usymname", 'N'}, {"usymdata", 'D'},     {"usymfile", 'f'},
        {"usymline", 'n'}, {"usymfileline", 'l'}, {"umodname", 'M'}};
    if (auto it = symbols.find(n); it != symbols.end()) {
        Value *tmp = str_temp();
        B.CreateCall(rt("kt_usym", voidTy, {ptr, ptr, i64, i32, i32}),
                     {ctxArg, tmp, vals[0], c32(it->second), c32(strCap)});
        return tmp;
    }
    return nullptr;
}

// @entry(expr) in a return probe: the value ktap_entry_N stored when the function was entered.
Value *CodeGen::entry_value(const Expr &e) {
    if (inEntryPart)
        return expr(e.kind == ExprKind::AtOp ? *e.args[0] : e);
    auto it = entryOff.find(&e);
    if (it == entryOff.end()) {
        unsupported(e.loc, "@entry outside a return probe's body");
        return cst(0);
    }
    Value *data = B.CreateLoad(ptr, field(8), "entry_data");
    Value *at = B.CreateGEP(i8, data, cst(it->second));
    if (e.type == ktap::Type::String)
        return at;
    return B.CreateLoad(i64, at);
}

static void find_entry_exprs(const Expr &e, std::vector<const Expr *> &out);

static void find_entry_exprs(const Stmt &s, std::vector<const Expr *> &out) {
    for (const ExprPtr *e : {&s.expr, &s.init, &s.step, &s.source, &s.limit})
        if (*e)
            find_entry_exprs(**e, out);
    for (const auto &b : s.body)
        if (b)
            find_entry_exprs(*b, out);
}

static void find_entry_exprs(const Expr &e, std::vector<const Expr *> &out) {
    if (e.kind == ExprKind::AtOp && e.text == "@entry" && !e.args.empty()) {
        out.push_back(&e);
        return;
    }
    if (e.kind == ExprKind::AtOp && e.text == "@defined")
        return;  // decided at compile time
    if (e.kind == ExprKind::Unary && e.op == "&" && e.args[0]->kind == ExprKind::Target) {
        out.push_back(&e);  // &$var: the address at entry
        return;
    }
    // In a return probe a parameter or local is its value at entry: stap snapshots it there.
    if (e.kind == ExprKind::Target && e.text != "$return" && e.text != "$$return") {
        out.push_back(&e);  // with its index expressions, all evaluated at entry
        return;
    }
    for (const auto &a : e.args)
        if (a)
            find_entry_exprs(*a, out);
    for (const auto &step : e.chain)
        if (step.index)
            find_entry_exprs(*step.index, out);
    if (e.hist_index)
        find_entry_exprs(*e.hist_index, out);
}

// ktap_entry_N(ctx): runs when a return-probed function is entered, evaluates each @entry
// expression of probe N and stores it at its offset in ctx->entry_data.
void CodeGen::gen_entry_part(const ResolvedProbe &p, size_t index, size_t variant,
                             const std::vector<const Expr *> &entries) {
    F = Function::Create(FunctionType::get(voidTy, {ptr}, false), GlobalValue::ExternalLinkage,
                         entry_symbol(index, variant), M);
    F->addFnAttr(Attribute::NoUnwind);
    tokenizeState = nullptr;
    curFn = nullptr;
    curProbe = &p;
    locals.clear();
    loops.clear();
    maxaction = L.limits.maxaction;
    inEntryPart = true;
    BasicBlock *entry = BasicBlock::Create(C, "entry", F);
    B.SetInsertPoint(entry);
    ctxArg = &*F->arg_begin();
    arenaPtr = B.CreateLoad(ptr, field(0), "arena");
    std::set<const GlobalDecl *> reads, writes;
    std::set<const FunctionDecl *> seen;
    for (const Expr *e : entries)
        collect_expr(e->kind == ExprKind::AtOp ? *e->args[0] : *e, reads, writes, seen, false);
    lock_globals(reads, writes);
    errorTarget = failExit;
    setup_locals(p.locals);
    Value *data = B.CreateLoad(ptr, field(8), "entry_data");
    for (const Expr *e : entries) {
        // A target variable of a return probe's body is its value at entry (stap's snapshot).
        Value *v = expr(e->kind == ExprKind::AtOp ? *e->args[0] : *e);
        Value *at = B.CreateGEP(i8, data, cst(entryOff.at(e)));
        if (e->type == ktap::Type::String)
            B.CreateCall(rt("kt_strcpy", voidTy, {ptr, ptr, i32}), {at, v, c32(strCap)});
        else
            B.CreateStore(v, at);
    }
    B.CreateBr(doneBlock);
    inEntryPart = false;
}

void CodeGen::gen_probe(const ResolvedProbe &p, size_t index, size_t variant) {
    F = Function::Create(FunctionType::get(voidTy, {ptr}, false), GlobalValue::ExternalLinkage,
                         probe_symbol(index, variant), M);
    F->addFnAttr(Attribute::NoUnwind);
    tokenizeState = nullptr;
    curFn = nullptr;
    curProbe = &p;
    locals.clear();
    loops.clear();
    bool interruptible = p.info.kind == ProbeKind::Begin || p.info.kind == ProbeKind::End ||
                         p.info.kind == ProbeKind::Error;
    maxaction = interruptible ? L.limits.maxaction_begin_end : L.limits.maxaction;
    BasicBlock *entry = BasicBlock::Create(C, "entry", F);
    B.SetInsertPoint(entry);
    ctxArg = &*F->arg_begin();
    arenaPtr = B.CreateLoad(ptr, field(0), "arena");
    std::set<const GlobalDecl *> reads, writes;
    std::set<const FunctionDecl *> seen;
    collect_globals(*p.body, reads, writes, seen);
    if (p.condition)
        collect_expr(*p.condition, reads, writes, seen, false);
    lock_globals(reads, writes);
    errorTarget = failExit;
    setup_locals(p.locals);
    bool empty = never_called(p);
    if (p.condition && !empty) {
        BasicBlock *run = block("run");
        B.CreateCondBr(cond(*p.condition), run, doneBlock);
        B.SetInsertPoint(run);
    }
    if (!empty)
        stmt(*p.body);
    B.CreateBr(doneBlock);
}

bool CodeGen::run() {
    declare_functions();
    for (const FunctionDecl *f : P.functions)
        gen_function(*f, 0);
    for (size_t i = 0; i < P.probes.size(); ++i) {
        const ResolvedProbe &p = *P.probes[i];
        entryOff.clear();
        uint32_t bytes = 0;
        std::vector<const Expr *> entries;
        if (p.info.is_return) {
            find_entry_exprs(*p.body, entries);
            if (p.condition)
                find_entry_exprs(*p.condition, entries);
            for (const Expr *e : entries) {
                entryOff[e] = bytes;
                bytes += e->type == ktap::Type::String ? (strCap + 7) / 8 * 8 : 8;
            }
        }
        entryBytesPerProbe.push_back(bytes);
        size_t variants = scopes && i < scopes->size() ? (*scopes)[i].size() : 0;
        for (size_t v = 0; v < std::max<size_t>(variants, 1); ++v) {
            curScope = variants ? &(*scopes)[i][v] : nullptr;
            if (!entries.empty() && !never_called(p))
                gen_entry_part(p, i, v, entries);
            gen_probe(p, i, v);
        }
        curScope = nullptr;
    }
    // Blocks left without a terminator after break/next/return are unreachable.
    for (Function &fn : M)
        for (BasicBlock &bb : fn)
            if (!bb.getTerminator()) {
                IRBuilder<> b(&bb);
                b.CreateUnreachable();
            }
    std::string err;
    raw_string_ostream os(err);
    if (verifyModule(M, &os)) {
        diag.error("internal error: generated IR does not verify: " + os.str());
        return false;
    }
    return !failed;
}

// A light IR pipeline (O1: SROA/mem2reg, instcombine, simplifycfg...): the generated IR keeps
// every local in memory and checks errors after each call; cleaning that up makes both the
// code and the machine-code generation that follows smaller and faster.
static void optimize_module(Module &m, TargetMachine &tm) {
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cam;
    ModuleAnalysisManager mam;
    PassBuilder pb(&tm);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cam, mam);
    ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(OptimizationLevel::O1);
    mpm.run(m, mam);
}

bool Backend::generate(const ElaboratedProgram &program, const Layout &layout,
                       const BackendOptions &opts, Diagnostics &diag) {
    impl_->arch = opts.arch;
    std::string error;
    impl_->machine = make_target_machine(opts.arch, opts.optimize, error, opts.general_regs_only);
    if (!impl_->machine) {
        diag.error(error);
        return false;
    }
    impl_->context = std::make_unique<LLVMContext>();
    impl_->module = std::make_unique<Module>("ktap", *impl_->context);
    impl_->module->setTargetTriple(impl_->machine->getTargetTriple().str());
    impl_->module->setDataLayout(impl_->machine->createDataLayout());
    CodeGen gen(*impl_->context, *impl_->module, program, layout, diag, opts.arch);
    gen.scopes = opts.scopes;
    gen.withoutTarget = opts.without_target;
    gen.skipBadvars = opts.skip_badvars;
    if (!gen.run())
        return false;
    impl_->entry_bytes = gen.entryBytesPerProbe;
    if (opts.optimize)
        optimize_module(*impl_->module, *impl_->machine);
    return true;
}

std::string Backend::ir_text() const {
    std::string s;
    raw_string_ostream os(s);
    impl_->module->print(os, nullptr);
    return os.str();
}

} // namespace ktap

namespace ktap {
uint32_t Backend::entry_data_bytes(size_t probe) const {
    return probe < impl_->entry_bytes.size() ? impl_->entry_bytes[probe] : 0;
}
} // namespace ktap
