// Call-frame information to unwind rules (cfi_table.h). libdw interprets the CFI: for every FDE
// (listed with dwarf_next_cfi), dwarf_cfi_addrframe gives the rules of each row in turn; each
// row is mapped onto the closed rule set of ktap/unwind.h, identical neighbours merged, and a
// gap between FDEs gets an INVALID row.
#include "cfi_table.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace ktap::dwarf {

namespace {

struct Arch {
    int word;   // bytes
    int sp, bp; // DWARF register numbers
    int ip;     // x86_64 rip (16), i386 eip (8): the PLT expression's PC
};

Arch arch_of(int word_size) {
    return word_size == 32 ? Arch{4, 4, 5, 8} : Arch{8, 7, 6, 16};
}

// ---- pointer encodings (DW_EH_PE_*) --------------------------------------------------------

bool read_uleb(const uint8_t *&p, const uint8_t *end, uint64_t &v) {
    v = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
        uint8_t b = *p++;
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

bool read_sleb(const uint8_t *&p, const uint8_t *end, int64_t &v) {
    uint64_t r = 0;
    int shift = 0;
    uint8_t b = 0;
    do {
        if (p >= end || shift >= 64)
            return false;
        b = *p++;
        r |= uint64_t(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        r |= ~uint64_t{0} << shift;
    v = int64_t(r);
    return true;
}

template <typename T> T load(const uint8_t *p) {
    T v;
    memcpy(&v, p, sizeof v);
    return v;
}

// Decodes one encoded value at p (advancing it). `pc` is the address p has at run time (for
// pcrel); `application` false reads the format only (address ranges).
bool read_encoded(const uint8_t *&p, const uint8_t *end, uint8_t enc, int word, uint64_t pc,
                  bool application, uint64_t &v) {
    if (enc == 0xff)
        return false;
    uint64_t raw = 0;
    auto need = [&](size_t n) { return size_t(end - p) >= n; };
    switch (enc & 0x0f) {
    case 0x00:
        if (!need(word))
            return false;
        raw = word == 8 ? load<uint64_t>(p) : load<uint32_t>(p);
        p += word;
        break;
    case 0x01:
        if (!read_uleb(p, end, raw))
            return false;
        break;
    case 0x02:
        if (!need(2))
            return false;
        raw = load<uint16_t>(p);
        p += 2;
        break;
    case 0x03:
        if (!need(4))
            return false;
        raw = load<uint32_t>(p);
        p += 4;
        break;
    case 0x04:
        if (!need(8))
            return false;
        raw = load<uint64_t>(p);
        p += 8;
        break;
    case 0x09: {
        int64_t s;
        if (!read_sleb(p, end, s))
            return false;
        raw = uint64_t(s);
        break;
    }
    case 0x0a:
        if (!need(2))
            return false;
        raw = uint64_t(int64_t(load<int16_t>(p)));
        p += 2;
        break;
    case 0x0b:
        if (!need(4))
            return false;
        raw = uint64_t(int64_t(load<int32_t>(p)));
        p += 4;
        break;
    case 0x0c:
        if (!need(8))
            return false;
        raw = load<uint64_t>(p);
        p += 8;
        break;
    default:
        return false;
    }
    if (application) {
        switch (enc & 0x70) {
        case 0x00:
            break;
        case 0x10:
            raw += pc;
            break;
        default:
            return false; // textrel/datarel/funcrel do not occur in .eh_frame FDEs
        }
    }
    if (word == 4)
        raw &= 0xffffffffu;
    v = raw;
    return true;
}

// The FDE pointer encoding a CIE announces ('R' in a "z..." augmentation); absptr otherwise.
uint8_t fde_encoding(const Dwarf_CIE &cie, int word) {
    const char *aug = cie.augmentation;
    if (!aug || aug[0] != 'z' || !cie.augmentation_data)
        return 0x00;
    const uint8_t *p = cie.augmentation_data, *end = p + cie.augmentation_data_size;
    for (const char *c = aug + 1; *c && p <= end; ++c) {
        switch (*c) {
        case 'R':
            return p < end ? *p : 0x00;
        case 'L':
            ++p;
            break;
        case 'P': {
            if (p >= end)
                return 0x00;
            uint8_t enc = *p++;
            uint64_t ignored;
            if (!read_encoded(p, end, enc & 0x7f, word, 0, false, ignored))
                return 0x00;
            break;
        }
        case 'S':
        case 'B':
        case 'G':
            break;
        default:
            return 0x00;
        }
    }
    return 0x00;
}

// ---- one row's rules -------------------------------------------------------------------------

// A value the small evaluator tracks: base (none, the CFA or a register) + offset, optionally
// loaded from memory once.
struct Sym {
    enum Base { Const, Cfa, Reg } base = Const;
    int reg = 0;
    int64_t off = 0;
    bool deref = false;
};

bool evaluate(const Dwarf_Op *ops, size_t n, Sym &out) {
    std::vector<Sym> st;
    for (size_t i = 0; i < n; ++i) {
        const Dwarf_Op &op = ops[i];
        uint8_t a = op.atom;
        if (a == DW_OP_call_frame_cfa) {
            st.push_back({Sym::Cfa, 0, 0, false});
        } else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
            st.push_back({Sym::Reg, a - DW_OP_breg0, int64_t(op.number), false});
        } else if (a == DW_OP_bregx) {
            st.push_back({Sym::Reg, int(op.number), int64_t(op.number2), false});
        } else if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
            st.push_back({Sym::Const, 0, a - DW_OP_lit0, false});
        } else if (a == DW_OP_const1u || a == DW_OP_const2u || a == DW_OP_const4u ||
                   a == DW_OP_const8u || a == DW_OP_constu || a == DW_OP_const1s ||
                   a == DW_OP_const2s || a == DW_OP_const4s || a == DW_OP_const8s ||
                   a == DW_OP_consts) {
            st.push_back({Sym::Const, 0, int64_t(op.number), false});
        } else if (a == DW_OP_plus_uconst) {
            if (st.empty() || st.back().deref)
                return false;
            st.back().off += int64_t(op.number);
        } else if (a == DW_OP_plus || a == DW_OP_minus) {
            if (st.size() < 2)
                return false;
            Sym r = st.back();
            st.pop_back();
            Sym &l = st.back();
            if (r.base != Sym::Const || r.deref || l.deref)
                return false;
            l.off += a == DW_OP_plus ? r.off : -r.off;
        } else if (a == DW_OP_deref) {
            if (st.empty() || st.back().deref || st.back().base == Sym::Const)
                return false;
            st.back().deref = true;
        } else {
            return false;
        }
    }
    // The result is the top of the stack (libdw puts the CFA under a DW_CFA_expression's own
    // operations, as DWARF's evaluation rule does).
    if (st.empty())
        return false;
    out = st.back();
    return true;
}

bool fits16(int64_t v) {
    return v >= INT16_MIN && v <= INT16_MAX;
}

bool fits32(int64_t v) {
    return v >= INT32_MIN && v <= INT32_MAX;
}

// CFA = rsp + 8 + ((rip & 15) >= T ? 8 : 0): the rule gcc and binutils give lazy PLT stubs.
bool plt_pattern(const Dwarf_Op *ops, size_t n, const Arch &ar, kt_uw_rule &r) {
    if (n != 9)
        return false;
    auto is_breg = [](const Dwarf_Op &op, int reg, int64_t &off) {
        if (op.atom >= DW_OP_breg0 && op.atom <= DW_OP_breg31 && op.atom - DW_OP_breg0 == reg) {
            off = int64_t(op.number);
            return true;
        }
        if (op.atom == DW_OP_bregx && int(op.number) == reg) {
            off = int64_t(op.number2);
            return true;
        }
        return false;
    };
    int64_t base = 0, ipoff = 0;
    if (!is_breg(ops[0], ar.sp, base) || !is_breg(ops[1], ar.ip, ipoff) || ipoff != 0 ||
        ops[2].atom != DW_OP_lit15 || ops[3].atom != DW_OP_and || ops[4].atom < DW_OP_lit0 ||
        ops[4].atom > DW_OP_lit15 || ops[5].atom != DW_OP_ge || ops[7].atom != DW_OP_shl ||
        ops[8].atom != DW_OP_plus)
        return false;
    int shift = ops[6].atom - DW_OP_lit0;
    if (ops[6].atom < DW_OP_lit0 || ops[6].atom > DW_OP_lit31 || (int64_t{1} << shift) != base)
        return false;
    r.cfa_kind = KT_UW_CFA_PLT;
    r.cfa_off = int32_t(base);
    r.bp_kind = KT_UW_BP_SAME;
    r.bp_off = int16_t(ops[4].atom - DW_OP_lit0);
    return true;
}

bool cfa_rule(Dwarf_Frame *frame, const Arch &ar, kt_uw_rule &r) {
    Dwarf_Op *ops = nullptr;
    size_t n = 0;
    if (dwarf_frame_cfa(frame, &ops, &n) != 0 || n == 0)
        return false;
    if (plt_pattern(ops, n, ar, r))
        return true;
    Sym s;
    if (!evaluate(ops, n, s) || s.base != Sym::Reg || !fits32(s.off))
        return false;
    if (s.reg == ar.sp && !s.deref) {
        r.cfa_kind = KT_UW_CFA_SP;
    } else if (s.reg == ar.bp) {
        r.cfa_kind = s.deref ? KT_UW_CFA_DEREF_BP : KT_UW_CFA_BP;
    } else {
        return false;
    }
    r.cfa_off = int32_t(s.off);
    return true;
}

enum class Saved { Undefined, Same, AtCfa, AtBp, Other };

Saved saved_register(Dwarf_Frame *frame, int reg, const Arch &ar, int64_t &off) {
    Dwarf_Op mem[3];
    Dwarf_Op *ops = nullptr;
    size_t n = 0;
    if (dwarf_frame_register(frame, reg, mem, &ops, &n) != 0)
        return Saved::Other;
    if (n == 0)
        return ops ? Saved::Undefined : Saved::Same;
    if (ops[n - 1].atom == DW_OP_stack_value)
        return Saved::Other; // a computed value (val_offset, val_expression)
    Sym s;
    if (!evaluate(ops, n, s) || s.deref)
        return Saved::Other;
    off = s.off;
    if (s.base == Sym::Cfa)
        return Saved::AtCfa;
    if (s.base == Sym::Reg && s.reg == ar.bp)
        return Saved::AtBp;
    return Saved::Other;
}

kt_uw_rule row_rule(Dwarf_Frame *frame, int ra_reg, const Arch &ar) {
    kt_uw_rule r{};
    r.cfa_kind = KT_UW_INVALID;
    int64_t off = 0;
    Saved ra = saved_register(frame, ra_reg, ar, off);
    if (ra == Saved::Undefined) {
        r.cfa_kind = KT_UW_END;
        return r;
    }
    if (ra != Saved::AtCfa || off != -ar.word)
        return r; // a return address anywhere but just below the CFA: not in the rule set
    if (!cfa_rule(frame, ar, r)) {
        r = kt_uw_rule{};
        return r;
    }
    if (r.cfa_kind == KT_UW_CFA_PLT)
        return r;
    int64_t bpoff = 0;
    switch (saved_register(frame, ar.bp, ar, bpoff)) {
    case Saved::Same:
        r.bp_kind = KT_UW_BP_SAME;
        break;
    case Saved::AtCfa:
        r.bp_kind = fits16(bpoff) ? KT_UW_BP_AT_CFA : KT_UW_BP_UNDEF;
        r.bp_off = fits16(bpoff) ? int16_t(bpoff) : 0;
        break;
    case Saved::AtBp:
        r.bp_kind = fits16(bpoff) ? KT_UW_BP_AT_BP : KT_UW_BP_UNDEF;
        r.bp_off = fits16(bpoff) ? int16_t(bpoff) : 0;
        break;
    default:
        r.bp_kind = KT_UW_BP_UNDEF;
        break;
    }
    return r;
}

bool same_rule(const kt_uw_rule &a, const kt_uw_rule &b) {
    return a.cfa_kind == b.cfa_kind && a.cfa_off == b.cfa_off && a.bp_kind == b.bp_kind &&
           a.bp_off == b.bp_off;
}

// ---- the file --------------------------------------------------------------------------------

// Code bytes at a link-time address, from the PT_LOAD segment holding them.
bool code_bytes(Elf *elf, uint64_t addr, uint8_t *buf, size_t n) {
    size_t phnum = 0;
    if (elf_getphdrnum(elf, &phnum) != 0)
        return false;
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, int(i), &ph) || ph.p_type != PT_LOAD)
            continue;
        if (addr < ph.p_vaddr || addr + n > ph.p_vaddr + ph.p_filesz)
            continue;
        Elf_Data *d =
            elf_getdata_rawchunk(elf, int64_t(ph.p_offset + (addr - ph.p_vaddr)), n, ELF_T_BYTE);
        if (!d || d->d_size < n)
            return false;
        memcpy(buf, d->d_buf, n);
        return true;
    }
    return false;
}

// i386: which signal frame a sigreturn trampoline unwinds (glibc/vDSO __kernel_sigreturn:
// pop %eax; mov $119,%eax; int $0x80 is the old frame; everything else the rt frame).
uint8_t signal_layout(Elf *elf, const Arch &ar, uint64_t start) {
    if (ar.word == 8)
        return KT_UW_SIG_RT;
    // The FDE may start on alignment padding before the trampoline: look a few bytes in.
    static const uint8_t nonrt[] = {0x58, 0xb8, 0x77, 0x00, 0x00, 0x00, 0xcd, 0x80};
    uint8_t code[16 + sizeof nonrt];
    if (code_bytes(elf, start, code, sizeof code))
        for (size_t k = 0; k + sizeof nonrt <= sizeof code; ++k)
            if (!memcmp(code + k, nonrt, sizeof nonrt))
                return KT_UW_SIG_NONRT;
    return KT_UW_SIG_RT;
}

struct Span {
    uint64_t start, end;
    kt_uw_rule rule;
};

Elf_Scn *section_named(Elf *elf, const char *name, GElf_Shdr &sh) {
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(elf, &shstrndx) != 0)
        return nullptr;
    for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        if (!gelf_getshdr(scn, &sh))
            continue;
        const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
        if (n && !strcmp(n, name) && sh.sh_type != SHT_NOBITS)
            return scn;
    }
    return nullptr;
}

// Every FDE's [start, end) from the section's raw entries.
std::vector<std::pair<uint64_t, uint64_t>> fde_ranges(Elf *elf, Elf_Data *data, bool eh_frame,
                                                      uint64_t section_addr, int word) {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    const unsigned char *ident =
        reinterpret_cast<const unsigned char *>(elf_getident(elf, nullptr));
    if (!ident)
        return out;
    std::map<Dwarf_Off, uint8_t> cie_enc;
    std::vector<std::pair<Dwarf_Off, Dwarf_FDE>> fdes;
    Dwarf_Off off = 0, next = 0;
    for (;;) {
        Dwarf_CFI_Entry e;
        int rc = dwarf_next_cfi(ident, data, eh_frame, off, &next, &e);
        if (rc == 1 || next == Dwarf_Off(-1))
            break;
        if (rc == 0) {
            if (dwarf_cfi_cie_p(&e))
                cie_enc[off] = eh_frame ? fde_encoding(e.cie, word) : 0x00;
            else
                fdes.emplace_back(off, e.fde);
        }
        if (next <= off)
            break;
        off = next;
    }
    const uint8_t *base = static_cast<const uint8_t *>(data->d_buf);
    const uint8_t *end = base + data->d_size;
    for (const auto &[at, fde] : fdes) {
        auto it = cie_enc.find(fde.CIE_pointer);
        uint8_t enc = it == cie_enc.end() ? 0x00 : it->second;
        const uint8_t *p = fde.start;
        uint64_t init = 0, range = 0;
        uint64_t pc = section_addr + uint64_t(p - base);
        if (!read_encoded(p, end, enc, word, pc, true, init) ||
            !read_encoded(p, end, enc & 0x0f, word, 0, false, range))
            continue;
        if (range)
            out.emplace_back(init, init + range);
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool compile_elf(Elf *elf, int word_size, CfiTable &out, std::string &error) {
    out = CfiTable{};
    Arch ar = arch_of(word_size);
    GElf_Shdr sh{};
    Elf_Scn *scn = section_named(elf, ".eh_frame", sh);
    Dwarf *dw = nullptr;
    Dwarf_CFI *cfi = nullptr;
    bool eh = scn != nullptr;
    if (eh) {
        cfi = dwarf_getcfi_elf(elf);
        out.source = ".eh_frame";
    } else if ((scn = section_named(elf, ".debug_frame", sh))) {
        dw = dwarf_begin_elf(elf, DWARF_C_READ, nullptr);
        cfi = dw ? dwarf_getcfi(dw) : nullptr;
        out.source = ".debug_frame";
    }
    if (!scn || !cfi) {
        if (dw)
            dwarf_end(dw);
        out.source.clear();
        return true; // no CFI: the unwinder follows frame pointers here
    }
    Elf_Data *data = elf_rawdata(scn, nullptr);
    std::vector<Span> spans;
    if (data) {
        auto ranges = fde_ranges(elf, data, eh, sh.sh_addr, ar.word);
        out.fdes = ranges.size();
        for (const auto &[lo, hi] : ranges)
            if (hi > lo)
                out.funcs.emplace_back(lo, hi);
        std::sort(out.funcs.begin(), out.funcs.end());
        size_t kept = 0;
        for (const auto &f : out.funcs) // overlapping FDEs: the first one wins, as for rows
            if (kept == 0 || f.first >= out.funcs[kept - 1].second)
                out.funcs[kept++] = f;
        out.funcs.resize(kept);
        for (const auto &[lo, hi] : ranges) {
            uint64_t addr = lo;
            while (addr < hi) {
                Dwarf_Frame *frame = nullptr;
                if (dwarf_cfi_addrframe(cfi, addr, &frame) != 0 || !frame)
                    break;
                Dwarf_Addr s = 0, e = 0;
                bool signal = false;
                int ra = dwarf_frame_info(frame, &s, &e, &signal);
                kt_uw_rule r{};
                if (signal) {
                    r.cfa_kind = KT_UW_SIGNAL;
                    r.bp_kind = signal_layout(elf, ar, lo);
                } else if (ra >= 0) {
                    r = row_rule(frame, ra, ar);
                }
                free(frame);
                if (e <= addr)
                    break;
                uint64_t stop = std::min<uint64_t>(e, hi);
                if (r.cfa_kind == KT_UW_INVALID)
                    ++out.invalid_rows;
                spans.push_back({addr, stop, r});
                addr = stop;
            }
        }
    }
    if (dw)
        dwarf_end(dw);
    std::sort(spans.begin(), spans.end(),
              [](const Span &a, const Span &b) { return a.start < b.start; });
    // The unwinder looks a caller up at its return address - 1; a signal handler "returns" to
    // the trampoline's first byte. glibc's __restore_rt FDE starts a byte early for that; make
    // every signal trampoline's rows do (the i386 vDSO's, musl's), where that byte is free.
    for (size_t i = 0; i < spans.size(); ++i)
        if (spans[i].rule.cfa_kind == KT_UW_SIGNAL && spans[i].start > 0 &&
            (i == 0 || spans[i - 1].end < spans[i].start))
            spans[i].start -= 1;
    auto row = [&](uint64_t pc, const kt_uw_rule &r) {
        if (out.pcs.empty() || !same_rule(out.rules.back(), r)) {
            out.pcs.push_back(pc);
            out.rules.push_back(r);
        }
    };
    uint64_t covered = 0;
    for (const Span &s : spans) {
        if (s.start < covered)
            continue; // overlapping FDEs: the first one wins
        if (!out.pcs.empty() && s.start > covered)
            row(covered, kt_uw_rule{}); // a gap between FDEs
        row(s.start, s.rule);
        covered = s.end;
    }
    out.end = covered;
    (void)error;
    return true;
}

} // namespace

bool compile_cfi(const std::string &path, int word_size, CfiTable &out, std::string &error) {
    elf_version(EV_CURRENT);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = path + ": " + strerror(errno);
        return false;
    }
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        if (elf)
            elf_end(elf);
        close(fd);
        error = path + ": not an ELF file";
        return false;
    }
    bool ok = compile_elf(elf, word_size, out, error);
    elf_end(elf);
    close(fd);
    return ok;
}

uint64_t cfi_bytes(const std::string &path) {
    elf_version(EV_CURRENT);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uint64_t bytes = 0;
    if (Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
        GElf_Shdr sh{};
        if (elf_kind(elf) == ELF_K_ELF &&
            (section_named(elf, ".eh_frame", sh) || section_named(elf, ".debug_frame", sh)))
            bytes = sh.sh_size;
        elf_end(elf);
    }
    close(fd);
    return bytes;
}

bool compile_cfi_image(const void *image, size_t size, int word_size, CfiTable &out,
                       std::string &error) {
    elf_version(EV_CURRENT);
    std::vector<char> copy(static_cast<const char *>(image),
                           static_cast<const char *>(image) + size);
    Elf *elf = elf_memory(copy.data(), copy.size());
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        if (elf)
            elf_end(elf);
        error = "not an ELF image";
        return false;
    }
    bool ok = compile_elf(elf, word_size, out, error);
    elf_end(elf);
    return ok;
}

} // namespace ktap::dwarf
