// The type graph: DWARF type DIEs copied into plain Type nodes, named as stap -L spells them.
// Typedefs, cv-qualifiers and declarations are "folded": their node carries the kind, size and
// members of the type they stand for, under their own name. Nodes are created once per DIE;
// a struct is registered before its members are read, so self-references end at the cached
// node instead of recursing.
#include "internal.h"

#include <sstream>

namespace ktap::dwarf::detail {

namespace {

bool ref_attr(Dwarf_Die *die, unsigned name, Dwarf_Die *out) {
    Dwarf_Attribute attr;
    return dwarf_attr_integrate(die, name, &attr) && dwarf_formref_die(&attr, out);
}

std::vector<std::string> words(const std::string &s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string w;
    while (in >> w)
        out.push_back(w);
    return out;
}

// The keyword C spells an aggregate's name with ("struct point", "enum color").
std::string tag_prefix(int tag) {
    switch (tag) {
    case DW_TAG_structure_type:
        return "struct ";
    case DW_TAG_union_type:
        return "union ";
    case DW_TAG_class_type:
        return "class ";
    case DW_TAG_enumeration_type:
        return "enum ";
    default:
        return "";
    }
}

// Pointer declarators are written after the pointee; a function type's "(*)" goes inside it.
std::string pointer_name(const Type *target, bool is_function, const char *suffix) {
    if (!target)
        return std::string("void") + suffix;
    if (is_function) {
        size_t paren = target->name.find('(');
        if (paren != std::string::npos)
            return target->name.substr(0, paren) + "(" + suffix + ") " +
                   target->name.substr(paren);  // stap: `int (*) (int, char*)`
    }
    return target->name + suffix;
}

// Whether a constructor declaration takes (after `this`) one reference to its own class.
bool copy_constructor(Dwarf_Die *ctor, Dwarf_Die *cls) {
    Dwarf_Die p;
    if (dwarf_child(ctor, &p) != 0)
        return false;
    int params = 0;
    bool self_ref = false;
    do {
        if (dwarf_tag(&p) != DW_TAG_formal_parameter || die_flag(&p, DW_AT_artificial))
            continue;
        ++params;
        Dwarf_Die t;
        if (!ref_attr(&p, DW_AT_type, &t) || dwarf_tag(&t) != DW_TAG_reference_type)
            continue;
        for (int hops = 0; hops < 4 && ref_attr(&t, DW_AT_type, &t);) {
            int tag = dwarf_tag(&t);
            if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type)
                break;
            ++hops;
        }
        self_ref = self_ref || t.addr == cls->addr || die_name(&t) == die_name(cls);
    } while (dwarf_siblingof(&p, &p) == 0);
    return params == 1 && self_ref;
}

} // namespace

std::string canonical_base_name(const std::string &name) {
    // GCC writes "long unsigned int", "short int", "long long int", "char"; C programmers write
    // "unsigned long". The canonical form keeps signedness, size words and the base word.
    std::vector<std::string> w = words(name);
    int longs = 0;
    bool is_unsigned = false, is_signed = false, is_short = false, is_int = false, is_char = false;
    for (const std::string &x : w) {
        if (x == "long")
            ++longs;
        else if (x == "unsigned")
            is_unsigned = true;
        else if (x == "signed")
            is_signed = true;
        else if (x == "short")
            is_short = true;
        else if (x == "int")
            is_int = true;
        else if (x == "char")
            is_char = true;
        else
            return name; // double, _Bool, __int128, long double...
    }
    if (w.empty())
        return name;
    std::string out = is_unsigned ? "unsigned " : "";
    if (is_char)
        return out + (is_signed ? "signed char" : "char");
    if (is_short)
        return out + "short";
    if (longs == 1)
        return out + "long";
    if (longs >= 2)
        return out + "long long";
    (void)is_int;
    return out + "int";
}

// The node a folded node will copy (itself when not folded): what decides kind and size while
// the graph is still being built.
const Type *TypeTable::resolved(const Type *t) const {
    for (int hops = 0; t && hops < 64; ++hops) {
        auto f = folded_to_.find(t);
        if (f == folded_to_.end())
            break;
        t = f->second;
    }
    return t;
}

Type *TypeTable::make() {
    nodes_.emplace_back();
    return &nodes_.back();
}

const Type *TypeTable::void_type() {
    if (!void_) {
        Type *t = make();
        t->kind = TypeKind::Void;
        t->name = "void";
        void_ = t;
    }
    return void_;
}

const Type *TypeTable::type_of(Dwarf_Die *die, bool *is_void) {
    Dwarf_Die type;
    if (!ref_attr(die, DW_AT_type, &type)) {
        if (is_void)
            *is_void = true;
        return nullptr;
    }
    if (is_void)
        *is_void = false;
    return get(&type);
}

const Type *TypeTable::get(Dwarf_Die *die) {
    if (!die)
        return void_type();
    ++depth_;
    const Type *t = build(die);
    if (--depth_ == 0)
        finish_pending();
    return t;
}

const Type *TypeTable::pointer_to(const Type *target) {
    auto it = pointers_.find(target);
    if (it != pointers_.end())
        return it->second;
    Type *p = make();
    p->kind = TypeKind::Pointer;
    p->size = uint64_t(word_);
    p->target = target && resolved(target)->kind == TypeKind::Void ? nullptr : target;
    p->name = pointer_name(target, target && resolved(target)->kind == TypeKind::Function, "*");
    pointers_[target] = p;
    return p;
}

// Copies what a folded node stands for, once every node reachable from the request exists.
// Chains (a typedef of a const of a typedef) resolve to the first node that is not folded.
void TypeTable::finish_pending() {
    while (!pending_.empty()) {
        auto work = std::move(pending_);
        pending_.clear();
        for (auto &[dst, src] : work) {
            const Type *base = resolved(src);
            std::string name = dst->name;
            *dst = *base;
            dst->name = std::move(name);
            if (by_ref_.count(base))
                by_ref_.insert(dst);
        }
    }
}

Type *TypeTable::build(Dwarf_Die *die) {
    auto it = by_die_.find(die->addr);
    if (it != by_die_.end())
        return it->second;
    Type *t = make();
    by_die_[die->addr] = t;

    int tag = dwarf_tag(die);
    std::string name = die_name(die);
    uint64_t size = 0;
    bool has_size = die_udata(die, DW_AT_byte_size, size, false);
    if (has_size)
        t->size = size;

    auto fold = [&](const Type *base, std::string spelled) {
        t->name = std::move(spelled);
        folded_to_[t] = base;
        pending_.emplace_back(t, base);
    };

    switch (tag) {
    case DW_TAG_base_type: {
        uint64_t enc = 0;
        die_udata(die, DW_AT_encoding, enc, false);
        t->name = name;
        switch (enc) {
        case DW_ATE_boolean:
            t->kind = TypeKind::Bool;
            break;
        case DW_ATE_float:
        case DW_ATE_complex_float:
        case DW_ATE_imaginary_float:
        case DW_ATE_decimal_float:
            t->kind = TypeKind::Float;
            break;
        case DW_ATE_signed:
        case DW_ATE_signed_char:
            t->kind = TypeKind::Integer;
            t->is_signed = true;
            t->is_char = enc == DW_ATE_signed_char && size == 1;
            break;
        case DW_ATE_unsigned:
        case DW_ATE_unsigned_char:
        case DW_ATE_UTF:
            t->kind = TypeKind::Integer;
            t->is_char = enc == DW_ATE_unsigned_char && size == 1;
            break;
        default:
            t->kind = TypeKind::Unsupported;
        }
        break;
    }
    case DW_TAG_unspecified_type: // decltype(nullptr), "void" in some producers
        t->name = name.empty() ? "void" : name;
        t->kind = name == "void" ? TypeKind::Void : TypeKind::Unsupported;
        break;
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type: {
        bool is_ref = tag != DW_TAG_pointer_type;
        t->kind = TypeKind::Pointer;
        t->size = has_size ? size : uint64_t(word_);
        t->is_reference = is_ref;
        Dwarf_Die target;
        const Type *tt = ref_attr(die, DW_AT_type, &target) ? build(&target) : void_type();
        const char *suffix = tag == DW_TAG_pointer_type     ? "*"
                             : tag == DW_TAG_reference_type ? "&"
                                                            : "&&";
        // "void const*" keeps its spelling, but the pointee of any void pointer is nullptr.
        t->name = pointer_name(tt, resolved(tt)->kind == TypeKind::Function, suffix);
        t->target = resolved(tt)->kind == TypeKind::Void ? nullptr : tt;
        break;
    }
    case DW_TAG_typedef:
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
    case DW_TAG_restrict_type:
    case DW_TAG_atomic_type:
    case DW_TAG_immutable_type:
    case DW_TAG_shared_type: {
        Dwarf_Die base_die;
        const Type *base = ref_attr(die, DW_AT_type, &base_die) ? build(&base_die) : void_type();
        std::string spelled;
        if (tag == DW_TAG_typedef)
            spelled = name;
        else if (tag == DW_TAG_const_type)
            spelled = base->name + " const";
        else if (tag == DW_TAG_volatile_type)
            spelled = base->name + " volatile";
        else if (tag == DW_TAG_restrict_type)
            spelled = base->name + " restrict";
        else
            spelled = base->name;
        fold(base, spelled);
        break;
    }
    case DW_TAG_structure_type:
    case DW_TAG_class_type:
    case DW_TAG_union_type:
    case DW_TAG_enumeration_type: {
        std::string prefix = tag_prefix(tag);
        t->name = prefix + (name.empty() ? "{...}" : name);
        t->kind = tag == DW_TAG_union_type         ? TypeKind::Union
                  : tag == DW_TAG_enumeration_type ? TypeKind::Enum
                                                   : TypeKind::Struct;
        if (dwarf_hasattr(die, DW_AT_declaration) && !name.empty()) {
            // `struct foo;` here, defined in another unit (or nowhere).
            Dwarf_Die def;
            if (definition_of(prefix + name, &def) && def.addr != die->addr) {
                fold(build(&def), t->name);
                break;
            }
            if (tag == DW_TAG_class_type && definition_of("struct " + name, &def)) {
                fold(build(&def), t->name);
                break;
            }
            t->incomplete = true;
            t->size = 0;
            break;
        }
        uint64_t cc = 0;
        if (die_udata(die, DW_AT_calling_convention, cc, false) && cc == DW_CC_pass_by_reference)
            by_ref_.insert(t);
        if (tag == DW_TAG_enumeration_type) {
            Dwarf_Die under;
            const Type *u = ref_attr(die, DW_AT_type, &under) ? resolved(build(&under)) : nullptr;
            Dwarf_Die child;
            bool negative = false;
            if (dwarf_child(die, &child) == 0) {
                do {
                    if (dwarf_tag(&child) != DW_TAG_enumerator)
                        continue;
                    Dwarf_Attribute attr;
                    Enumerator e;
                    e.name = die_name(&child);
                    if (dwarf_attr(&child, DW_AT_const_value, &attr)) {
                        Dwarf_Sword s = 0;
                        Dwarf_Word w = 0;
                        if (attr.form == DW_FORM_sdata || attr.form == DW_FORM_implicit_const) {
                            dwarf_formsdata(&attr, &s);
                            e.value = s;
                        } else {
                            dwarf_formudata(&attr, &w);
                            e.value = int64_t(w);
                            // dataN forms are not sign-extended by libdw: a signed enum of
                            // `size` bytes stores -1 as 0xffffffff.
                            bool signed_enum = u ? u->is_signed : false;
                            if (signed_enum && t->size > 0 && t->size < 8 &&
                                (w >> (t->size * 8 - 1)) & 1)
                                e.value = int64_t(w | (~0ull << (t->size * 8)));
                        }
                    }
                    negative = negative || e.value < 0;
                    t->enumerators.push_back(std::move(e));
                } while (dwarf_siblingof(&child, &child) == 0);
            }
            // No DW_AT_type (older producers): GCC's enums are unsigned unless a value is
            // negative.
            t->is_signed = u ? u->is_signed : negative;
        } else {
            fill_struct(t, die);
        }
        break;
    }
    case DW_TAG_array_type:
        fill_array(t, die);
        break;
    case DW_TAG_subroutine_type:
        fill_function(t, die);
        break;
    default:
        t->kind = TypeKind::Unsupported;
        t->name = name.empty() ? "?" : name;
        break;
    }
    return t;
}

void TypeTable::fill_struct(Type *t, Dwarf_Die *die) {
    Dwarf_Die child;
    if (dwarf_child(die, &child) != 0)
        return;
    const std::string class_name = die_name(die);
    do {
        int tag = dwarf_tag(&child);
        if (tag == DW_TAG_subprogram && !by_ref_.count(t) && !die_flag(&child, DW_AT_artificial)) {
            // GCC does not emit DW_AT_calling_convention: a user-declared destructor or copy
            // constructor makes the class non-trivial for calls, passed and returned through
            // an invisible reference.
            std::string n = die_name(&child);
            if (!n.empty() && n[0] == '~')
                by_ref_.insert(t);
            else if (n == class_name && copy_constructor(&child, die))
                by_ref_.insert(t);
            continue;
        }
        if (tag != DW_TAG_member && tag != DW_TAG_inheritance)
            continue;
        // C++ static data members: DW_TAG_member with DW_AT_declaration (DWARF 4) or
        // DW_TAG_variable (DWARF 5): not part of the object.
        if (dwarf_hasattr(&child, DW_AT_declaration) || dwarf_hasattr(&child, DW_AT_external))
            continue;
        Dwarf_Die mtype_die;
        if (!ref_attr(&child, DW_AT_type, &mtype_die))
            continue;
        uint64_t offset = 0;
        bool has_offset = true;
        Dwarf_Attribute attr;
        if (dwarf_attr(&child, DW_AT_data_member_location, &attr)) {
            Dwarf_Word off = 0;
            if (dwarf_formudata(&attr, &off) == 0) {
                offset = off;
            } else {
                // DWARF 2 style: an expression DW_OP_plus_uconst N; anything else (virtual
                // bases) has no fixed offset.
                Dwarf_Op *ops;
                size_t n;
                has_offset = dwarf_getlocation(&attr, &ops, &n) == 0 && n == 1 &&
                             ops[0].atom == DW_OP_plus_uconst;
                if (has_offset)
                    offset = ops[0].number;
            }
        }
        const Type *mtype = build(&mtype_die);
        if (tag == DW_TAG_inheritance) {
            if (!has_offset)
                continue;
            // Base classes are flattened. The base is complete here unless it is still being
            // built (impossible for a base: a class cannot derive from itself) or folded (a
            // typedef of the base, whose members arrive in finish_pending; copy from the node
            // it folds to instead).
            const Type *base = resolved(mtype);
            for (Member m : base->members) {
                m.offset += offset;
                t->members.push_back(std::move(m));
            }
            continue;
        }
        if (!has_offset)
            continue;
        Member m;
        m.name = die_name(&child);
        m.type = mtype;
        m.offset = offset;
        uint64_t bit_size = 0;
        if (die_udata(&child, DW_AT_bit_size, bit_size, false) && bit_size > 0) {
            m.bit_size = uint32_t(bit_size);
            uint64_t data_bit_offset = 0, old_bit_offset = 0;
            uint64_t bit_pos = 0;
            if (die_udata(&child, DW_AT_data_bit_offset, data_bit_offset, false)) {
                // DWARF 4/5: bits from the start of the structure to the field's LSB.
                bit_pos = data_bit_offset;
            } else if (die_udata(&child, DW_AT_bit_offset, old_bit_offset, false)) {
                // DWARF 2/3: bits from the most significant bit of the storage unit
                // (DW_AT_byte_size, else the member type's size) at data_member_location to the
                // field's MSB. On little-endian, the field's LSB is storage*8 - off - size.
                uint64_t storage = 0;
                if (!die_udata(&child, DW_AT_byte_size, storage, false))
                    storage = mtype->size;
                bit_pos = offset * 8 + storage * 8 - old_bit_offset - bit_size;
            } else {
                bit_pos = offset * 8;
            }
            m.offset = bit_pos / 8;
            m.bit_offset = uint32_t(bit_pos % 8);
        }
        t->members.push_back(std::move(m));
    } while (dwarf_siblingof(&child, &child) == 0);
}

void TypeTable::fill_array(Type *t, Dwarf_Die *die) {
    Dwarf_Die elem_die;
    const Type *elem = ref_attr(die, DW_AT_type, &elem_die) ? build(&elem_die) : void_type();
    // Dimensions, outermost first: int a[2][3] has subranges 2 and 3 and is named "int[2][3]";
    // its element type is a synthesized node "int[3]".
    std::vector<uint64_t> counts;
    Dwarf_Die child;
    if (dwarf_child(die, &child) == 0) {
        do {
            int tag = dwarf_tag(&child);
            if (tag != DW_TAG_subrange_type && tag != DW_TAG_enumeration_type)
                continue;
            uint64_t count = 0, upper = 0, lower = 0;
            if (die_udata(&child, DW_AT_count, count, false)) {
            } else if (die_udata(&child, DW_AT_upper_bound, upper, false)) {
                die_udata(&child, DW_AT_lower_bound, lower, false);
                count = upper + 1 - lower;
            }
            // upper bound as an expression or -1 (flexible/VLA): unknown, 0.
            if (count > (uint64_t(1) << 40))
                count = 0;
            counts.push_back(count);
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    if (counts.empty())
        counts.push_back(0);
    const Type *inner = elem;
    std::string dims;
    for (size_t i = counts.size(); i-- > 1;) {
        Type *a = make();
        a->kind = TypeKind::Array;
        a->target = inner;
        a->count = counts[i];
        dims = "[]" + dims;  // stap's dwarf_type_name writes no sizes (-L: `int[][]`)
        a->name = elem->name + dims;
        a->size = resolved(inner)->size * counts[i];
        inner = a;
    }
    t->kind = TypeKind::Array;
    t->target = inner;
    t->count = counts[0];
    t->name = elem->name + "[]" + dims;
    if (!t->size)
        t->size = resolved(inner)->size * counts[0];
}

void TypeTable::fill_function(Type *t, Dwarf_Die *die) {
    t->kind = TypeKind::Function;
    bool is_void = false;
    const Type *ret = type_of(die, &is_void);
    std::string params;
    Dwarf_Die child;
    if (dwarf_child(die, &child) == 0) {
        do {
            int tag = dwarf_tag(&child);
            if (tag == DW_TAG_formal_parameter) {
                Dwarf_Die p;
                const Type *pt = ref_attr(&child, DW_AT_type, &p) ? build(&p) : void_type();
                params += (params.empty() ? "" : ", ") + pt->name;
            } else if (tag == DW_TAG_unspecified_parameters) {
                params += params.empty() ? "..." : ", ...";
            }
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    t->name = (ret ? ret->name : std::string("void")) + " (" + params + ")";
}

// Names of types defined at unit or namespace level, for find_type and for completing
// declarations. A full walk over the top of every unit (types are never inside functions for
// this purpose), done once.
void TypeTable::build_name_index() {
    if (indexed_)
        return;
    indexed_ = true;
    auto visit = [this](auto &self, Dwarf_Die *parent, const std::string &ns) -> void {
        Dwarf_Die child;
        if (dwarf_child(parent, &child) != 0)
            return;
        do {
            int tag = dwarf_tag(&child);
            std::string name = die_name(&child);
            if (tag == DW_TAG_namespace) {
                self(self, &child, ns + (name.empty() ? "" : name + "::"));
                continue;
            }
            if (name.empty())
                continue;
            std::string key;
            switch (tag) {
            case DW_TAG_structure_type:
            case DW_TAG_class_type:
            case DW_TAG_union_type:
            case DW_TAG_enumeration_type:
                if (dwarf_hasattr(&child, DW_AT_declaration))
                    continue;
                key = tag_prefix(tag) + name;
                // Also under the qualified name, for find_type("struct ns::foo").
                if (!ns.empty())
                    names_.emplace(tag_prefix(tag) + ns + name, child);
                break;
            case DW_TAG_typedef:
                key = name;
                if (!ns.empty())
                    names_.emplace(ns + name, child);
                break;
            case DW_TAG_base_type:
                key = canonical_base_name(name);
                break;
            default:
                continue;
            }
            names_.emplace(key, child);
        } while (dwarf_siblingof(&child, &child) == 0);
    };
    auto units = [&](Dwarf *dw) {
        Dwarf_CU *cu = nullptr, *next = nullptr;
        Dwarf_Half version;
        uint8_t unit_type;
        Dwarf_Die cudie, subdie;
        while (dwarf_get_units(dw, cu, &next, &version, &unit_type, &cudie, &subdie) == 0) {
            cu = next;
            if (unit_type == DW_UT_compile || unit_type == DW_UT_partial)
                visit(visit, &cudie, "");
            else if (unit_type == DW_UT_type)
                visit(visit, &cudie, "");
        }
    };
    units(dw_);
    if (Dwarf *alt = dwarf_getalt(dw_))
        units(alt);
}

bool TypeTable::definition_of(const std::string &key, Dwarf_Die *out) {
    build_name_index();
    auto it = names_.find(key);
    if (it == names_.end())
        return false;
    *out = it->second;
    return true;
}

const Type *TypeTable::find(const std::string &c_name) {
    auto cached = found_.find(c_name);
    if (cached != found_.end())
        return cached->second;
    // Split "struct foo **" into the base name and the pointer depth; qualifiers are ignored
    // (a const T has T's layout).
    std::string base;
    int stars = 0;
    for (char c : c_name) {
        if (c == '*')
            ++stars;
        else if (stars == 0)
            base += c;
        else if (c != ' ' && c != '\t')
            return found_[c_name] = nullptr; // "foo *bar": not a type name
    }
    std::vector<std::string> w;
    for (const std::string &x : words(base))
        if (x != "const" && x != "volatile")
            w.push_back(x);
    if (w.empty())
        return found_[c_name] = nullptr;
    std::string joined;
    for (const std::string &x : w)
        joined += (joined.empty() ? "" : " ") + x;

    const Type *t = nullptr;
    if (joined == "void") {
        t = void_type();
    } else {
        Dwarf_Die die;
        std::string key = joined;
        if (w[0] != "struct" && w[0] != "union" && w[0] != "enum" && w[0] != "class") {
            std::string canon = canonical_base_name(joined);
            if (canon != joined || !definition_of(key, &die))
                key = canon;
        }
        bool found = definition_of(key, &die) ||
                     (w[0] == "struct" && definition_of("class " + joined.substr(7), &die)) ||
                     (w[0] == "class" && definition_of("struct " + joined.substr(6), &die));
        // C++ names classes, unions and enums without the keyword.
        for (const char *kw : {"struct ", "class ", "union ", "enum "})
            found = found || definition_of(kw + joined, &die);
        if (found)
            t = get(&die);
    }
    for (int i = 0; t && i < stars; ++i)
        t = pointer_to(t);
    return found_[c_name] = t;
}

} // namespace ktap::dwarf::detail

namespace ktap::dwarf::detail {

const Type *DebugInfoImpl::find_type(const std::string &c_name) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return types_->find(c_name);
}

} // namespace ktap::dwarf::detail
