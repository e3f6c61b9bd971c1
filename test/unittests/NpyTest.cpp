//===- NpyTest.cpp - NumPy .npy / .npz reading and writing ----------------===//

#include "TestFiles.h"

#include "smc/Run/Npy.h"

#include "types.pb.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <zlib.h>

namespace smc {
namespace {

using test::putFixed32;
using test::TempDir;
using ::testing::HasSubstr;

std::string message(const absl::Status &s) { return std::string(s.message()); }

/// A .npy file with the given version and header text, padded the way NumPy pads it.
std::string npyFile(const std::string &dict, const std::string &data, int major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

TEST(NpyTest, WritesWhatNumPyWrites) {
  // np.save of np.array([1, 2], np.float32), byte for byte.
  Tensor t;
  t.dtype = tensorflow::DT_FLOAT;
  t.shape = {2};
  float v[] = {1, 2};
  t.data.assign(reinterpret_cast<const char *>(v), sizeof(v));
  absl::StatusOr<std::string> bytes = serializeNpy(t);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  std::string want = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + header +
                     std::string(117 - header.size(), ' ') + "\n" + t.data;
  EXPECT_EQ(*bytes, want);
  EXPECT_EQ(bytes->size(), 136u);
}

TEST(NpyTest, RoundTripEveryDtype) {
  struct Case {
    DType dtype;
    const char *descr;
  } cases[] = {
      {tensorflow::DT_FLOAT, "<f4"},     {tensorflow::DT_DOUBLE, "<f8"},
      {tensorflow::DT_HALF, "<f2"},      {tensorflow::DT_INT8, "|i1"},
      {tensorflow::DT_INT16, "<i2"},     {tensorflow::DT_INT32, "<i4"},
      {tensorflow::DT_INT64, "<i8"},     {tensorflow::DT_UINT8, "|u1"},
      {tensorflow::DT_UINT16, "<u2"},    {tensorflow::DT_UINT32, "<u4"},
      {tensorflow::DT_UINT64, "<u8"},    {tensorflow::DT_BOOL, "|b1"},
      {tensorflow::DT_COMPLEX64, "<c8"}, {tensorflow::DT_COMPLEX128, "<c16"},
  };
  TempDir dir;
  for (const Case &c : cases) {
    for (std::vector<int64_t> shape :
         {std::vector<int64_t>{}, {5}, {2, 3}, {2, 0, 3}, {1, 1, 2, 1}}) {
      SCOPED_TRACE(std::string(c.descr) + " " + shapeToString(shape));
      Tensor t;
      t.dtype = c.dtype;
      t.shape = shape;
      int64_t n = t.numElements();
      for (int64_t i = 0; i < n * dtypeSize(c.dtype); ++i)
        t.data.push_back(c.dtype == tensorflow::DT_BOOL ? static_cast<char>(i % 2)
                                                        : static_cast<char>(i * 37 + 1));
      EXPECT_EQ(*npyDescr(c.dtype), c.descr);
      absl::StatusOr<std::string> bytes = serializeNpy(t);
      ASSERT_TRUE(bytes.ok()) << bytes.status();
      EXPECT_EQ((bytes->size() - t.data.size()) % 64, 0u);
      EXPECT_THAT(*bytes, HasSubstr(std::string("'descr': '") + c.descr + "'"));
      absl::StatusOr<Tensor> back = parseNpy(*bytes, "mem");
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(back->dtype, t.dtype);
      EXPECT_EQ(back->shape, t.shape);
      EXPECT_EQ(back->data, t.data);

      std::string path = dir.file("t.npy");
      ASSERT_TRUE(writeNpy(path, t, /*overwrite=*/true).ok());
      absl::StatusOr<Tensor> fromFile = readNpy(path);
      ASSERT_TRUE(fromFile.ok()) << fromFile.status();
      EXPECT_EQ(fromFile->data, t.data);
      EXPECT_EQ(fromFile->shape, t.shape);
    }
  }
}

TEST(NpyTest, HandWrittenHeaders) {
  std::string f4(8, '\x01');
  struct Case {
    std::string file;
    DType dtype;
    std::vector<int64_t> shape;
  } cases[] = {
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4),
       tensorflow::DT_FLOAT,
       {2}},
      // Key order, quotes, spacing and trailing commas vary between writers.
      {npyFile("{\"shape\":(1,2),\"descr\":\"<i4\",\"fortran_order\":False}", f4),
       tensorflow::DT_INT32,
       {1, 2}},
      {npyFile("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 2 ), }", f4, 2),
       tensorflow::DT_UINT16,
       {2, 2}},
      {npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", f4, 3),
       tensorflow::DT_DOUBLE,
       {}},
      {npyFile("{'descr': '<u1', 'fortran_order': False, 'shape': (8,), }", f4),
       tensorflow::DT_UINT8,
       {8}},
      {npyFile("{'descr': '=i2', 'fortran_order': False, 'shape': (4,), }", f4),
       tensorflow::DT_INT16,
       {4}},
      {npyFile("{'descr': '>i1', 'fortran_order': False, 'shape': (8,), }", f4),
       tensorflow::DT_INT8,
       {8}},
      // Python 2 wrote long integers with an L suffix.
      {npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (1L,), }", f4),
       tensorflow::DT_INT64,
       {1}},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", ""),
       tensorflow::DT_FLOAT,
       {0, 5}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.file.substr(10, 70));
    absl::StatusOr<Tensor> t = parseNpy(c.file, "hand.npy");
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->dtype, c.dtype);
    EXPECT_EQ(t->shape, c.shape);
  }
}

TEST(NpyTest, MalformedFiles) {
  std::string f4(8, '\x01');
  std::string good = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4);
  std::string longHeader = good;
  longHeader[8] = '\xff'; // header length past the end
  std::string v4 = good;
  v4[6] = 4;
  struct Case {
    std::string file;
    const char *error;
  } cases[] = {
      {"", "bad magic"},
      {"\x93NUMPX\x01\x00\x00\x00", "bad magic"},
      {v4, "unsupported .npy format version 4.0"},
      {good.substr(0, 9), "bad magic"},
      {longHeader, "runs past the end"},
      {good.substr(0, good.size() - 1), "needs different data than the 7 bytes"},
      {good + "x", "needs different data than the 9 bytes"},
      {npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", f4), "Fortran-order"},
      {npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4), "big-endian"},
      {npyFile("{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }", f4), "'|'"},
      {npyFile("{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", f4), "string"},
      {npyFile("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", f4),
       "not a supported"},
      {npyFile("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", f4),
       "structured"},
      {npyFile("{'descr': '<f4', 'shape': (2,), }", f4), "exactly the keys"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': True}", f4),
       "exactly the keys"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", f4), "not supported"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", f4), "not a tuple"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", f4),
       "non-negative integer"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", f4),
       "too large"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }",
               f4),
       "overflows"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", f4), "expected"},
      {npyFile("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", f4), "expected"},
      {npyFile("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", f4),
       "appears twice"},
      {npyFile("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", f4), "expected ','"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", f4),
       "unexpected text"},
      {npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3,)}", f4), "expected ','"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.error);
    absl::StatusOr<Tensor> t = parseNpy(c.file, "in.npy");
    ASSERT_FALSE(t.ok());
    EXPECT_THAT(message(t.status()), HasSubstr("in.npy: "));
    EXPECT_THAT(message(t.status()), HasSubstr(c.error));
  }
}

TEST(NpyTest, WriteErrors) {
  Tensor s;
  s.dtype = tensorflow::DT_STRING;
  s.strings = {"a"};
  EXPECT_THAT(message(serializeNpy(s).status()), HasSubstr("DT_STRING has no NumPy dtype"));
  Tensor b;
  b.dtype = tensorflow::DT_BFLOAT16;
  b.data = "ab";
  EXPECT_FALSE(serializeNpy(b).ok());
  Tensor f;
  f.dtype = tensorflow::DT_FLOAT;
  f.shape = {2};
  f.data = "abc";
  EXPECT_THAT(message(serializeNpy(f).status()), HasSubstr("has 3 data bytes, expected 8"));
  f.data = "abcdefgh";
  // A new file by default: writing it twice is an error unless overwriting.
  TempDir dir;
  std::string path = dir.file("f.npy");
  ASSERT_TRUE(writeNpy(path, f).ok());
  EXPECT_THAT(message(writeNpy(path, f)), HasSubstr("f.npy: already exists"));
  EXPECT_TRUE(writeNpy(path, f, /*overwrite=*/true).ok());
  absl::Status st = writeNpy("/nonexistent-dir/x.npy", f);
  EXPECT_THAT(message(st), HasSubstr("/nonexistent-dir/x.npy: cannot create"));
  EXPECT_THAT(message(readNpy("/nonexistent-dir/x.npy").status()),
              HasSubstr("/nonexistent-dir/x.npy: cannot open"));
}

TEST(NpyTest, LargeHeaderUsesVersion2) {
  Tensor t;
  t.dtype = tensorflow::DT_UINT8;
  t.shape.assign(30000, 1);
  t.data = "x";
  absl::StatusOr<std::string> bytes = serializeNpy(t);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[6], 2);
  absl::StatusOr<Tensor> back = parseNpy(*bytes, "big-header.npy");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->shape.size(), 30000u);
}

// .npz ------------------------------------------------------------------------

void putLE(std::string &out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string deflateRaw(const std::string &in) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = in.size();
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = out.size();
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct ZipMember {
  std::string name;
  std::string data;
  bool deflate = false;
  bool zip64 = false; // as NumPy writes: zip64 sizes in the local header
};

/// A zip archive in the layout Python's zipfile (which numpy.savez uses) produces.
std::string buildZip(const std::vector<ZipMember> &members, bool zip64End = false) {
  std::string out, central;
  for (const ZipMember &m : members) {
    std::string stored = m.deflate ? deflateRaw(m.data) : m.data;
    uint32_t crc = crc32(0, reinterpret_cast<const Bytef *>(m.data.data()), m.data.size());
    uint64_t offset = out.size();
    std::string extra;
    if (m.zip64) {
      putLE(extra, 1, 2);
      putLE(extra, 16, 2);
      putLE(extra, m.data.size(), 8);
      putLE(extra, stored.size(), 8);
    }
    putFixed32(out, 0x04034b50);
    putLE(out, m.zip64 ? 45 : 20, 2);
    putLE(out, 0, 2);
    putLE(out, m.deflate ? 8 : 0, 2);
    putLE(out, 0, 4); // time, date
    putFixed32(out, crc);
    putFixed32(out, m.zip64 ? 0xFFFFFFFF : stored.size());
    putFixed32(out, m.zip64 ? 0xFFFFFFFF : m.data.size());
    putLE(out, m.name.size(), 2);
    putLE(out, extra.size(), 2);
    out += m.name + extra + stored;

    std::string cextra;
    if (zip64End) { // central directory with zip64 offsets
      putLE(cextra, 1, 2);
      putLE(cextra, 8, 2);
      putLE(cextra, offset, 8);
    }
    putFixed32(central, 0x02014b50);
    putLE(central, 45, 2);
    putLE(central, 20, 2);
    putLE(central, 0, 2);
    putLE(central, m.deflate ? 8 : 0, 2);
    putLE(central, 0, 4);
    putFixed32(central, crc);
    putFixed32(central, stored.size());
    putFixed32(central, m.data.size());
    putLE(central, m.name.size(), 2);
    putLE(central, cextra.size(), 2);
    putLE(central, 0, 2); // comment
    putLE(central, 0, 4); // disk, internal attributes
    putFixed32(central, 0);
    putFixed32(central, zip64End ? 0xFFFFFFFF : offset);
    central += m.name + cextra;
  }
  uint64_t cdOffset = out.size();
  out += central;
  if (zip64End) {
    uint64_t z = out.size();
    putFixed32(out, 0x06064b50);
    putLE(out, 44, 8);
    putLE(out, 45, 2);
    putLE(out, 45, 2);
    putLE(out, 0, 8);
    putLE(out, members.size(), 8);
    putLE(out, members.size(), 8);
    putLE(out, central.size(), 8);
    putLE(out, cdOffset, 8);
    putFixed32(out, 0x07064b50);
    putFixed32(out, 0);
    putLE(out, z, 8);
    putFixed32(out, 1);
  }
  putFixed32(out, 0x06054b50);
  putLE(out, 0, 4);
  putLE(out, zip64End ? 0xFFFF : members.size(), 2);
  putLE(out, zip64End ? 0xFFFF : members.size(), 2);
  putFixed32(out, central.size());
  putFixed32(out, zip64End ? 0xFFFFFFFF : cdOffset);
  putLE(out, 0, 2);
  return out;
}

Tensor floats(std::vector<float> v) {
  return test::makeTensor<float>(tensorflow::DT_FLOAT, {static_cast<int64_t>(v.size())}, v);
}

TEST(NpyTest, NpzStoredAndDeflated) {
  Tensor a = floats({1, 2, 3});
  Tensor b = test::makeTensor<int64_t>(tensorflow::DT_INT64, {2, 2}, {1, 2, 3, 4});
  Tensor c = floats(std::vector<float>(1000, 0.25f));
  for (bool zip64 : {false, true}) {
    for (bool zip64End : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "zip64 " << zip64 << " end " << zip64End);
      std::string zip = buildZip({{"a.npy", *serializeNpy(a), false, zip64},
                                  {"b.npy", *serializeNpy(b), true, zip64},
                                  {"dir/", "", false, false},
                                  {"c.npy", *serializeNpy(c), true, zip64}},
                                 zip64End);
      TempDir dir;
      test::writeFile(dir.file("x.npz"), zip);
      auto got = readNpz(dir.file("x.npz"));
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(got->size(), 3u);
      EXPECT_EQ((*got)[0].first, "a");
      EXPECT_EQ((*got)[0].second.data, a.data);
      EXPECT_EQ((*got)[1].first, "b");
      EXPECT_EQ((*got)[1].second.shape, b.shape);
      EXPECT_EQ((*got)[1].second.data, b.data);
      EXPECT_EQ((*got)[2].first, "c");
      EXPECT_EQ((*got)[2].second.data, c.data);
    }
  }
  // A trailing archive comment is allowed.
  std::string zip = buildZip({{"a.npy", *serializeNpy(a)}});
  zip[zip.size() - 2] = 5;
  zip += "hello";
  auto got = parseNpz(zip, "commented.npz");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->size(), 1u);
}

TEST(NpyTest, NpzErrors) {
  std::string member = *serializeNpy(floats({1, 2, 3}));
  std::string stored = buildZip({{"a.npy", member}});
  std::string deflated = buildZip({{"a.npy", member, true}});
  auto expectError = [](const std::string &zip, const std::string &fragment) {
    auto got = parseNpz(zip, "bad.npz");
    ASSERT_FALSE(got.ok()) << fragment;
    EXPECT_THAT(message(got.status()), HasSubstr("bad.npz: "));
    EXPECT_THAT(message(got.status()), HasSubstr(fragment));
  };
  expectError("", "too short");
  expectError(std::string(100, 'x'), "not a zip archive");
  expectError(stored.substr(0, stored.size() - 1), "not a zip archive");
  // Data CRC.
  std::string damaged = stored;
  damaged[40 + 5] ^= 1; // inside the member's .npy bytes
  expectError(damaged, "CRC-32 mismatch");
  // Deflate stream damaged / truncated.
  damaged = deflated;
  for (size_t i = 35; i < 45; ++i)
    damaged[i] = '\xff';
  expectError(damaged, "member 'a.npy'");
  // Member not a valid .npy.
  expectError(buildZip({{"a.npy", "not npy"}}), "bad.npz: member 'a.npy': not a .npy file");
  // Central directory offset out of range.
  damaged = stored;
  damaged[damaged.size() - 6] = '\x7f';
  expectError(damaged, "central directory");
  // Member count larger than the directory.
  damaged = stored;
  damaged[damaged.size() - 12] = '\x50';
  expectError(damaged, "cannot fit in a central directory");
  // Unsupported method and encryption.
  damaged = stored;
  size_t cd = stored.size() - 22 - (46 + 5);
  damaged[cd + 10] = 12; // bzip2
  expectError(damaged, "unsupported compression method 12");
  damaged = stored;
  damaged[cd + 8] = 1;
  expectError(damaged, "encrypted");
  // Local header offset pointing elsewhere.
  damaged = stored;
  damaged[cd + 42] = 3;
  expectError(damaged, "no local file header");
  // Declared size that deflate cannot produce.
  damaged = deflated;
  cd = deflated.size() - 22 - (46 + 5);
  damaged[cd + 27] = '\x7f';
  expectError(damaged, "claims");
}

} // namespace
} // namespace smc
