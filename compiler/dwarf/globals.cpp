// Global and file-static variables (@var): DW_TAG_variable at unit or namespace level with a
// fixed address. Static locals inside functions are not searched.
#include "internal.h"

#include <fnmatch.h>

namespace ktap::dwarf::detail {

namespace {

std::string basename_of(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

bool DebugInfoImpl::find_global(const std::string &name, const std::string &cu_file,
                                Variable &out) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    ExprContext ctx;
    ctx.word_bytes = word_;
    ctx.at_entry = false;

    // C++ namespace variables and static members are declared inside their namespace or class
    // and defined at unit level with DW_AT_specification: the declaration's scope gives the
    // qualified name ("ns::x", "Class::count").
    std::unordered_map<const void *, std::string> declared_in;

    // Returns 1 found, -1 found but unusable (thread-local), 0 not here.
    auto visit = [&](auto &self, Dwarf_Die *parent, const std::string &ns) -> int {
        Dwarf_Die child;
        if (dwarf_child(parent, &child) != 0)
            return 0;
        do {
            int tag = dwarf_tag(&child);
            if (tag == DW_TAG_namespace) {
                std::string n = die_name(&child);
                if (int r = self(self, &child, ns + (n.empty() ? "" : n + "::")))
                    return r;
                continue;
            }
            if (tag == DW_TAG_structure_type || tag == DW_TAG_class_type ||
                tag == DW_TAG_union_type) {
                std::string n = die_name(&child);
                Dwarf_Die m;
                if (!n.empty() && dwarf_child(&child, &m) == 0) {
                    do {
                        int mt = dwarf_tag(&m);
                        if ((mt == DW_TAG_variable || mt == DW_TAG_member) &&
                            dwarf_hasattr(&m, DW_AT_declaration))
                            declared_in[m.addr] = ns + n + "::";
                    } while (dwarf_siblingof(&m, &m) == 0);
                }
                continue;
            }
            if (tag != DW_TAG_variable)
                continue;
            if (dwarf_hasattr(&child, DW_AT_declaration)) {
                declared_in[child.addr] = ns;
                continue;
            }
            std::string n = die_name(&child);
            std::string scope = ns;
            Dwarf_Attribute spec_attr;
            Dwarf_Die spec;
            if (dwarf_attr(&child, DW_AT_specification, &spec_attr) &&
                dwarf_formref_die(&spec_attr, &spec)) {
                auto it = declared_in.find(spec.addr);
                if (it != declared_in.end())
                    scope = it->second;
            }
            if (n != name && scope + n != name)
                continue;
            if (!dwarf_hasattr(&child, DW_AT_location) &&
                !dwarf_hasattr_integrate(&child, DW_AT_const_value))
                continue; // optimized away here; another unit may have it
            const Type *t = types_->type_of(&child);
            ExprFacts facts;
            Location loc = variable_location(&child, 0, t ? t->size : 0, ctx, &facts);
            if (facts.tls)
                return -1;
            if (!loc.available())
                continue;
            out = Variable();
            out.name = n;
            out.type = t;
            out.location = std::move(loc);
            return 1;
        } while (dwarf_siblingof(&child, &child) == 0);
        return 0;
    };

    Dwarf_CU *cu = nullptr, *next = nullptr;
    Dwarf_Half version;
    uint8_t unit_type;
    Dwarf_Die cudie, subdie;
    while (dwarf_get_units(dw(), cu, &next, &version, &unit_type, &cudie, &subdie) == 0) {
        cu = next;
        if (unit_type != DW_UT_compile)
            continue;
        if (!cu_file.empty()) {
            // DW_AT_name may be relative to DW_AT_comp_dir ("prog.c"): match the full path
            // and the base name.
            std::string cu_name = die_name(&cudie);
            Dwarf_Attribute attr;
            const char *dir =
                dwarf_attr(&cudie, DW_AT_comp_dir, &attr) ? dwarf_formstring(&attr) : nullptr;
            if (!cu_name.empty() && cu_name[0] != '/' && dir && *dir)
                cu_name = std::string(dir) + "/" + cu_name;
            if (fnmatch(cu_file.c_str(), cu_name.c_str(), 0) != 0 &&
                fnmatch(cu_file.c_str(), basename_of(cu_name).c_str(), 0) != 0)
                continue;
        }
        int r = visit(visit, &cudie, "");
        if (r)
            return r > 0;
    }
    return false;
}

} // namespace ktap::dwarf::detail
