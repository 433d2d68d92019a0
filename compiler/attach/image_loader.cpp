#include "image_loader.h"

#include "remote_syscall.h"
#include "tracee.h"

#include <algorithm>
#include <cstring>
#include <gelf.h>
#include <libelf.h>
#include <sys/mman.h>
#include <vector>

namespace ktap {

namespace {

constexpr uint64_t kPage = 4096;

uint64_t page_down(uint64_t v) {
    return v & ~(kPage - 1);
}
uint64_t page_up(uint64_t v) {
    return (v + kPage - 1) & ~(kPage - 1);
}

int prot_of(uint32_t flags) {
    return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
           ((flags & PF_X) ? PROT_EXEC : 0);
}

struct Image {
    std::vector<char> bytes;
    Elf *elf = nullptr;
    std::vector<GElf_Phdr> loads;
    GElf_Phdr dynamic{};
    bool has_dynamic = false;
    ~Image() {
        if (elf)
            elf_end(elf);
    }
};

// The image's segments, checked to be something this loader can load completely.
bool parse(const std::string &image, int bits, Image &img, std::string &error) {
    elf_version(EV_CURRENT);
    img.bytes.assign(image.begin(), image.end());
    img.elf = elf_memory(img.bytes.data(), img.bytes.size());
    GElf_Ehdr eh;
    if (!img.elf || !gelf_getehdr(img.elf, &eh) || eh.e_type != ET_DYN ||
        gelf_getclass(img.elf) != (bits == 32 ? ELFCLASS32 : ELFCLASS64)) {
        error = "not a shared object of the target's word size";
        return false;
    }
    size_t n = 0;
    if (elf_getphdrnum(img.elf, &n) != 0)
        return false;
    for (size_t i = 0; i < n; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(img.elf, static_cast<int>(i), &ph))
            continue;
        if (ph.p_type == PT_LOAD)
            img.loads.push_back(ph);
        else if (ph.p_type == PT_DYNAMIC)
            img.dynamic = ph, img.has_dynamic = true;
        else if (ph.p_type == PT_TLS || ph.p_type == PT_INTERP) {
            error = ph.p_type == PT_TLS ? "it has thread-local storage" : "it names an interpreter";
            return false;
        }
    }
    if (img.loads.empty() || !img.has_dynamic) {
        error = "it has no loadable segments or no dynamic section";
        return false;
    }
    return true;
}

// The file bytes at virtual address VADDR (inside a segment's file part), or nullptr.
const char *at_vaddr(const Image &img, uint64_t vaddr, uint64_t size) {
    for (const GElf_Phdr &ph : img.loads)
        if (vaddr >= ph.p_vaddr && vaddr + size <= ph.p_vaddr + ph.p_filesz &&
            ph.p_offset + (vaddr - ph.p_vaddr) + size <= img.bytes.size())
            return img.bytes.data() + ph.p_offset + (vaddr - ph.p_vaddr);
    return nullptr;
}

struct Relocs {
    uint64_t table = 0, size = 0, entry = 0;
    bool rela = false;
};

bool dynamic_relocs(const Image &img, int bits, Relocs &r, std::string &error) {
    const size_t word = bits == 32 ? 4 : 8;
    const size_t entsz = 2 * word;
    for (uint64_t off = 0; off + entsz <= img.dynamic.p_filesz; off += entsz) {
        const char *p = at_vaddr(img, img.dynamic.p_vaddr + off, entsz);
        if (!p)
            break;
        int64_t tag = 0;
        uint64_t val = 0;
        if (bits == 32) {
            int32_t t32;
            uint32_t v32;
            memcpy(&t32, p, 4);
            memcpy(&v32, p + 4, 4);
            tag = t32, val = v32;
        } else {
            memcpy(&tag, p, 8);
            memcpy(&val, p + 8, 8);
        }
        if (tag == DT_NULL)
            break;
        switch (tag) {
        case DT_RELA:
            r.table = val, r.rela = true;
            break;
        case DT_RELASZ:
            r.size = val;
            break;
        case DT_RELAENT:
            r.entry = val;
            break;
        case DT_REL:
            r.table = val, r.rela = false;
            break;
        case DT_RELSZ:
            r.size = val;
            break;
        case DT_RELENT:
            r.entry = val;
            break;
        case DT_NEEDED:
            error = "it needs other libraries";
            return false;
        case DT_INIT:
        case DT_INIT_ARRAY:
        case DT_PREINIT_ARRAY:
            error = "it has initialisers";
            return false;
        case DT_TEXTREL:
            error = "it has text relocations";
            return false;
        case DT_JMPREL:
            error = "it has PLT relocations";
            return false;
        default:
            break;
        }
    }
    if (!r.entry)
        r.entry = r.rela ? 3 * word : 2 * word;
    return true;
}

} // namespace

bool load_image_into_target(Tracee &t, RemoteSyscalls &sys, const std::string &image, int target_fd,
                            uint64_t &bias, std::string &error) {
    const int bits = t.bits();
    const std::string who = "cannot load ktap's agent into process " + std::to_string(t.pid());
    Image img;
    Relocs rel;
    if (!parse(image, bits, img, error) || !dynamic_relocs(img, bits, rel, error)) {
        error = who + ": " + error;
        return false;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (const GElf_Phdr &ph : img.loads) {
        lo = std::min(lo, page_down(ph.p_vaddr));
        hi = std::max(hi, page_up(ph.p_vaddr + ph.p_memsz));
    }
    // One reservation for the whole span, then each segment over it at its place.
    int64_t rc = 0;
    if (!sys.call(RemoteSys::Mmap,
                  {0, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
                   static_cast<uint64_t>(-1) & (bits == 32 ? 0xffffffffu : ~uint64_t{0}), 0},
                  rc, error))
        return false;
    if (rc < 0 && rc > -4096) {
        error = who + ": mmap failed: " + strerror(static_cast<int>(-rc));
        return false;
    }
    // An i386 address above 2 GiB comes back sign-extended.
    const uint64_t addr_mask = bits == 32 ? 0xffffffffu : ~uint64_t{0};
    auto address = [&](int64_t v) { return static_cast<uint64_t>(v) & addr_mask; };
    const uint64_t base = address(rc) - lo;
    auto undo = [&] {
        int64_t ignored_rc = 0;
        std::string ignored;
        sys.call(RemoteSys::Munmap, {base + lo, hi - lo}, ignored_rc, ignored);
    };
    for (const GElf_Phdr &ph : img.loads) {
        const uint64_t start = page_down(ph.p_vaddr);
        const uint64_t file_end = ph.p_vaddr + ph.p_filesz;
        const uint64_t mem_end = page_up(ph.p_vaddr + ph.p_memsz);
        const int prot = prot_of(ph.p_flags);
        if (ph.p_filesz && (!sys.call(RemoteSys::Mmap,
                                      {base + start, page_up(file_end) - start,
                                       static_cast<uint64_t>(prot), MAP_PRIVATE | MAP_FIXED,
                                       static_cast<uint64_t>(target_fd), page_down(ph.p_offset)},
                                      rc, error) ||
                            address(rc) != base + start)) {
            error = who + ": mapping a segment failed" +
                    (error.empty() && rc < 0 && rc > -4096
                         ? std::string(": ") + strerror(static_cast<int>(-rc))
                     : error.empty() ? ""
                                     : ": " + error);
            undo();
            return false;
        }
        // bss: the rest of the last file page is zeroed, whole pages after it are anonymous.
        if (ph.p_memsz > ph.p_filesz) {
            uint64_t tail = std::min(page_up(file_end), ph.p_vaddr + ph.p_memsz) - file_end;
            std::vector<char> zeros(tail, 0);
            if (ph.p_filesz && tail && !t.write(base + file_end, zeros.data(), zeros.size())) {
                error = who + ": cannot clear its bss";
                undo();
                return false;
            }
            uint64_t anon = ph.p_filesz ? page_up(file_end) : start;
            if (mem_end > anon &&
                (!sys.call(RemoteSys::Mmap,
                           {base + anon, mem_end - anon, static_cast<uint64_t>(prot),
                            MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
                            static_cast<uint64_t>(-1) & (bits == 32 ? 0xffffffffu : ~uint64_t{0}),
                            0},
                           rc, error) ||
                 address(rc) != base + anon)) {
                error = who + ": mapping its bss failed";
                undo();
                return false;
            }
        }
    }
    // Relative relocations only (-Bsymbolic, hidden symbols): word = base + addend.
    const size_t word = bits == 32 ? 4 : 8;
    for (uint64_t off = 0; off + rel.entry <= rel.size; off += rel.entry) {
        const char *p = at_vaddr(img, rel.table + off, rel.entry);
        if (!p) {
            error = who + ": its relocation table is not in the file";
            undo();
            return false;
        }
        uint64_t where = 0, info = 0, type = 0, value = 0;
        int64_t addend = 0;
        if (bits == 32) {
            uint32_t w, i;
            memcpy(&w, p, 4);
            memcpy(&i, p + 4, 4);
            where = w, info = i, type = ELF32_R_TYPE(i);
            const char *inplace = at_vaddr(img, where, 4);
            uint32_t a = 0;
            if (inplace)
                memcpy(&a, inplace, 4);
            addend = a;
        } else {
            memcpy(&where, p, 8);
            memcpy(&info, p + 8, 8);
            memcpy(&addend, p + 16, 8);
            type = ELF64_R_TYPE(info);
        }
        const bool relative = bits == 32 ? type == R_386_RELATIVE : type == R_X86_64_RELATIVE;
        if (type == 0)
            continue; // R_*_NONE
        if (!relative) {
            error = who + ": it has a relocation of type " + std::to_string(type) +
                    ", which ktap's loader does not apply";
            undo();
            return false;
        }
        value = base + static_cast<uint64_t>(addend);
        if (!t.write(base + where, &value, word)) {
            error = who + ": cannot relocate it";
            undo();
            return false;
        }
    }
    bias = base;
    return true;
}

} // namespace ktap
