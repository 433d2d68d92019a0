// Location expressions reduced to pieces (debuginfo.h: Location). DWARF's stack machine is
// general; ktap's evaluator is not: it runs a straight-line list of pushes and operators per
// piece. Everything that needs branches, calls, typed stacks or values from the caller is
// reported unavailable, with the operation named, rather than approximated.
#include "internal.h"

#include <cstdio>

namespace ktap::dwarf::detail {

namespace {

int fp_reg(int word) {
    return word == 8 ? 6 : 5;
}
// General-purpose registers (and the instruction pointer): the registers a probe saves.
bool is_gpr(uint64_t reg, int word) {
    return reg <= (word == 8 ? 16u : 8u);
}

// Appends "+ k", folding it into a preceding constant addition (breg + plus_uconst).
void push_add(std::vector<LocOp> &ops, int64_t k) {
    size_t n = ops.size();
    if (n >= 2 && ops[n - 1].op == Op::Add && ops[n - 2].op == Op::Const) {
        ops[n - 2].value += k;
        if (ops[n - 2].value == 0)
            ops.resize(n - 2);
        return;
    }
    if (k == 0)
        return;
    LocOp c;
    c.op = Op::Const;
    c.value = k;
    ops.push_back(c);
    LocOp a;
    a.op = Op::Add;
    ops.push_back(a);
}

LocOp simple(Op op) {
    LocOp o;
    o.op = op;
    return o;
}

LocOp reg_op(int reg) {
    LocOp o;
    o.op = Op::Reg;
    o.reg = reg;
    return o;
}

LocOp const_op(int64_t v, Op op = Op::Const) {
    LocOp o;
    o.op = op;
    o.value = v;
    return o;
}

std::string non_gpr(uint64_t reg) {
    return "value in DWARF register " + std::to_string(reg) +
           " (floating-point or vector registers are not supported)";
}

} // namespace

const char *op_name(unsigned atom) {
    switch (atom) {
    case DW_OP_bra:
        return "DW_OP_bra";
    case DW_OP_skip:
        return "DW_OP_skip";
    case DW_OP_call2:
        return "DW_OP_call2";
    case DW_OP_call4:
        return "DW_OP_call4";
    case DW_OP_call_ref:
        return "DW_OP_call_ref";
    case DW_OP_div:
        return "DW_OP_div";
    case DW_OP_mod:
        return "DW_OP_mod";
    case DW_OP_dup:
        return "DW_OP_dup";
    case DW_OP_drop:
        return "DW_OP_drop";
    case DW_OP_over:
        return "DW_OP_over";
    case DW_OP_pick:
        return "DW_OP_pick";
    case DW_OP_swap:
        return "DW_OP_swap";
    case DW_OP_rot:
        return "DW_OP_rot";
    case DW_OP_abs:
        return "DW_OP_abs";
    case DW_OP_eq:
        return "DW_OP_eq";
    case DW_OP_ne:
        return "DW_OP_ne";
    case DW_OP_lt:
        return "DW_OP_lt";
    case DW_OP_gt:
        return "DW_OP_gt";
    case DW_OP_le:
        return "DW_OP_le";
    case DW_OP_ge:
        return "DW_OP_ge";
    case DW_OP_xderef:
        return "DW_OP_xderef";
    case DW_OP_bit_piece:
        return "DW_OP_bit_piece";
    case DW_OP_convert:
    case DW_OP_GNU_convert:
        return "DW_OP_convert";
    case DW_OP_regval_type:
    case DW_OP_GNU_regval_type:
        return "DW_OP_regval_type";
    case DW_OP_deref_type:
    case DW_OP_GNU_deref_type:
        return "DW_OP_deref_type";
    case DW_OP_const_type:
    case DW_OP_GNU_const_type:
        return "DW_OP_const_type";
    case DW_OP_GNU_variable_value:
        return "DW_OP_GNU_variable_value";
    default: {
        static thread_local char buf[32];
        snprintf(buf, sizeof buf, "DW_OP_0x%x", atom);
        return buf;
    }
    }
}

FrameBase frame_base(Dwarf_Die *function, uint64_t pc, int word_bytes) {
    FrameBase fb;
    Dwarf_Attribute attr;
    if (!dwarf_attr_integrate(function, DW_AT_frame_base, &attr))
        return fb;
    fb.present = true;
    Dwarf_Op *ops = nullptr;
    size_t n = 0;
    if (dwarf_getlocation_addr(&attr, pc, &ops, &n, 1) <= 0 || n == 0) {
        fb.invalid = "no frame base at this address";
        return fb;
    }
    const char *fp_name = word_bytes == 8 ? "%rbp" : "%ebp";
    std::string fp_invalid = std::string("the frame base is the frame pointer (") + fp_name +
                             "), which the prologue has not set up at this address";
    if (n == 1 && ops[0].atom == DW_OP_call_frame_cfa) {
        fb.ops.push_back(simple(Op::CFA)); // GCC: valid at every instruction
    } else if (n == 1 && (ops[0].atom == DW_OP_regx ||
                          (ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31))) {
        uint64_t reg = ops[0].atom == DW_OP_regx ? ops[0].number : ops[0].atom - DW_OP_reg0;
        if (int(reg) == fp_reg(word_bytes))
            fb.invalid = fp_invalid;
        else if (!is_gpr(reg, word_bytes))
            fb.invalid = "unsupported frame base register";
        else
            fb.ops.push_back(reg_op(int(reg))); // clang without a frame pointer: the sp
    } else if (n == 1 && (ops[0].atom == DW_OP_bregx ||
                          (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31))) {
        bool x = ops[0].atom == DW_OP_bregx;
        uint64_t reg = x ? ops[0].number : ops[0].atom - DW_OP_breg0;
        int64_t off = int64_t(x ? ops[0].number2 : ops[0].number);
        if (int(reg) == fp_reg(word_bytes))
            fb.invalid = fp_invalid;
        else if (!is_gpr(reg, word_bytes))
            fb.invalid = "unsupported frame base register";
        else {
            fb.ops.push_back(reg_op(int(reg)));
            push_add(fb.ops, off);
        }
    } else {
        fb.invalid = "unsupported frame base expression";
    }
    return fb;
}

namespace {

// The value DW_OP_entry_value's block had when the function was entered. At the entry that is
// the block evaluated now: a lone register is that register's value, anything else is a plain
// value expression (bregN off [deref]).
bool entry_value(Dwarf_Attribute *attr, const Dwarf_Op *op, const ExprContext &ctx,
                 std::vector<LocOp> &out, std::string &error) {
    if (!ctx.at_entry) {
        error = "DW_OP_entry_value (the value at the function's entry) is only known at the "
                "entry";
        return false;
    }
    Dwarf_Attribute block;
    Dwarf_Op *sub = nullptr;
    size_t n = 0;
    if (dwarf_getlocation_attr(attr, op, &block) != 0 || dwarf_getlocation(&block, &sub, &n) != 0) {
        error = "unreadable DW_OP_entry_value";
        return false;
    }
    for (size_t i = 0; i < n; ++i) {
        unsigned a = sub[i].atom;
        if (n == 1 && (a == DW_OP_regx || (a >= DW_OP_reg0 && a <= DW_OP_reg31))) {
            uint64_t reg = a == DW_OP_regx ? sub[i].number : a - DW_OP_reg0;
            if (!is_gpr(reg, ctx.word_bytes)) {
                error = non_gpr(reg);
                return false;
            }
            out.push_back(reg_op(int(reg)));
        } else if (a == DW_OP_bregx || (a >= DW_OP_breg0 && a <= DW_OP_breg31)) {
            bool x = a == DW_OP_bregx;
            uint64_t reg = x ? sub[i].number : a - DW_OP_breg0;
            if (!is_gpr(reg, ctx.word_bytes)) {
                error = non_gpr(reg);
                return false;
            }
            out.push_back(reg_op(int(reg)));
            push_add(out, int64_t(x ? sub[i].number2 : sub[i].number));
        } else if (a == DW_OP_deref || a == DW_OP_deref_size) {
            LocOp d = simple(Op::Deref);
            d.size = a == DW_OP_deref ? uint32_t(ctx.word_bytes) : uint32_t(sub[i].number);
            out.push_back(d);
        } else if (a == DW_OP_plus_uconst) {
            push_add(out, int64_t(sub[i].number));
        } else {
            error = std::string("unsupported DW_OP_entry_value block (") + op_name(a) + ")";
            return false;
        }
    }
    return true;
}

} // namespace

Location translate_expression(Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t n,
                              uint64_t type_bytes, const ExprContext &ctx, ExprFacts *facts) {
    Location loc;
    if (n == 0) {
        loc.unavailable = "optimized out";
        return loc;
    }
    const int word = ctx.word_bytes;
    std::vector<LocOp> cur;
    int64_t reg = -1;      // DW_OP_regN: the object is in a register
    bool value = false;    // DW_OP_stack_value: the stack holds the value, not an address
    bool implicit = false; // DW_OP_implicit_value
    std::vector<uint8_t> data;
    bool pieces_seen = false;
    bool partial = false;
    std::string error;

    auto finish = [&](uint64_t bytes) {
        Piece p;
        p.bytes = uint32_t(bytes);
        if (reg >= 0) {
            p.kind = Piece::Kind::Register;
            p.reg = int(reg);
        } else if (implicit) {
            p.kind = Piece::Kind::Implicit;
            p.data = std::move(data);
        } else if (cur.empty()) {
            p.kind = Piece::Kind::Unavailable; // DW_OP_piece alone: this part optimized out
            partial = true;
        } else {
            p.kind = value ? Piece::Kind::Value : Piece::Kind::Memory;
            p.ops = std::move(cur);
        }
        loc.pieces.push_back(std::move(p));
        cur.clear();
        data.clear();
        reg = -1;
        value = implicit = false;
    };

    for (size_t i = 0; i < n && error.empty(); ++i) {
        const Dwarf_Op &op = ops[i];
        unsigned a = op.atom;
        // A register, a stack value or an implicit value ends a piece's description.
        if ((reg >= 0 || value || implicit) && a != DW_OP_piece) {
            error =
                std::string("unsupported operation after a register or value (") + op_name(a) + ")";
            break;
        }
        if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
            cur.push_back(const_op(a - DW_OP_lit0));
        } else if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
            reg = a - DW_OP_reg0;
        } else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
            if (!is_gpr(a - DW_OP_breg0, word)) {
                error = non_gpr(a - DW_OP_breg0);
                break;
            }
            cur.push_back(reg_op(int(a - DW_OP_breg0)));
            push_add(cur, int64_t(op.number));
        } else {
            switch (a) {
            case DW_OP_regx:
                reg = int64_t(op.number);
                break;
            case DW_OP_bregx:
                if (!is_gpr(op.number, word)) {
                    error = non_gpr(op.number);
                    break;
                }
                cur.push_back(reg_op(int(op.number)));
                push_add(cur, int64_t(op.number2));
                break;
            case DW_OP_const1u:
            case DW_OP_const2u:
            case DW_OP_const4u:
            case DW_OP_const8u:
            case DW_OP_constu:
            case DW_OP_const1s: // libdw sign-extends the signed forms into `number`
            case DW_OP_const2s:
            case DW_OP_const4s:
            case DW_OP_const8s:
            case DW_OP_consts:
                cur.push_back(const_op(int64_t(op.number)));
                break;
            case DW_OP_addr:
                cur.push_back(const_op(int64_t(op.number), Op::Addr));
                break;
            case DW_OP_addrx:
            case DW_OP_GNU_addr_index:
            case DW_OP_constx:
            case DW_OP_GNU_const_index: {
                // DWARF 5 / split DWARF: an index into .debug_addr.
                Dwarf_Attribute res;
                Dwarf_Addr addr = 0;
                if (dwarf_getlocation_attr(attr, &op, &res) != 0 ||
                    dwarf_formaddr(&res, &addr) != 0) {
                    error = "unreadable DW_OP_addrx";
                    break;
                }
                bool is_addr = a == DW_OP_addrx || a == DW_OP_GNU_addr_index;
                cur.push_back(const_op(int64_t(addr), is_addr ? Op::Addr : Op::Const));
                break;
            }
            case DW_OP_fbreg: {
                const FrameBase *fb = ctx.frame;
                if (!fb || !fb->present) {
                    error = "DW_OP_fbreg without a frame base";
                    break;
                }
                if (!fb->invalid.empty()) {
                    error = fb->invalid;
                    if (facts)
                        facts->frame_invalid = true;
                    break;
                }
                cur.insert(cur.end(), fb->ops.begin(), fb->ops.end());
                push_add(cur, int64_t(op.number));
                break;
            }
            case DW_OP_call_frame_cfa:
                cur.push_back(simple(Op::CFA));
                break;
            case DW_OP_plus_uconst:
                push_add(cur, int64_t(op.number));
                break;
            case DW_OP_plus:
                cur.push_back(simple(Op::Add));
                break;
            case DW_OP_minus:
                cur.push_back(simple(Op::Sub));
                break;
            case DW_OP_mul:
                cur.push_back(simple(Op::Mul));
                break;
            case DW_OP_and:
                cur.push_back(simple(Op::And));
                break;
            case DW_OP_or:
                cur.push_back(simple(Op::Or));
                break;
            case DW_OP_xor:
                cur.push_back(simple(Op::Xor));
                break;
            case DW_OP_shl:
                cur.push_back(simple(Op::Shl));
                break;
            case DW_OP_shr:
                cur.push_back(simple(Op::Shr));
                break;
            case DW_OP_shra:
                cur.push_back(simple(Op::Shra));
                break;
            case DW_OP_neg:
                cur.push_back(simple(Op::Neg));
                break;
            case DW_OP_not:
                cur.push_back(simple(Op::Not));
                break;
            case DW_OP_deref:
            case DW_OP_deref_size: {
                LocOp d = simple(Op::Deref);
                d.size = a == DW_OP_deref ? uint32_t(word) : uint32_t(op.number);
                cur.push_back(d);
                break;
            }
            case DW_OP_stack_value:
                value = true;
                break;
            case DW_OP_implicit_value: {
                Dwarf_Block block;
                if (dwarf_getlocation_implicit_value(attr, &op, &block) != 0) {
                    error = "unreadable DW_OP_implicit_value";
                    break;
                }
                implicit = true;
                data.assign(block.data, block.data + block.length);
                break;
            }
            case DW_OP_piece:
                pieces_seen = true;
                finish(op.number);
                break;
            case DW_OP_nop:
                break;
            case DW_OP_entry_value:
            case DW_OP_GNU_entry_value:
                entry_value(attr, &op, ctx, cur, error);
                break;
            case DW_OP_GNU_parameter_ref:
                error = "DW_OP_GNU_parameter_ref (a value only the caller knows) is not supported";
                break;
            case DW_OP_implicit_pointer:
            case DW_OP_GNU_implicit_pointer:
                error = "implicit pointer (the object pointed to was optimized out)";
                break;
            case DW_OP_form_tls_address:
            case DW_OP_GNU_push_tls_address:
                error = "thread-local storage is not supported";
                if (facts)
                    facts->tls = true;
                break;
            default:
                error = std::string("unsupported DWARF operation ") + op_name(a);
                break;
            }
        }
        if (reg >= 0 && error.empty() && !is_gpr(uint64_t(reg), word))
            error = non_gpr(uint64_t(reg));
    }
    if (error.empty()) {
        if (!pieces_seen)
            finish(type_bytes);
        else if (!cur.empty() || reg >= 0 || value || implicit)
            error = "location ends without DW_OP_piece after pieces";
    }
    if (!error.empty()) {
        loc.pieces.clear();
        loc.unavailable = error;
        return loc;
    }
    if (partial)
        loc.unavailable = "partly optimized out";
    // A frame slot below the CFA at the entry: the prologue has not stored anything there yet
    // (unoptimized code spills parameters to such slots).
    for (const Piece &p : loc.pieces) {
        if (facts && p.ops.size() >= 3 && p.ops[0].op == Op::CFA && p.ops[1].op == Op::Const &&
            p.ops[1].value < 0 && p.ops[2].op == Op::Add)
            facts->below_cfa = true;
    }
    return loc;
}

Location variable_location(Dwarf_Die *die, uint64_t pc, uint64_t type_bytes, const ExprContext &ctx,
                           ExprFacts *facts) {
    Location loc;
    Dwarf_Attribute attr;
    // DW_AT_location belongs to the concrete DIE (an abstract origin has none); a constant may
    // be on either.
    if (dwarf_attr(die, DW_AT_location, &attr)) {
        Dwarf_Op *ops = nullptr;
        size_t n = 0;
        int r = dwarf_getlocation_addr(&attr, pc, &ops, &n, 1);
        if (r < 0) {
            loc.unavailable = std::string("unreadable location: ") + dwarf_errmsg(-1);
            return loc;
        }
        if (r == 0) {
            // GCC's location views: a parameter's location "at the entry, before the first
            // instruction" is an empty range [pc, pc) (view 0 to 1). At a function's entry,
            // where ktap probes, that is exactly where the value is.
            ptrdiff_t off = 0;
            Dwarf_Addr base = 0, start = 0, end = 0;
            while ((off = dwarf_getlocations(&attr, off, &base, &start, &end, &ops, &n)) > 0)
                if (start == pc && end == pc && n > 0)
                    return translate_expression(&attr, ops, n, type_bytes, ctx, facts);
            loc.unavailable = "not available at this address";
            return loc;
        }
        return translate_expression(&attr, ops, n, type_bytes, ctx, facts);
    }
    if (dwarf_attr_integrate(die, DW_AT_const_value, &attr)) {
        Piece p;
        p.kind = Piece::Kind::Implicit;
        Dwarf_Block block;
        if (dwarf_formblock(&attr, &block) == 0) {
            p.data.assign(block.data, block.data + block.length);
        } else {
            uint64_t v = 0;
            Dwarf_Sword s = 0;
            if (attr.form == DW_FORM_sdata || attr.form == DW_FORM_implicit_const) {
                dwarf_formsdata(&attr, &s);
                v = uint64_t(s);
            } else {
                Dwarf_Word w = 0;
                dwarf_formudata(&attr, &w);
                v = w;
            }
            uint64_t bytes = type_bytes ? type_bytes : 8;
            for (uint64_t i = 0; i < bytes; ++i)
                p.data.push_back(i < 8 ? uint8_t(v >> (8 * i)) : uint8_t(s < 0 ? 0xff : 0));
        }
        p.bytes = uint32_t(type_bytes ? type_bytes : p.data.size());
        loc.pieces.push_back(std::move(p));
        return loc;
    }
    loc.unavailable = "optimized out";
    return loc;
}

} // namespace ktap::dwarf::detail
