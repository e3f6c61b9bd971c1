//===- InputExprsFuzzer.cpp - The --input_exprs evaluator -----------------===//
//
// The input is the text of an --input_exprs flag: split into entries, each a seed call or
// an expression evaluated and converted to a float32 and an int32 tensor, as `smc run`
// feeds them.

#include "FuzzTarget.h"

#include "smc/Run/PyExpr.h"

#include "types.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string flag(reinterpret_cast<const char *>(data), size);
  auto entries = smc::splitInputExprs(flag);
  if (!entries.ok())
    return 0;
  smc::NumpyRandom random;
  int64_t elements = 0; // smc run's budget for all the values together
  for (const smc::InputExpr &entry : *entries) {
    auto seed = smc::parseSeedCall(entry.expr);
    if (!seed.ok())
      continue;
    if (*seed) {
      random.seed(**seed);
      continue;
    }
    auto value = smc::evalPyExpr(entry.expr, random);
    if (!value.ok())
      continue;
    elements += static_cast<int64_t>(value->values.size());
    if (elements > smc::kMaxInputExprsElements)
      break; // smc run stops here with an error
    (void)smc::toTensor(*value, tensorflow::DT_FLOAT);
    (void)smc::toTensor(*value, tensorflow::DT_INT32);
  }
  return 0;
}
