//===- File.h - Reading a whole file ----------------------------*- C++ -*-===//
//
// The one place smc reads a whole file into memory (SavedModel protos, TensorBundle indexes,
// .npy/.npz inputs).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_FILE_H
#define SMC_SAVEDMODEL_FILE_H

#include "absl/status/statusor.h"

#include <string>

namespace smc {

/// The bytes of the file at `path`. Errors name the file, "<path>: cannot open: <reason>":
/// NotFound when it does not exist, PermissionDenied when it may not be read,
/// FailedPrecondition for a directory, DataLoss for other read failures.
absl::StatusOr<std::string> readFile(const std::string &path);

} // namespace smc

#endif // SMC_SAVEDMODEL_FILE_H
