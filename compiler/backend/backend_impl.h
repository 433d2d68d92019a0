// Private to compiler/backend: the LLVM objects behind Backend.
#pragma once

#include "backend.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace ktap {

struct Backend::Impl {
    std::unique_ptr<llvm::LLVMContext> context;
    std::unique_ptr<llvm::Module> module;
    std::unique_ptr<llvm::TargetMachine> machine;
    std::string arch;
    std::vector<uint32_t> entry_bytes;  // per probe: @entry data bytes
    // Linking.
    std::unique_ptr<llvm::orc::ExecutionSession> session;
    std::unique_ptr<llvm::orc::ObjectLinkingLayer> object_layer;
    std::unique_ptr<llvm::orc::IRCompileLayer> compile_layer;
    llvm::orc::JITDylib *dylib = nullptr;
    std::string jit_errors;

    ~Impl();
};

// Creates the target machine for "x86_64" or "i386" (Linux, small code model, PIC).
// general_regs_only: no SSE/MMX/x87 in the generated code (handlers run inside the target).
std::unique_ptr<llvm::TargetMachine> make_target_machine(const std::string &arch, bool optimize,
                                                         std::string &error,
                                                         bool general_regs_only = false);

} // namespace ktap
