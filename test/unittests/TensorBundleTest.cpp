//===- TensorBundleTest.cpp - TensorBundle reader -------------------------===//
//
// Bundles are written by the test's own writer (TestFiles.cpp): an index and one or two data
// shards, then read back, intact or damaged.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "smc/SavedModel/TensorBundle.h"

#include "checkpoint.pb.h"
#include "types.pb.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <functional>

namespace smc {
namespace {

using test::BundleWriter;
using test::makeTensor;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string message(const absl::Status &s) { return std::string(s.message()); }

Tensor stringTensor(std::vector<int64_t> shape, std::vector<std::string> strings) {
  Tensor t;
  t.dtype = tensorflow::DT_STRING;
  t.shape = std::move(shape);
  t.strings = std::move(strings);
  return t;
}

void expectSame(const Tensor &got, const Tensor &want) {
  EXPECT_EQ(got.dtype, want.dtype);
  EXPECT_EQ(got.shape, want.shape);
  EXPECT_EQ(got.data, want.data);
  EXPECT_EQ(got.strings, want.strings);
}

class TensorBundleTest : public ::testing::Test {
protected:
  std::string prefix() const { return dir.file("variables"); }
  absl::StatusOr<std::unique_ptr<TensorBundle>> open() { return TensorBundle::open(prefix()); }
  /// Opens the bundle (which must succeed) and reads `key` (which must fail).
  absl::Status readError(const std::string &key) {
    auto b = open();
    if (!b.ok())
      return b.status();
    absl::StatusOr<Tensor> t = (*b)->read(key);
    EXPECT_FALSE(t.ok()) << "read '" << key << "' from a damaged bundle";
    return t.status();
  }
  TempDir dir;
};

TEST_F(TensorBundleTest, NumericAndStringTensorsOneShard) {
  BundleWriter w;
  Tensor a = makeTensor<float>(tensorflow::DT_FLOAT, {}, {0.5f});
  Tensor b = makeTensor<float>(tensorflow::DT_FLOAT, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor c = makeTensor<int64_t>(tensorflow::DT_INT64, {3}, {-1, 0, int64_t(1) << 40});
  Tensor d = makeTensor<uint8_t>(tensorflow::DT_BOOL, {2}, {1, 0});
  Tensor e = makeTensor<uint16_t>(tensorflow::DT_BFLOAT16, {2}, {0x3f80, 0xc000});
  Tensor empty = makeTensor<float>(tensorflow::DT_FLOAT, {0, 4}, {});
  Tensor s = stringTensor({}, {std::string("\x0a\x03obj\0", 6)});
  Tensor s2 = stringTensor({2, 2}, {"", "a", std::string(200, 'z'), "hello"});
  w.add("a/.ATTRIBUTES/VARIABLE_VALUE", a);
  w.add("b/.ATTRIBUTES/VARIABLE_VALUE", b);
  w.add("c", c);
  w.add("d", d);
  w.add("e", e);
  w.add("empty", empty);
  w.add("_CHECKPOINTABLE_OBJECT_GRAPH", s);
  w.add("strings", s2);
  w.write(prefix());

  auto bundle = open();
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ((*bundle)->numShards(), 1);
  EXPECT_THAT((*bundle)->keys(),
              ElementsAre("_CHECKPOINTABLE_OBJECT_GRAPH", "a/.ATTRIBUTES/VARIABLE_VALUE",
                          "b/.ATTRIBUTES/VARIABLE_VALUE", "c", "d", "e", "empty", "strings"));
  EXPECT_TRUE((*bundle)->contains("c"));
  EXPECT_FALSE((*bundle)->contains(""));
  EXPECT_FALSE((*bundle)->contains("x"));
  auto entry = (*bundle)->entry("b/.ATTRIBUTES/VARIABLE_VALUE");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->offset(), 4);
  EXPECT_EQ((*entry)->size(), 24);

  struct Case {
    const char *key;
    const Tensor &want;
  } cases[] = {{"a/.ATTRIBUTES/VARIABLE_VALUE", a},
               {"b/.ATTRIBUTES/VARIABLE_VALUE", b},
               {"c", c},
               {"d", d},
               {"e", e},
               {"empty", empty},
               {"_CHECKPOINTABLE_OBJECT_GRAPH", s},
               {"strings", s2}};
  for (const Case &k : cases) {
    SCOPED_TRACE(k.key);
    absl::StatusOr<Tensor> t = (*bundle)->read(k.key);
    ASSERT_TRUE(t.ok()) << t.status();
    expectSame(*t, k.want);
  }
  EXPECT_EQ((*bundle)->read("a/.ATTRIBUTES/VARIABLE_VALUE")->at<float>(0), 0.5f);
  EXPECT_EQ((*bundle)->read("b/.ATTRIBUTES/VARIABLE_VALUE")->at<float>(5), 6.0f);
}

TEST_F(TensorBundleTest, TwoShardsAndSnappyIndex) {
  BundleWriter w(2);
  Tensor x = makeTensor<double>(tensorflow::DT_DOUBLE, {2}, {1.5, -2.5});
  Tensor y = makeTensor<int32_t>(tensorflow::DT_INT32, {3}, {7, 8, 9});
  Tensor z = stringTensor({3}, {"one", "two", "three"});
  w.add("x", x, 0);
  w.add("y", y, 1);
  w.add("z", z, 1);
  test::TableOptions o;
  o.snappy = true;
  o.entriesPerBlock = 2;
  w.write(prefix(), o);

  auto bundle = open();
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ((*bundle)->numShards(), 2);
  for (auto [key, want] :
       {std::pair<const char *, const Tensor *>{"x", &x}, {"y", &y}, {"z", &z}}) {
    absl::StatusOr<Tensor> t = (*bundle)->read(key);
    ASSERT_TRUE(t.ok()) << t.status();
    expectSame(*t, *want);
  }
}

TEST_F(TensorBundleTest, LongStringsUseEightByteLengthsInTheChecksum) {
  // Only the checksum rule changes above 2^32 - 1 bytes; check the encoder and decoder agree
  // for lengths on both sides of a varint width change.
  BundleWriter w;
  Tensor s =
      stringTensor({3}, {std::string(127, 'a'), std::string(128, 'b'), std::string(16384, 'c')});
  w.add("s", s);
  w.write(prefix());
  auto bundle = open();
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  absl::StatusOr<Tensor> t = (*bundle)->read("s");
  ASSERT_TRUE(t.ok()) << t.status();
  expectSame(*t, s);
}

// Errors ----------------------------------------------------------------------

TEST_F(TensorBundleTest, MissingIndex) {
  auto b = open();
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(absl::IsNotFound(b.status()));
  EXPECT_THAT(message(b.status()), HasSubstr(prefix() + ".index: cannot open"));
}

TEST_F(TensorBundleTest, UnknownKey) {
  BundleWriter w;
  w.write(prefix());
  absl::Status s = readError("nope");
  EXPECT_TRUE(absl::IsNotFound(s));
  EXPECT_THAT(message(s), HasSubstr("no tensor named 'nope'"));
}

TEST_F(TensorBundleTest, MissingShard) {
  BundleWriter w(2);
  w.add("x", makeTensor<float>(tensorflow::DT_FLOAT, {1}, {1.0f}), 1);
  w.write(prefix());
  std::remove(test::shardPath(prefix(), 1, 2).c_str());
  absl::Status s = readError("x");
  EXPECT_THAT(message(s), HasSubstr(prefix() + ".data-00001-of-00002: cannot open"));
}

TEST_F(TensorBundleTest, TruncatedShard) {
  BundleWriter w;
  w.add("a", makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1, 2}));
  w.add("b", makeTensor<float>(tensorflow::DT_FLOAT, {2}, {3, 4}));
  w.shardData(0).resize(12);
  w.write(prefix());
  auto b = open();
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE((*b)->read("a").ok());
  absl::Status s = readError("b");
  EXPECT_THAT(message(s), HasSubstr(prefix() + ".data-00000-of-00001: tensor 'b' (offset 8, "
                                               "size 8): runs past the end of the file (12 "
                                               "bytes)"));
}

TEST_F(TensorBundleTest, ChecksumMismatch) {
  BundleWriter w;
  w.add("a", makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1, 2}));
  w.add("s", stringTensor({2}, {"ab", "cd"}));
  std::string &data = w.shardData(0);
  data[1] ^= 1;               // inside a
  data[data.size() - 1] ^= 1; // inside the payload of s
  w.write(prefix());
  EXPECT_THAT(message(readError("a")),
              HasSubstr("tensor 'a' (offset 0, size 8): checksum mismatch"));
  EXPECT_THAT(message(readError("s")),
              HasSubstr("tensor 's' (offset 8, size 10): checksum mismatch"));
}

TEST_F(TensorBundleTest, StringLengthsChecksumMismatch) {
  BundleWriter w;
  w.add("s", stringTensor({2}, {"ab", "cd"}));
  w.shardData(0)[2] ^= 1; // first byte of the masked lengths checksum
  w.write(prefix());
  EXPECT_THAT(message(readError("s")), HasSubstr("string-lengths checksum mismatch"));
}

TEST_F(TensorBundleTest, MalformedStringTensors) {
  struct Case {
    std::string data;
    int64_t elements;
    const char *error;
  } cases[] = {
      {"", 1, "cannot fit"},
      {"\x80\x80", 1, "bad or truncated length"},
      {std::string(11, '\xff'), 1, "bad or truncated length"},
      {"\x05", 1, "string lengths add up to more than"},
      {"\x01", 1, "truncated before the string-lengths checksum"},
      {"\x01\x01", 2, "truncated before the string-lengths checksum"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.error);
    BundleWriter w;
    w.shardData(0) = c.data;
    tensorflow::BundleEntryProto &e = w.addEntry("s");
    e.set_dtype(tensorflow::DT_STRING);
    e.mutable_shape()->add_dim()->set_size(c.elements);
    e.set_size(c.data.size());
    w.write(prefix());
    EXPECT_THAT(message(readError("s")), HasSubstr(c.error));
  }
  // Payload shorter than the lengths say (with valid length checksum).
  BundleWriter w;
  w.add("s", stringTensor({1}, {"abcd"}));
  w.shardData(0).resize(w.shardData(0).size() - 1);
  w.write(prefix());
  auto b = open();
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE((*b)->read("s").ok());
}

TEST_F(TensorBundleTest, SizeMismatch) {
  BundleWriter w;
  tensorflow::BundleEntryProto &e =
      w.add("a", makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1, 2}));
  e.mutable_shape()->mutable_dim(0)->set_size(3);
  w.write(prefix());
  EXPECT_THAT(message(readError("a")),
              HasSubstr("tensor 'a': size 8 does not match shape [3] of DT_FLOAT (3 elements of 4 "
                        "bytes)"));
}

TEST_F(TensorBundleTest, HugeShapesAndOffsets) {
  BundleWriter w;
  w.shardData(0) = std::string(16, '\0');
  auto &big = w.addEntry("big");
  big.set_dtype(tensorflow::DT_FLOAT);
  big.mutable_shape()->add_dim()->set_size(int64_t(1) << 62);
  big.mutable_shape()->add_dim()->set_size(4);
  big.set_size(16);
  auto &far = w.addEntry("far");
  far.set_dtype(tensorflow::DT_UINT8);
  far.mutable_shape()->add_dim()->set_size(16);
  far.set_offset(INT64_MAX - 4);
  far.set_size(16);
  auto &neg = w.addEntry("neg");
  neg.set_dtype(tensorflow::DT_UINT8);
  neg.set_offset(-1);
  neg.set_size(1);
  auto &unknown = w.addEntry("unknown");
  unknown.set_dtype(tensorflow::DT_UINT8);
  unknown.mutable_shape()->add_dim()->set_size(-1);
  auto &shard = w.addEntry("shard");
  shard.set_dtype(tensorflow::DT_UINT8);
  shard.set_shard_id(1);
  auto &strings = w.addEntry("strings");
  strings.set_dtype(tensorflow::DT_STRING);
  strings.mutable_shape()->add_dim()->set_size(int64_t(1) << 40);
  strings.set_size(16);
  w.write(prefix());
  EXPECT_THAT(message(readError("big")), HasSubstr("element count overflows"));
  EXPECT_THAT(message(readError("far")), HasSubstr("runs past the end of the file"));
  EXPECT_THAT(message(readError("neg")), HasSubstr("negative offset"));
  EXPECT_THAT(message(readError("unknown")), HasSubstr("unknown"));
  EXPECT_THAT(message(readError("shard")), HasSubstr("shard_id 1 is not in [0, 1)"));
  EXPECT_THAT(message(readError("strings")), HasSubstr("cannot fit in 16 bytes"));
}

TEST_F(TensorBundleTest, UnsupportedEntries) {
  BundleWriter w;
  auto &sliced = w.addEntry("part");
  sliced.set_dtype(tensorflow::DT_FLOAT);
  sliced.mutable_shape()->add_dim()->set_size(4);
  sliced.add_slices()->add_extent()->set_length(2);
  w.addEntry("var").set_dtype(tensorflow::DT_VARIANT);
  w.addEntry("res").set_dtype(tensorflow::DT_RESOURCE);
  w.addEntry("bad").set_dtype(static_cast<tensorflow::DataType>(99));
  w.write(prefix());
  absl::Status s = readError("part");
  EXPECT_TRUE(absl::IsUnimplemented(s));
  EXPECT_THAT(message(s), HasSubstr(prefix() + ".index: tensor 'part' is partitioned"));
  EXPECT_THAT(message(s), HasSubstr("not supported"));
  EXPECT_THAT(message(readError("var")), HasSubstr("DT_VARIANT, which is not supported"));
  EXPECT_THAT(message(readError("res")), HasSubstr("DT_RESOURCE, which is not supported"));
  EXPECT_THAT(message(readError("bad")), HasSubstr("unsupported dtype DT_99"));
}

TEST_F(TensorBundleTest, BadHeaders) {
  struct Case {
    std::function<void(tensorflow::BundleHeaderProto &)> edit;
    const char *error;
  } cases[] = {
      {[](auto &h) { h.set_endianness(tensorflow::BundleHeaderProto::BIG); },
       "big-endian bundles are not supported"},
      {[](auto &h) { h.set_num_shards(0); }, "num_shards 0"},
      {[](auto &h) { h.set_num_shards(-3); }, "num_shards -3"},
      {[](auto &h) { h.mutable_version()->set_min_consumer(2); }, "format version 2 or newer"},
      {[](auto &h) { h.mutable_version()->add_bad_consumers(1); }, "bad_consumers"},
      {[](auto &h) { h.mutable_version()->set_producer(-1); }, "producer version -1"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.error);
    BundleWriter w;
    c.edit(w.header());
    w.write(prefix());
    auto b = open();
    ASSERT_FALSE(b.ok());
    EXPECT_THAT(message(b.status()), HasSubstr(prefix() + ".index: "));
    EXPECT_THAT(message(b.status()), HasSubstr(c.error));
  }
  // A header that is not a BundleHeaderProto, and a table without the header entry.
  BundleWriter w;
  std::string junk = "\xff\xff\xff";
  w.write(prefix(), {}, &junk);
  EXPECT_THAT(message(open().status()), HasSubstr("not a valid BundleHeaderProto"));
  test::writeFile(prefix() + ".index", test::buildTable({{"a", ""}}));
  EXPECT_THAT(message(open().status()), HasSubstr("no header entry"));
}

TEST_F(TensorBundleTest, BadEntryProto) {
  test::writeFile(
      prefix() + ".index",
      test::buildTable({{"", BundleWriter().header().SerializeAsString()}, {"k", "\xff\xff\xff"}}));
  auto b = open();
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(message(b.status()), HasSubstr("entry 'k' is not a valid BundleEntryProto"));
}

TEST_F(TensorBundleTest, DamagedIndexNamesTheFile) {
  BundleWriter w;
  w.add("a", makeTensor<float>(tensorflow::DT_FLOAT, {1}, {1}));
  w.write(prefix());
  std::string index = test::readFile(prefix() + ".index");
  index[3] ^= 0x10;
  test::writeFile(prefix() + ".index", index);
  auto b = open();
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(message(b.status()),
              HasSubstr(prefix() + ".index: data block at offset 0: checksum mismatch"));
}

} // namespace
} // namespace smc
