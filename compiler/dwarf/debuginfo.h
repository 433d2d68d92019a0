// What DWARF says about a module's functions, their variables and types, reduced to what ktap
// needs to read target variables ($param, $p->field, $return, @cast, @var) at a function's entry
// and return, and to list them (-L). libdw stays behind this interface: the code generator and
// the controller see only the plain structures below. Addresses are link-time addresses (as in
// the ELF file); add the module's load bias for runtime addresses. See docs/dwarf.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ktap::dwarf {

// ---------------------------------------------------------------------------------------------
// Types: a copy of the DWARF type graph, owned by the DebugInfo that made it (pointers stay
// valid while it lives). Typedefs and cv-qualifiers are folded into the node of the type they
// name: the node has the underlying type's kind, size and members, and `name` spells the
// typedef or qualifier as C does. Declarations (`struct foo;`) are completed from another unit
// of the same module when one defines the type.

enum class TypeKind { Void, Integer, Bool, Float, Pointer, Struct, Union, Array, Enum, Function,
                      Unsupported };

struct Type;

struct Member {
    std::string name;           // "" for an anonymous struct/union member
    const Type *type = nullptr;
    uint64_t offset = 0;        // bytes from the start of the enclosing object
    uint32_t bit_size = 0;      // bitfields: width in bits (0: not a bitfield)
    uint32_t bit_offset = 0;    // bitfields: bits from the least significant bit of the byte at
                                // `offset` (little-endian storage, as x86 lays them out)
};

struct Enumerator {
    std::string name;
    int64_t value = 0;
};

struct Type {
    TypeKind kind = TypeKind::Unsupported;
    std::string name;      // as stap -L spells it: "int", "char const*", "struct point*",
                           // "my_t", "enum color", "int[4]", "void*", "struct node"
    uint64_t size = 0;     // bytes; pointer: word size; 0 when unknown (incomplete, void)
    bool is_signed = false;     // Integer, Enum (from its underlying type), Bool: false
    bool is_char = false;       // 1-byte Integer declared char / signed char / unsigned char
    const Type *target = nullptr;  // Pointer (and C++ reference): pointee, nullptr = void;
                                   // Array: element type
    bool is_reference = false;  // Pointer made from a C++ reference
    uint64_t count = 0;         // Array: elements (0: unknown or flexible)
    std::vector<Member> members;         // Struct, Union (C++ base classes' members flattened)
    std::vector<Enumerator> enumerators; // Enum
    bool incomplete = false;    // Struct/Union declared but defined nowhere in the module
};

// ---------------------------------------------------------------------------------------------
// Locations: a DWARF location expression evaluated at the probe address (the function's entry,
// or its return for $return), reduced to a list of pieces that ktap can evaluate without
// branches. Register numbers are DWARF's: x86_64 0 rax 1 rdx 2 rcx 3 rbx 4 rsi 5 rdi 6 rbp
// 7 rsp 8-15 r8-r15 16 rip; i386 0 eax 1 ecx 2 edx 3 ebx 4 esp 5 ebp 6 esi 7 edi 8 eip.

enum class Op : uint8_t {
    Reg,    // push the value of DWARF register `reg` (its value at the probe address)
    Const,  // push `value`
    Addr,   // push link-time address `value` (the evaluator adds the module's load bias)
    CFA,    // push the canonical frame address (at a function's entry: sp + word size)
    Add, Sub, Mul, And, Or, Xor, Shl, Shr, Shra, Neg, Not,  // on the top one/two values
    Deref,  // pop an address, push the `size`-byte (zero-extended) value read there
};

struct LocOp {
    Op op = Op::Const;
    int reg = 0;
    int64_t value = 0;
    uint32_t size = 0;  // Deref
};

struct Piece {
    enum class Kind { Register, Memory, Value, Implicit, Unavailable };
    Kind kind = Kind::Unavailable;
    uint32_t bytes = 0;         // bytes of the object this piece holds (pieces in order); a
                                // single piece holding the whole object has bytes = type size
    int reg = 0;                // Register: DWARF register number (the low `bytes` bytes)
    std::vector<LocOp> ops;     // Memory: computes the address; Value: computes the value
                                // (DW_OP_stack_value)
    std::vector<uint8_t> data;  // Implicit: DW_OP_implicit_value bytes
};

struct Location {
    std::vector<Piece> pieces;  // empty = unavailable
    std::string unavailable;    // why, when some or all of it is unavailable ("optimized out",
                                // "floating-point return values are not supported", ...)
    bool from_abi = false;      // taken from the calling convention, not from DWARF (below)
    bool available() const { return !pieces.empty() && unavailable.empty(); }
    // The address of the whole object, when it lives in memory as one piece.
    bool in_memory() const { return pieces.size() == 1 && pieces[0].kind == Piece::Kind::Memory; }
};

struct Variable {
    std::string name;
    const Type *type = nullptr;  // nullptr only for a void $return
    Location location;
    bool is_parameter = false;
    bool artificial = false;     // C++ `this`
};

// ---------------------------------------------------------------------------------------------
// Functions

struct Function {
    std::string name;          // source name (DW_AT_name; a GCC clone `f.constprop.0` has its
                               // abstract origin's name `f`)
    std::string linkage_name;  // DW_AT_linkage_name when present (C++), else ""
    std::string decl_file;     // source file as DWARF names it (absolute when the unit's
                               // comp_dir makes it so)
    int decl_line = 0;
    uint64_t entry = 0;        // link-time address of the first instruction
    uint64_t die_offset = 0;   // the concrete DW_TAG_subprogram (internal use, lookups)
};

// A function DWARF knows only as inlined copies: reported, not probed.
struct InlinedOnly {
    std::string name;
    std::string decl_file;
    int decl_line = 0;
    size_t sites = 0;          // DW_TAG_inlined_subroutine instances
};

// One ELF file's DWARF: from the file itself, or from separate debuginfo found by build-id
// (<debug root>/.build-id/xx/rest.debug, root /usr/lib/debug unless KTAP_DEBUG_ROOT is set) or
// by .gnu_debuglink (next to the file, in .debug/, and under the debug root).
class DebugInfo {
  public:
    // Cached per path (files are opened once per ktap run). nullptr, with a reason in `error`,
    // when the file has no DWARF and none is found for it.
    static std::shared_ptr<DebugInfo> open(const std::string &elf_path, std::string &error);

    virtual ~DebugInfo() = default;
    virtual const std::string &elf_path() const = 0;
    virtual const std::string &debug_path() const = 0;  // the file the DWARF came from
    virtual int word_bytes() const = 0;                 // 8 (x86_64) or 4 (i386)

    // Every out-of-line function (a concrete DW_TAG_subprogram with code), sorted by entry.
    virtual const std::vector<Function> &functions() const = 0;
    // The function whose entry is exactly `link_entry`; nullptr when DWARF has none there.
    virtual const Function *function_at(uint64_t link_entry) const = 0;
    // Functions that exist only as inlined copies (no out-of-line instance anywhere).
    virtual const std::vector<InlinedOnly> &inlined_only() const = 0;

    // The variables in scope at the function's entry address: its parameters in declaration
    // order (C++ `this` first), then the locals of its outermost scope. Locations are for the
    // entry address. A parameter whose DWARF location is valid only after the prologue
    // (unoptimized code: a frame slot below the CFA, or relative to a frame pointer not yet
    // set up) gets the location the calling convention gave it (`from_abi`): x86_64 SysV
    // (INTEGER class in rdi rsi rdx rcx r8 r9, structs of up to 16 bytes of integers in one or
    // two registers, larger ones and the rest on the stack at CFA+0, +8...; a struct returned
    // in memory takes rdi first), i386 cdecl (all on the stack at CFA+0, +4..., a struct return
    // pointer first). Floating-point parameters are unavailable (with the reason).
    virtual bool variables_at_entry(const Function &f, std::vector<Variable> &parameters,
                                    std::vector<Variable> &locals, std::string &error) = 0;

    // The return value as the function returns (at the return address, registers as the
    // callee left them): integers, pointers and enums in rax / eax (i386 64-bit integers:
    // eax then edx as two pieces), x86_64 structs of up to 16 bytes of integers in rax then
    // rdx, structs returned in memory at the address in rax / eax. Floating-point values and
    // other cases are unavailable with the reason. A void function: type nullptr, no pieces.
    virtual bool return_value(const Function &f, Variable &ret, std::string &error) = 0;

    // A type by C name: "struct foo", "union u", "enum e", a typedef or base type name ("int",
    // "unsigned long"), with optional trailing '*'s ("struct foo*", "char **"). The first
    // definition found in any unit. nullptr when unknown.
    virtual const Type *find_type(const std::string &c_name) = 0;

    // A global or static variable (@var("name") / @var("name@file.c")): `cu_file` is a glob over
    // the unit's file name ("" = any unit). Its location is Memory(Addr link address).
    // False when there is none (or it has no fixed address: thread-local variables).
    virtual bool find_global(const std::string &name, const std::string &cu_file,
                             Variable &out) = 0;
};

} // namespace ktap::dwarf
