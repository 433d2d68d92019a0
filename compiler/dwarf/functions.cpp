// The function index: every out-of-line function DWARF describes (concrete DW_TAG_subprogram
// with code), and the functions that exist only as inlined copies. Built once per module, on
// first use, in one walk over the units; `-l 'function("*")'` on a big program depends on this
// walk being a single pass that never descends into types.
#include "internal.h"

#include <algorithm>

namespace ktap::dwarf::detail {

// ---------------------------------------------------------------------------------------------
// Small attribute helpers. The *_integrate variants follow DW_AT_abstract_origin and
// DW_AT_specification, so a GCC clone or a C++ out-of-class definition reports the names and
// declaration coordinates of the function it instantiates.

std::string die_name(Dwarf_Die *die) {
    const char *n = dwarf_diename(die);
    return n ? n : "";
}

std::string die_linkage_name(Dwarf_Die *die) {
    Dwarf_Attribute attr;
    const char *n = nullptr;
    if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr))
        n = dwarf_formstring(&attr);
    else if (dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
        n = dwarf_formstring(&attr);
    return n ? n : "";
}

std::string die_decl_file(Dwarf_Die *die) {
    const char *f = dwarf_decl_file(die);
    return f ? f : "";
}

int die_decl_line(Dwarf_Die *die) {
    int line = 0;
    return dwarf_decl_line(die, &line) == 0 ? line : 0;
}

bool die_flag(Dwarf_Die *die, unsigned attr) {
    Dwarf_Attribute a;
    bool flag = false;
    return dwarf_attr_integrate(die, attr, &a) && dwarf_formflag(&a, &flag) == 0 && flag;
}

bool die_udata(Dwarf_Die *die, unsigned attr, uint64_t &out, bool integrate) {
    Dwarf_Attribute a;
    Dwarf_Word v = 0;
    if (!(integrate ? dwarf_attr_integrate(die, attr, &a) : dwarf_attr(die, attr, &a)) ||
        dwarf_formudata(&a, &v) != 0)
        return false;
    out = v;
    return true;
}

namespace {

// The first instruction of a concrete subprogram. DW_AT_low_pc normally; DWARF 5 allows
// DW_AT_entry_pc as an offset from it. A function GCC split into hot and cold parts has
// DW_AT_ranges instead: its first range is the hot part, where calls enter (the cold part,
// `f.cold`, is often placed at a lower address, so the lowest range would be wrong).
bool entry_of(Dwarf_Die *die, Dwarf_Addr &entry) {
    Dwarf_Attribute attr;
    Dwarf_Addr low = 0;
    bool has_low = dwarf_lowpc(die, &low) == 0;
    if (dwarf_attr(die, DW_AT_entry_pc, &attr)) {
        Dwarf_Word off = 0;
        if (attr.form == DW_FORM_addr || attr.form == DW_FORM_addrx ||
            attr.form == DW_FORM_GNU_addr_index) {
            if (dwarf_formaddr(&attr, &entry) == 0)
                return true;
        } else if (has_low && dwarf_formudata(&attr, &off) == 0) {
            entry = low + off;
            return true;
        }
    }
    if (has_low) {
        entry = low;
        return true;
    }
    if (dwarf_hasattr(die, DW_AT_ranges)) {
        Dwarf_Addr base, start, end;
        if (dwarf_ranges(die, 0, &base, &start, &end) > 0) {
            entry = start;
            return true;
        }
    }
    return false;
}

// Linkers resolve references to discarded sections (--gc-sections, duplicate COMDAT copies) to
// 0 (bfd, gold) or to a tombstone (-1 / -2, lld): such DIEs describe no code in this file.
bool is_tombstone(Dwarf_Addr a, int word) {
    if (a == 0)
        return true;
    uint64_t max = word == 4 ? 0xffffffffull : ~0ull;
    return (a & max) >= max - 1;
}


struct Abstract {
    Dwarf_Die die;
    size_t sites = 0;
    bool out_of_line = false;
};

class Walker {
  public:
    Walker(std::vector<Function> &out, int word) : out_(out), word_(word) {}

    void walk(Dwarf_Die *parent) {
        Dwarf_Die child;
        if (dwarf_child(parent, &child) != 0)
            return;
        do {
            switch (dwarf_tag(&child)) {
            case DW_TAG_subprogram:
                subprogram(&child);
                walk(&child); // inline sites, GNU C nested functions
                break;
            case DW_TAG_inlined_subroutine: {
                Dwarf_Die root;
                if (abstract_root(&child, root))
                    abstract(root).sites++;
                walk(&child); // inlined into an inlined copy
                break;
            }
            case DW_TAG_lexical_block:
            case DW_TAG_namespace:
            case DW_TAG_module:
                walk(&child);
                break;
            default:
                // Types, variables, parameters, call sites: no code of their own. C++ member
                // functions are declared inside classes but defined (with code) at unit or
                // namespace level, with DW_AT_specification.
                break;
            }
        } while (dwarf_siblingof(&child, &child) == 0);
    }

    std::unordered_map<const void *, Abstract> abstracts;

  private:
    Abstract &abstract(Dwarf_Die &die) {
        Abstract &a = abstracts[die.addr];
        if (!a.die.addr)
            a.die = die;
        return a;
    }

    void subprogram(Dwarf_Die *die) {
        if (dwarf_hasattr(die, DW_AT_declaration))
            return;
        Dwarf_Addr entry = 0;
        if (!entry_of(die, entry))
            return; // abstract instance or declaration: no code here
        Dwarf_Die root;
        if (abstract_root(die, root))
            abstract(root).out_of_line = true;
        if (is_tombstone(entry, word_))
            return;
        Function f;
        f.name = die_name(die);
        if (f.name.empty())
            return;
        f.linkage_name = die_linkage_name(die);
        f.decl_file = die_decl_file(die);
        f.decl_line = die_decl_line(die);
        f.entry = entry;
        f.die_offset = dwarf_dieoffset(die);
        out_.push_back(std::move(f));
    }

    std::vector<Function> &out_;
    int word_;
};

} // namespace

// The root of a chain of DW_AT_abstract_origin references: LTO adds a level (the late DIE
// refers to the early one), and inline sites and out-of-line copies must meet at one key.
bool abstract_root(Dwarf_Die *die, Dwarf_Die &root) {
    Dwarf_Attribute attr;
    if (!dwarf_attr(die, DW_AT_abstract_origin, &attr) || !dwarf_formref_die(&attr, &root))
        return false;
    for (int hops = 0; hops < 8; ++hops) {
        Dwarf_Die next;
        if (!dwarf_attr(&root, DW_AT_abstract_origin, &attr) || !dwarf_formref_die(&attr, &next))
            break;
        root = next;
    }
    return true;
}

void DebugInfoImpl::build_function_index() const {
    if (functions_built_)
        return;
    functions_built_ = true;
    Walker walker(functions_, word_);
    Dwarf_CU *cu = nullptr, *next = nullptr;
    Dwarf_Half version;
    uint8_t unit_type;
    Dwarf_Die cudie, subdie;
    while (dwarf_get_units(dw(), cu, &next, &version, &unit_type, &cudie, &subdie) == 0) {
        cu = next;
        // Partial units (dwz) hold shared abstract DIEs and types, never code; type units
        // hold types; split DWARF (skeleton units) is not supported.
        if (unit_type == DW_UT_compile)
            walker.walk(&cudie);
    }

    std::stable_sort(functions_.begin(), functions_.end(),
                     [](const Function &a, const Function &b) { return a.entry < b.entry; });
    // Identical code folding can put two DIEs at one address; one site is one function.
    functions_.erase(
        std::unique(functions_.begin(), functions_.end(),
                    [](const Function &a, const Function &b) { return a.entry == b.entry; }),
        functions_.end());

    // Inline-only functions: one entry per name and declaration (a `static inline` in a header
    // has an abstract DIE in every unit that inlines it).
    std::map<std::tuple<std::string, std::string, int>, size_t> merged;
    for (auto &[addr, a] : walker.abstracts) {
        if (a.out_of_line || a.sites == 0)
            continue;
        std::string name = die_name(&a.die);
        if (name.empty())
            continue;
        std::string file = die_decl_file(&a.die);
        int line = die_decl_line(&a.die);
        merged[{name, file, line}] += a.sites;
    }
    for (auto &[key, sites] : merged) {
        InlinedOnly i;
        i.name = std::get<0>(key);
        i.decl_file = std::get<1>(key);
        i.decl_line = std::get<2>(key);
        i.sites = sites;
        inlined_.push_back(std::move(i));
    }
}

const std::vector<Function> &DebugInfoImpl::functions() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    build_function_index();
    return functions_;
}

const Function *DebugInfoImpl::function_at(uint64_t link_entry) const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    build_function_index();
    auto it = std::lower_bound(functions_.begin(), functions_.end(), link_entry,
                               [](const Function &f, uint64_t e) { return f.entry < e; });
    return it != functions_.end() && it->entry == link_entry ? &*it : nullptr;
}

const std::vector<InlinedOnly> &DebugInfoImpl::inlined_only() const {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    build_function_index();
    return inlined_;
}

bool DebugInfoImpl::function_die(const Function &f, Dwarf_Die *die, std::string &error) const {
    if (!dwarf_offdie(dw(), f.die_offset, die) || dwarf_tag(die) != DW_TAG_subprogram) {
        error = "no DWARF subprogram at offset " + std::to_string(f.die_offset) + " in '" +
                debug_->path + "'";
        return false;
    }
    return true;
}

} // namespace ktap::dwarf::detail
