// Compiling and JIT-linking the generated module into the code arena (DESIGN.md decision 1):
// a bare ExecutionSession + ObjectLinkingLayer + IRCompileLayer, with a MemoryMapper that puts
// every allocation in the memfd code arena. Runtime helpers are absolute symbols at their
// executor addresses; no ORC runtime, no TLS, no static constructors, no .eh_frame.
#include "backend_impl.h"

#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/i386.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/MapperJITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/MemoryMapper.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <cstring>
#include <mutex>

namespace ktap {

using namespace llvm;
using namespace llvm::orc;

namespace {

// Every JITLink allocation lives in the code arena: working memory is the controller's
// read-write view, executor addresses are the executor's read-execute view.
class CodeArenaMapper final : public MemoryMapper {
  public:
    explicit CodeArenaMapper(CodeArena &arena) : arena_(arena) {}

    unsigned int getPageSize() override { return 4096; }

    void reserve(size_t bytes, OnReservedFunction on_reserved) override {
        size_t off = arena_.allocate(bytes);
        if (off == SIZE_MAX) {
            on_reserved(make_error<StringError>("the code arena is full",
                                                inconvertibleErrorCode()));
            return;
        }
        on_reserved(ExecutorAddrRange(ExecutorAddr(arena_.executor_base() + off),
                                      ExecutorAddrDiff(bytes)));
    }

    char *prepare(ExecutorAddr addr, size_t) override { return arena_.local(addr.getValue()); }

    void initialize(AllocInfo &ai, OnInitializedFunction on_initialized) override {
        for (const auto &seg : ai.Segments) {
            char *dst = arena_.local((ai.MappingBase + seg.Offset).getValue());
            if (seg.WorkingMem != dst)
                std::memmove(dst, seg.WorkingMem, seg.ContentSize);
            std::memset(dst + seg.ContentSize, 0, seg.ZeroFillSize);
            // The executor view is read-execute only: handlers keep no writable data of their
            // own (all state is in the state arena).
            if ((seg.AG.getMemProt() & MemProt::Write) != MemProt::None && seg.ContentSize +
                                                                                 seg.ZeroFillSize >
                                                                             0) {
                on_initialized(make_error<StringError>(
                    "generated code has a writable data section", inconvertibleErrorCode()));
                return;
            }
        }
        if (!ai.Actions.empty()) {
            on_initialized(make_error<StringError>(
                "generated code needs initialisation actions (no ORC runtime in ktap)",
                inconvertibleErrorCode()));
            return;
        }
        on_initialized(ai.MappingBase);
    }

    void deinitialize(ArrayRef<ExecutorAddr>, OnDeinitializedFunction done) override {
        done(Error::success());
    }
    void release(ArrayRef<ExecutorAddr>, OnReleasedFunction done) override {
        done(Error::success());
    }

  private:
    CodeArena &arena_;
};

#if LLVM_VERSION_MAJOR < 20
// LLVM 19's ELF/i386 JITLink drops the implicit addends of REL relocations (fixed in LLVM 20,
// llvm-project PR 111091): `section+4` silently becomes `section+0`. Read each addend from the
// fixup site before the edges are applied.
class I386ImplicitAddends : public ObjectLinkingLayer::Plugin {
  public:
    void modifyPassConfig(MaterializationResponsibility &, jitlink::LinkGraph &g,
                          jitlink::PassConfiguration &config) override {
        if (g.getTargetTriple().getArch() != Triple::x86)
            return;
        config.PrePrunePasses.push_back([](jitlink::LinkGraph &graph) {
            for (auto *block : graph.blocks()) {
                if (block->isZeroFill())
                    continue;
                for (auto &edge : block->edges()) {
                    using namespace jitlink::i386;
                    int32_t implicit;
                    std::memcpy(&implicit, block->getContent().data() + edge.getOffset(),
                                sizeof implicit);
                    switch (edge.getKind()) {
                    case Pointer32:
                    case Delta32FromGOT:
                    case RequestGOTAndTransformToDelta32FromGOT:
                        edge.setAddend(edge.getAddend() + implicit);
                        break;
                    // These fixups compute T - (P + 4) + A: the usual implicit -4 of a call is
                    // already in the formula, so only the rest of the implicit addend is added.
                    case PCRel32:
                    case BranchPCRel32:
                    case BranchPCRel32ToPtrJumpStub:
                    case BranchPCRel32ToPtrJumpStubBypassable:
                        edge.setAddend(edge.getAddend() + implicit + 4);
                        break;
                    default:
                        break;
                    }
                }
            }
            return Error::success();
        });
    }
    Error notifyFailed(MaterializationResponsibility &) override { return Error::success(); }
    Error notifyRemovingResources(JITDylib &, ResourceKey) override { return Error::success(); }
    void notifyTransferringResources(JITDylib &, ResourceKey, ResourceKey) override {}
};
#endif

std::string to_string(Error e) {
    std::string s;
    raw_string_ostream os(s);
    os << e;
    return os.str();
}

} // namespace

std::unique_ptr<TargetMachine> make_target_machine(const std::string &arch, bool optimize,
                                                   std::string &error, bool general_regs_only) {
    static std::once_flag once;
    std::call_once(once, [] {
        LLVMInitializeX86TargetInfo();
        LLVMInitializeX86Target();
        LLVMInitializeX86TargetMC();
        LLVMInitializeX86AsmPrinter();
    });
    std::string triple_name;
    if (arch == "x86_64")
        triple_name = "x86_64-pc-linux-gnu";
    else if (arch == "i386")
        triple_name = "i686-pc-linux-gnu";
    else {
        error = "unsupported architecture '" + arch + "'";
        return nullptr;
    }
    const Target *target = TargetRegistry::lookupTarget(triple_name, error);
    if (!target)
        return nullptr;
    TargetOptions to;
    // Like the runtime's -mgeneral-regs-only: integer code only, no vector or x87 state.
    std::string features = general_regs_only ? "-mmx,-sse,-sse2,-x87,+soft-float" : "";
    auto *tm = target->createTargetMachine(triple_name, arch == "i386" ? "i686" : "x86-64", features,
                                           to, Reloc::PIC_, CodeModel::Small,
                                           optimize ? CodeGenOptLevel::Default
                                                    : CodeGenOptLevel::None);
    if (!tm)
        error = "cannot create a target machine for " + triple_name;
    return std::unique_ptr<TargetMachine>(tm);
}

Backend::Backend() : impl_(std::make_unique<Impl>()) {}
Backend::~Backend() = default;

Backend::Impl::~Impl() {
    if (session)
        cantFail(session->endSession());
}

bool Backend::emit_object(std::string &object, std::string &error) {
    SmallVector<char, 0> buffer;
    raw_svector_ostream os(buffer);
    legacy::PassManager pm;
    if (impl_->machine->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::ObjectFile)) {
        error = "the target cannot emit object files";
        return false;
    }
    auto clone = CloneModule(*impl_->module);
    pm.run(*clone);
    object.assign(buffer.begin(), buffer.end());
    return true;
}

bool Backend::link(CodeArena &arena, const std::map<std::string, uint64_t> &symbols,
                   std::string &error) {
    auto epc = SelfExecutorProcessControl::Create();
    if (!epc) {
        error = to_string(epc.takeError());
        return false;
    }
    impl_->session = std::make_unique<ExecutionSession>(std::move(*epc));
    auto &es = *impl_->session;
    // Materialization errors arrive here; keep them for the lookup's message.
    es.setErrorReporter([this](Error e) { impl_->jit_errors += to_string(std::move(e)) + "; "; });
    auto memory = std::make_unique<MapperJITLinkMemoryManager>(
        64 * 1024, std::make_unique<CodeArenaMapper>(arena));
    impl_->object_layer = std::make_unique<ObjectLinkingLayer>(es, std::move(memory));
#if LLVM_VERSION_MAJOR < 20
    impl_->object_layer->addPlugin(std::make_unique<I386ImplicitAddends>());
#endif
    impl_->compile_layer = std::make_unique<IRCompileLayer>(
        es, *impl_->object_layer, std::make_unique<SimpleCompiler>(*impl_->machine));
    impl_->dylib = &es.createBareJITDylib("ktap");
    SymbolMap absolute;
    for (const auto &[name, addr] : symbols)
        absolute[es.intern(name)] = {ExecutorAddr(addr),
                                     JITSymbolFlags::Exported | JITSymbolFlags::Callable};
    if (auto e = impl_->dylib->define(absoluteSymbols(std::move(absolute)))) {
        error = to_string(std::move(e));
        return false;
    }
    if (auto e = impl_->compile_layer->add(
            *impl_->dylib,
            ThreadSafeModule(std::move(impl_->module), std::move(impl_->context)))) {
        error = to_string(std::move(e));
        return false;
    }
    return true;
}

uint64_t Backend::address_of(const std::string &name, std::string &error) {
    auto sym = impl_->session->lookup({impl_->dylib}, impl_->session->intern(name));
    if (!sym) {
        error = impl_->jit_errors + to_string(sym.takeError());
        return 0;
    }
    return sym->getAddress().getValue();
}

} // namespace ktap
