//===- File.cpp - Reading a whole file ------------------------------------===//

#include "smc/SavedModel/File.h"

#include "absl/strings/str_cat.h"
#include "llvm/Support/MemoryBuffer.h"

#include <system_error>

absl::StatusOr<std::string> smc::readFile(const std::string &path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buf.getError()) {
    std::string msg = absl::StrCat(path, ": cannot open: ", ec.message());
    if (ec == std::errc::no_such_file_or_directory)
      return absl::NotFoundError(msg);
    if (ec == std::errc::permission_denied || ec == std::errc::operation_not_permitted)
      return absl::PermissionDeniedError(msg);
    if (ec == std::errc::is_a_directory)
      return absl::FailedPreconditionError(msg);
    return absl::DataLossError(msg);
  }
  return (*buf)->getBuffer().str();
}
