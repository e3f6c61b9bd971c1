//===- FuzzTarget.h - What every fuzz target shares ------------*- C++ -*-===//
//
// Each fuzz target defines LLVMFuzzerTestOneInput. Built with -DSMC_LIBFUZZER=ON (clang,
// `make fuzz`) libFuzzer drives it; otherwise Driver.cpp does: it replays files and mutates
// them for a time budget (the smoke run of the test suite).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_FUZZ_FUZZTARGET_H
#define SMC_FUZZ_FUZZTARGET_H

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace smc::fuzz {

/// A directory of this process's own under $TMPDIR (or /tmp), made on first use and removed
/// at exit: where targets that read files write the input.
const std::string &scratchDir();

/// Writes `bytes` to `path` (replacing it); false if it cannot.
bool writeBytes(const std::string &path, const void *data, size_t size);

/// Writes the input as `dir`/saved_model.pbtxt when it starts like text (a letter or '#'),
/// else as `dir`/saved_model.pb, and removes the other; false if it cannot.
bool writeSavedModel(const std::string &dir, const uint8_t *data, size_t size);

} // namespace smc::fuzz

#endif // SMC_FUZZ_FUZZTARGET_H
