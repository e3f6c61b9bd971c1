//===- TensorBundle.cpp - TensorFlow checkpoint (TensorBundle) reader -----===//
//
// `<prefix>.index` is a table (Table.cpp) whose entry "" is a BundleHeaderProto and whose
// other entries are BundleEntryProtos; each entry points at `size` bytes at `offset` in the
// data shard `<prefix>.data-<shard_id>-of-<num_shards>` (savedmodel-format.md section 2).
//
//===----------------------------------------------------------------------===//

#include "smc/SavedModel/TensorBundle.h"

#include "ProtoLog.h"

#include "Varint.h"
#include "smc/SavedModel/File.h"

#include "checkpoint.pb.h"
#include "types.pb.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace smc {
namespace {

using llvm::support::endian::read32le;

// The TensorBundle format version this reader implements, and the oldest writer it accepts
// (TensorFlow's kTensorBundleVersion / kTensorBundleMinProducer).
constexpr int kBundleVersion = 1;
constexpr int kBundleMinProducer = 0;

} // namespace

TensorBundle::~TensorBundle() = default;

absl::StatusOr<std::unique_ptr<TensorBundle>> TensorBundle::open(const std::string &prefix) {
  std::string indexPath = prefix + ".index";
  absl::StatusOr<std::string> bytes = readFile(indexPath);
  if (!bytes.ok())
    return bytes.status();

  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> table =
      readTable(*bytes, indexPath);
  if (!table.ok())
    return table.status();
  auto error = [&](absl::string_view msg) {
    return absl::DataLossError(absl::StrCat(indexPath, ": ", msg));
  };
  if (table->empty() || !table->front().first.empty())
    return error("no header entry (the empty key \"\")");

  auto bundle = std::unique_ptr<TensorBundle>(new TensorBundle());
  bundle->prefix_ = prefix;
  bundle->header_ = std::make_unique<tensorflow::BundleHeaderProto>();
  const tensorflow::BundleHeaderProto &header = *bundle->header_;
  ProtoLogCapture log;
  if (!bundle->header_->ParseFromString(table->front().second))
    return error("header entry is not a valid BundleHeaderProto" + log.problem());
  if (header.endianness() == tensorflow::BundleHeaderProto::BIG)
    return absl::UnimplementedError(
        absl::StrCat(indexPath, ": big-endian bundles are not supported"));
  if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE)
    return error(absl::StrCat("header has unknown endianness ", header.endianness()));
  if (header.num_shards() <= 0)
    return error(
        absl::StrCat("header has num_shards ", header.num_shards(), " (must be at least 1)"));
  const tensorflow::VersionDef &version = header.version();
  if (version.producer() < kBundleMinProducer)
    return error(absl::StrCat("bundle format producer version ", version.producer(),
                              " is older than the oldest supported (", kBundleMinProducer, ")"));
  if (version.min_consumer() > kBundleVersion)
    return absl::UnimplementedError(
        absl::StrCat(indexPath, ": bundle needs a reader of format version ",
                     version.min_consumer(), " or newer; smc reads version ", kBundleVersion));
  for (int bad : version.bad_consumers())
    if (bad == kBundleVersion)
      return absl::UnimplementedError(absl::StrCat(indexPath,
                                                   ": bundle excludes readers of format version ",
                                                   bad, " (bad_consumers), which smc implements"));

  for (size_t i = 1; i < table->size(); ++i) {
    auto &[key, value] = (*table)[i];
    auto entry = std::make_unique<tensorflow::BundleEntryProto>();
    if (!entry->ParseFromString(value))
      return error(absl::StrCat("entry '", absl::CEscape(key),
                                "' is not a valid BundleEntryProto", log.problem()));
    bundle->entries_.emplace(std::move(key), std::move(entry));
  }
  return bundle;
}

std::vector<std::string> TensorBundle::keys() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto &kv : entries_)
    out.push_back(kv.first);
  return out;
}

bool TensorBundle::contains(const std::string &key) const { return entries_.count(key) != 0; }

int TensorBundle::numShards() const { return header_->num_shards(); }

absl::StatusOr<const tensorflow::BundleEntryProto *>
TensorBundle::entry(const std::string &key) const {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return absl::NotFoundError(
        absl::StrCat(prefix_, ".index: no tensor named '", absl::CEscape(key), "'"));
  return it->second.get();
}

absl::StatusOr<Tensor> TensorBundle::read(const std::string &key) const {
  absl::StatusOr<const tensorflow::BundleEntryProto *> found = entry(key);
  if (!found.ok())
    return found.status();
  const tensorflow::BundleEntryProto &e = **found;
  std::string indexPath = prefix_ + ".index";
  std::string quoted = absl::StrCat("'", absl::CEscape(key), "'");
  auto indexError = [&](absl::string_view msg) {
    return absl::DataLossError(absl::StrCat(indexPath, ": tensor ", quoted, ": ", msg));
  };

  if (e.slices_size() > 0)
    return absl::UnimplementedError(
        absl::StrCat(indexPath, ": tensor ", quoted,
                     " is partitioned into slices; sliced (partitioned) entries are not "
                     "supported"));
  DType dtype = e.dtype();
  if (dtype == tensorflow::DT_VARIANT || dtype == tensorflow::DT_RESOURCE)
    return absl::UnimplementedError(absl::StrCat(indexPath, ": tensor ", quoted, " has dtype ",
                                                 dtypeName(dtype), ", which is not supported"));
  int width = dtypeSize(dtype);
  if (dtype != tensorflow::DT_STRING && width == 0)
    return indexError(absl::StrCat("unsupported dtype ", dtypeName(dtype)));

  Tensor t;
  t.dtype = dtype;
  absl::StatusOr<std::vector<int64_t>> dims = knownDims(e.shape());
  if (!dims.ok())
    return indexError(dims.status().message());
  t.shape = std::move(*dims);
  absl::StatusOr<int64_t> count = checkedNumElements(t.shape);
  if (!count.ok())
    return indexError(count.status().message());
  uint64_t n = static_cast<uint64_t>(*count);

  if (e.shard_id() < 0 || e.shard_id() >= header_->num_shards())
    return indexError(
        absl::StrCat("shard_id ", e.shard_id(), " is not in [0, ", header_->num_shards(), ")"));
  if (e.offset() < 0 || e.size() < 0)
    return indexError(absl::StrCat("negative offset ", e.offset(), " or size ", e.size()));
  uint64_t offset = static_cast<uint64_t>(e.offset());
  uint64_t size = static_cast<uint64_t>(e.size());
  if (dtype != tensorflow::DT_STRING && (n > size / width || n * width != size))
    return indexError(absl::StrCat("size ", size, " does not match shape ", shapeToString(t.shape),
                                   " of ", dtypeName(dtype), " (", n, " elements of ", width,
                                   " bytes)"));

  char shardName[64];
  std::snprintf(shardName, sizeof(shardName), ".data-%05d-of-%05d", e.shard_id(),
                header_->num_shards());
  std::string shardPath = prefix_ + shardName;
  absl::StatusOr<InputFile> shard = InputFile::open(shardPath);
  if (!shard.ok())
    return shard.status();
  auto shardError = [&](absl::string_view msg) {
    return absl::DataLossError(absl::StrCat(shardPath, ": tensor ", quoted, " (offset ", offset,
                                            ", size ", size, "): ", msg));
  };
  if (offset > shard->size() || size > shard->size() - offset)
    return shardError(absl::StrCat("runs past the end of the file (", shard->size(), " bytes)"));
  std::string bytes(size, '\0');
  if (absl::Status s = shard->read(shardPath, offset, size, bytes.data()); !s.ok())
    return s;
  uint32_t expected = crc32cUnmask(e.crc32c());

  if (dtype != tensorflow::DT_STRING) {
    uint32_t actual = crc32c(bytes.data(), bytes.size());
    if (actual != expected)
      return shardError(absl::StrCat("checksum mismatch (index says 0x", absl::Hex(expected),
                                     ", data has 0x", absl::Hex(actual), ")"));
    t.data = std::move(bytes);
    return t;
  }

  // DT_STRING: n varint64 lengths, the masked CRC32C of those lengths written as fixed-width
  // integers, then the payloads back to back. The entry's checksum covers the fixed-width
  // lengths, the 4 stored checksum bytes and the payloads.
  if (n == 0 && size == 0)
    return t;
  if (n > size || n > static_cast<uint64_t>(kMaxTensorBytes) / sizeof(std::string))
    return shardError(absl::StrCat(n, " strings cannot fit in ", size, " bytes"));
  std::vector<uint64_t> lengths(n);
  absl::string_view in(bytes);
  std::string fixedLengths;
  llvm::raw_string_ostream fixedOut(fixedLengths); // unbuffered
  uint64_t total = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (!consumeVarint(in, 64, lengths[i]))
      return shardError(absl::StrCat("bad or truncated length of string ", i));
    // The checksum covers each length as a little-endian uint32, or uint64 when it needs one.
    if (lengths[i] > 0xFFFFFFFFu)
      llvm::support::endian::write<uint64_t>(fixedOut, lengths[i], llvm::endianness::little);
    else
      llvm::support::endian::write<uint32_t>(fixedOut, static_cast<uint32_t>(lengths[i]),
                                             llvm::endianness::little);
    if (lengths[i] > size - total)
      return shardError(absl::StrCat("string lengths add up to more than the ", size,
                                     " bytes of the tensor (string ", i, ")"));
    total += lengths[i];
  }
  if (in.size() < 4)
    return shardError("truncated before the string-lengths checksum");
  uint32_t lengthsCrc = crc32cUnmask(read32le(in.data()));
  uint32_t actualLengthsCrc = crc32c(fixedLengths.data(), fixedLengths.size());
  if (lengthsCrc != actualLengthsCrc)
    return shardError(absl::StrCat("string-lengths checksum mismatch (stored 0x",
                                   absl::Hex(lengthsCrc), ", computed 0x",
                                   absl::Hex(actualLengthsCrc), ")"));
  const char *checksumBytes = in.data();
  in.remove_prefix(4);
  if (total != in.size())
    return shardError(absl::StrCat("string lengths add up to ", total, " bytes but ", in.size(),
                                   " bytes follow them"));
  uint32_t actual = crc32c(fixedLengths.data(), fixedLengths.size());
  actual = crc32cExtend(actual, checksumBytes, 4);
  actual = crc32cExtend(actual, in.data(), total);
  if (actual != expected)
    return shardError(absl::StrCat("checksum mismatch (index says 0x", absl::Hex(expected),
                                   ", data has 0x", absl::Hex(actual), ")"));
  const char *p = in.data();
  t.strings.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    t.strings[i].assign(p, lengths[i]);
    p += lengths[i];
  }
  return t;
}

} // namespace smc
