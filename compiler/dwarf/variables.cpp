// The variables in scope at a function's entry: parameters (with the calling convention's
// locations where unoptimized code's DWARF describes only the prologue's spill slots) and the
// locals of the outermost scope.
#include "internal.h"

namespace ktap::dwarf::detail {

namespace {

void children(Dwarf_Die *die, std::vector<Dwarf_Die> &params, std::vector<Dwarf_Die> *locals) {
    Dwarf_Die child;
    if (dwarf_child(die, &child) != 0)
        return;
    do {
        int tag = dwarf_tag(&child);
        if (tag == DW_TAG_formal_parameter)
            params.push_back(child);
        else if (tag == DW_TAG_variable && locals && !dwarf_hasattr(&child, DW_AT_declaration))
            locals->push_back(child);
    } while (dwarf_siblingof(&child, &child) == 0);
}

} // namespace

bool DebugInfoImpl::variables_at_entry(const Function &f, std::vector<Variable> &parameters,
                                       std::vector<Variable> &locals, std::string &error) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    parameters.clear();
    locals.clear();
    Dwarf_Die fn;
    if (!function_die(f, &fn, error))
        return false;
    const uint64_t pc = f.entry;
    FrameBase fb = frame_base(&fn, pc, word_);
    ExprContext ctx;
    ctx.word_bytes = word_;
    ctx.at_entry = true;
    ctx.frame = &fb;

    std::vector<Dwarf_Die> concrete_params, local_dies;
    children(&fn, concrete_params, &local_dies);

    // A clone or an out-of-line copy of an inline function lists the parameters it still has,
    // each referring to the abstract DIE's. Parameters the clone dropped are reported too, in
    // declaration order, as optimized out.
    struct Param {
        Dwarf_Die die;
        bool present;
    };
    std::vector<Param> order;
    Dwarf_Die abstract;
    bool dropped = false; // a clone without some of the declared parameters
    if (abstract_root(&fn, abstract)) {
        std::vector<Dwarf_Die> abstract_params;
        children(&abstract, abstract_params, nullptr);
        std::vector<bool> used(concrete_params.size(), false);
        for (Dwarf_Die &a : abstract_params) {
            bool found = false;
            for (size_t i = 0; i < concrete_params.size() && !found; ++i) {
                Dwarf_Die root;
                if (!used[i] && abstract_root(&concrete_params[i], root) && root.addr == a.addr) {
                    order.push_back({concrete_params[i], true});
                    used[i] = found = true;
                }
            }
            // The abstract DIE of a C++ constructor or destructor lists the artificial
            // __in_chrg / __vtt_parm that only some of its concrete variants take.
            if (!found && !die_flag(&a, DW_AT_artificial)) {
                order.push_back({a, false});
                dropped = true;
            }
        }
        for (size_t i = 0; i < concrete_params.size(); ++i)
            if (!used[i])
                order.push_back({concrete_params[i], true});
    } else {
        for (Dwarf_Die &d : concrete_params)
            order.push_back({d, true});
    }

    bool any_abi = false;
    std::vector<bool> needs_abi;
    for (Param &p : order) {
        Variable v;
        v.name = die_name(&p.die);
        v.type = types_->type_of(&p.die);
        v.is_parameter = true;
        v.artificial = die_flag(&p.die, DW_AT_artificial);
        ExprFacts facts;
        if (p.present)
            v.location = variable_location(&p.die, pc, v.type ? v.type->size : 0, ctx, &facts);
        else
            v.location.unavailable = "optimized out";
        // The entry comes before the prologue: a spill slot below the CFA holds nothing yet,
        // and a frame-pointer-based frame base does not exist yet.
        bool abi = facts.below_cfa || facts.frame_invalid;
        // Optimized code whose location list starts after the entry (GCC describes a struct
        // passed in memory only once it is loaded): at the entry of a function with external
        // linkage the value is where the calling convention put it. Not for local functions or
        // clones, whose conventions GCC may change (i386 regparm, IPA-SRA).
        if (!abi && p.present && !v.location.available() &&
            v.location.unavailable == "not available at this address" &&
            dwarf_hasattr(&fn, DW_AT_external))
            abi = true;
        needs_abi.push_back(abi);
        any_abi = any_abi || abi;
        parameters.push_back(std::move(v));
    }
    if (any_abi) {
        bool ret_void = false;
        const Type *ret = types_->type_of(&fn, &ret_void);
        std::vector<AbiParam> abi_params;
        for (const Variable &v : parameters)
            abi_params.push_back({v.type, v.type && types_->by_reference(v.type)});
        std::vector<Location> abi =
            abi_parameters(abi_params, ret, ret && types_->by_reference(ret), word_);
        for (size_t i = 0; i < parameters.size(); ++i) {
            if (!needs_abi[i])
                continue;
            if (dropped) {
                // A clone that dropped parameters has GCC's own calling convention.
                parameters[i].location.pieces.clear();
                parameters[i].location.unavailable =
                    "not available at the entry of an optimized copy";
            } else {
                parameters[i].location = abi[i];
            }
        }
    }

    for (Dwarf_Die &d : local_dies) {
        Variable v;
        v.name = die_name(&d);
        v.type = types_->type_of(&d);
        v.artificial = die_flag(&d, DW_AT_artificial);
        // Unoptimized locals live in frame slots below the CFA: valid addresses at the entry
        // (holding whatever is there), as stap shows them. Frame-pointer-based ones are not.
        v.location = variable_location(&d, pc, v.type ? v.type->size : 0, ctx, nullptr);
        locals.push_back(std::move(v));
    }

    for (auto *list : {&parameters, &locals}) {
        for (Variable &v : *list) {
            if (v.type && v.type->kind == TypeKind::Float) {
                v.location.pieces.clear();
                v.location.unavailable = "floating-point values are not supported";
            }
        }
    }
    return true;
}

bool DebugInfoImpl::return_value(const Function &f, Variable &ret, std::string &error) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    Dwarf_Die fn;
    if (!function_die(f, &fn, error))
        return false;
    ret = Variable();
    ret.name = "return";
    bool is_void = false;
    const Type *t = types_->type_of(&fn, &is_void);
    if (is_void || !t || t->kind == TypeKind::Void) {
        ret.type = nullptr; // void: no value
        return true;
    }
    ret.type = t;
    ret.location = abi_return(t, types_->by_reference(t), word_);
    return true;
}

} // namespace ktap::dwarf::detail
