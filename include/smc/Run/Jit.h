//===- Jit.h - Link a compiled object into this process --------*- C++ -*-===//
//
// `smc run` executes the object `smc compile` produces, linked in memory with LLVM's ORC JIT
// (JITLink), not interpreted and not linked by an external linker. The object may reference
// only memcpy, memmove and memset (the generated code's contract); they resolve to this
// process's C library, and any other undefined symbol is an error.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_JIT_H
#define SMC_RUN_JIT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace smc {

/// The signature of `<symbol>_packed`: an array of pointers (inputs, outputs, arena, then a
/// `const smc_parallel *` or null).
using PackedEntryPoint = void (*)(void **);

class JitObject {
public:
  /// Links the relocatable object held in `object` (for the host); `name` names it in errors.
  static llvm::Expected<std::unique_ptr<JitObject>> link(llvm::StringRef object,
                                                         llvm::StringRef name);
  ~JitObject();

  /// The address of a function the object defines.
  llvm::Expected<void *> lookup(llvm::StringRef symbol);

private:
  JitObject() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

} // namespace smc

#endif // SMC_RUN_JIT_H
