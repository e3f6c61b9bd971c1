//===- TestFiles.cpp - Hand-made tables, bundles and temp files for tests -===//

#include "TestFiles.h"

#include "gtest/gtest.h"

#include <snappy.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace smc::test {

void putVarint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void putFixed32(std::string &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string buildBlock(const std::vector<std::pair<std::string, std::string>> &kv,
                       size_t restartInterval) {
  std::string out;
  std::vector<uint32_t> restarts;
  std::string prev;
  for (size_t i = 0; i < kv.size(); ++i) {
    const std::string &key = kv[i].first;
    size_t shared = 0;
    if (i % restartInterval == 0) {
      restarts.push_back(static_cast<uint32_t>(out.size()));
    } else {
      while (shared < prev.size() && shared < key.size() && prev[shared] == key[shared])
        ++shared;
    }
    putVarint(out, shared);
    putVarint(out, key.size() - shared);
    putVarint(out, kv[i].second.size());
    out += key.substr(shared);
    out += kv[i].second;
    prev = key;
  }
  if (restarts.empty())
    restarts.push_back(0);
  for (uint32_t r : restarts)
    putFixed32(out, r);
  putFixed32(out, static_cast<uint32_t>(restarts.size()));
  return out;
}

namespace {

TableLayout::Block appendBlock(std::string &file, const std::string &contents, bool snappy) {
  std::string stored = contents;
  char type = 0;
  if (snappy) {
    stored.clear();
    snappy::Compress(contents.data(), contents.size(), &stored);
    type = 1;
  }
  TableLayout::Block b{file.size(), stored.size()};
  file += stored;
  file.push_back(type);
  uint32_t crc = crc32cExtend(crc32c(stored.data(), stored.size()), &type, 1);
  putFixed32(file, crc32cMask(crc));
  return b;
}

} // namespace

std::string buildTable(const std::vector<std::pair<std::string, std::string>> &kv,
                       const TableOptions &options, TableLayout *layout) {
  TableLayout local;
  TableLayout &l = layout ? *layout : local;
  std::string file;
  std::vector<std::pair<std::string, std::string>> index;
  for (size_t i = 0; i < kv.size(); i += options.entriesPerBlock) {
    std::vector<std::pair<std::string, std::string>> chunk(
        kv.begin() + i, kv.begin() + std::min(kv.size(), i + options.entriesPerBlock));
    TableLayout::Block b =
        appendBlock(file, buildBlock(chunk, options.restartInterval), options.snappy);
    l.dataBlocks.push_back(b);
    std::string handle;
    putVarint(handle, b.offset);
    putVarint(handle, b.size);
    // The last key of the block is a valid separator (>= every key in it, < the next one).
    index.emplace_back(chunk.back().first, handle);
  }
  l.metaindex = appendBlock(file, buildBlock({}, 1), options.snappy);
  l.index = appendBlock(file, buildBlock(index, 1), options.snappy);
  std::string footer;
  putVarint(footer, l.metaindex.offset);
  putVarint(footer, l.metaindex.size);
  putVarint(footer, l.index.offset);
  putVarint(footer, l.index.size);
  footer.resize(40, '\0');
  putFixed32(footer, 0x8b80fb57u);
  putFixed32(footer, 0xdb477524u);
  return file + footer;
}

std::string encodeStrings(const std::vector<std::string> &strings, uint32_t *entryCrc) {
  std::string lengths, fixed;
  for (const std::string &s : strings) {
    putVarint(lengths, s.size());
    uint64_t n = s.size();
    for (int i = 0; i < (n > 0xFFFFFFFFu ? 8 : 4); ++i)
      fixed.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
  std::string lengthsCrc;
  putFixed32(lengthsCrc, crc32cMask(crc32c(fixed.data(), fixed.size())));
  std::string payload;
  for (const std::string &s : strings)
    payload += s;
  uint32_t crc = crc32c(fixed.data(), fixed.size());
  crc = crc32cExtend(crc, lengthsCrc.data(), 4);
  crc = crc32cExtend(crc, payload.data(), payload.size());
  if (entryCrc)
    *entryCrc = crc;
  return lengths + lengthsCrc + payload;
}

BundleWriter::BundleWriter(int numShards) : shards_(numShards) {
  header_.set_num_shards(numShards);
  header_.mutable_version()->set_producer(1);
}

tensorflow::BundleEntryProto &BundleWriter::addEntry(const std::string &key) {
  entries_.emplace_back(key, tensorflow::BundleEntryProto());
  return entries_.back().second;
}

tensorflow::BundleEntryProto &BundleWriter::add(const std::string &key, const Tensor &t,
                                                int shard) {
  tensorflow::BundleEntryProto &e = addEntry(key);
  e.set_dtype(static_cast<tensorflow::DataType>(t.dtype));
  for (int64_t d : t.shape)
    e.mutable_shape()->add_dim()->set_size(d);
  e.set_shard_id(shard);
  std::string &data = shards_[shard];
  e.set_offset(data.size());
  uint32_t crc;
  std::string bytes;
  if (t.dtype == tensorflow::DT_STRING) {
    bytes = encodeStrings(t.strings, &crc);
  } else {
    bytes = t.data;
    crc = crc32c(bytes.data(), bytes.size());
  }
  e.set_size(bytes.size());
  e.set_crc32c(crc32cMask(crc));
  data += bytes;
  return e;
}

std::string shardPath(const std::string &prefix, int shard, int numShards) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), ".data-%05d-of-%05d", shard, numShards);
  return prefix + buf;
}

void BundleWriter::write(const std::string &prefix, const TableOptions &options,
                         const std::string *rawHeader) const {
  std::vector<std::pair<std::string, std::string>> kv;
  kv.emplace_back("", rawHeader ? *rawHeader : header_.SerializeAsString());
  auto sorted = entries_;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  for (const auto &[key, entry] : sorted)
    kv.emplace_back(key, entry.SerializeAsString());
  writeFile(prefix + ".index", buildTable(kv, options));
  for (size_t i = 0; i < shards_.size(); ++i)
    writeFile(shardPath(prefix, static_cast<int>(i), static_cast<int>(shards_.size())), shards_[i]);
}

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "smc-unittest-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return;
  }
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(f.good()) << "cannot write " << path;
}

std::string readFile(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

} // namespace smc::test
