//===- File.h - Reading and writing whole files -----------------*- C++ -*-===//
//
// The one place smc opens files: what it reads (SavedModel protos, TensorBundle indexes and
// data shards, .npy/.npz inputs) must be regular files, opened without blocking (a FIFO or a
// device such as /dev/zero is refused, never read until it ends); what it writes (objects,
// headers, `smc run` outputs) is checked until the file is closed.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_FILE_H
#define SMC_SAVEDMODEL_FILE_H

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include <cstdint>
#include <string>

namespace smc {

/// A regular file open for reading, closed when it goes.
class InputFile {
public:
  /// Opens `path`. Errors name the file, "<path>: cannot open: <reason>": NotFound when it does
  /// not exist, PermissionDenied when it may not be read, FailedPrecondition for a directory or
  /// anything else that is not a regular file (FIFO, socket, device), DataLoss otherwise.
  static absl::StatusOr<InputFile> open(const std::string &path);
  InputFile(InputFile &&o) noexcept : fd_(o.fd_), size_(o.size_) { o.fd_ = -1; }
  InputFile(const InputFile &) = delete;
  InputFile &operator=(const InputFile &) = delete;
  InputFile &operator=(InputFile &&) = delete;
  ~InputFile();

  /// The size when it was opened.
  uint64_t size() const { return size_; }
  /// Reads exactly [offset, offset + n) into `out`; DataLoss naming `path` if the file is
  /// shorter (it shrank) or cannot be read. The caller checks the range against size().
  absl::Status read(const std::string &path, uint64_t offset, uint64_t n, char *out) const;

private:
  explicit InputFile(int fd) : fd_(fd) {}
  int fd_ = -1;
  uint64_t size_ = 0;
};

/// The bytes of the regular file at `path` (errors as InputFile::open; ResourceExhausted,
/// naming the limit, for a file over `maxBytes`).
absl::StatusOr<std::string> readFile(const std::string &path, uint64_t maxBytes = uint64_t(1) << 34);

/// How writeFile creates its file.
enum class WriteMode {
  /// Create or truncate, following symbolic links (a compiler's -o).
  Replace,
  /// Create or truncate, but never through a symbolic link (even a dangling one).
  ReplaceNoFollow,
  /// Create a new file only: an existing path, a symbolic link included, is an error.
  CreateNew,
};

/// Writes `bytes` to `path`; every write and the close are checked (a full disk is an error,
/// "<path>: cannot write: <reason>"). AlreadyExists for an existing file under CreateNew,
/// FailedPrecondition for a symbolic link under ReplaceNoFollow.
absl::Status writeFile(const std::string &path, absl::string_view bytes, WriteMode mode);

} // namespace smc

#endif // SMC_SAVEDMODEL_FILE_H
