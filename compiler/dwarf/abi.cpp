// The calling conventions, from the types alone: where each parameter is at a function's first
// instruction, and where the return value is when it returns. Used when DWARF's own location is
// not valid at the entry (unoptimized code describes parameters by the stack slots the prologue
// copies them to) and for $return (DWARF has no location for return values at all).
//
// x86_64: System V AMD64 ABI, section 3.2.3 (classification into eightbytes). i386: the Linux
// cdecl convention (everything on the stack, every struct returned through a hidden pointer).
#include "internal.h"

namespace ktap::dwarf::detail {

namespace {

enum class Cls { None, Integer, Sse, X87, Memory };

const char *const kFloatParam = "floating-point values are not supported";
const char *const kFloatReturn = "floating-point return values are not supported";

// x86_64 DWARF register numbers of the argument registers, in order.
const int kArgRegs[6] = {5 /*rdi*/, 4 /*rsi*/, 1 /*rdx*/, 2 /*rcx*/, 8 /*r8*/, 9 /*r9*/};
const int kMaxSse = 8; // xmm0-7

Cls merge(Cls a, Cls b) {
    if (a == b || b == Cls::None)
        return a;
    if (a == Cls::None)
        return b;
    if (a == Cls::Memory || b == Cls::Memory)
        return Cls::Memory;
    if (a == Cls::Integer || b == Cls::Integer)
        return Cls::Integer;
    if (a == Cls::X87 || b == Cls::X87)
        return Cls::Memory;
    return Cls::Sse;
}

uint64_t align_of(const Type *t) {
    if (!t)
        return 1;
    switch (t->kind) {
    case TypeKind::Integer:
    case TypeKind::Bool:
    case TypeKind::Enum:
    case TypeKind::Float:
    case TypeKind::Pointer:
        return t->size ? std::min<uint64_t>(t->size, 16) : 1;
    case TypeKind::Array:
        return align_of(t->target);
    case TypeKind::Struct:
    case TypeKind::Union: {
        uint64_t a = 1;
        for (const Member &m : t->members)
            a = std::max(a, align_of(m.type));
        return a;
    }
    default:
        return 1;
    }
}

bool is_long_double(const Type *t) {
    return t->kind == TypeKind::Float && t->size > 8 &&
           t->name.find("complex") == std::string::npos;
}

// Classifies the bytes of `t` placed at `off` into the two eightbytes; false: memory.
bool classify(const Type *t, uint64_t off, Cls eb[2]) {
    if (!t)
        return false;
    auto mark = [&](Cls c, uint64_t from, uint64_t bytes) {
        for (uint64_t i = from / 8; i <= (from + std::max<uint64_t>(bytes, 1) - 1) / 8; ++i) {
            if (i > 1)
                return false;
            eb[i] = merge(eb[i], c);
        }
        return true;
    };
    switch (t->kind) {
    case TypeKind::Integer:
    case TypeKind::Bool:
    case TypeKind::Enum:
    case TypeKind::Pointer:
        return mark(Cls::Integer, off, t->size);
    case TypeKind::Float:
        return mark(is_long_double(t) ? Cls::X87 : Cls::Sse, off, t->size);
    case TypeKind::Struct:
    case TypeKind::Union:
        if (t->incomplete)
            return false;
        for (const Member &m : t->members) {
            if (m.bit_size) {
                if (!mark(Cls::Integer, off + m.offset, (m.bit_offset + m.bit_size + 7) / 8))
                    return false;
                continue;
            }
            if (m.offset % align_of(m.type) != 0)
                return false; // packed: unaligned fields go to memory
            if (!classify(m.type, off + m.offset, eb))
                return false;
        }
        return true;
    case TypeKind::Array: {
        if (!t->target || (t->count == 0 && t->size > 0))
            return false;
        for (uint64_t i = 0; i < t->count; ++i)
            if (!classify(t->target, off + i * t->target->size, eb))
                return false;
        return true;
    }
    default:
        return false;
    }
}

// The classes of a value's eightbytes ({} for an empty struct), or {Memory}.
std::vector<Cls> classes(const Type *t, bool by_reference) {
    if (by_reference || !t)
        return {Cls::Memory};
    if (t->size == 0)
        return {};
    if (t->size > 16)
        return {Cls::Memory};
    Cls eb[2] = {Cls::None, Cls::None};
    if (!classify(t, 0, eb))
        return {Cls::Memory};
    std::vector<Cls> out(eb, eb + (t->size + 7) / 8);
    for (Cls c : out)
        if (c == Cls::Memory)
            return {Cls::Memory};
    return out;
}

LocOp op(Op o, int64_t value = 0) {
    LocOp l;
    l.op = o;
    l.value = value;
    return l;
}

LocOp reg(int r) {
    LocOp l;
    l.op = Op::Reg;
    l.reg = r;
    return l;
}

std::vector<LocOp> cfa_plus(uint64_t off) {
    std::vector<LocOp> ops{op(Op::CFA)};
    if (off) {
        ops.push_back(op(Op::Const, int64_t(off)));
        ops.push_back(op(Op::Add));
    }
    return ops;
}

Piece memory(std::vector<LocOp> ops, uint64_t bytes) {
    Piece p;
    p.kind = Piece::Kind::Memory;
    p.ops = std::move(ops);
    p.bytes = uint32_t(bytes);
    return p;
}

Piece in_reg(int r, uint64_t bytes) {
    Piece p;
    p.kind = Piece::Kind::Register;
    p.reg = r;
    p.bytes = uint32_t(bytes);
    return p;
}

uint64_t round_up(uint64_t v, uint64_t to) {
    return (v + to - 1) / to * to;
}

} // namespace

bool returned_in_memory(const Type *ret, bool by_reference, int word_bytes) {
    if (!ret)
        return false;
    if (word_bytes == 4)
        return by_reference || ret->kind == TypeKind::Struct || ret->kind == TypeKind::Union;
    if (ret->kind == TypeKind::Float)
        return false; // long double: x87 st0
    std::vector<Cls> c = classes(ret, by_reference);
    return c.size() == 1 && c[0] == Cls::Memory;
}

std::vector<Location> abi_parameters(const std::vector<AbiParam> &params, const Type *ret,
                                     bool ret_by_reference, int word_bytes) {
    std::vector<Location> out;
    bool hidden = returned_in_memory(ret, ret_by_reference, word_bytes);
    if (word_bytes == 4) {
        // Every argument on the stack, in order, from the return address up: CFA = sp + 4 at
        // the entry, so the first argument (or the struct return pointer) is at CFA+0.
        uint64_t stack = hidden ? 4 : 0;
        for (const AbiParam &p : params) {
            Location loc;
            loc.from_abi = true;
            uint64_t size = p.by_reference ? 4 : (p.type ? p.type->size : 4);
            if (p.type && p.type->kind == TypeKind::Float) {
                loc.unavailable = kFloatParam;
            } else if (p.by_reference) {
                std::vector<LocOp> ops = cfa_plus(stack);
                LocOp d = op(Op::Deref);
                d.size = 4;
                ops.push_back(d);
                loc.pieces.push_back(memory(std::move(ops), p.type->size));
            } else {
                loc.pieces.push_back(memory(cfa_plus(stack), size));
            }
            stack += round_up(std::max<uint64_t>(size, 1), 4);
            out.push_back(std::move(loc));
        }
        return out;
    }

    size_t gpr = hidden ? 1 : 0; // the struct return pointer takes rdi
    int sse = 0;
    uint64_t stack = 0; // from the CFA: sp + 8 at the entry, just above the return address
    for (const AbiParam &p : params) {
        Location loc;
        loc.from_abi = true;
        const Type *t = p.type;
        bool is_float = t && t->kind == TypeKind::Float;
        std::vector<Cls> c = p.by_reference ? std::vector<Cls>{Cls::Integer} : classes(t, false);
        size_t need_int = 0;
        int need_sse = 0;
        bool memory_class = c.size() == 1 && c[0] == Cls::Memory;
        for (Cls x : c) {
            need_int += x == Cls::Integer;
            need_sse += x == Cls::Sse;
        }
        if (!memory_class && gpr + need_int <= 6 && sse + need_sse <= kMaxSse) {
            size_t first = gpr;
            gpr += need_int;
            sse += need_sse;
            if (is_float || need_sse) {
                loc.unavailable = kFloatParam;
            } else if (p.by_reference) {
                // The register holds the address of the caller's copy.
                loc.pieces.push_back(memory({reg(kArgRegs[first])}, t ? t->size : 0));
            } else if (c.size() == 1) {
                loc.pieces.push_back(in_reg(kArgRegs[first], t->size));
            } else if (c.size() == 2) {
                loc.pieces.push_back(in_reg(kArgRegs[first], 8));
                loc.pieces.push_back(in_reg(kArgRegs[first + 1], t->size - 8));
            } else {
                loc.unavailable = "empty parameter";
            }
        } else {
            // On the stack (memory class, or not enough registers left for all of it: then
            // none of its registers are used and later arguments may still take them).
            uint64_t size = p.by_reference ? 8 : (t ? t->size : 8);
            stack = round_up(stack, std::max<uint64_t>(8, p.by_reference ? 8 : align_of(t)));
            if (is_float || (t && is_long_double(t))) {
                loc.unavailable = kFloatParam;
            } else if (p.by_reference) {
                std::vector<LocOp> ops = cfa_plus(stack);
                LocOp d = op(Op::Deref);
                d.size = 8;
                ops.push_back(d);
                loc.pieces.push_back(memory(std::move(ops), t ? t->size : 0));
            } else {
                loc.pieces.push_back(memory(cfa_plus(stack), size));
            }
            stack += round_up(std::max<uint64_t>(size, 1), 8);
        }
        out.push_back(std::move(loc));
    }
    return out;
}

Location abi_return(const Type *ret, bool by_reference, int word_bytes) {
    Location loc;
    loc.from_abi = true;
    if (ret->kind == TypeKind::Float) {
        loc.unavailable = kFloatReturn;
        return loc;
    }
    if (ret->kind == TypeKind::Void || ret->kind == TypeKind::Function ||
        ret->kind == TypeKind::Unsupported || (ret->size == 0 && !by_reference)) {
        loc.unavailable = "unsupported return type '" + ret->name + "'";
        return loc;
    }
    if (returned_in_memory(ret, by_reference, word_bytes)) {
        // The caller passed the buffer's address; the callee returns it in rax / eax.
        loc.pieces.push_back(memory({reg(0)}, ret->size));
        return loc;
    }
    if (word_bytes == 4) {
        if (ret->size <= 4) {
            loc.pieces.push_back(in_reg(0 /*eax*/, ret->size));
        } else if (ret->size == 8) {
            loc.pieces.push_back(in_reg(0 /*eax*/, 4));
            loc.pieces.push_back(in_reg(2 /*edx*/, 4));
        } else {
            loc.unavailable = "unsupported return type '" + ret->name + "'";
        }
        return loc;
    }
    std::vector<Cls> c = classes(ret, false);
    for (Cls x : c) {
        if (x != Cls::Integer) {
            loc.unavailable = kFloatReturn; // SSE (or mixed) eightbytes: xmm0/xmm1
            return loc;
        }
    }
    if (c.size() == 1) {
        loc.pieces.push_back(in_reg(0 /*rax*/, ret->size));
    } else if (c.size() == 2) {
        loc.pieces.push_back(in_reg(0 /*rax*/, 8));
        loc.pieces.push_back(in_reg(1 /*rdx*/, ret->size - 8));
    } else {
        loc.unavailable = "unsupported return type '" + ret->name + "'";
    }
    return loc;
}

} // namespace ktap::dwarf::detail
