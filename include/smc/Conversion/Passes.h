//===- Passes.h - smc conversion passes ------------------------*- C++ -*-===//
#ifndef SMC_CONVERSION_PASSES_H
#define SMC_CONVERSION_PASSES_H

#include "smc/Conversion/SmcToLLVM/SmcToLLVM.h"
#include "smc/Conversion/SmcToLinalg/SmcToLinalg.h"

namespace mlir::smc {
#define GEN_PASS_REGISTRATION
#include "smc/Conversion/Passes.h.inc"
} // namespace mlir::smc

#endif // SMC_CONVERSION_PASSES_H
