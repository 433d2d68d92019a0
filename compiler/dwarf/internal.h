// The libdw-backed implementation of DebugInfo (debuginfo.h), shared by the files of this
// folder. Nothing outside compiler/dwarf/ includes this header: it is where libdw types live.
#pragma once

#include "debuginfo.h"

#include <deque>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace ktap::dwarf::detail {

// One opened ELF file: its descriptor and (when it has DWARF) the libdw session. Closing order
// matters: the Dwarf handle refers to the Elf, which refers to the fd.
struct OpenFile {
    std::string path;
    int fd = -1;
    Elf *elf = nullptr;
    Dwarf *dw = nullptr;
    OpenFile() = default;
    OpenFile(const OpenFile &) = delete;
    OpenFile &operator=(const OpenFile &) = delete;
    ~OpenFile();
};

// ---------------------------------------------------------------------------------------------
// The type graph (types.cpp). Nodes are created on first use and cached by the DIE they come
// from; nodes for typedefs and cv-qualifiers are copies of their base node with their own name.

class TypeTable {
  public:
    TypeTable(Dwarf *dw, int word_bytes) : dw_(dw), word_(word_bytes) {}

    // The node for a type DIE; `die` nullptr (no DW_AT_type) is void.
    const Type *get(Dwarf_Die *die);
    // The type named by a variable/function DIE's DW_AT_type: nullptr for void.
    const Type *type_of(Dwarf_Die *die, bool *is_void = nullptr);
    const Type *void_type();
    const Type *pointer_to(const Type *target);
    const Type *find(const std::string &c_name);
    // C++ classes whose DWARF says they are passed by invisible reference
    // (DW_AT_calling_convention DW_CC_pass_by_reference: a non-trivial copy or destructor).
    bool by_reference(const Type *t) const { return by_ref_.count(t) != 0; }

  private:
    Type *make();
    const Type *resolved(const Type *t) const;
    Type *build(Dwarf_Die *die);
    void fill_struct(Type *t, Dwarf_Die *die);
    void fill_array(Type *t, Dwarf_Die *die);
    void fill_function(Type *t, Dwarf_Die *die);
    void finish_pending();
    void build_name_index();
    bool definition_of(const std::string &key, Dwarf_Die *out);

    Dwarf *dw_;
    int word_;
    std::deque<Type> nodes_; // stable addresses
    std::unordered_map<const void *, Type *> by_die_;
    std::unordered_map<const Type *, Type *> pointers_;
    std::unordered_set<const Type *> by_ref_;
    // Folded nodes (typedef, cv, declaration) -> the node they copy, applied once the whole
    // graph reachable from the current request is built (so cycles through pointers work).
    std::vector<std::pair<Type *, const Type *>> pending_;
    std::unordered_map<const Type *, const Type *> folded_to_;
    int depth_ = 0;
    const Type *void_ = nullptr;
    // "struct foo", "union u", "enum e", "class c", typedef names, canonical base type names ->
    // the first defining DIE (built lazily: only declaration completion and find_type need it).
    bool indexed_ = false;
    std::unordered_map<std::string, Dwarf_Die> names_;
    std::unordered_map<std::string, const Type *> found_;
};

// Canonical spelling of a C integer base type name ("long unsigned int" and "unsigned long"
// both become "unsigned long"); other names are returned unchanged.
std::string canonical_base_name(const std::string &name);

// ---------------------------------------------------------------------------------------------
// Location expressions (locations.cpp).

// The function's frame base (DW_AT_frame_base) at the probe address.
struct FrameBase {
    bool present = false;
    std::vector<LocOp> ops; // pushes the frame base's value
    std::string invalid;    // why it cannot be used at this address ("" = usable)
};

struct ExprContext {
    int word_bytes = 8;
    bool at_entry = true; // DW_OP_entry_value is the register itself
    const FrameBase *frame = nullptr;
};

// What translate_location found out besides the pieces.
struct ExprFacts {
    bool below_cfa = false;     // a frame slot below the CFA: written by the prologue
    bool frame_invalid = false; // uses a frame base not valid here (frame pointer)
    bool tls = false;           // a thread-local variable
};

// The location of `attr` (DW_AT_location or DW_AT_const_value of `die`) at `pc`, for an object
// of `type_bytes` bytes.
Location variable_location(Dwarf_Die *die, uint64_t pc, uint64_t type_bytes, const ExprContext &ctx,
                           ExprFacts *facts);
// One expression reduced to pieces (exposed for the frame base and globals).
Location translate_expression(Dwarf_Attribute *attr, const Dwarf_Op *ops, size_t n,
                              uint64_t type_bytes, const ExprContext &ctx, ExprFacts *facts);
FrameBase frame_base(Dwarf_Die *function, uint64_t pc, int word_bytes);
const char *op_name(unsigned atom);

// ---------------------------------------------------------------------------------------------
// The calling convention (abi.cpp): where parameters are at a function's entry and where the
// return value is at its return, from the types alone.

struct AbiParam {
    const Type *type = nullptr;
    bool by_reference = false; // C++ non-trivial class: the register/slot holds its address
};

// Locations (from_abi = true) of each parameter at the entry, in order.
std::vector<Location> abi_parameters(const std::vector<AbiParam> &params, const Type *ret,
                                     bool ret_by_reference, int word_bytes);
// Location of the return value at the return; `ret` non-null.
Location abi_return(const Type *ret, bool by_reference, int word_bytes);
// Whether a return value of this type is returned through a hidden pointer.
bool returned_in_memory(const Type *ret, bool by_reference, int word_bytes);

// ---------------------------------------------------------------------------------------------

class DebugInfoImpl final : public DebugInfo {
  public:
    DebugInfoImpl(std::string elf_path, std::unique_ptr<OpenFile> debug,
                  std::unique_ptr<OpenFile> alt, int word_bytes);
    ~DebugInfoImpl() override;

    const std::string &elf_path() const override { return elf_path_; }
    const std::string &debug_path() const override { return debug_->path; }
    int word_bytes() const override { return word_; }
    const std::vector<Function> &functions() const override;
    const Function *function_at(uint64_t link_entry) const override;
    const std::vector<InlinedOnly> &inlined_only() const override;
    bool variables_at_entry(const Function &f, std::vector<Variable> &parameters,
                            std::vector<Variable> &locals, std::string &error) override;
    bool return_value(const Function &f, Variable &ret, std::string &error) override;
    const Type *find_type(const std::string &c_name) override;
    bool find_global(const std::string &name, const std::string &cu_file, Variable &out) override;

    Dwarf *dw() const { return debug_->dw; }

  private:
    void build_function_index() const; // functions.cpp
    bool function_die(const Function &f, Dwarf_Die *die, std::string &error) const;

    std::string elf_path_;
    std::unique_ptr<OpenFile> debug_;
    std::unique_ptr<OpenFile> alt_; // dwz's common file (.gnu_debugaltlink), when we opened it
    int word_;

    // libdw sessions are not thread-safe: every public entry point holds this lock.
    mutable std::recursive_mutex mutex_;
    mutable bool functions_built_ = false;
    mutable std::vector<Function> functions_;
    mutable std::vector<InlinedOnly> inlined_;
    std::unique_ptr<TypeTable> types_;
};

// Small libdw helpers (functions.cpp).
std::string die_name(Dwarf_Die *die);         // DW_AT_name, following origin/specification
std::string die_linkage_name(Dwarf_Die *die); // DW_AT_linkage_name (or MIPS_linkage_name)
std::string die_decl_file(Dwarf_Die *die);
int die_decl_line(Dwarf_Die *die);
bool die_flag(Dwarf_Die *die, unsigned attr); // flag attribute, integrated
bool die_udata(Dwarf_Die *die, unsigned attr, uint64_t &out, bool integrate = true);

// The root of a chain of DW_AT_abstract_origin references (false when DIE has none).
bool abstract_root(Dwarf_Die *die, Dwarf_Die &root);

} // namespace ktap::dwarf::detail
