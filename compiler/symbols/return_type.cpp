#include "return_type.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <unistd.h>

namespace ktap {

namespace {

struct DwarfFile {
    int fd = -1;
    Dwarf *dw = nullptr;
    ~DwarfFile() {
        if (dw)
            dwarf_end(dw);
        if (fd >= 0)
            close(fd);
    }
};

Dwarf *dwarf_of(const std::string &path) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<DwarfFile>> files;
    std::lock_guard<std::mutex> lock(mutex);
    auto &f = files[path];
    if (!f) {
        f = std::make_unique<DwarfFile>();
        f->fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (f->fd >= 0)
            f->dw = dwarf_begin(f->fd, DWARF_C_READ);
    }
    return f->dw;
}

// Follows typedefs and qualifiers to the type that decides the value's width and sign.
ReturnType classify(Dwarf_Die *type, int word_bytes) {
    ReturnType r;
    Dwarf_Die cur = *type;
    for (int depth = 0; depth < 16; ++depth) {
        int tag = dwarf_tag(&cur);
        if (tag == DW_TAG_typedef || tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
            tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type) {
            Dwarf_Attribute attr;
            if (!dwarf_attr_integrate(&cur, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &cur))
                return r;
            continue;
        }
        Dwarf_Word size = 0;
        if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
            tag == DW_TAG_rvalue_reference_type) {
            r.bytes = static_cast<uint32_t>(word_bytes);
            return r;
        }
        Dwarf_Attribute attr;
        if (dwarf_attr_integrate(&cur, DW_AT_byte_size, &attr) && dwarf_formudata(&attr, &size) == 0 &&
            size <= 8) {
            if (tag == DW_TAG_enumeration_type) {
                r.bytes = static_cast<uint32_t>(size);
                r.is_signed = true;
                return r;
            }
            if (tag != DW_TAG_base_type)
                return r;
            Dwarf_Word enc = 0;
            if (!dwarf_attr_integrate(&cur, DW_AT_encoding, &attr) || dwarf_formudata(&attr, &enc) != 0)
                return r;
            if (enc == DW_ATE_signed || enc == DW_ATE_signed_char) {
                r.bytes = static_cast<uint32_t>(size);
                r.is_signed = true;
            } else if (enc == DW_ATE_unsigned || enc == DW_ATE_unsigned_char ||
                       enc == DW_ATE_boolean) {
                r.bytes = static_cast<uint32_t>(size);
            }
        }
        return r;
    }
    return r;
}

} // namespace

ReturnType function_return_type(const std::string &path, uint64_t link_address) {
    ReturnType none;
    Dwarf *dw = dwarf_of(path);
    if (!dw)
        return none;
    Dwarf_Die cu;
    if (!dwarf_addrdie(dw, link_address, &cu))
        return none;
    uint8_t address_size = 8;
    dwarf_cu_info(cu.cu, nullptr, nullptr, nullptr, nullptr, nullptr, &address_size, nullptr);
    Dwarf_Die child;
    if (dwarf_child(&cu, &child) != 0)
        return none;
    do {
        if (dwarf_tag(&child) != DW_TAG_subprogram)
            continue;
        Dwarf_Addr low = 0;
        if (dwarf_lowpc(&child, &low) != 0 || low != link_address)
            continue;
        Dwarf_Attribute attr;
        Dwarf_Die type;
        if (!dwarf_attr_integrate(&child, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &type))
            return none;  // void
        return classify(&type, address_size);
    } while (dwarf_siblingof(&child, &child) == 0);
    return none;
}

} // namespace ktap
