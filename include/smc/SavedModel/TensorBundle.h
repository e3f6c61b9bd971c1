//===- TensorBundle.h - TensorFlow checkpoint (TensorBundle) reader -*- C++ -*-===//
//
// Reads `<prefix>.index` (a LevelDB-format SSTable of BundleEntryProto, snappy-compressed
// blocks allowed) and the `<prefix>.data-NNNNN-of-MMMMM` shards it points into. Every block
// trailer and every tensor's masked CRC32C is verified. Errors name the file and what is wrong.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_TENSORBUNDLE_H
#define SMC_SAVEDMODEL_TENSORBUNDLE_H

#include "smc/SavedModel/Tensor.h"

#include "absl/status/statusor.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tensorflow {
class BundleEntryProto;
class BundleHeaderProto;
} // namespace tensorflow

namespace smc {

class TensorBundle {
public:
  /// Opens `<prefix>.index`, checks its footer, blocks and header entry. Data shards are opened
  /// when a tensor is read.
  static absl::StatusOr<std::unique_ptr<TensorBundle>> open(const std::string &prefix);
  ~TensorBundle();

  /// All keys except the header key "", sorted bytewise. A partitioned tensor contributes its
  /// full-tensor key (read() reports it as unsupported) and one binary key per slice.
  std::vector<std::string> keys() const;
  bool contains(const std::string &key) const;
  /// The index entry of `key` (dtype, shape, shard, offset, size, crc).
  absl::StatusOr<const tensorflow::BundleEntryProto *> entry(const std::string &key) const;
  /// Reads and checks the tensor stored under `key`.
  absl::StatusOr<Tensor> read(const std::string &key) const;

  const std::string &prefix() const { return prefix_; }
  int numShards() const;

private:
  TensorBundle() = default;
  std::string prefix_;
  std::unique_ptr<tensorflow::BundleHeaderProto> header_;
  std::map<std::string, std::unique_ptr<tensorflow::BundleEntryProto>> entries_;
};

/// CRC-32C (Castagnoli) of `n` bytes, continuing from `crc` (0 to start).
uint32_t crc32cExtend(uint32_t crc, const void *data, size_t n);
inline uint32_t crc32c(const void *data, size_t n) { return crc32cExtend(0, data, n); }
namespace detail {
/// The table-driven CRC-32C that crc32cExtend falls back to without SSE4.2 (exposed for tests).
uint32_t crc32cExtendPortable(uint32_t crc, const void *data, size_t n);
} // namespace detail
/// TensorFlow/LevelDB's CRC masking.
uint32_t crc32cMask(uint32_t crc);
uint32_t crc32cUnmask(uint32_t masked);

/// Reads a whole LevelDB-format table file into key -> value (in key order). `what` names the
/// file in error messages.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
readTable(const std::string &bytes, const std::string &what);

} // namespace smc

#endif // SMC_SAVEDMODEL_TENSORBUNDLE_H
