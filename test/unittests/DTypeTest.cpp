//===- DTypeTest.cpp - The dtype table ------------------------------------===//

#include "smc/Support/DType.h"

#include "gtest/gtest.h"

#include <set>

using namespace smc;

namespace {

TEST(DTypeTest, Rows) {
  const DTypeInfo *f = dtypeInfo(tensorflow::DT_FLOAT);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, DTypeKind::Float);
  EXPECT_EQ(f->bits, 32);
  EXPECT_EQ(f->bytes, 4);
  EXPECT_STREQ(f->cType, "float");
  EXPECT_STREQ(f->npy, "<f4");
  const DTypeInfo *b = dtypeInfo(tensorflow::DT_BOOL);
  ASSERT_NE(b, nullptr);
  EXPECT_STREQ(b->cType, "uint8_t");
  EXPECT_STREQ(b->cppType, "bool");
  EXPECT_EQ(dtypeInfo(tensorflow::DT_INT4)->bytes, 1); // one byte per element in host tensors
  for (int none : {0, 7, 20, 21, 101, 99, -1})
    EXPECT_EQ(dtypeInfo(none), nullptr) << none;
  EXPECT_EQ(baseDType(tensorflow::DT_FLOAT_REF), tensorflow::DT_FLOAT);
  EXPECT_EQ(baseDType(tensorflow::DT_INT8), tensorflow::DT_INT8);
}

TEST(DTypeTest, EveryRowIsConsistent) {
  std::set<int> seen;
  for (const DTypeInfo &d : dtypeTable()) {
    EXPECT_TRUE(seen.insert(d.dtype).second) << dtypeName(d.dtype);
    EXPECT_EQ(dtypeInfo(d.dtype), &d);
    EXPECT_GE(d.bytes * 8, d.bits) << dtypeName(d.dtype);
    EXPECT_EQ(d.cType == nullptr, d.cppType == nullptr) << dtypeName(d.dtype);
  }
}

TEST(DTypeTest, KindAndWidthLeadBack) {
  for (const DTypeInfo &d : dtypeTable())
    if (d.kind != DTypeKind::Float8 && d.kind != DTypeKind::Quantized &&
        d.kind != DTypeKind::SubByte)
      EXPECT_EQ(dtypeOf(d.kind, d.bits), d.dtype) << dtypeName(d.dtype);
  EXPECT_EQ(dtypeOf(DTypeKind::Float, 8), std::nullopt);
}

TEST(DTypeTest, Names) {
  EXPECT_EQ(dtypeName(tensorflow::DT_UINT16), "DT_UINT16");
  EXPECT_EQ(dtypeName(tensorflow::DT_FLOAT_REF), "DT_FLOAT_REF");
  EXPECT_EQ(dtypeName(77), "DT_77");
  EXPECT_EQ(parseDTypeName("DT_BFLOAT16"), tensorflow::DT_BFLOAT16);
  EXPECT_EQ(parseDTypeName("float32"), std::nullopt);
}

} // namespace
