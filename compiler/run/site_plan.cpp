#include "site_plan.h"

#include "kt_lang.h"
#include "ktap/agent.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace ktap {

FunctionQuery function_query(const ProbeInfo &info) {
    FunctionQuery q;
    q.process = info.process_pid ? "" : info.process;
    q.library = info.library;
    q.function = info.function;
    return q;
}

std::string function_suffixes(const ProbePoint &point) {
    std::string text;
    bool after = false;
    for (const auto &c : point.components) {
        if (c.name == "function") {
            after = true;
            continue;
        }
        if (!after)
            continue;
        text += "." + c.name;
        if (c.param)
            text += "(" + (c.param->is_string ? "\"" + c.param->text + "\""
                                              : std::to_string(c.param->number)) +
                    ")";
    }
    return text;
}

// pp() of a site: the concrete probe point with the suffixes the script wrote after function().
static std::string site_pp(const ResolvedProbe &p, const FunctionSite &f) {
    return probe_point_text(f) + function_suffixes(p.point);
}

// Appends one site per function found for probe i.
static void add_sites(const ResolvedProbe &p, size_t i, std::vector<FunctionSite> &found,
                      std::vector<PlannedSite> &sites) {
    for (auto &f : found) {
        PlannedSite s;
        s.probe = i;
        s.pp = site_pp(p, f);
        s.function = std::move(f);
        s.is_return = p.info.is_return;
        s.maxactive = p.info.maxactive;
        if (s.is_return)
            s.ret = function_return_type(s.function.module->path,
                                         s.function.address - s.function.module->bias);
        sites.push_back(std::move(s));
    }
}

bool plan_sites(const ElaboratedProgram &program, const ModuleMap &modules,
                std::vector<PlannedSite> &sites, Diagnostics &diag) {
    bool ok = true;
    for (size_t i = 0; i < program.probes.size(); ++i) {
        const ResolvedProbe &p = *program.probes[i];
        if (!p.info.has_site())
            continue;
        std::vector<FunctionSite> found;
        std::vector<std::string> warnings;
        std::string error;
        if (!resolve_functions(modules, function_query(p.info), found, error, &warnings)) {
            if (p.point.optional)
                continue;  // e.g. a library not loaded yet: it may come with dlopen
            diag.error(p.point.loc, "cannot resolve probe point " + p.point.str() + ": " + error);
            ok = false;
            continue;
        }
        for (const auto &w : warnings)
            diag.warning(p.point.loc, w);
        if (found.empty()) {
            if (!p.point.optional) {
                diag.error(p.point.loc, "probe point " + p.point.str() +
                                            " matches no function in process " +
                                            std::to_string(modules.pid) +
                                            " (add '?' to make it optional)");
                ok = false;
            }
            continue;
        }
        add_sites(p, i, found, sites);
    }
    return ok;
}

void plan_new_module_sites(const ElaboratedProgram &program, const ModuleMap &new_modules,
                           std::vector<PlannedSite> &sites) {
    for (size_t i = 0; i < program.probes.size(); ++i) {
        const ResolvedProbe &p = *program.probes[i];
        if (!p.info.has_site())
            continue;
        std::vector<FunctionSite> found;
        std::string error;
        // An error here means "this probe point names another module": nothing to add.
        if (!resolve_functions(new_modules, function_query(p.info), found, error))
            continue;
        add_sites(p, i, found, sites);
    }
}

static uint64_t strings_bytes(const PlannedSite &s) {
    return s.function.name.size() + 1 + s.pp.size() + 1 + s.function.module->path.size() + 1;
}

SiteTableSpace site_table_space(uint64_t off, const std::vector<PlannedSite> &sites,
                                size_t spare) {
    SiteTableSpace space;
    space.off = off;
    space.capacity = sites.size() + spare;
    space.strings = off + space.capacity * sizeof(kt_site);
    uint64_t bytes = 256 * spare;
    for (const auto &s : sites)
        bytes += strings_bytes(s);
    space.end = (space.strings + bytes + 63) & ~uint64_t{63};
    return space;
}

bool write_site_table(void *arena, SiteTableSpace &space, const std::vector<PlannedSite> &sites,
                      size_t first, unsigned engine_flags) {
    auto *base = static_cast<uint8_t *>(arena);
    auto *h = static_cast<kt_arena_header *>(arena);
    auto *table = reinterpret_cast<kt_site *>(base + space.off);
    uint64_t need = 0;
    for (size_t i = first; i < sites.size(); ++i)
        need += strings_bytes(sites[i]);
    if (sites.size() > space.capacity || space.strings + need > space.end)
        return false;
    auto put = [&](const std::string &text) {
        memcpy(base + space.strings, text.c_str(), text.size() + 1);
        uint64_t at = space.strings;
        space.strings += text.size() + 1;
        return at;
    };
    for (size_t i = first; i < sites.size(); ++i) {
        const PlannedSite &s = sites[i];
        kt_site &t = table[i];
        memset(&t, 0, sizeof t);
        t.addr = s.function.address;
        t.name_off = put(s.function.name);
        t.pp_off = put(s.pp);
        t.module_off = put(s.function.module->path);
        t.func_size = s.function.size;
        t.probe = is_ktap_hook(s.probe) ? -1 : static_cast<int32_t>(s.probe);
        t.kind = s.is_return ? KT_SITE_RETURN : KT_SITE_ENTRY;
        t.maxactive = static_cast<int32_t>(s.maxactive);
        t.status = KT_SITE_UNUSED;
        t.flags = engine_flags;
        t.ret_bytes = s.ret.bytes;
        t.ret_signed = s.ret.is_signed;
        t.chain_head = static_cast<int32_t>(i);
        t.chain_next = -1;
        t.group_kind = t.kind;
        t.group_maxactive = t.maxactive;
    }
    // Sites of one address become one engine probe: chain them in script order (agent.h).
    std::map<uint64_t, size_t> last;  // address -> last site of its chain
    for (size_t i = first; i < sites.size(); ++i) {
        kt_site &t = table[i];
        auto it = last.find(t.addr);
        if (it == last.end()) {
            last[t.addr] = i;
            continue;
        }
        kt_site &head = table[table[it->second].chain_head];
        table[it->second].chain_next = static_cast<int32_t>(i);
        t.chain_head = table[it->second].chain_head;
        it->second = i;
        if (t.kind == KT_SITE_RETURN) {
            // maxactive <= 0 means the (large) default: an explicit bound wins only if every
            // return probe of the chain has one; then the largest.
            bool head_ret = head.group_kind == KT_SITE_RETURN;
            if (!head_ret)
                head.group_maxactive = t.maxactive;
            else if (head.group_maxactive > 0)
                head.group_maxactive = t.maxactive <= 0 ? 0 : std::max(head.group_maxactive,
                                                                       t.maxactive);
            head.group_kind = KT_SITE_RETURN;
        }
    }
    h->sites_off = space.off;
    __atomic_store_n(&h->nsites, static_cast<uint32_t>(sites.size()), __ATOMIC_RELEASE);
    return true;
}

void write_site_handlers(void *arena, const std::vector<PlannedSite> &sites, size_t first,
                         const std::vector<std::vector<ProbeCode>> &code, const HookCode &hooks) {
    auto *h = static_cast<kt_arena_header *>(arena);
    auto *table = reinterpret_cast<kt_site *>(static_cast<uint8_t *>(arena) + h->sites_off);
    for (size_t i = first; i < sites.size(); ++i) {
        const size_t p = sites[i].probe;
        ProbeCode hook{p == kDlopenHookProbe   ? hooks.dlopen
                       : p == kThreadHookProbe ? hooks.thread
                       : p == kExitHookProbe   ? hooks.exit
                                               : hooks.main,
                       0, 0};
        const ProbeCode &c =
            is_ktap_hook(sites[i].probe) ? hook : code.at(sites[i].probe).at(sites[i].variant);
        table[i].handler = c.handler;
        table[i].entry_handler = c.entry_handler;
        table[i].data_size = c.entry_bytes;
        // Each return probe of a chain has its own part of the instance's data area.
        kt_site &head = table[table[i].chain_head];
        if (static_cast<size_t>(table[i].chain_head) == i)
            head.group_data_size = 0;
        table[i].data_off = head.group_data_size;
        head.group_data_size += (c.entry_bytes + 15) & ~uint32_t{15};
    }
}

std::string site_label(const PlannedSite &site) {
    return "function '" + site.function.name + "' in " + site.function.module->path;
}

} // namespace ktap
