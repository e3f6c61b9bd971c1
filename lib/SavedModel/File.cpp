//===- File.cpp - Reading and writing whole files -------------------------===//

#include "smc/SavedModel/File.h"

#include "absl/strings/str_cat.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smc {

/// What a non-regular file is, for the error.
static const char *fileKind(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  return "not a regular file";
}

absl::StatusOr<InputFile> InputFile::open(const std::string &path) {
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    std::string msg = absl::StrCat(path, ": cannot open: ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR)
      return absl::NotFoundError(msg);
    if (err == EACCES || err == EPERM)
      return absl::PermissionDeniedError(msg);
    if (err == EISDIR || err == ENXIO)
      return absl::FailedPreconditionError(msg);
    return absl::DataLossError(msg);
  }
  InputFile f(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return absl::DataLossError(absl::StrCat(path, ": cannot stat: ", std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": cannot open: ", fileKind(st.st_mode), "; smc reads regular files only"));
  // Reads of a regular file never block; clear the flag anyway so that they never return EAGAIN.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  f.size_ = static_cast<uint64_t>(st.st_size);
  return f;
}

InputFile::~InputFile() {
  if (fd_ >= 0)
    ::close(fd_);
}

absl::Status InputFile::read(const std::string &path, uint64_t offset, uint64_t n,
                             char *out) const {
  while (n > 0) {
    ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return absl::DataLossError(
          absl::StrCat(path, ": read error at offset ", offset, ": ", std::strerror(errno)));
    if (got == 0)
      return absl::DataLossError(
          absl::StrCat(path, ": file ends early at offset ", offset, " (truncated?)"));
    out += got;
    offset += static_cast<uint64_t>(got);
    n -= static_cast<uint64_t>(got);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> readFile(const std::string &path, uint64_t maxBytes) {
  absl::StatusOr<InputFile> file = InputFile::open(path);
  if (!file.ok())
    return file.status();
  if (file->size() > maxBytes)
    return absl::ResourceExhaustedError(absl::StrCat(
        path, ": ", file->size(), " bytes, more than smc reads from one file (", maxBytes, ")"));
  std::string bytes(file->size(), '\0');
  if (absl::Status s = file->read(path, 0, bytes.size(), bytes.data()); !s.ok())
    return s;
  return bytes;
}

absl::Status writeFile(const std::string &path, absl::string_view bytes, WriteMode mode) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
  if (mode == WriteMode::CreateNew)
    flags |= O_EXCL; // with O_CREAT: fails on any existing name, a dangling link included
  else
    flags |= O_TRUNC;
  if (mode == WriteMode::ReplaceNoFollow)
    flags |= O_NOFOLLOW;
  int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST)
      return absl::AlreadyExistsError(absl::StrCat(path, ": already exists"));
    if (err == ELOOP && mode == WriteMode::ReplaceNoFollow)
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": is a symbolic link; smc does not write through links"));
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot create: ", std::strerror(err)));
  }
  const char *p = bytes.data();
  size_t left = bytes.size();
  int err = 0;
  while (left > 0) {
    ssize_t put = ::write(fd, p, left);
    if (put < 0 && errno == EINTR)
      continue;
    if (put <= 0) {
      err = put < 0 ? errno : EIO;
      break;
    }
    p += put;
    left -= static_cast<size_t>(put);
  }
  if (::close(fd) != 0 && err == 0 && errno != EINTR)
    err = errno;
  if (err != 0)
    return absl::DataLossError(absl::StrCat(path, ": cannot write: ", std::strerror(err)));
  return absl::OkStatus();
}

} // namespace smc
