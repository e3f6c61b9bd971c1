//===- NpyFuzzer.cpp - .npy and .npz readers ------------------------------===//
//
// The input is read both as a .npy file and as a .npz archive (`smc run --inputs`); what
// parses is printed as NumPy would (numpyStr), which walks every element.

#include "FuzzTarget.h"

#include "smc/Run/Npy.h"
#include "smc/Run/NumpyFormat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  if (auto t = smc::parseNpy(bytes, "fuzz.npy"); t.ok())
    (void)smc::numpyStr(*t);
  if (auto members = smc::parseNpz(bytes, "fuzz.npz"); members.ok())
    for (const auto &[name, t] : *members)
      (void)smc::numpyStr(t);
  return 0;
}
