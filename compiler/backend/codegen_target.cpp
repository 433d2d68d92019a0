// Target variables: `$var`, `$p->field[i]`, `&$var`, `$var$`/`$var$$`, `$$parms`..., `$return`,
// `@cast`, `@var`, `@defined`, lowered with the DWARF view of the function the handler is
// compiled for (TargetScope). A target expression is first resolved statically (names, members,
// offsets, types: errors are compile-time, as stap's pass 2), then emitted: the base object's
// place (a target address, or a buffer in the handler's frame for values DWARF keeps in
// registers), the chain's dereferences and offsets, and a fault-checked read of the final value.
#include "codegen_internal.h"

#include <algorithm>

namespace ktap {

using dwarf::TypeKind;

struct CodeGen::TargetPath {
    enum class Base { Variable, Address, Global };
    Base base = Base::Variable;
    const dwarf::Variable *var = nullptr;  // Variable, Global (points at `global`)
    dwarf::Variable global;                // @var
    uint64_t bias = 0;                     // load bias for Addr operations of the base
    const Expr *address = nullptr;         // @cast: the pointer value
    struct Step {
        enum class Kind { Deref, Offset, Index };
        Kind kind = Kind::Offset;
        uint64_t offset = 0;
        const Expr *index = nullptr;
        uint64_t elem = 0;   // Index: element size
        uint64_t count = 0;  // Index into an array: its length (0 unknown)
    };
    std::vector<Step> steps;
    const dwarf::Type *type = nullptr;  // the final object's type
    uint32_t bit_size = 0, bit_offset = 0;
    std::string name;  // "$p" or "@cast(...)" for messages
};

struct CodeGen::Place {
    bool local = false;  // addr points into the handler's frame (register-held values)
    Value *addr = nullptr;  // i64 target address, or a pointer when local
    uint64_t size = 0;      // local: bytes in the buffer
};

namespace {

const char *kind_word(TypeKind k) {
    switch (k) {
    case TypeKind::Struct: return "struct";
    case TypeKind::Union: return "union";
    default: return "value";
    }
}

std::string type_name_of(const dwarf::Type *t) { return t ? t->name : "void"; }

// The member `name` of a struct/union, looking into anonymous members as C does.
bool find_member(const dwarf::Type *t, const std::string &name, uint64_t base,
                 const dwarf::Member *&found, uint64_t &offset) {
    for (const auto &m : t->members) {
        if (m.name == name) {
            found = &m;
            offset = base + m.offset;
            return true;
        }
        if (m.name.empty() && m.type &&
            (m.type->kind == TypeKind::Struct || m.type->kind == TypeKind::Union) &&
            find_member(m.type, name, base + m.offset, found, offset))
            return true;
    }
    return false;
}

void member_names(const dwarf::Type *t, std::string &out) {
    for (const auto &m : t->members) {
        if (m.name.empty() && m.type)
            member_names(m.type, out);
        else
            out += (out.empty() ? "" : " ") + m.name;
    }
}

bool is_scalar(const dwarf::Type *t) {
    return t && (t->kind == TypeKind::Integer || t->kind == TypeKind::Bool ||
                 t->kind == TypeKind::Enum || t->kind == TypeKind::Pointer);
}

std::string hex(uint64_t v) {
    char b[32];
    snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

// Offsets of the DWARF registers in struct kt_regs (runtime/include/ktap/rt.h); -1: not saved.
int reg_offset(int dwarf_reg, int word) {
    if (word == 8) {
        // r15 r14 r13 r12 r11 r10 r9 r8 rdi rsi rbp rbx rdx rcx rax flags sp ip
        static const int off[] = {112, 96, 104, 88, 72, 64, 80, 128, 56, 48, 40, 32,
                                  24,  16, 8,   0,  136};
        return dwarf_reg >= 0 && dwarf_reg < 17 ? off[dwarf_reg] : -1;
    }
    // edi esi ebp ebx edx ecx eax flags sp ip
    static const int off[] = {24, 20, 16, 12, 32, 8, 4, 0, 36};
    return dwarf_reg >= 0 && dwarf_reg < 9 ? off[dwarf_reg] : -1;
}

// Whether every register the location names is one the trampolines save (struct kt_regs):
// GCC may keep an integer in a vector register, which handlers cannot read.
bool in_saved_registers(const dwarf::Location &loc, int word) {
    for (const auto &p : loc.pieces) {
        if (p.kind == dwarf::Piece::Kind::Register && reg_offset(p.reg, word) < 0)
            return false;
        for (const auto &op : p.ops)
            if (op.op == dwarf::Op::Reg && reg_offset(op.reg, word) < 0)
                return false;
    }
    return true;
}

} // namespace

Value *CodeGen::dwarf_reg(int reg) {
    int off = reg_offset(reg, wordBytes);
    if (off < 0)
        return cst(0);  // resolve_target and whole_vars refuse such locations
    Value *regs = B.CreateLoad(ptr, field(7), "regs");
    Value *at = B.CreateGEP(i8, regs, cst(off));
    if (wordBytes == 8)
        return B.CreateAlignedLoad(i64, at, MaybeAlign(8));
    return B.CreateZExt(B.CreateAlignedLoad(i32, at, MaybeAlign(4)), i64);
}

// A DWARF expression reduced by the reader (dwarf::LocOp) as IR over 64-bit values; addresses
// of a 32-bit target wrap at 32 bits.
Value *CodeGen::eval_ops(const std::vector<dwarf::LocOp> &ops, uint64_t bias, const Expr &e) {
    std::vector<Value *> st;
    auto pop = [&]() {
        if (st.empty())
            return cst(0);
        Value *v = st.back();
        st.pop_back();
        return v;
    };
    for (const auto &op : ops) {
        using dwarf::Op;
        switch (op.op) {
        case Op::Reg: st.push_back(dwarf_reg(op.reg)); break;
        case Op::Const: st.push_back(cst(op.value)); break;
        case Op::Addr: st.push_back(cst(static_cast<int64_t>(op.value + bias))); break;
        case Op::CFA: st.push_back(B.CreateAdd(dwarf_reg(wordBytes == 8 ? 7 : 4), cst(wordBytes)));
            break;
        case Op::Neg: st.push_back(B.CreateNeg(pop())); break;
        case Op::Not: st.push_back(B.CreateNot(pop())); break;
        case Op::Deref: {
            Value *a = pop();
            uint32_t n = op.size ? op.size : static_cast<uint32_t>(wordBytes);
            Value *v = B.CreateCall(rt("kt_user_int", i64, {ptr, i64, i32, i32}),
                                    {ctxArg, a, c32(static_cast<int32_t>(n)), c32(0)});
            check_error(where(e));
            st.push_back(v);
            break;
        }
        default: {
            Value *b = pop(), *a = pop();
            switch (op.op) {
            case Op::Add: st.push_back(B.CreateAdd(a, b)); break;
            case Op::Sub: st.push_back(B.CreateSub(a, b)); break;
            case Op::Mul: st.push_back(B.CreateMul(a, b)); break;
            case Op::And: st.push_back(B.CreateAnd(a, b)); break;
            case Op::Or: st.push_back(B.CreateOr(a, b)); break;
            case Op::Xor: st.push_back(B.CreateXor(a, b)); break;
            case Op::Shl: st.push_back(B.CreateShl(a, b)); break;
            case Op::Shr: st.push_back(B.CreateLShr(a, b)); break;
            case Op::Shra: st.push_back(B.CreateAShr(a, b)); break;
            default: st.push_back(a); break;
            }
        }
        }
    }
    Value *v = pop();
    if (wordBytes == 4)
        v = B.CreateAnd(v, cst(0xffffffffLL));
    return v;
}

// Static resolution of a target expression: its base (a variable of the scope, @cast's pointer,
// @var's global) and the chain's steps. False with a stap-like message and where it applies.
bool CodeGen::resolve_target(const Expr &e, TargetPath &path, std::string &error,
                             SourceLoc &at) {
    at = e.loc;
    const TargetScope *s = curScope;
    auto in_function = [&]() {
        return " near pc " + hex(s->pc) + " in " + s->function +
               (s->decl.empty() ? "" : " (" + s->decl + ")") + " of " + s->module_path;
    };
    if (!s) {
        error = "target variables need the probed function's DWARF";
        return false;
    }
    auto need_info = [&](const std::string &what) {
        if (s->info)
            return true;
        error = what + ": " + s->module_path + " has no DWARF" +
                (s->no_dwarf.empty() ? "" : " (" + s->no_dwarf + ")");
        return false;
    };
    const dwarf::Type *t = nullptr;
    if (e.kind == ExprKind::Target) {
        std::string name = e.text.substr(1);
        path.name = e.text;
        if (name == "return") {
            if (!s->has_return) {
                error = "'$return' is only available in .return probes";
                return false;
            }
            if (!need_info("unable to find return value"))
                return false;
            if (!s->ret.type) {
                error = "unable to find return value" + in_function() + ": the function returns void";
                return false;
            }
            path.var = &s->ret;
        } else {
            if (!need_info("unable to find local '" + name + "'"))
                return false;
            for (const auto *list : {&s->parameters, &s->locals})
                for (const auto &v : *list)
                    if (v.name == name && !path.var)
                        path.var = &v;
            if (!path.var) {
                std::string alt;
                for (const auto *list : {&s->parameters, &s->locals})
                    for (const auto &v : *list)
                        alt += (alt.empty() ? "$" : " $") + v.name;
                error = "unable to find local '" + name + "'" + in_function() +
                        (alt.empty() ? "" : " (alternatives: " + alt + ")");
                return false;
            }
        }
        if (!path.var->location.available()) {
            error = "'" + e.text + "' is not available" + in_function() + ": " +
                    (path.var->location.unavailable.empty() ? "optimized out"
                                                            : path.var->location.unavailable);
            return false;
        }
        if (!in_saved_registers(path.var->location, wordBytes)) {
            error = "'" + e.text + "' is not available" + in_function() +
                    ": it is in a register ktap does not save (a vector register)";
            return false;
        }
        path.base = TargetPath::Base::Variable;
        path.bias = s->bias;
        t = path.var->type;
    } else if (e.text == "@cast" || e.text == "@var") {
        std::shared_ptr<dwarf::DebugInfo> info = s->info;
        uint64_t bias = s->bias;
        std::string module = s->module_path;
        size_t module_arg = e.text == "@cast" ? 2 : 1;
        if (e.args.size() > module_arg) {
            module = e.args[module_arg]->text;
            if (!s->other_module || !s->other_module(module, info, bias, error)) {
                if (error.empty())
                    error = "no module '" + module + "' in the target";
                at = e.args[module_arg]->loc;
                return false;
            }
        } else if (!need_info(e.text)) {
            return false;
        }
        if (e.text == "@cast") {
            if (e.args.size() < 2)
                return false;
            const std::string &tn = e.args[1]->text;
            t = info->find_type(tn);
            // A bare name may be a struct, union or enum tag (stap's dwarf_cast_query).
            for (const char *tag : {"struct ", "union ", "enum "})
                if (!t && tn.find(' ') == std::string::npos && tn.find('*') == std::string::npos)
                    t = info->find_type(tag + tn);
            if (!t) {
                error = "type definition '" + tn + "' not found in " + module;
                at = e.args[1]->loc;
                return false;
            }
            path.base = TargetPath::Base::Address;
            path.address = e.args[0].get();
            path.name = "@cast(..., \"" + tn + "\")";
        } else {
            std::string spec = e.args.empty() ? "" : e.args[0]->text;
            std::string name = spec, file;
            if (size_t a = spec.find('@'); a != std::string::npos) {
                name = spec.substr(0, a);
                file = spec.substr(a + 1);
            }
            if (!info->find_global(name, file, path.global)) {
                error = "unable to find global '" + spec + "' in " + module;
                at = e.args.empty() ? e.loc : e.args[0]->loc;
                return false;
            }
            path.base = TargetPath::Base::Global;
            path.var = &path.global;
            path.bias = bias;
            path.name = "@var(\"" + spec + "\")";
            t = path.global.type;
        }
    } else {
        error = "not a target expression";
        return false;
    }
    for (const TargetStep &step : e.chain) {
        at = step.loc;
        if (path.bit_size) {
            error = "'" + path.name + "' is a bitfield: no member or index applies";
            return false;
        }
        if (!step.is_index) {
            if (t && t->kind == TypeKind::Pointer) {
                path.steps.push_back({TargetPath::Step::Kind::Deref});
                t = t->target;
            }
            if (!t || (t->kind != TypeKind::Struct && t->kind != TypeKind::Union)) {
                error = "'->" + step.field + "' needs a struct or union, but the type is '" +
                        type_name_of(t) + "'";
                return false;
            }
            if (t->incomplete) {
                error = "'" + t->name + "' has no definition in the module's DWARF";
                return false;
            }
            const dwarf::Member *m = nullptr;
            uint64_t off = 0;
            if (!find_member(t, step.field, 0, m, off)) {
                std::string alt;
                member_names(t, alt);
                error = "unable to find member '" + step.field + "' for " + t->name +
                        (alt.empty() ? "" : " (alternatives: " + alt + ")");
                return false;
            }
            TargetPath::Step st;
            st.kind = TargetPath::Step::Kind::Offset;
            st.offset = off;
            path.steps.push_back(st);
            path.bit_size = m->bit_size;
            path.bit_offset = m->bit_offset;
            t = m->type;
        } else {
            TargetPath::Step st;
            st.kind = TargetPath::Step::Kind::Index;
            st.index = step.index.get();
            if (t && t->kind == TypeKind::Array) {
                st.count = t->count;
            } else if (t && t->kind == TypeKind::Pointer) {
                path.steps.push_back({TargetPath::Step::Kind::Deref});
            } else {
                error = "'[...]' needs an array or a pointer, but the type is '" +
                        type_name_of(t) + "'";
                return false;
            }
            t = t->target;
            if (!t || !t->size) {
                error = "cannot index '" + type_name_of(t) + "' elements of unknown size";
                return false;
            }
            st.elem = t->size;
            path.steps.push_back(st);
        }
        path.name += step.is_index ? "[...]" : "->" + step.field;
    }
    // A C++ reference reads as the object it refers to (stap dereferences them implicitly).
    if (t && t->kind == TypeKind::Pointer && t->is_reference && t->target) {
        path.steps.push_back({TargetPath::Step::Kind::Deref});
        t = t->target;
    }
    path.type = t;
    return true;
}

// A target expression that cannot be resolved: an error, or 0 under --skip-badvars. Errors
// are reported once per place in the script (a probe compiled for many functions would
// otherwise repeat them).
bool CodeGen::target_fallback(const Expr &e, const std::string &error, const SourceLoc &at) {
    if (skipBadvars)
        return true;
    if (curScope && curScope->late) {
        raise(KT_ERR_USER, error, where(e));
        return true;
    }
    if (reportedTargetErrors.insert(at.str() + error).second)
        diag.error(at, error);
    failed = true;
    return false;
}

CodeGen::Place CodeGen::base_place(const TargetPath &path, const Expr &e) {
    Place pl;
    if (path.base == TargetPath::Base::Address) {
        pl.addr = expr(*path.address);
        if (wordBytes == 4)
            pl.addr = B.CreateAnd(pl.addr, cst(0xffffffffLL));
        return pl;
    }
    const dwarf::Location &loc = path.var->location;
    if (loc.in_memory()) {
        pl.addr = eval_ops(loc.pieces[0].ops, path.bias, e);
        return pl;
    }
    // Register-held (or computed, or split) value: assembled in a buffer of the handler's frame.
    uint64_t size = 0;
    for (const auto &p : loc.pieces)
        size += p.bytes;
    if (path.var->type)
        size = std::max<uint64_t>(size, path.var->type->size);
    uint64_t cap = (size + 15) / 8 * 8;
    Value *buf = entry_alloca(ArrayType::get(i8, cap), "tvar");
    B.CreateMemSet(buf, ConstantInt::get(i8, 0), cap, MaybeAlign(8));
    uint64_t off = 0;
    for (const auto &p : loc.pieces) {
        Value *at = B.CreateGEP(i8, buf, cst(static_cast<int64_t>(off)));
        Value *v = nullptr;
        switch (p.kind) {
        case dwarf::Piece::Kind::Register: v = dwarf_reg(p.reg); break;
        case dwarf::Piece::Kind::Value: v = eval_ops(p.ops, path.bias, e); break;
        case dwarf::Piece::Kind::Memory: {
            Value *a = eval_ops(p.ops, path.bias, e);
            uint32_t n = p.bytes == 1 || p.bytes == 2 || p.bytes == 4 ? p.bytes : 8;
            v = B.CreateCall(rt("kt_user_int", i64, {ptr, i64, i32, i32}),
                             {ctxArg, a, c32(static_cast<int32_t>(n)), c32(0)});
            check_error(where(e));
            break;
        }
        case dwarf::Piece::Kind::Implicit:
            for (size_t k = 0; k < p.data.size() && off + k < cap; ++k)
                B.CreateStore(ConstantInt::get(i8, p.data[k]),
                              B.CreateGEP(i8, buf, cst(static_cast<int64_t>(off + k))));
            break;
        case dwarf::Piece::Kind::Unavailable: break;
        }
        // Pieces come in order; an 8-byte store past a short piece is overwritten by the next.
        if (v && off + 8 <= cap)
            B.CreateAlignedStore(v, at, MaybeAlign(1));
        off += p.bytes ? p.bytes : static_cast<uint64_t>(wordBytes);
    }
    pl.local = true;
    pl.addr = buf;
    pl.size = size;
    return pl;
}

// Walks the chain: reads pointers, adds member offsets and indexes (bounds-checked in the
// handler's own buffers and, for arrays of known length, everywhere, as stap does).
CodeGen::Place CodeGen::follow(const TargetPath &path, const Expr &e) {
    Place pl = base_place(path, e);
    for (const auto &st : path.steps) {
        switch (st.kind) {
        case TargetPath::Step::Kind::Deref: {
            Value *v;
            if (pl.local) {
                llvm::Type *t = wordBytes == 8 ? i64 : i32;
                v = B.CreateAlignedLoad(t, pl.addr, MaybeAlign(1));
                if (wordBytes == 4)
                    v = B.CreateZExt(v, i64);
            } else {
                v = B.CreateCall(rt("kt_user_int", i64, {ptr, i64, i32, i32}),
                                 {ctxArg, pl.addr, c32(wordBytes), c32(0)});
                check_error(where(e));
            }
            pl = Place{false, v, 0};
            break;
        }
        case TargetPath::Step::Kind::Offset:
            if (pl.local)
                pl.addr = B.CreateGEP(i8, pl.addr, cst(static_cast<int64_t>(st.offset)));
            else
                pl.addr = B.CreateAdd(pl.addr, cst(static_cast<int64_t>(st.offset)));
            if (pl.local)
                pl.size = pl.size > st.offset ? pl.size - st.offset : 0;
            break;
        case TargetPath::Step::Kind::Index: {
            Value *idx = expr(*st.index);
            uint64_t bound = st.count;
            if (pl.local && (!bound || bound > pl.size / st.elem))
                bound = pl.size / st.elem;
            if (bound) {
                BasicBlock *bad = block("index_bad"), *ok = block("index_ok");
                B.CreateCondBr(B.CreateICmpUGE(idx, cst(static_cast<int64_t>(bound))), bad, ok);
                B.SetInsertPoint(bad);
                raise(KT_ERR_USER, "index out of bounds (" + std::to_string(bound) + " elements)",
                      where(e));
                B.CreateBr(ok);
                B.SetInsertPoint(ok);
            }
            Value *off = B.CreateMul(idx, cst(static_cast<int64_t>(st.elem)));
            if (pl.local) {
                pl.addr = B.CreateGEP(i8, pl.addr, off);
                pl.size = st.elem;
            } else {
                pl.addr = B.CreateAdd(pl.addr, off);
            }
            break;
        }
        }
    }
    return pl;
}

// An integer, enum, bool or pointer read from its place, widened to 64 bits by its sign.
Value *CodeGen::load_scalar(const Place &pl, const dwarf::Type *t, uint32_t bit_size,
                            uint32_t bit_offset, const Expr &e) {
    uint64_t size = t->kind == TypeKind::Pointer ? static_cast<uint64_t>(wordBytes) : t->size;
    bool is_signed = t->is_signed && t->kind != TypeKind::Pointer;
    if (bit_size) {
        uint32_t bits = bit_offset + bit_size;
        size = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
    }
    if (size != 1 && size != 2 && size != 4)
        size = 8;  // 16-byte integers: their low half
    Value *v;
    if (pl.local) {
        v = B.CreateAlignedLoad(IntegerType::get(C, static_cast<unsigned>(size * 8)), pl.addr,
                                MaybeAlign(1));
        v = is_signed && !bit_size ? B.CreateSExt(v, i64) : B.CreateZExt(v, i64);
    } else {
        v = B.CreateCall(rt("kt_user_int", i64, {ptr, i64, i32, i32}),
                         {ctxArg, pl.addr, c32(static_cast<int32_t>(size)),
                          c32(is_signed && !bit_size)});
        check_error(where(e));
    }
    if (bit_size) {
        v = B.CreateShl(v, cst(64 - bit_offset - bit_size));
        v = is_signed ? B.CreateAShr(v, cst(64 - bit_size)) : B.CreateLShr(v, cst(64 - bit_size));
    }
    return v;
}

// `$return` of a return probe whose function has no DWARF: the return register, as
// returnval() (typed by the site's return type when the symbol layer found one). Nothing else
// about such a value is known: no member, index or pretty printing.
bool CodeGen::register_return(const Expr &e) const {
    return e.kind == ExprKind::Target && e.text == "$return" && e.chain.empty() &&
           e.pretty.empty() && curProbe && curProbe->info.is_return &&
           (!curScope || !curScope->info);
}

Value *CodeGen::target_value(const Expr &e) {
    if (register_return(e)) {
        Value *v = B.CreateCall(rt("kt_ctx_return_value", i64, {ptr}), {ctxArg});
        check_error(where(e));
        return v;
    }
    if (!curScope) {
        // No DWARF view: the controller's copy of a target probe (never run), or -p3 without
        // a process.
        if (scopes) {
            target_fallback(e, "target variables need the probed function's DWARF", e.loc);
        }
        return e.type == ktap::Type::String ? str_const("") : cst(0);
    }
    if (curFn) {
        diag.error(e.loc, "target variables are only available in probe handlers: pass the "
                          "value to function '" + curFn->name + "' as an argument");
        failed = true;
        return cst(0);
    }
    if (e.kind == ExprKind::Target && e.text.rfind("$$", 0) == 0)
        return whole_vars(e);
    TargetPath path;
    std::string error;
    SourceLoc at;
    if (!resolve_target(e, path, error, at)) {
        target_fallback(e, error, at);
        return e.type == ktap::Type::String ? str_const("") : cst(0);
    }
    if (!e.pretty.empty())
        return pretty_value(e, path);
    const dwarf::Type *t = path.type;
    if (is_scalar(t)) {
        Place pl = follow(path, e);
        return load_scalar(pl, t, path.bit_size, path.bit_offset, e);
    }
    if (t && t->kind == TypeKind::Array) {
        Place pl = follow(path, e);
        if (!pl.local)
            return pl.addr;  // an array reads as its address (C's decay; stap gives a string
                             // for char arrays: use user_string on it)
        error = "'" + path.name + "' is an array held in registers: index it";
    } else if (t && (t->kind == TypeKind::Struct || t->kind == TypeKind::Union)) {
        error = std::string(kind_word(t->kind)) + " '" + path.name +
                "' is being accessed instead of a member (use ->member, or $ to print it)";
    } else if (t && t->kind == TypeKind::Float) {
        error = "'" + path.name + "': floating-point values are not supported";
    } else {
        error = "'" + path.name + "' has type '" + type_name_of(t) + "', which has no value";
    }
    target_fallback(e, error, e.loc);
    return cst(0);
}

Value *CodeGen::target_address(const Expr &e) {
    const Expr &operand = *e.args[0];
    if (!curScope)
        return cst(0);
    TargetPath path;
    std::string error;
    SourceLoc at;
    if (!resolve_target(operand, path, error, at)) {
        target_fallback(operand, error, at);
        return cst(0);
    }
    bool derefs = std::any_of(path.steps.begin(), path.steps.end(), [](const auto &s) {
        return s.kind == TargetPath::Step::Kind::Deref;
    });
    if (path.bit_size)
        error = "cannot take the address of bitfield '" + path.name + "'";
    else if (path.base == TargetPath::Base::Variable && !path.var->location.in_memory() &&
             !derefs)
        error = "cannot take the address of '" + path.name + "': it is held in registers";
    if (!error.empty()) {
        target_fallback(operand, error, operand.loc);
        return cst(0);
    }
    return follow(path, operand).addr;
}

// @defined(expr): whether the target expression resolves for this handler's function.
// nullopt where no DWARF view exists (the controller's copy of a target probe, -p3).
std::optional<bool> CodeGen::defined_known(const Expr &e) {
    if (e.args.empty())
        return false;
    const Expr &a = *e.args[0];
    if (!curScope)
        return std::nullopt;
    if (a.kind == ExprKind::Target && a.text.rfind("$$", 0) == 0)
        return curScope->info != nullptr;
    if (register_return(a))
        return true;
    TargetPath path;
    std::string error;
    SourceLoc at;
    return resolve_target(a, path, error, at);
}

Value *CodeGen::defined_value(const Expr &e) {
    return cst(defined_known(e).value_or(false) ? 1 : 0);
}

// Conditions decided at compile time: @defined and !, &&, || over it.
std::optional<bool> CodeGen::static_truth(const Expr &e) {
    if (e.kind == ExprKind::AtOp && e.text == "@defined")
        return defined_known(e);
    if (e.kind == ExprKind::Unary && e.op == "!") {
        auto v = static_truth(*e.args[0]);
        return v ? std::optional<bool>(!*v) : std::nullopt;
    }
    if (e.kind == ExprKind::Binary && (e.op == "&&" || e.op == "||")) {
        auto l = static_truth(*e.args[0]), r = static_truth(*e.args[1]);
        bool is_and = e.op == "&&";
        if (l && *l != is_and)
            return !is_and;  // false && ..., true || ...
        if (l && r)
            return *r;
        if (r && *r != is_and && !l)
            return std::nullopt;  // the left side still has to run
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Pretty printing: $var$ (members one level deep), $var$$ (all levels), $$parms and friends.

Value *CodeGen::format_values(const std::string &fmt,
                              const std::vector<std::pair<Value *, bool>> &args, const Expr &e) {
    size_t n = args.size();
    llvm::Type *arrTy = ArrayType::get(fmtArgTy, std::max<size_t>(n, 1));
    Value *arr = entry_alloca(arrTy, "prettyargs");
    for (size_t i = 0; i < n; ++i) {
        Value *nslot = B.CreateGEP(arrTy, arr, {c32(0), c32(static_cast<int>(i)), c32(0)});
        Value *sslot = B.CreateGEP(arrTy, arr, {c32(0), c32(static_cast<int>(i)), c32(1)});
        B.CreateStore(args[i].second ? cst(0) : args[i].first, nslot);
        B.CreateStore(args[i].second ? args[i].first
                                     : ConstantPointerNull::get(cast<PointerType>(ptr)),
                      sslot);
    }
    Value *dst = str_temp();
    B.CreateCall(rt("kt_format", i32, {ptr, ptr, i32, ptr, ptr, i32}),
                 {ctxArg, dst, c32(static_cast<int32_t>(strCap)), str_const(fmt), arr,
                  c32(static_cast<int32_t>(n))});
    check_error(where(e));
    return dst;
}

namespace {
constexpr size_t kPrettyLeaves = 32;  // values per pretty-printed string, as stap (PR10750)

bool is_char_pointer(const dwarf::Type *t) {
    return t && t->kind == TypeKind::Pointer && t->target && t->target->is_char;
}
} // namespace

// Appends the rendering of the object at `pl` to fmt/args as stap's dwarf_pretty_print does
// (docs/stap-target-formats.md §5): integers in decimal, chars as '%#c', `char *` and char
// arrays as quoted strings, a top-level pointer followed, nested pointers as %p, structs as
// {.a=1, .b=2}, arrays as their first element then ", ..." (stap does not read the length);
// below the first level, shallow printing shows {...} and [...].
void CodeGen::pretty_object(const Place &pl, const dwarf::Type *t, bool deep, int depth,
                            std::string &fmt, std::vector<std::pair<Value *, bool>> &args,
                            const Expr &e) {
    if (args.size() >= kPrettyLeaves) {
        fmt += "...";
        return;
    }
    if (!t) {
        fmt += "?";
        return;
    }
    auto offset = [&](const Place &p, uint64_t off) {
        Place q = p;
        if (q.local) {
            q.addr = B.CreateGEP(i8, q.addr, cst(static_cast<int64_t>(off)));
            q.size = q.size > off ? q.size - off : 0;
        } else {
            q.addr = B.CreateAdd(q.addr, cst(static_cast<int64_t>(off)));
        }
        return q;
    };
    switch (t->kind) {
    case TypeKind::Integer:
    case TypeKind::Bool:
    case TypeKind::Enum:
        if (pl.local && pl.size < t->size) {
            fmt += "?";
            return;
        }
        args.push_back({load_scalar(pl, t, 0, 0, e), false});
        fmt += t->is_char && t->size == 1 ? "'%#c'" : t->is_signed ? "%d" : "%u";
        return;
    case TypeKind::Pointer: {
        Value *v = load_scalar(pl, t, 0, 0, e);
        const dwarf::Type *to = t->target;
        if (depth == 0 && to && !is_char_pointer(t) && to->kind != TypeKind::Function &&
            to->kind != TypeKind::Void) {
            pretty_object(Place{false, v, 0}, to, deep, 0, fmt, args, e);
            return;
        }
        if (to && to->kind == TypeKind::Function)
            fmt += "<function>:";
        if (is_char_pointer(t)) {
            Value *tmp = str_temp();
            B.CreateCall(rt("kt_user_string", voidTy, {ptr, ptr, i64, i64, ptr, i32, i32}),
                         {ctxArg, tmp, v, cst(-1),
                          ConstantPointerNull::get(cast<PointerType>(ptr)), c32(1),
                          c32(static_cast<int32_t>(strCap))});
            args.push_back({tmp, true});
            fmt += "%s";
        } else {
            args.push_back({v, false});
            fmt += "%p";
        }
        return;
    }
    case TypeKind::Struct:
    case TypeKind::Union: {
        if (depth > 0 && !deep) {
            fmt += "{...}";
            return;
        }
        fmt += "{";
        bool first = true;
        std::function<void(const dwarf::Type *, uint64_t)> members = [&](const dwarf::Type *st,
                                                                          uint64_t base) {
            for (const auto &m : st->members) {
                if (m.name.rfind("_vptr", 0) == 0)
                    continue;  // C++ virtual table pointers: stap leaves them out
                if (m.name.empty() && m.type &&
                    (m.type->kind == TypeKind::Struct || m.type->kind == TypeKind::Union)) {
                    members(m.type, base + m.offset);
                    continue;
                }
                fmt += first ? "." : ", .";
                first = false;
                fmt += m.name + "=";
                Place mp = offset(pl, base + m.offset);
                if (m.bit_size) {
                    args.push_back({load_scalar(mp, m.type, m.bit_size, m.bit_offset, e), false});
                    fmt += m.type && m.type->is_signed ? "%d" : "%u";
                } else {
                    pretty_object(mp, m.type, deep, depth + 1, fmt, args, e);
                }
            }
        };
        members(t, 0);
        fmt += "}";
        return;
    }
    case TypeKind::Array: {
        const dwarf::Type *el = t->target;
        if (el && el->is_char && !pl.local) {
            Value *tmp = str_temp();
            int64_t n = t->count ? static_cast<int64_t>(t->count) : -1;
            B.CreateCall(rt("kt_user_string", voidTy, {ptr, ptr, i64, i64, ptr, i32, i32}),
                         {ctxArg, tmp, pl.addr, cst(n),
                          ConstantPointerNull::get(cast<PointerType>(ptr)), c32(1),
                          c32(static_cast<int32_t>(strCap))});
            args.push_back({tmp, true});
            fmt += "%s";
            return;
        }
        if ((depth > 0 && !deep) || !el || !el->size) {
            fmt += "[...]";
            return;
        }
        fmt += "[";
        pretty_object(pl, el, deep, depth + 1, fmt, args, e);
        fmt += ", ...]";
        return;
    }
    default:
        fmt += "?";
        return;
    }
}

// Runs `build` (which returns a string) so that a fault inside it gives the string "ERROR", as
// stap's pretty printers do (one try/catch around the whole sprintf), instead of an error.
Value *CodeGen::fault_as_error_string(const std::function<Value *()> &build) {
    Value *result = entry_alloca(ptr, "pretty");
    BasicBlock *handler = block("pretty_fault"), *done = block("pretty_done");
    BasicBlock *outer = errorTarget;
    errorTarget = handler;
    B.CreateStore(build(), result);
    errorTarget = outer;
    B.CreateBr(done);
    B.SetInsertPoint(handler);
    Value *code = B.CreateLoad(i32, field(2));
    BasicBlock *catching = block("pretty_catch");
    B.CreateCondBr(B.CreateOr(B.CreateICmpEQ(code, c32(KT_ERR_MAXACTION)),
                              B.CreateICmpEQ(code, c32(KT_ERR_ABORT))),
                   failExit, catching);
    B.SetInsertPoint(catching);
    B.CreateStore(c32(0), field(2));
    B.CreateStore(ConstantPointerNull::get(cast<PointerType>(ptr)), field(6));
    B.CreateStore(str_const("ERROR"), result);
    B.CreateBr(done);
    B.SetInsertPoint(done);
    return B.CreateLoad(ptr, result);
}

Value *CodeGen::pretty_value(const Expr &e, const TargetPath &path) {
    return fault_as_error_string([&] { return pretty_string(e, path); });
}

Value *CodeGen::pretty_string(const Expr &e, const TargetPath &path) {
    std::string fmt;
    std::vector<std::pair<Value *, bool>> args;
    Place pl = follow(path, e);
    if (path.bit_size) {
        args.push_back({load_scalar(pl, path.type, path.bit_size, path.bit_offset, e), false});
        fmt = path.type && path.type->is_signed ? "%d" : "%u";
    } else {
        pretty_object(pl, path.type, e.pretty == "$$", 0, fmt, args, e);
    }
    return format_values(fmt, args, e);
}

// $$parms, $$locals, $$vars, $$return (and their $ / $$ pretty forms): "name=value" separated
// by spaces; plain values in hex (0x...), `?` for values not available at the probe address.
Value *CodeGen::whole_vars(const Expr &e) {
    return fault_as_error_string([&] { return whole_vars_string(e); });
}

Value *CodeGen::whole_vars_string(const Expr &e) {
    std::string which = e.text.substr(2);
    std::vector<const dwarf::Variable *> vars;
    if (which == "parms" || which == "vars")
        for (const auto &v : curScope->parameters)
            vars.push_back(&v);
    if (which == "locals" || which == "vars")
        for (const auto &v : curScope->locals)
            vars.push_back(&v);
    bool is_return = which == "return";
    if (is_return && curScope->has_return && curScope->ret.type)
        vars.push_back(&curScope->ret);
    if (!is_return && which != "parms" && which != "locals" && which != "vars") {
        target_fallback(e, "unknown '" + e.text + "' (use $$vars, $$parms, $$locals or $$return)",
                        e.loc);
        return str_const("");
    }
    std::string fmt;
    std::vector<std::pair<Value *, bool>> args;
    for (const dwarf::Variable *v : vars) {
        if (!fmt.empty())
            fmt += " ";
        fmt += (is_return ? std::string("return") : v->name) + "=";
        if (!v->location.available() || !v->type ||
            !in_saved_registers(v->location, wordBytes)) {
            fmt += "?";
            continue;
        }
        TargetPath path;
        path.var = v;
        path.bias = curScope->bias;
        path.type = v->type;
        path.name = "$" + v->name;
        Place pl = base_place(path, e);
        if (!e.pretty.empty()) {
            pretty_object(pl, v->type, e.pretty == "$$", 0, fmt, args, e);
        } else if (is_scalar(v->type)) {
            args.push_back({load_scalar(pl, v->type, 0, 0, e), false});
            fmt += "%#x";
        } else if (v->type->kind == TypeKind::Struct || v->type->kind == TypeKind::Union) {
            fmt += "{...}";
        } else if (v->type->kind == TypeKind::Array) {
            fmt += "[...]";
        } else {
            fmt += "?";
        }
    }
    return format_values(fmt, args, e);
}

} // namespace ktap
