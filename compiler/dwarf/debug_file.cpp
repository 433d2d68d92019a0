// Opening a module's DWARF: from the ELF file itself, or from separate debuginfo found by
// build-id or .gnu_debuglink, as gdb and systemtap look for it. One DebugInfo per path and
// debug root, shared by every caller of a ktap run.
#include "internal.h"

#include <cstdlib>
#include <cstring>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ktap::dwarf {

namespace detail {

OpenFile::~OpenFile() {
    if (dw)
        dwarf_end(dw);
    if (elf)
        elf_end(elf);
    if (fd >= 0)
        close(fd);
}

DebugInfoImpl::DebugInfoImpl(std::string elf_path, std::unique_ptr<OpenFile> debug,
                             std::unique_ptr<OpenFile> alt, int word_bytes)
    : elf_path_(std::move(elf_path)), debug_(std::move(debug)), alt_(std::move(alt)),
      word_(word_bytes) {
    types_ = std::make_unique<TypeTable>(debug_->dw, word_);
}

DebugInfoImpl::~DebugInfoImpl() {
    // The type table holds DIEs of the session: drop it first, then the main session (which
    // may refer to the alt file), then the alt file.
    types_.reset();
    debug_.reset();
    alt_.reset();
}

} // namespace detail

namespace {

using detail::OpenFile;

std::unique_ptr<OpenFile> open_elf(const std::string &path) {
    auto f = std::make_unique<OpenFile>();
    f->path = path;
    f->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f->fd < 0)
        return nullptr;
    f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, nullptr);
    if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
        return nullptr;
    return f;
}

// True when the file has at least one unit with a DIE: a stripped file may keep an empty or
// partial .debug_* section (e.g. only .debug_frame), which dwarf_begin_elf accepts.
bool has_units(Dwarf *dw) {
    Dwarf_CU *cu = nullptr, *next = nullptr;
    Dwarf_Half version;
    uint8_t unit_type;
    Dwarf_Die cudie, subdie;
    while (dwarf_get_units(dw, cu, &next, &version, &unit_type, &cudie, &subdie) == 0) {
        if (unit_type == DW_UT_compile || unit_type == DW_UT_partial)
            return true;
        cu = next;
    }
    return false;
}

bool open_dwarf(OpenFile &f) {
    elf_version(EV_CURRENT);
    f.dw = dwarf_begin_elf(f.elf, DWARF_C_READ, nullptr);
    if (f.dw && !has_units(f.dw)) {
        dwarf_end(f.dw);
        f.dw = nullptr;
    }
    return f.dw != nullptr;
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

std::string build_id_of(Elf *elf) {
    const void *id = nullptr;
    ssize_t n = dwelf_elf_gnu_build_id(elf, &id);
    return n > 0 ? hex(static_cast<const unsigned char *>(id), size_t(n)) : std::string();
}

std::string debug_root() {
    const char *env = getenv("KTAP_DEBUG_ROOT");
    return env && *env ? std::string(env) : std::string("/usr/lib/debug");
}

std::string build_id_path(const std::string &root, const std::string &id, const char *suffix) {
    return root + "/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) + suffix;
}

bool same_inode(const std::string &a, const std::string &b) {
    struct stat sa, sb;
    return stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

// A candidate debug file: must have DWARF, must not be the file itself, and when both carry a
// build-id they must agree (a stale debug file describes other addresses). The CRC of
// .gnu_debuglink is not checked: reading a whole big file to hash it costs more than the
// build-id comparison that modern toolchains make possible.
std::unique_ptr<OpenFile> try_debug_file(const std::string &path, const std::string &elf_path,
                                         const std::string &want_id) {
    if (access(path.c_str(), R_OK) != 0 || same_inode(path, elf_path))
        return nullptr;
    auto f = open_elf(path);
    if (!f)
        return nullptr;
    if (!want_id.empty()) {
        std::string id = build_id_of(f->elf);
        if (!id.empty() && id != want_id)
            return nullptr;
    }
    if (!open_dwarf(*f))
        return nullptr;
    return f;
}

std::string dir_of(const std::string &path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::unique_ptr<OpenFile> find_separate(const std::string &elf_path, Elf *elf,
                                        const std::string &root, std::string &tried) {
    std::string id = build_id_of(elf);
    if (id.size() > 2) {
        std::string p = build_id_path(root, id, ".debug");
        tried += " " + p;
        if (auto f = try_debug_file(p, elf_path, id))
            return f;
    }
    GElf_Word crc = 0;
    const char *link = dwelf_elf_gnu_debuglink(elf, &crc);
    if (link && *link) {
        char *real = realpath(elf_path.c_str(), nullptr);
        std::string dir = dir_of(real ? std::string(real) : elf_path);
        free(real);
        std::string prefix = dir == "/" ? "" : dir;
        for (const std::string &p :
             {prefix + "/" + link, prefix + "/.debug/" + link, root + prefix + "/" + link}) {
            tried += " " + p;
            if (auto f = try_debug_file(p, elf_path, id))
                return f;
        }
    }
    return nullptr;
}

// dwz moves DIEs shared by several files into a common file named by .gnu_debugaltlink. libdw
// finds it itself under /usr/lib/debug; with another debug root we point it there first.
std::unique_ptr<OpenFile> open_alt(Dwarf *dw, const std::string &root) {
    const char *name = nullptr;
    const void *id = nullptr;
    ssize_t n = dwelf_dwarf_gnu_debugaltlink(dw, &name, &id);
    if (n <= 0)
        return nullptr;
    std::string hex_id = hex(static_cast<const unsigned char *>(id), size_t(n));
    auto f = open_elf(build_id_path(root, hex_id, ".debug"));
    if (!f || !open_dwarf(*f))
        return nullptr;
    dwarf_setalt(dw, f->dw);
    return f;
}

} // namespace

std::shared_ptr<DebugInfo> DebugInfo::open(const std::string &elf_path, std::string &error) {
    struct Entry {
        std::shared_ptr<DebugInfo> info;
        std::string error;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;

    std::string root = debug_root();
    // Keyed by the debug root too, so that a test (or a user) changing KTAP_DEBUG_ROOT is not
    // served an earlier miss.
    std::string key = elf_path + '\0' + root;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end()) {
        error = it->second.error;
        return it->second.info;
    }
    Entry &e = cache[key];

    elf_version(EV_CURRENT);
    auto elf = open_elf(elf_path);
    if (!elf) {
        e.error = "cannot open '" + elf_path + "' as an ELF file";
        error = e.error;
        return nullptr;
    }
    GElf_Ehdr eh;
    int word = 0;
    if (gelf_getehdr(elf->elf, &eh)) {
        if (eh.e_machine == EM_X86_64 && eh.e_ident[EI_CLASS] == ELFCLASS64)
            word = 8;
        else if (eh.e_machine == EM_386)
            word = 4;
    }
    if (!word) {
        e.error = "'" + elf_path + "' is neither x86_64 nor i386";
        error = e.error;
        return nullptr;
    }

    std::unique_ptr<OpenFile> debug;
    std::string tried;
    if (open_dwarf(*elf))
        debug = std::move(elf);
    else
        debug = find_separate(elf_path, elf->elf, root, tried);
    if (!debug) {
        e.error = "no DWARF debuginfo for '" + elf_path + "' (looked in the file" +
                  (tried.empty() ? std::string() : " and" + tried) + ")";
        error = e.error;
        return nullptr;
    }
    std::unique_ptr<OpenFile> alt;
    if (root != "/usr/lib/debug")
        alt = open_alt(debug->dw, root);
    e.info =
        std::make_shared<detail::DebugInfoImpl>(elf_path, std::move(debug), std::move(alt), word);
    error.clear();
    return e.info;
}

} // namespace ktap::dwarf
