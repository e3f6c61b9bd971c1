//===- TestFiles.h - Hand-made tables, bundles and temp files for tests -*- C++ -*-===//
//
// A small writer of LevelDB-format tables and TensorBundles, written from the format
// description (savedmodel-format.md section 2) so that the reader tests control every byte,
// and a scratch directory that removes itself.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_UNITTESTS_TESTFILES_H
#define SMC_UNITTESTS_TESTFILES_H

#include "smc/SavedModel/Tensor.h"
#include "smc/SavedModel/TensorBundle.h"

#include "checkpoint.pb.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace smc::test {

void putVarint(std::string &out, uint64_t v);
void putFixed32(std::string &out, uint32_t v);

struct TableOptions {
  bool snappy = false; // compress every block (even when it does not help)
  size_t entriesPerBlock = 16;
  size_t restartInterval = 16;
};

/// Where each block of a built table ended up (offsets exclude the 5-byte trailers).
struct TableLayout {
  struct Block {
    uint64_t offset, size;
  };
  std::vector<Block> dataBlocks;
  Block metaindex{}, index{};
};

/// A table holding `kv` (which must be sorted by key).
std::string buildTable(const std::vector<std::pair<std::string, std::string>> &kv,
                       const TableOptions &options = {}, TableLayout *layout = nullptr);

/// The bytes of one block: entries with shared-prefix compression and a restart array.
std::string buildBlock(const std::vector<std::pair<std::string, std::string>> &kv,
                       size_t restartInterval);

/// The data-file encoding of a DT_STRING tensor and the entry checksum it goes with (unmasked).
std::string encodeStrings(const std::vector<std::string> &strings, uint32_t *entryCrc);

/// Builds `<prefix>.index` and `<prefix>.data-*` files.
class BundleWriter {
public:
  explicit BundleWriter(int numShards = 1);
  /// Appends `t` to shard `shard` and records a matching entry under `key`.
  tensorflow::BundleEntryProto &add(const std::string &key, const Tensor &t, int shard = 0);
  /// Records a raw entry (for malformed cases).
  tensorflow::BundleEntryProto &addEntry(const std::string &key);
  tensorflow::BundleHeaderProto &header() { return header_; }
  std::string &shardData(int shard) { return shards_[shard]; }
  /// Writes the files; `rawHeader` replaces the serialized header when non-null.
  void write(const std::string &prefix, const TableOptions &options = {},
             const std::string *rawHeader = nullptr) const;

private:
  tensorflow::BundleHeaderProto header_;
  std::vector<std::string> shards_;
  std::vector<std::pair<std::string, tensorflow::BundleEntryProto>> entries_;
};

std::string shardPath(const std::string &prefix, int shard, int numShards);

/// A fresh directory under the test temp dir, removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

void writeFile(const std::string &path, const std::string &bytes);
std::string readFile(const std::string &path);

/// A tensor of dtype `dtype` and shape `shape` whose data are the bytes of `values`.
template <typename T>
Tensor makeTensor(DType dtype, std::vector<int64_t> shape, const std::vector<T> &values) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.assign(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(T));
  return t;
}

} // namespace smc::test

#endif // SMC_UNITTESTS_TESTFILES_H
