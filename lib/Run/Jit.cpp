//===- Jit.cpp - Link a compiled object into this process -----------------===//

#include "smc/Run/Jit.h"

#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

namespace smc {

JitObject::~JitObject() = default;

llvm::Expected<std::unique_ptr<JitObject>> JitObject::link(llvm::StringRef object,
                                                           llvm::StringRef name) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // JITLink links the object. No platform support: the object has no initialisers, and nothing
  // but the three C library functions below may come from the process.
  auto jit =
      llvm::orc::LLJITBuilder()
          .setObjectLinkingLayerCreator(
              [](llvm::orc::ExecutionSession &session,
                 const llvm::Triple &) -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                return std::make_unique<llvm::orc::ObjectLinkingLayer>(session);
              })
          .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
          .create();
  if (!jit)
    return jit.takeError();
  auto &dylib = (*jit)->getMainJITDylib();
  auto generator = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix(), [](const llvm::orc::SymbolStringPtr &symbol) {
        llvm::StringRef n = *symbol;
        return n == "memcpy" || n == "memmove" || n == "memset";
      });
  if (!generator)
    return generator.takeError();
  dylib.addGenerator(std::move(*generator));
  if (auto err = (*jit)->addObjectFile(llvm::MemoryBuffer::getMemBufferCopy(object, name)))
    return std::move(err);
  std::unique_ptr<JitObject> out(new JitObject());
  out->jit_ = std::move(*jit);
  return out;
}

llvm::Expected<void *> JitObject::lookup(llvm::StringRef symbol) {
  auto addr = jit_->lookup(symbol);
  if (!addr)
    return addr.takeError();
  return addr->toPtr<void *>();
}

} // namespace smc
