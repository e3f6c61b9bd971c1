//===- InputExprsFuzzer.cpp - The --input_exprs evaluator -----------------===//
//
// The input is the text of an --input_exprs flag: split into entries, each a seed call or
// an expression evaluated and converted to a float32 and an int32 tensor, as `smc run`
// feeds them.

#include "FuzzTarget.h"

#include "smc/Run/Inputs.h"
#include "smc/Run/PyExpr.h"

#include "types.pb.h"

// smc run's own collectInputs (the splitting, seeds, evaluation and the budget of all values
// together), then each value converted as the binding does.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string flag(reinterpret_cast<const char *>(data), size);
  auto inputs = smc::collectInputs("", flag, [](const std::string &) {});
  if (!inputs.ok())
    return 0;
  for (const auto &[key, in] : *inputs) {
    (void)smc::toTensor(in.value, tensorflow::DT_FLOAT);
    (void)smc::toTensor(in.value, tensorflow::DT_INT32);
  }
  return 0;
}
