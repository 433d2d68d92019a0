// The module map: which ELF files a process maps, where (load bias), and which is the main
// executable; or the same for a program on disk and the libraries it needs.
#include "elf_file.h"
#include "symbols.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cinttypes>
#include <cstring>
#include <deque>
#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <glob.h>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace ktap {

using symbols_detail::ElfFile;
using symbols_detail::open_elf;

const Module *ModuleMap::main() const {
    for (const Module &m : modules)
        if (m.is_main)
            return &m;
    return nullptr;
}

namespace {

constexpr uint64_t kPage = 4096;

uint64_t page_down(uint64_t v) {
    return v & ~(kPage - 1);
}

struct Mapping {
    uint64_t start, end, offset;
    bool exec;
};

struct MappedFile {
    std::string path;
    uint64_t dev = 0, inode = 0;
    bool deleted = false;
    std::vector<Mapping> maps;
};

std::string basename_of(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_ktap_library(const std::string &path) {
    return basename_of(path).rfind("libktap-", 0) == 0;
}

// Only x86 ELF with the class that matches its machine (no x32).
bool supported_arch(const ElfFile &f) {
    return (f.machine == EM_X86_64 && f.word_size == 64) ||
           (f.machine == EM_386 && f.word_size == 32);
}

std::string arch_name(const ElfFile &f) {
    if (f.machine == EM_X86_64 && f.word_size == 32)
        return "x32";
    return "machine " + std::to_string(f.machine);
}

// bias = where the segment holding a mapping's file offset landed minus its link address.
// Prefers the mapping of file offset 0 (the first PT_LOAD); any mapping of a PT_LOAD's first
// page will do.
bool compute_bias(const ElfFile &f, const std::vector<Mapping> &maps, uint64_t &bias) {
    const Mapping *best = nullptr;
    const symbols_detail::LoadSegment *seg = nullptr;
    for (const Mapping &m : maps) {
        for (const auto &l : f.loads) {
            if (page_down(l.offset) != m.offset)
                continue;
            if (!best || m.offset < best->offset || (m.offset == best->offset && m.start < best->start)) {
                best = &m;
                seg = &l;
            }
        }
    }
    if (!best)
        return false;
    bias = best->start - page_down(seg->vaddr);
    return true;
}

uint64_t word_mask(int word_size) {
    return word_size == 32 ? 0xffffffffull : ~0ull;
}

bool parse_maps_line(const std::string &line, Mapping &m, uint64_t &dev, uint64_t &inode,
                     std::string &path) {
    unsigned long long start, end, offset, ino;
    unsigned int major, minor;
    char perms[8];
    int consumed = 0;
    if (sscanf(line.c_str(), "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &offset,
               &major, &minor, &ino, &consumed) < 7)
        return false;
    m = {start, end, offset, strchr(perms, 'x') != nullptr};
    dev = makedev(major, minor);
    inode = ino;
    path = consumed > 0 ? line.substr(size_t(consumed)) : std::string();
    while (!path.empty() && (path.back() == '\n' || path.back() == ' '))
        path.pop_back();
    return true;
}

std::string read_link(const std::string &p) {
    char buf[PATH_MAX];
    ssize_t n = readlink(p.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

} // namespace

bool read_module_map(int pid, ModuleMap &map, std::string &error) {
    map = ModuleMap{};
    map.pid = pid;
    std::string proc = "/proc/" + std::to_string(pid);
    std::ifstream in(proc + "/maps");
    if (!in) {
        error = "cannot read " + proc + "/maps: " + strerror(errno);
        return false;
    }
    std::string exe = read_link(proc + "/exe");
    const std::string deleted_suffix = " (deleted)";
    if (exe.size() > deleted_suffix.size() &&
        exe.compare(exe.size() - deleted_suffix.size(), std::string::npos, deleted_suffix) == 0)
        exe.resize(exe.size() - deleted_suffix.size());
    // A target in another mount namespace sees its own files: open them through its root.
    std::string root;
    std::string own_ns = read_link("/proc/self/ns/mnt"), its_ns = read_link(proc + "/ns/mnt");
    if (!own_ns.empty() && !its_ns.empty() && own_ns != its_ns)
        root = proc + "/root";

    std::vector<MappedFile> files;
    std::string line;
    bool any = false;
    while (std::getline(in, line)) {
        any = true;
        Mapping m;
        uint64_t dev, inode;
        std::string path;
        if (!parse_maps_line(line, m, dev, inode, path) || path.empty() || path[0] != '/' ||
            inode == 0)
            continue;  // anonymous, [heap], [stack], [vdso], [vvar]...
        bool deleted = false;
        if (path.size() > deleted_suffix.size() &&
            path.compare(path.size() - deleted_suffix.size(), std::string::npos,
                         deleted_suffix) == 0) {
            path.resize(path.size() - deleted_suffix.size());
            deleted = true;
        }
        auto it = std::find_if(files.begin(), files.end(), [&](const MappedFile &f) {
            return f.inode == inode && f.dev == dev && f.path == path;
        });
        if (it == files.end()) {
            files.push_back({path, dev, inode, deleted, {}});
            it = files.end() - 1;
        }
        it->maps.push_back(m);
    }
    if (!any) {
        error = "cannot read " + proc + "/maps (no such process, or no permission)";
        return false;
    }

    std::vector<Module> libs;
    for (const MappedFile &mf : files) {
        bool exec = std::any_of(mf.maps.begin(), mf.maps.end(), [](const Mapping &m) { return m.exec; });
        if (!exec)
            continue;  // data files (locale archive, fonts, mmapped ELF read as data)
        if (mf.deleted) {
            if (mf.path.rfind("/memfd:", 0) != 0)
                map.notes.push_back(mf.path + " was deleted after it was mapped: its functions "
                                    "cannot be probed");
            continue;
        }
        std::string err;
        bool not_elf = false;
        auto elf = open_elf(root + mf.path, err, &not_elf);
        // /proc/PID/maps shows a path from the root of the target's mount namespace when
        // ktap's own root (a chroot) is not in it: the mapped file itself is still reachable
        // through map_files (CAP_SYS_ADMIN); the inode check below still applies.
        if (!elf && !not_elf && !mf.maps.empty()) {
            char range[64];
            snprintf(range, sizeof range, "/map_files/%llx-%llx",
                     static_cast<unsigned long long>(mf.maps[0].start),
                     static_cast<unsigned long long>(mf.maps[0].end));
            std::string ignored;
            if (auto mapped = open_elf(proc + range, ignored, &not_elf))
                elf = mapped;
        }
        if (!elf) {
            if (!not_elf)
                map.notes.push_back(err);
            continue;
        }
        // The file on disk must be the file that is mapped (not replaced since, e.g. by a
        // package upgrade). Inodes only: overlayfs reports a different device in maps.
        if (elf->inode != mf.inode) {
            map.notes.push_back(mf.path + " on disk is not the file the process mapped (replaced "
                                "since it was loaded?): its functions cannot be probed");
            continue;
        }
        if (!supported_arch(*elf)) {
            map.notes.push_back(mf.path + ": unsupported ELF architecture (" + arch_name(*elf) + ")");
            continue;
        }
        Module mod;
        mod.path = mf.path;
        mod.soname = elf->soname;
        mod.word_size = elf->word_size;
        mod.dev = mf.dev;
        mod.inode = mf.inode;
        mod.is_main = !exe.empty() && mf.path == exe;
        mod.is_ktap = is_ktap_library(mf.path);
        if (!compute_bias(*elf, mf.maps, mod.bias)) {
            map.notes.push_back(mf.path + ": no mapping matches its PT_LOAD segments; skipped");
            continue;
        }
        mod.bias &= word_mask(mod.word_size);
        mod.low = ~0ull;
        for (const Mapping &m : mf.maps) {
            mod.low = std::min(mod.low, m.start);
            mod.high = std::max(mod.high, m.end);
        }
        mod.elf = std::move(elf);
        libs.push_back(std::move(mod));
    }
    // The main executable first (a non-PIE one usually is; a PIE one may not be).
    std::stable_partition(libs.begin(), libs.end(), [](const Module &m) { return m.is_main; });
    map.modules = std::move(libs);
    return true;
}

namespace {

Module file_module(const std::string &path, std::shared_ptr<const ElfFile> elf, bool is_main) {
    Module mod;
    mod.path = path;
    mod.soname = elf->soname;
    mod.word_size = elf->word_size;
    mod.dev = elf->dev;
    mod.inode = elf->inode;
    mod.is_main = is_main;
    mod.is_ktap = is_ktap_library(path);
    mod.low = ~0ull;
    for (const auto &l : elf->loads) {
        mod.low = std::min(mod.low, page_down(l.vaddr));
        mod.high = std::max(mod.high, l.vaddr + l.memsz);
    }
    if (elf->loads.empty())
        mod.low = 0;
    mod.elf = std::move(elf);
    return mod;
}

void ld_so_conf(const std::string &file, std::vector<std::string> &dirs, int depth) {
    std::ifstream in(file);
    std::string line;
    while (depth < 8 && std::getline(in, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream ss(line);
        std::string word;
        if (!(ss >> word))
            continue;
        if (word == "include") {
            std::string pattern;
            while (ss >> pattern) {
                glob_t g{};
                if (glob(pattern.c_str(), 0, nullptr, &g) == 0)
                    for (size_t i = 0; i < g.gl_pathc; ++i)
                        ld_so_conf(g.gl_pathv[i], dirs, depth + 1);
                globfree(&g);
            }
        } else if (word[0] == '/') {
            dirs.push_back(word);
        }
    }
}

// An approximation of ld.so's search: DT_RPATH (when no DT_RUNPATH), $LD_LIBRARY_PATH,
// DT_RUNPATH, /etc/ld.so.conf, the default directories. $ORIGIN is expanded; ld.so.cache and
// hwcaps subdirectories are not read. Candidates must match the program's class and machine.
std::shared_ptr<const ElfFile> find_library(const std::string &name, const ElfFile &from,
                                            const ElfFile &program, std::string &found) {
    auto try_path = [&](const std::string &p) -> std::shared_ptr<const ElfFile> {
        std::string err;
        auto elf = open_elf(p, err);
        if (!elf || elf->machine != program.machine || elf->word_size != program.word_size)
            return nullptr;
        char buf[PATH_MAX];
        if (!realpath(p.c_str(), buf))
            return nullptr;
        found = buf;
        return elf;
    };
    if (name.find('/') != std::string::npos)
        return try_path(name);
    std::string origin = from.path.substr(0, from.path.rfind('/'));
    auto expand = [&](std::string dir) {
        for (const char *o : {"${ORIGIN}", "$ORIGIN"}) {
            size_t p;
            while ((p = dir.find(o)) != std::string::npos)
                dir.replace(p, strlen(o), origin);
        }
        return dir;
    };
    std::vector<std::string> dirs;
    if (from.runpath.empty())
        for (const auto &d : from.rpath)
            dirs.push_back(expand(d));
    if (const char *llp = getenv("LD_LIBRARY_PATH")) {
        std::string s = llp;
        size_t b = 0;
        while (b <= s.size()) {
            size_t e = s.find_first_of(":;", b);
            if (e == std::string::npos)
                e = s.size();
            if (e > b)
                dirs.push_back(s.substr(b, e - b));
            b = e + 1;
        }
    }
    for (const auto &d : from.runpath)
        dirs.push_back(expand(d));
    ld_so_conf("/etc/ld.so.conf", dirs, 0);
    for (const char *d : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
                          "/usr/lib64", "/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu",
                          "/lib32", "/usr/lib32", "/lib", "/usr/lib"})
        dirs.push_back(d);
    for (const auto &d : dirs)
        if (auto elf = try_path(d + "/" + name))
            return elf;
    return nullptr;
}

} // namespace

bool file_module_map(const std::string &program, ModuleMap &map, std::string &error,
                     bool with_needed) {
    map = ModuleMap{};
    std::string path;
    if (!symbols_detail::find_program(program, path, error))
        return false;
    auto elf = open_elf(path, error);
    if (!elf)
        return false;
    if (!supported_arch(*elf)) {
        error = path + ": unsupported ELF architecture (" + arch_name(*elf) + ")";
        return false;
    }
    map.modules.push_back(file_module(path, elf, true));
    if (!with_needed)
        return true;

    std::set<std::string> seen{path};
    std::deque<std::shared_ptr<const ElfFile>> queue{elf};
    std::vector<std::pair<std::string, std::shared_ptr<const ElfFile>>> libs;
    while (!queue.empty()) {
        auto from = queue.front();
        queue.pop_front();
        for (const std::string &name : from->needed) {
            std::string found;
            auto lib = find_library(name, *from, *elf, found);
            if (!lib) {
                if (seen.insert("?" + name).second)
                    map.notes.push_back(from->path + " needs " + name + ", which was not found");
                continue;
            }
            if (!seen.insert(found).second)
                continue;
            libs.emplace_back(found, lib);
            queue.push_back(lib);
        }
    }
    if (!elf->interp.empty()) {
        std::string found;
        char buf[PATH_MAX];
        if (realpath(elf->interp.c_str(), buf) && seen.insert(buf).second) {
            std::string err;
            if (auto ld = open_elf(buf, err))
                libs.emplace_back(buf, ld);
        }
    }
    for (auto &[p, lib] : libs)
        map.modules.push_back(file_module(p, lib, false));
    return true;
}

std::string module_file(const Module &m) { return m.elf ? m.elf->path : m.path; }

VdsoImage read_vdso(int pid) {
    VdsoImage v;
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    std::string line;
    uint64_t lo = 0, hi = 0;
    while (std::getline(maps, line))
        if (line.size() > 6 && line.compare(line.size() - 6, 6, "[vdso]") == 0 &&
            sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64, &lo, &hi) == 2)
            break;
    if (!lo || hi <= lo || hi - lo > (1u << 20))
        return v;
    int fd = open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return v;
    v.image.resize(hi - lo);
    if (pread(fd, v.image.data(), v.image.size(), off_t(lo)) == ssize_t(v.image.size()))
        v.lo = lo;
    else
        v.image.clear();
    close(fd);
    return v;
}

} // namespace ktap
