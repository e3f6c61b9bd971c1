//===- Table.cpp - Reader of LevelDB-format table files -------------------===//
//
// The TensorBundle index is a LevelDB-format SSTable (savedmodel-format.md section 2.1):
//
//   [data block][trailer] ... [metaindex block][trailer] [index block][trailer] [footer]
//
// The 48-byte footer holds two block handles (varint64 offset, varint64 size) padded to 40
// bytes and the 8-byte magic. Every block is followed by a 5-byte trailer: the compression
// type (0 none, 1 Snappy) and the masked CRC32C of the stored block bytes plus that type
// byte. A block is a run of prefix-compressed entries followed by a restart array. The index
// block maps a separator key to the handle of each data block; the metaindex block is not
// used by TensorFlow and is ignored here.
//
// The whole file is in memory; every length read from it is checked against what is left, so
// a damaged or hostile file gives an error and never reads out of bounds.
//
//===----------------------------------------------------------------------===//

#include "smc/SavedModel/TensorBundle.h"

#include "Varint.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "llvm/Support/Endian.h"

#include <snappy.h>

namespace smc {
namespace {

using llvm::support::endian::read32le;
using llvm::support::endian::read64le;

constexpr size_t kFooterSize = 48;
constexpr size_t kHandlesSize = 40;
constexpr size_t kTrailerSize = 5;
constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr uint8_t kNoCompression = 0;
constexpr uint8_t kSnappyCompression = 1;
// Snappy's densest element is a 3-byte copy producing 64 bytes, so an honest block never
// expands by more than this factor; a larger declared length is corruption.
constexpr uint64_t kMaxSnappyExpansion = 24;

struct BlockHandle {
  uint64_t offset = 0;
  uint64_t size = 0;
};

bool getHandle(absl::string_view &in, BlockHandle &h) {
  return consumeVarint(in, 64, h.offset) && consumeVarint(in, 64, h.size);
}

class TableReader {
public:
  TableReader(const std::string &bytes, const std::string &what) : bytes_(bytes), what_(what) {}

  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> readAll();

private:
  absl::Status error(absl::string_view msg) const {
    return absl::DataLossError(absl::StrCat(what_, ": ", msg));
  }
  absl::Status blockError(absl::string_view kind, const BlockHandle &h,
                          absl::string_view msg) const {
    return error(absl::StrCat(kind, " block at offset ", h.offset, ": ", msg));
  }

  /// Reads the block `h` points to, checks its trailer and returns its uncompressed bytes.
  absl::StatusOr<std::string> readBlock(absl::string_view kind, const BlockHandle &h) const;

  /// Decodes the entries of a block, calling `fn(key, value)` for each in order.
  template <typename Fn>
  absl::Status forEachEntry(absl::string_view kind, const BlockHandle &h, absl::string_view block,
                            Fn fn) const;

  const std::string &bytes_;
  const std::string &what_;
};

absl::StatusOr<std::string> TableReader::readBlock(absl::string_view kind,
                                                   const BlockHandle &h) const {
  uint64_t fileSize = bytes_.size();
  if (h.offset > fileSize || h.size > fileSize - h.offset ||
      kTrailerSize > fileSize - h.offset - h.size)
    return blockError(kind, h,
                      absl::StrCat("block of ", h.size, " bytes (plus ", kTrailerSize,
                                   "-byte trailer) runs past the end of the file (", fileSize,
                                   " bytes)"));
  const char *start = bytes_.data() + h.offset;
  const char *trailer = start + h.size;
  uint8_t type = static_cast<uint8_t>(trailer[0]);
  uint32_t stored = crc32cUnmask(read32le(trailer + 1));
  uint32_t actual = crc32c(start, h.size + 1); // block bytes + type byte
  if (stored != actual)
    return blockError(kind, h,
                      absl::StrCat("checksum mismatch (stored 0x", absl::Hex(stored),
                                   ", computed 0x", absl::Hex(actual), ")"));
  if (type == kNoCompression)
    return std::string(start, h.size);
  if (type != kSnappyCompression)
    return blockError(
        kind, h,
        absl::StrCat("unknown compression type ", type, " (only 0 = none and 1 = Snappy exist)"));
  size_t length = 0;
  if (!snappy::GetUncompressedLength(start, h.size, &length))
    return blockError(kind, h, "corrupt Snappy data (bad length prefix)");
  if (length > kMaxSnappyExpansion * h.size + 16)
    return blockError(
        kind, h,
        absl::StrCat("Snappy data claims ", length, " bytes from ", h.size, " compressed bytes"));
  std::string out(length, '\0');
  if (!snappy::RawUncompress(start, h.size, out.data()))
    return blockError(kind, h, "corrupt Snappy data");
  return out;
}

template <typename Fn>
absl::Status TableReader::forEachEntry(absl::string_view kind, const BlockHandle &h,
                                       absl::string_view block, Fn fn) const {
  if (block.size() < 4)
    return blockError(kind, h,
                      absl::StrCat("block of ", block.size(), " bytes has no restart count"));
  uint64_t numRestarts = read32le(block.data() + block.size() - 4);
  uint64_t maxRestarts = (block.size() - 4) / 4;
  if (numRestarts > maxRestarts)
    return blockError(kind, h,
                      absl::StrCat("restart count ", numRestarts, " does not fit in a block of ",
                                   block.size(), " bytes"));
  size_t entriesEnd = block.size() - 4 - 4 * numRestarts;
  if (numRestarts == 0 && entriesEnd != 0)
    return blockError(kind, h, "block has entries but no restart points");
  const char *restarts = block.data() + entriesEnd;

  // Restart offsets must point at entries that share nothing with their predecessor, in
  // increasing order; check them as the entries go by.
  uint64_t nextRestart = 0;
  auto restartAt = [&](uint64_t i) { return uint64_t(read32le(restarts + 4 * i)); };
  if (numRestarts > 0 && restartAt(0) != 0)
    return blockError(kind, h, "first restart point is not at offset 0");

  absl::string_view in = block.substr(0, entriesEnd);
  std::string key;
  while (!in.empty()) {
    uint64_t entryOffset = entriesEnd - in.size();
    uint64_t shared, nonShared, valueLen;
    if (!consumeVarint(in, 32, shared) || !consumeVarint(in, 32, nonShared) ||
        !consumeVarint(in, 32, valueLen))
      return blockError(
          kind, h,
          absl::StrCat("entry at block offset ", entryOffset, ": truncated or bad length varint"));
    if (shared > key.size())
      return blockError(kind, h,
                        absl::StrCat("entry at block offset ", entryOffset, " shares ", shared,
                                     " bytes with a previous key of ", key.size(), " bytes"));
    if (nonShared > in.size() || valueLen > in.size() - nonShared)
      return blockError(
          kind, h,
          absl::StrCat("entry at block offset ", entryOffset, " runs past the end of the entries"));
    bool isRestart = nextRestart < numRestarts && restartAt(nextRestart) == entryOffset;
    if (isRestart) {
      ++nextRestart;
      if (shared != 0)
        return blockError(kind, h,
                          absl::StrCat("entry at restart point ", entryOffset,
                                       " shares bytes with the previous key"));
    } else if (nextRestart < numRestarts && restartAt(nextRestart) < entryOffset) {
      return blockError(
          kind, h,
          absl::StrCat("restart point ", restartAt(nextRestart), " is not the start of an entry"));
    }
    key.resize(shared);
    key.append(in.data(), nonShared);
    absl::string_view value = in.substr(nonShared, valueLen);
    in.remove_prefix(nonShared + valueLen);
    if (absl::Status s = fn(key, value, entryOffset); !s.ok())
      return s;
  }
  // An empty block (LevelDB writes one restart point at offset 0 for it) has nothing to check.
  if (nextRestart != numRestarts && entriesEnd != 0)
    return blockError(
        kind, h,
        absl::StrCat("restart point ", restartAt(nextRestart), " is not the start of an entry"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> TableReader::readAll() {
  if (bytes_.size() < kFooterSize)
    return error(absl::StrCat("file of ", bytes_.size(), " bytes is too short for a table footer (",
                              kFooterSize, " bytes)"));
  const char *footer = bytes_.data() + bytes_.size() - kFooterSize;
  uint64_t magic = read64le(footer + kHandlesSize);
  if (magic != kTableMagic)
    return error(absl::StrCat("bad table magic 0x", absl::Hex(magic, absl::kZeroPad16),
                              " (not a TensorBundle index / LevelDB table)"));
  absl::string_view handles(footer, kHandlesSize);
  BlockHandle metaindex, index;
  if (!getHandle(handles, metaindex) || !getHandle(handles, index))
    return error("footer: bad block handle");

  absl::StatusOr<std::string> indexBlock = readBlock("index", index);
  if (!indexBlock.ok())
    return indexBlock.status();

  std::vector<std::pair<std::string, std::string>> out;
  // Data blocks follow each other in the file; requiring that keeps the work linear in the
  // file size even when a hostile index names one block many times.
  uint64_t dataEnd = 0;
  absl::Status s = forEachEntry(
      "index", index, *indexBlock,
      [&](const std::string &sep, absl::string_view value, uint64_t entryOffset) -> absl::Status {
        BlockHandle data;
        if (!getHandle(value, data))
          return blockError("index", index,
                            absl::StrCat("entry at block offset ", entryOffset,
                                         ": bad block handle for key '", absl::CEscape(sep), "'"));
        if (data.offset < dataEnd)
          return blockError("index", index,
                            absl::StrCat("entry at block offset ", entryOffset,
                                         ": data block at offset ", data.offset,
                                         " overlaps the previous data block"));
        absl::StatusOr<std::string> block = readBlock("data", data);
        if (!block.ok())
          return block.status();
        dataEnd = data.offset + data.size + kTrailerSize; // in range: readBlock checked it
        return forEachEntry(
            "data", data, *block,
            [&](const std::string &key, absl::string_view v, uint64_t off) -> absl::Status {
              if (!out.empty() && !(out.back().first < key))
                return blockError("data", data,
                                  absl::StrCat("entry at block offset ", off, ": key '",
                                               absl::CEscape(key),
                                               "' is not after the previous key '",
                                               absl::CEscape(out.back().first), "'"));
              out.emplace_back(key, std::string(v));
              return absl::OkStatus();
            });
      });
  if (!s.ok())
    return s;
  return out;
}

} // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
readTable(const std::string &bytes, const std::string &what) {
  return TableReader(bytes, what).readAll();
}

} // namespace smc
