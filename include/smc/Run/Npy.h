//===- Npy.h - NumPy .npy / .npz files as smc::Tensor ------------*- C++ -*-===//
//
// Reads and writes NumPy's array files (format versions 1.0, 2.0 and 3.0), C order only,
// with the dtypes TensorFlow tensors can have in NumPy:
//
//   <f2 DT_HALF    <f4 DT_FLOAT   <f8 DT_DOUBLE  <c8 DT_COMPLEX64  <c16 DT_COMPLEX128
//   <i1 DT_INT8    <i2 DT_INT16   <i4 DT_INT32   <i8 DT_INT64      |b1 DT_BOOL
//   <u1 DT_UINT8   <u2 DT_UINT16  <u4 DT_UINT32  <u8 DT_UINT64
//
// (one-byte types may be spelled with '<', '|' or '='). Big-endian data, Fortran order,
// structured, string and object arrays are reported as errors. .npz archives (zip files of
// .npy members, stored or deflated, zip64 included) are read member by member.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_NPY_H
#define SMC_RUN_NPY_H

#include "smc/SavedModel/Tensor.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include <string>
#include <utility>
#include <vector>

namespace smc {

/// Parses the bytes of a .npy file; `what` names it in error messages.
absl::StatusOr<Tensor> parseNpy(const std::string &bytes, const std::string &what);
/// Reads a .npy file.
absl::StatusOr<Tensor> readNpy(const std::string &path);

/// The .npy bytes of `t` (format 1.0, or 2.0 for a header longer than 65535 bytes). An error
/// for dtypes NumPy cannot represent (DT_STRING, DT_BFLOAT16, quantized and float8 types).
absl::StatusOr<std::string> serializeNpy(const Tensor &t);
/// Writes `t` to `path` as .npy (see serializeNpy): a new file, or with `overwrite` a replaced
/// one; never through a symbolic link (smc/SavedModel/File.h writeFile).
absl::Status writeNpy(const std::string &path, const Tensor &t, bool overwrite = false);

/// The NumPy dtype string ("<f4", "|b1", ...) of a TensorFlow dtype; an error if there is none.
absl::StatusOr<std::string> npyDescr(DType dtype);

/// Parses a .npz archive held in `bytes`: (name, tensor) per member in archive order, the name
/// being the member's file name without its ".npy" suffix, as numpy.load gives it.
absl::StatusOr<std::vector<std::pair<std::string, Tensor>>> parseNpz(const std::string &bytes,
                                                                     const std::string &what);
/// The names of the members of the .npz archive in `bytes` (as parseNpz names them), without
/// inflating any.
absl::StatusOr<std::vector<std::string>> npzMemberNames(const std::string &bytes,
                                                        const std::string &what);
/// The member `name` of the .npz archive in `bytes`; only it is inflated (at most to its
/// declared size). NotFound if there is none.
absl::StatusOr<Tensor> parseNpzMember(const std::string &bytes, const std::string &what,
                                      const std::string &name);
/// Reads a .npz archive (see parseNpz).
absl::StatusOr<std::vector<std::pair<std::string, Tensor>>> readNpz(const std::string &path);

} // namespace smc

#endif // SMC_RUN_NPY_H
