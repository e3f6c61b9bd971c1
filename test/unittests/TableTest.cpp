//===- TableTest.cpp - LevelDB-format table reader ------------------------===//
//
// Tables are built by the test's own writer (TestFiles.cpp), then read back whole or damaged.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "smc/SavedModel/TensorBundle.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <snappy.h>

namespace smc {
namespace {

using test::buildBlock;
using test::buildTable;
using test::putFixed32;
using test::putVarint;
using test::TableLayout;
using test::TableOptions;
using ::testing::HasSubstr;
using KV = std::vector<std::pair<std::string, std::string>>;

const std::string kWhat = "/models/m/variables/variables.index";

KV sampleEntries(int n) {
  KV kv;
  kv.emplace_back("", "header");
  for (int i = 0; i < n; ++i) {
    char key[64];
    std::snprintf(key, sizeof(key), "model/layer_%03d/kernel/.ATTRIBUTES/VARIABLE_VALUE", i);
    kv.emplace_back(key, std::string(static_cast<size_t>(i % 7), static_cast<char>('a' + i % 26)));
  }
  return kv;
}

void expectReads(const std::string &bytes, const KV &kv) {
  absl::StatusOr<KV> got = readTable(bytes, kWhat);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, kv);
}

TEST(TableTest, Empty) { expectReads(buildTable({}), {}); }

TEST(TableTest, OneBlock) {
  KV kv = {{"", "h"}, {"a", "1"}, {"ab", "22"}, {"abc", ""}, {"b", std::string(300, 'x')}};
  expectReads(buildTable(kv), kv);
}

TEST(TableTest, SharedPrefixesAndRestarts) {
  KV kv = sampleEntries(100);
  for (size_t interval : {1u, 2u, 16u, 1000u}) {
    TableOptions o;
    o.entriesPerBlock = 1000;
    o.restartInterval = interval;
    expectReads(buildTable(kv, o), kv);
  }
}

TEST(TableTest, ManyBlocks) {
  KV kv = sampleEntries(100);
  TableOptions o;
  o.entriesPerBlock = 7;
  o.restartInterval = 3;
  TableLayout layout;
  std::string bytes = buildTable(kv, o, &layout);
  EXPECT_EQ(layout.dataBlocks.size(), 15u);
  expectReads(bytes, kv);
}

TEST(TableTest, Snappy) {
  KV kv = sampleEntries(60);
  for (size_t perBlock : {5u, 1000u}) {
    TableOptions o;
    o.snappy = true;
    o.entriesPerBlock = perBlock;
    std::string bytes = buildTable(kv, o);
    EXPECT_LT(bytes.size(), buildTable(kv, {false, perBlock, 16}).size());
    expectReads(bytes, kv);
  }
}

TEST(TableTest, BinaryKeysAndValues) {
  KV kv = {{std::string("\0\x01", 2), std::string("\0\0\0", 3)},
           {std::string("\0\x02", 2), "v"},
           {"\xff\xfe", std::string(1000, '\0')}};
  expectReads(buildTable(kv), kv);
}

// Damaged files ---------------------------------------------------------------

void expectError(const std::string &bytes, const std::string &fragment) {
  absl::StatusOr<KV> got = readTable(bytes, kWhat);
  ASSERT_FALSE(got.ok()) << "read a damaged table (expected: " << fragment << ")";
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(kWhat));
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(fragment));
}

TEST(TableTest, BadMagic) {
  std::string bytes = buildTable(sampleEntries(3));
  bytes[bytes.size() - 1] ^= 0x01;
  expectError(bytes, "bad table magic");
}

TEST(TableTest, TooShort) {
  expectError("", "too short");
  expectError(std::string(47, '\0'), "too short");
}

TEST(TableTest, EveryTruncationFails) {
  std::string bytes = buildTable(sampleEntries(20), {false, 4, 2});
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::StatusOr<KV> got = readTable(bytes.substr(0, n), kWhat);
    EXPECT_FALSE(got.ok()) << "truncated to " << n << " bytes";
  }
}

TEST(TableTest, EveryFlippedByteFailsOrReadsTheSame) {
  // A flipped bit anywhere must be detected (by a checksum, the magic or a handle check) or
  // be in bytes the reader does not use (footer padding).
  KV kv = sampleEntries(12);
  for (bool snappy : {false, true}) {
    std::string bytes = buildTable(kv, {snappy, 5, 2});
    for (size_t i = 0; i < bytes.size(); ++i) {
      std::string damaged = bytes;
      damaged[i] ^= 0x20;
      absl::StatusOr<KV> got = readTable(damaged, kWhat);
      if (got.ok()) {
        EXPECT_EQ(*got, kv) << "flip at " << i;
      }
    }
  }
}

TEST(TableTest, FlippedByteIsChecksumError) {
  KV kv = sampleEntries(10);
  TableLayout layout;
  std::string bytes = buildTable(kv, {false, 4, 2}, &layout);
  std::string damaged = bytes;
  damaged[layout.dataBlocks[1].offset + 3] ^= 0x40;
  expectError(damaged, "data block at offset " + std::to_string(layout.dataBlocks[1].offset) +
                           ": checksum mismatch");
  damaged = bytes;
  damaged[layout.index.offset] ^= 0x01;
  expectError(damaged, "index block at offset " + std::to_string(layout.index.offset) +
                           ": checksum mismatch");
}

// Builds a table whose single data block has the given stored bytes and trailer type, with a
// correct checksum, so that the reader gets past the checksum to the contents.
std::string tableWithRawBlock(const std::string &stored, char type) {
  std::string file = stored;
  file.push_back(type);
  uint32_t crc = crc32cExtend(crc32c(stored.data(), stored.size()), &type, 1);
  putFixed32(file, crc32cMask(crc));
  std::string handle;
  putVarint(handle, 0);
  putVarint(handle, stored.size());
  std::string index = buildBlock({{"z", handle}}, 1);
  uint64_t indexOffset = file.size();
  file += index;
  char zero = 0;
  file.push_back(zero);
  putFixed32(file, crc32cMask(crc32cExtend(crc32c(index.data(), index.size()), &zero, 1)));
  std::string footer;
  putVarint(footer, indexOffset); // metaindex: unused by the reader
  putVarint(footer, 0);
  putVarint(footer, indexOffset);
  putVarint(footer, index.size());
  footer.resize(40, '\0');
  putFixed32(footer, 0x8b80fb57u);
  putFixed32(footer, 0xdb477524u);
  return file + footer;
}

TEST(TableTest, RawBlockHelperReads) {
  expectReads(tableWithRawBlock(buildBlock({{"a", "1"}}, 1), 0), {{"a", "1"}});
}

TEST(TableTest, BadCompressionType) {
  expectError(tableWithRawBlock(buildBlock({{"a", "1"}}, 1), 2), "unknown compression type 2");
}

TEST(TableTest, CorruptSnappy) {
  std::string block = buildBlock({{"a", std::string(100, 'q')}}, 1);
  std::string compressed;
  snappy::Compress(block.data(), block.size(), &compressed);
  expectReads(tableWithRawBlock(compressed, 1), {{"a", std::string(100, 'q')}});
  std::string bad = compressed;
  bad.resize(bad.size() - 2);
  expectError(tableWithRawBlock(bad, 1), "corrupt Snappy data");
  // A length prefix claiming far more than the data could expand to.
  std::string huge;
  putVarint(huge, 0xFFFFFFFFu);
  huge += compressed.substr(1);
  expectError(tableWithRawBlock(huge, 1), "Snappy data claims");
}

TEST(TableTest, BadRestartArrays) {
  std::string good = buildBlock({{"a", "1"}, {"ab", "2"}}, 1);
  // Restart count larger than the block can hold.
  std::string b = good;
  b[b.size() - 4] = 100;
  expectError(tableWithRawBlock(b, 0), "restart count 100");
  // A restart offset pointing into the middle of an entry / past the entries.
  for (uint32_t bad : {2u, 1000u, 0xFFFFFFFFu}) {
    b = good;
    std::string r;
    putFixed32(r, bad);
    b.replace(b.size() - 8, 4, r);
    expectError(tableWithRawBlock(b, 0), "restart point");
  }
  // No restart count at all.
  expectError(tableWithRawBlock("ab", 0), "no restart count");
}

TEST(TableTest, BadEntries) {
  auto block = [](const std::string &entries) {
    std::string b = entries;
    putFixed32(b, 0);
    putFixed32(b, 1);
    return b;
  };
  // Varint running off the end of the entries.
  expectError(tableWithRawBlock(block(std::string("\x00\x01\x80", 3)), 0), "bad length varint");
  // Shared prefix longer than the previous key.
  std::string e;
  putVarint(e, 0), putVarint(e, 1), putVarint(e, 0), e += "a";
  putVarint(e, 5), putVarint(e, 1), putVarint(e, 0), e += "b";
  expectError(tableWithRawBlock(block(e), 0), "shares 5 bytes");
  // Value longer than the block.
  e.clear();
  putVarint(e, 0), putVarint(e, 1), putVarint(e, 1000), e += "a";
  expectError(tableWithRawBlock(block(e), 0), "runs past the end of the entries");
  // Huge lengths that would overflow an addition.
  e.clear();
  putVarint(e, 0), putVarint(e, 0xFFFFFFFFu), putVarint(e, 0xFFFFFFFFu);
  expectError(tableWithRawBlock(block(e), 0), "runs past the end of the entries");
  // A varint of more than 32 bits.
  e.clear();
  putVarint(e, 0), putVarint(e, uint64_t(1) << 40), putVarint(e, 0);
  expectError(tableWithRawBlock(block(e), 0), "bad length varint");
}

TEST(TableTest, KeysOutOfOrder) {
  std::string e = buildBlock({{"b", ""}, {"a", ""}}, 1);
  expectError(tableWithRawBlock(e, 0), "is not after the previous key");
}

TEST(TableTest, HandlesOutOfRange) {
  std::string bytes = buildTable(sampleEntries(3));
  // Index handle pointing past the end of the file.
  std::string footer;
  putVarint(footer, 0);
  putVarint(footer, 0);
  putVarint(footer, bytes.size());
  putVarint(footer, 10);
  footer.resize(40, '\0');
  std::string damaged = bytes;
  damaged.replace(bytes.size() - 48, 40, footer);
  expectError(damaged, "runs past the end of the file");
  // Offsets and sizes near 2^64 must not wrap around.
  footer.clear();
  putVarint(footer, 0);
  putVarint(footer, 0);
  putVarint(footer, 5);
  putVarint(footer, ~uint64_t(0) - 2);
  footer.resize(40, '\0');
  damaged.replace(bytes.size() - 48, 40, footer);
  expectError(damaged, "runs past the end of the file");
  // A handle whose varint never ends.
  damaged.replace(bytes.size() - 48, 40, std::string(40, '\x80'));
  expectError(damaged, "footer: bad block handle");
}

TEST(TableTest, DataBlocksMustNotOverlap) {
  // An index naming the same data block twice.
  std::string block = buildBlock({}, 1);
  std::string file = block;
  char zero = 0;
  file.push_back(zero);
  putFixed32(file, crc32cMask(crc32cExtend(crc32c(block.data(), block.size()), &zero, 1)));
  std::string handle;
  putVarint(handle, 0);
  putVarint(handle, block.size());
  std::string index = buildBlock({{"a", handle}, {"b", handle}}, 1);
  uint64_t indexOffset = file.size();
  file += index;
  file.push_back(zero);
  putFixed32(file, crc32cMask(crc32cExtend(crc32c(index.data(), index.size()), &zero, 1)));
  std::string footer;
  putVarint(footer, 0), putVarint(footer, 0);
  putVarint(footer, indexOffset), putVarint(footer, index.size());
  footer.resize(40, '\0');
  putFixed32(footer, 0x8b80fb57u);
  putFixed32(footer, 0xdb477524u);
  expectError(file + footer, "overlaps the previous data block");
}

} // namespace
} // namespace smc
