// ELF headers and function symbol tables (libelf), cached by file identity.
#include "elf_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <map>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>
#include <unordered_set>

namespace ktap::symbols_detail {

namespace {

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0)
            close(fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
};

struct ElfHandle {
    Elf *elf = nullptr;
    explicit ElfHandle(int fd) {
        static std::once_flag init;
        std::call_once(init, [] { elf_version(EV_CURRENT); });
        elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    }
    ~ElfHandle() {
        if (elf)
            elf_end(elf);
    }
    ElfHandle(const ElfHandle &) = delete;
    ElfHandle &operator=(const ElfHandle &) = delete;
};

using Key = std::tuple<uint64_t, uint64_t, int64_t, uint64_t>;  // dev, inode, mtime, size

std::mutex cache_mutex;
std::map<Key, std::shared_ptr<const ElfFile>> &cache() {
    static std::map<Key, std::shared_ptr<const ElfFile>> c;
    return c;
}

int64_t mtime_ns(const struct stat &st) {
    return int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::string hex(const unsigned char *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}

void split_paths(const char *s, std::vector<std::string> &out) {
    std::string cur;
    for (; *s; ++s) {
        if (*s == ':') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur += *s;
        }
    }
    if (!cur.empty())
        out.push_back(cur);
}

void read_headers(Elf *e, ElfFile &f) {
    GElf_Ehdr eh;
    gelf_getehdr(e, &eh);
    f.word_size = gelf_getclass(e) == ELFCLASS32 ? 32 : 64;
    f.machine = eh.e_machine;
    f.type = eh.e_type;

    size_t raw_size = 0;
    const char *raw = elf_rawfile(e, &raw_size);
    size_t phnum = 0;
    if (elf_getphdrnum(e, &phnum) == 0) {
        for (size_t i = 0; i < phnum; ++i) {
            GElf_Phdr ph;
            if (!gelf_getphdr(e, int(i), &ph))
                continue;
            if (ph.p_type == PT_LOAD)
                f.loads.push_back({ph.p_vaddr, ph.p_memsz, ph.p_offset});
            else if (ph.p_type == PT_INTERP && raw && ph.p_offset + ph.p_filesz <= raw_size)
                f.interp = std::string(raw + ph.p_offset, strnlen(raw + ph.p_offset, ph.p_filesz));
        }
    }

    for (Elf_Scn *scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        if (sh.sh_type == SHT_NOTE && f.build_id.empty()) {
            Elf_Data *d = elf_getdata(scn, nullptr);
            size_t off = 0, name_off, desc_off;
            GElf_Nhdr nh;
            while (d && (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
                if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
                    memcmp(static_cast<const char *>(d->d_buf) + name_off, "GNU", 4) == 0)
                    f.build_id = hex(static_cast<const unsigned char *>(d->d_buf) + desc_off,
                                     nh.n_descsz);
            }
        } else if (sh.sh_type == SHT_DYNAMIC) {
            Elf_Data *d = elf_getdata(scn, nullptr);
            size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
            for (size_t i = 0; d && i < n; ++i) {
                GElf_Dyn dyn;
                if (!gelf_getdyn(d, int(i), &dyn) || dyn.d_tag == DT_NULL)
                    break;
                if (dyn.d_tag != DT_SONAME && dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RPATH &&
                    dyn.d_tag != DT_RUNPATH)
                    continue;
                const char *s = elf_strptr(e, sh.sh_link, dyn.d_un.d_val);
                if (!s)
                    continue;
                if (dyn.d_tag == DT_SONAME)
                    f.soname = s;
                else if (dyn.d_tag == DT_NEEDED)
                    f.needed.push_back(s);
                else if (dyn.d_tag == DT_RPATH)
                    split_paths(s, f.rpath);
                else
                    split_paths(s, f.runpath);
            }
        }
    }
}

// One defined function symbol as read from a symbol table.
struct RawSymbol {
    std::string name;
    uint64_t value, size;
    uint8_t bind;
    bool hidden;  // a non-default version (foo@VER): only old binaries bind to it
};

// GCC's out-of-line cold parts (foo.cold, foo.cold.12, _Z3fooi.cold) are entered by jumps from
// the hot part, not called: they are no function entries.
bool is_cold_part(const std::string &name) {
    size_t pos = name.find(".cold");
    while (pos != std::string::npos && pos > 0) {
        size_t end = pos + 5;
        if (end == name.size() || name[end] == '.')
            return true;
        pos = name.find(".cold", end);
    }
    return false;
}

// Reads the defined STT_FUNC symbols of the first section of type SHTYPE. `defaults` collects
// the names with a default (or no) version, of any type. Returns false when there is no such
// section.
bool read_symbols(Elf *e, uint32_t shtype, std::vector<RawSymbol> &out,
                  std::unordered_set<std::string> &defaults) {
    Elf_Scn *symscn = nullptr, *verscn = nullptr;
    GElf_Shdr symsh{};
    for (Elf_Scn *scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        if (sh.sh_type == shtype && !symscn) {
            symscn = scn;
            symsh = sh;
        } else if (sh.sh_type == SHT_GNU_versym) {
            verscn = scn;
        }
    }
    if (!symscn || symsh.sh_entsize == 0)
        return false;
    Elf_Data *d = elf_getdata(symscn, nullptr);
    if (!d)
        return false;
    Elf_Data *vd = nullptr;
    if (shtype == SHT_DYNSYM && verscn)
        vd = elf_getdata(verscn, nullptr);
    size_t n = symsh.sh_size / symsh.sh_entsize;
    for (size_t i = 1; i < n; ++i) {
        GElf_Sym s;
        if (!gelf_getsym(d, int(i), &s) || s.st_shndx == SHN_UNDEF)
            continue;
        const char *cname = elf_strptr(e, symsh.sh_link, s.st_name);
        if (!cname || !*cname)
            continue;
        std::string name = cname;
        bool hidden = false;
        size_t at = name.find('@');
        if (at != std::string::npos) {
            hidden = name.compare(at, 2, "@@") != 0;
            name.resize(at);
        }
        GElf_Versym vs;
        if (vd && gelf_getversym(vd, int(i), &vs) && (vs & 0x8000))
            hidden = true;
        if (!hidden)
            defaults.insert(name);
        // STT_GNU_IFUNC is excluded on purpose: its st_value is the resolver, which ld.so runs
        // once to pick an implementation; calls never go through it.
        if (GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_ABS || s.st_size == 0 ||
            is_cold_part(name))
            continue;
        out.push_back({std::move(name), s.st_value, s.st_size, uint8_t(GELF_ST_BIND(s.st_info)),
                       hidden});
    }
    return true;
}

int bind_rank(uint8_t bind) {
    return bind == STB_LOCAL ? 2 : bind == STB_WEAK ? 1 : 0;
}

// Best listing name first: no leading underscore, then global before weak before local, then
// the shorter name, then alphabetical.
bool better_name(const FunctionName &a, const FunctionName &b) {
    auto key = [](const FunctionName &n) {
        return std::make_tuple(!n.symbol.empty() && n.symbol[0] == '_', bind_rank(n.bind),
                               n.listed.size(), std::string_view(n.listed));
    };
    return key(a) < key(b);
}

void build_table(std::vector<RawSymbol> &raw, const std::unordered_set<std::string> &defaults,
                 FunctionTable &t) {
    std::erase_if(raw, [&](const RawSymbol &r) { return r.hidden && defaults.count(r.name); });
    std::stable_sort(raw.begin(), raw.end(),
                     [](const RawSymbol &a, const RawSymbol &b) { return a.value < b.value; });
    for (RawSymbol &r : raw) {
        if (t.entries.empty() || t.entries.back().value != r.value)
            t.entries.push_back({r.value, 0, {}});
        FunctionEntry &fe = t.entries.back();
        fe.size = std::max(fe.size, r.size);
        auto same = std::find_if(fe.names.begin(), fe.names.end(),
                                 [&](const FunctionName &n) { return n.symbol == r.name; });
        if (same != fe.names.end()) {
            if (bind_rank(r.bind) < bind_rank(same->bind))
                same->bind = r.bind;
            continue;
        }
        FunctionName fn;
        fn.symbol = std::move(r.name);
        fn.bind = r.bind;
        fn.demangled = demangle(fn.symbol);
        if (!fn.demangled.empty())
            fn.bare = strip_parameters(fn.demangled);
        fn.listed = fn.bare.empty() || has_glob(fn.bare) ? fn.symbol : fn.bare;
        fn.origin = clone_origin(fn.symbol);
        if (!fn.origin.empty()) {
            fn.origin_demangled = demangle(fn.origin);
            if (!fn.origin_demangled.empty())
                fn.origin_bare = strip_parameters(fn.origin_demangled);
            fn.listed = fn.origin_bare.empty() || has_glob(fn.origin_bare) ? fn.origin
                                                                           : fn.origin_bare;
        }
        fe.names.push_back(std::move(fn));
    }
    t.exact.reserve(raw.size() * 2);
    for (uint32_t i = 0; i < t.entries.size(); ++i) {
        FunctionEntry &fe = t.entries[i];
        std::sort(fe.names.begin(), fe.names.end(), better_name);
        for (const FunctionName &n : fe.names) {
            t.exact.emplace(n.symbol, i);
            if (!n.demangled.empty())
                t.exact.emplace(n.demangled, i);
            if (!n.bare.empty() && n.bare != n.demangled)
                t.exact.emplace(n.bare, i);
            if (!n.origin.empty())
                t.exact.emplace(n.origin, i);
            if (!n.origin_demangled.empty())
                t.exact.emplace(n.origin_demangled, i);
            if (!n.origin_bare.empty() && n.origin_bare != n.origin_demangled)
                t.exact.emplace(n.origin_bare, i);
        }
    }
}

bool same_file(const ElfFile &f, const struct stat &st) {
    return uint64_t(st.st_dev) == f.dev && uint64_t(st.st_ino) == f.inode &&
           mtime_ns(st) == f.mtime_ns && uint64_t(st.st_size) == f.size;
}

// Separate debuginfo by build-id (Debian's *-dbg packages): its .symtab has the local functions
// a stripped library lacks, at the same link-time addresses.
bool read_debug_symtab(const ElfFile &f, std::vector<RawSymbol> &raw,
                       std::unordered_set<std::string> &defaults, std::string &source) {
    if (f.build_id.size() < 4)
        return false;
    std::string path = "/usr/lib/debug/.build-id/" + f.build_id.substr(0, 2) + "/" +
                       f.build_id.substr(2) + ".debug";
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.fd < 0)
        return false;
    ElfHandle h(fd.fd);
    GElf_Ehdr eh;
    if (!h.elf || elf_kind(h.elf) != ELF_K_ELF || !gelf_getehdr(h.elf, &eh) ||
        eh.e_machine != f.machine || (gelf_getclass(h.elf) == ELFCLASS32) != (f.word_size == 32))
        return false;
    std::vector<RawSymbol> r;
    std::unordered_set<std::string> d;
    if (!read_symbols(h.elf, SHT_SYMTAB, r, d) || r.empty())
        return false;
    raw = std::move(r);
    defaults = std::move(d);
    source = path + " .symtab";
    return true;
}

void load_functions(const ElfFile &f, FunctionTable &t) {
    Fd fd(open(f.path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st;
    if (fd.fd < 0 || fstat(fd.fd, &st) != 0) {
        t.error = f.path + ": " + strerror(errno);
        return;
    }
    if (!same_file(f, st)) {
        t.error = f.path + ": the file changed on disk";
        return;
    }
    ElfHandle h(fd.fd);
    if (!h.elf) {
        t.error = f.path + ": " + elf_errmsg(-1);
        return;
    }
    std::vector<RawSymbol> raw;
    std::unordered_set<std::string> defaults;
    if (read_symbols(h.elf, SHT_SYMTAB, raw, defaults) && !raw.empty()) {
        t.source = ".symtab";
    } else if (read_debug_symtab(f, raw, defaults, t.source)) {
    } else {
        raw.clear();
        defaults.clear();
        read_symbols(h.elf, SHT_DYNSYM, raw, defaults);
        t.source = ".dynsym";
    }
    build_table(raw, defaults, t);
}

} // namespace

const FunctionTable &ElfFile::functions() const {
    std::call_once(once_, [this] { load_functions(*this, table_); });
    return table_;
}

std::shared_ptr<const ElfFile> open_elf(const std::string &path, std::string &error,
                                        bool *not_elf) {
    if (not_elf)
        *not_elf = false;
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st;
    if (fd.fd < 0 || fstat(fd.fd, &st) != 0) {
        error = path + ": " + strerror(errno);
        return nullptr;
    }
    if (!S_ISREG(st.st_mode)) {
        error = path + ": not a regular file";
        if (not_elf)
            *not_elf = true;
        return nullptr;
    }
    Key key{st.st_dev, st.st_ino, mtime_ns(st), st.st_size};
    {
        std::lock_guard<std::mutex> lock(cache_mutex);
        auto it = cache().find(key);
        if (it != cache().end())
            return it->second;
    }
    ElfHandle h(fd.fd);
    if (!h.elf || elf_kind(h.elf) != ELF_K_ELF) {
        error = path + ": not an ELF file";
        if (not_elf)
            *not_elf = true;
        return nullptr;
    }
    auto f = std::make_shared<ElfFile>();
    f->path = path;
    f->dev = st.st_dev;
    f->inode = st.st_ino;
    f->size = st.st_size;
    f->mtime_ns = mtime_ns(st);
    read_headers(h.elf, *f);
    std::lock_guard<std::mutex> lock(cache_mutex);
    auto [it, inserted] = cache().emplace(key, std::move(f));
    return it->second;
}

void clear_elf_cache() {
    std::lock_guard<std::mutex> lock(cache_mutex);
    cache().clear();
}

} // namespace ktap::symbols_detail
