//===- TensorProtoTest.cpp - TensorProto decoding and dtype helpers -------===//

#include "smc/SavedModel/Tensor.h"

#include "tensor.pb.h"
#include "types.pb.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <complex>

namespace smc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

tensorflow::TensorProto proto(tensorflow::DataType dtype, std::vector<int64_t> shape) {
  tensorflow::TensorProto p;
  p.set_dtype(dtype);
  for (int64_t d : shape)
    p.mutable_tensor_shape()->add_dim()->set_size(d);
  return p;
}

template <typename T> std::vector<T> values(const Tensor &t) {
  std::vector<T> out;
  for (int64_t i = 0; i < t.numElements(); ++i)
    out.push_back(t.at<T>(i));
  return out;
}

Tensor decode(const tensorflow::TensorProto &p) {
  absl::StatusOr<Tensor> t = tensorFromProto(p);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : Tensor();
}

std::string decodeError(const tensorflow::TensorProto &p) {
  absl::StatusOr<Tensor> t = tensorFromProto(p);
  EXPECT_FALSE(t.ok());
  return std::string(t.status().message());
}

TEST(TensorProtoTest, DtypeNamesAndSizes) {
  EXPECT_EQ(dtypeName(tensorflow::DT_FLOAT), "DT_FLOAT");
  EXPECT_EQ(dtypeName(tensorflow::DT_INVALID), "DT_INVALID");
  EXPECT_EQ(dtypeName(tensorflow::DT_BFLOAT16), "DT_BFLOAT16");
  EXPECT_EQ(dtypeName(tensorflow::DT_FLOAT4_E2M1FN), "DT_FLOAT4_E2M1FN");
  EXPECT_EQ(dtypeName(101), "DT_FLOAT_REF");
  EXPECT_EQ(dtypeName(99), "DT_99");
  EXPECT_EQ(dtypeName(-1), "DT_-1");
  EXPECT_EQ(dtypeSize(tensorflow::DT_FLOAT), 4);
  EXPECT_EQ(dtypeSize(tensorflow::DT_COMPLEX128), 16);
  EXPECT_EQ(dtypeSize(tensorflow::DT_BOOL), 1);
  EXPECT_EQ(dtypeSize(tensorflow::DT_HALF), 2);
  EXPECT_EQ(dtypeSize(tensorflow::DT_QINT32), 4);
  EXPECT_EQ(dtypeSize(tensorflow::DT_STRING), 0);
  EXPECT_EQ(dtypeSize(tensorflow::DT_VARIANT), 0);
  EXPECT_EQ(dtypeSize(tensorflow::DT_RESOURCE), 0);
  EXPECT_EQ(dtypeSize(tensorflow::DT_FLOAT_REF), 0);
  // Every named base type other than the three above has a size.
  for (int d = 1; d <= 33; ++d) {
    if (d != tensorflow::DT_STRING && d != tensorflow::DT_VARIANT && d != tensorflow::DT_RESOURCE) {
      EXPECT_GT(dtypeSize(d), 0) << dtypeName(d);
    }
  }
}

TEST(TensorProtoTest, ShapesAndCounts) {
  Tensor t;
  EXPECT_EQ(t.numElements(), 1);
  t.shape = {2, 0, 3};
  EXPECT_EQ(t.numElements(), 0);
  t.shape = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_EQ(t.numElements(), -1);
  t.shape = {-1};
  EXPECT_EQ(t.numElements(), -1);
  EXPECT_EQ(shapeToString({}), "[]");
  EXPECT_EQ(shapeToString({2, 3}), "[2,3]");

  tensorflow::TensorShapeProto s;
  EXPECT_THAT(*knownDims(s), ElementsAre());
  s.add_dim()->set_size(4);
  s.add_dim()->set_size(0);
  EXPECT_THAT(*knownDims(s), ElementsAre(4, 0));
  s.add_dim()->set_size(-1);
  EXPECT_THAT(std::string(knownDims(s).status().message()), HasSubstr("dimension 2"));
  tensorflow::TensorShapeProto u;
  u.set_unknown_rank(true);
  EXPECT_THAT(std::string(knownDims(u).status().message()), HasSubstr("unknown rank"));
}

TEST(TensorProtoTest, TensorContent) {
  auto p = proto(tensorflow::DT_FLOAT, {2, 2});
  float v[] = {1, 2, 3, 4};
  p.set_tensor_content(std::string(reinterpret_cast<char *>(v), sizeof(v)));
  p.add_float_val(9); // ignored when tensor_content is set
  Tensor t = decode(p);
  EXPECT_EQ(t.dtype, tensorflow::DT_FLOAT);
  EXPECT_THAT(t.shape, ElementsAre(2, 2));
  EXPECT_THAT(values<float>(t), ElementsAre(1, 2, 3, 4));

  p.set_tensor_content(std::string(12, '\0'));
  EXPECT_THAT(decodeError(p), HasSubstr("tensor_content has 12 bytes, expected 16"));
}

TEST(TensorProtoTest, LastValueRepeated) {
  auto p = proto(tensorflow::DT_FLOAT, {5});
  p.add_float_val(1);
  p.add_float_val(2);
  EXPECT_THAT(values<float>(decode(p)), ElementsAre(1, 2, 2, 2, 2));
  // More values than elements: TF would drop the rest, but no TF writer makes such a proto.
  auto q = proto(tensorflow::DT_INT32, {2});
  for (int i = 0; i < 4; ++i)
    q.add_int_val(10 + i);
  absl::StatusOr<Tensor> extra = tensorFromProto(q);
  ASSERT_FALSE(extra.ok());
  EXPECT_THAT(std::string(extra.status().message()),
              HasSubstr("lists 4 values for shape [2] (2 elements)"));
  // Scalar.
  auto s = proto(tensorflow::DT_DOUBLE, {});
  s.add_double_val(-0.5);
  EXPECT_THAT(values<double>(decode(s)), ElementsAre(-0.5));
}

TEST(TensorProtoTest, EmptyFieldMeansZeros) {
  auto p = proto(tensorflow::DT_FLOAT, {3});
  EXPECT_THAT(values<float>(decode(p)), ElementsAre(0, 0, 0));
  auto s = proto(tensorflow::DT_STRING, {2});
  EXPECT_THAT(decode(s).strings, ElementsAre("", ""));
  auto e = proto(tensorflow::DT_INT64, {0, 3});
  Tensor t = decode(e);
  EXPECT_EQ(t.data.size(), 0u);
}

TEST(TensorProtoTest, SmallIntegersUseIntVal) {
  auto i8 = proto(tensorflow::DT_INT8, {3});
  i8.add_int_val(-1);
  i8.add_int_val(127);
  i8.add_int_val(-128);
  EXPECT_THAT(values<int8_t>(decode(i8)), ElementsAre(-1, 127, -128));
  auto u8 = proto(tensorflow::DT_UINT8, {2});
  u8.add_int_val(255);
  EXPECT_THAT(values<uint8_t>(decode(u8)), ElementsAre(255, 255));
  auto i16 = proto(tensorflow::DT_INT16, {2});
  i16.add_int_val(-300);
  i16.add_int_val(32767);
  EXPECT_THAT(values<int16_t>(decode(i16)), ElementsAre(-300, 32767));
  auto u16 = proto(tensorflow::DT_UINT16, {1});
  u16.add_int_val(65535);
  EXPECT_THAT(values<uint16_t>(decode(u16)), ElementsAre(65535));
  auto i32 = proto(tensorflow::DT_INT32, {2});
  i32.add_int_val(-7);
  EXPECT_THAT(values<int32_t>(decode(i32)), ElementsAre(-7, -7));
}

TEST(TensorProtoTest, OtherTypedFields) {
  auto i64 = proto(tensorflow::DT_INT64, {2});
  i64.add_int64_val(int64_t(1) << 40);
  EXPECT_THAT(values<int64_t>(decode(i64)), ElementsAre(int64_t(1) << 40, int64_t(1) << 40));
  auto u32 = proto(tensorflow::DT_UINT32, {1});
  u32.add_uint32_val(0xFFFFFFFFu);
  EXPECT_THAT(values<uint32_t>(decode(u32)), ElementsAre(0xFFFFFFFFu));
  auto u64 = proto(tensorflow::DT_UINT64, {1});
  u64.add_uint64_val(~uint64_t(0));
  EXPECT_THAT(values<uint64_t>(decode(u64)), ElementsAre(~uint64_t(0)));
  auto b = proto(tensorflow::DT_BOOL, {3});
  b.add_bool_val(false);
  b.add_bool_val(true);
  EXPECT_THAT(values<uint8_t>(decode(b)), ElementsAre(0, 1, 1));
  auto h = proto(tensorflow::DT_HALF, {2});
  h.add_half_val(0x3C00); // 1.0
  EXPECT_THAT(values<uint16_t>(decode(h)), ElementsAre(0x3C00, 0x3C00));
  auto bf = proto(tensorflow::DT_BFLOAT16, {2});
  bf.add_half_val(0x3F80);
  bf.add_half_val(0xC000);
  EXPECT_THAT(values<uint16_t>(decode(bf)), ElementsAre(0x3F80, 0xC000));
  auto f8 = proto(tensorflow::DT_FLOAT8_E4M3FN, {3});
  f8.set_float8_val(std::string("\x38\x40", 2));
  EXPECT_THAT(values<uint8_t>(decode(f8)), ElementsAre(0x38, 0x40, 0x40));
}

TEST(TensorProtoTest, Complex) {
  auto c = proto(tensorflow::DT_COMPLEX64, {3});
  c.add_scomplex_val(1);
  c.add_scomplex_val(2);
  c.add_scomplex_val(3);
  c.add_scomplex_val(4);
  EXPECT_THAT(
      values<std::complex<float>>(decode(c)),
      ElementsAre(std::complex<float>(1, 2), std::complex<float>(3, 4), std::complex<float>(3, 4)));
  auto d = proto(tensorflow::DT_COMPLEX128, {2});
  d.add_dcomplex_val(-1);
  d.add_dcomplex_val(0.5);
  EXPECT_THAT(values<std::complex<double>>(decode(d)),
              ElementsAre(std::complex<double>(-1, 0.5), std::complex<double>(-1, 0.5)));
  c.add_scomplex_val(5);
  EXPECT_THAT(decodeError(c), HasSubstr("odd number of parts (5)"));
}

TEST(TensorProtoTest, Strings) {
  auto s = proto(tensorflow::DT_STRING, {3});
  s.add_string_val("a");
  s.add_string_val(std::string("b\0c", 3));
  EXPECT_THAT(decode(s).strings, ElementsAre("a", std::string("b\0c", 3), std::string("b\0c", 3)));
  // tensor_content form: varint32 lengths, then the bytes.
  auto c = proto(tensorflow::DT_STRING, {2});
  c.set_tensor_content(std::string("\x02\x81\x01", 3) + "hi" + std::string(129, 'x'));
  EXPECT_THAT(decode(c).strings, ElementsAre("hi", std::string(129, 'x')));
  c.set_tensor_content("\x02\x03hi");
  EXPECT_THAT(decodeError(c), HasSubstr("runs past the end"));
  c.set_tensor_content("\x01\x01hij");
  EXPECT_THAT(decodeError(c), HasSubstr("1 bytes left"));
  c.set_tensor_content("\x01\x80");
  EXPECT_THAT(decodeError(c), HasSubstr("bad length varint"));
  c.set_tensor_content("\x01");
  EXPECT_THAT(decodeError(c), HasSubstr("cannot hold 2 strings"));
}

TEST(TensorProtoTest, Errors) {
  EXPECT_THAT(decodeError(tensorflow::TensorProto()), HasSubstr("dtype is not set"));
  EXPECT_THAT(decodeError(proto(tensorflow::DT_RESOURCE, {})), HasSubstr("not supported"));
  EXPECT_THAT(decodeError(proto(tensorflow::DT_VARIANT, {})), HasSubstr("not supported"));
  EXPECT_THAT(decodeError(proto(static_cast<tensorflow::DataType>(77), {})),
              HasSubstr("DT_77: unsupported dtype"));
  EXPECT_THAT(decodeError(proto(tensorflow::DT_FLOAT, {-1})), HasSubstr("unknown"));
  auto u = proto(tensorflow::DT_FLOAT, {});
  u.mutable_tensor_shape()->set_unknown_rank(true);
  EXPECT_THAT(decodeError(u), HasSubstr("unknown rank"));
  // A huge shape with one value must not be materialised.
  auto huge = proto(tensorflow::DT_FLOAT, {int64_t(1) << 31, int64_t(1) << 20});
  huge.add_float_val(1);
  EXPECT_THAT(decodeError(huge), HasSubstr("needs more than"));
  auto hugeStrings = proto(tensorflow::DT_STRING, {int64_t(1) << 40});
  EXPECT_THAT(decodeError(hugeStrings), HasSubstr("too many strings"));
  auto overflow = proto(tensorflow::DT_FLOAT, {int64_t(1) << 40, int64_t(1) << 40});
  EXPECT_THAT(decodeError(overflow), HasSubstr("overflows"));
}

} // namespace
} // namespace smc
