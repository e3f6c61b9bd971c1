//===- NumpyFormatTest.cpp - str(ndarray) as NumPy prints it --------------===//
//
// Expected strings were printed by NumPy 2.1 (the pinned venv) with default print options.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/NumpyFormat.h"

#include "types.pb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace smc;

namespace {

template <typename T>
Tensor makeTensor(DType dtype, std::vector<int64_t> shape, const std::vector<T> &values) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty()) // memcpy's pointers may not be null, even for 0 bytes (UBSan)
    std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

std::string str(const Tensor &t) {
  auto s = numpyStr(t);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : "";
}

std::vector<float> arangeF(int n, float div) {
  std::vector<float> v;
  for (int i = 0; i < n; ++i)
    v.push_back(static_cast<float>(i) / div);
  return v;
}

TEST(NumpyFormat, FloatRowsPadToACommonWidth) {
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {1, 2}, {0.5196421f, -5.84776f})),
            "[[ 0.5196421 -5.84776  ]]");
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {3}, {1.0f, 2.5f, -3.25f})),
            "[ 1.    2.5  -3.25]");
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {3}, {0.1, 0.2, 0.3})), "[0.1 0.2 0.3]");
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {2}, {-0.0, 0.0})), "[-0.  0.]");
}

TEST(NumpyFormat, ScientificWhenTheRangeIsWide) {
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1e-5f, 1.0f})), "[1.e-05 1.e+00]");
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {2}, {1e8, 1.0})), "[1.e+08 1.e+00]");
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1e-4f, 1.0001e3f})),
            "[1.0000e-04 1.0001e+03]");
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {1}, {123456789.0f})), "[1.2345679e+08]");
  // float32(1e-4) is not below float32(0.0001): NumPy 2 compares in the array's precision.
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {2}, {1e-4f, 1e3f})), "[1.e-04 1.e+03]");
}

TEST(NumpyFormat, PrecisionCutsAtEightFractionDigits) {
  // 2^-9 = 0.001953125 ends in a tie at the 8th digit: rounded to even.
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {1}, {0.001953125})), "[0.00195312]");
}

TEST(NumpyFormat, NonFiniteValues) {
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {3}, {NAN, -INFINITY, 1.5f})),
            "[ nan -inf  1.5]");
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {2}, {NAN, INFINITY})), "[nan inf]");
}

TEST(NumpyFormat, LinesWrapAtSeventyFiveColumns) {
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {30}, arangeF(30, 7))),
            "[0.         0.14285715 0.2857143  0.42857143 0.5714286  0.71428573\n"
            " 0.85714287 1.         1.1428572  1.2857143  1.4285715  1.5714285\n"
            " 1.7142857  1.8571428  2.         2.142857   2.2857144  2.4285715\n"
            " 2.5714285  2.7142856  2.857143   3.         3.142857   3.2857144\n"
            " 3.4285715  3.5714285  3.7142856  3.857143   4.         4.142857  ]");
}

TEST(NumpyFormat, WrapsExactlyAtTheLineWidth) {
  // Each line holds as many elements as fit in 75 columns, one column fewer per nesting level;
  // 74 or 76 would break these lines elsewhere.
  std::vector<int64_t> v(100);
  for (int i = 0; i < 100; ++i)
    v[i] = i;
  EXPECT_EQ(str(makeTensor<int64_t>(tensorflow::DT_INT64, {100}, v)),
            "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"
            " 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47\n"
            " 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71\n"
            " 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95\n"
            " 96 97 98 99]");
  EXPECT_EQ(str(makeTensor<int64_t>(tensorflow::DT_INT64, {4, 25}, v)),
            "[[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"
            "  24]\n"
            " [25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48\n"
            "  49]\n"
            " [50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73\n"
            "  74]\n"
            " [75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98\n"
            "  99]]");
}

TEST(NumpyFormat, SummarisesBeyondAThousandElements) {
  std::vector<int32_t> v(2000);
  for (int i = 0; i < 2000; ++i)
    v[i] = i;
  EXPECT_EQ(str(makeTensor<int32_t>(tensorflow::DT_INT32, {2000}, v)),
            "[   0    1    2 ... 1997 1998 1999]");
  // The formatter sees only the corners; rows in between become "...".
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {40, 30}, arangeF(1200, 3))),
            "[[0.0000000e+00 3.3333334e-01 6.6666669e-01 ... 9.0000000e+00\n"
            "  9.3333330e+00 9.6666670e+00]\n"
            " [1.0000000e+01 1.0333333e+01 1.0666667e+01 ... 1.9000000e+01\n"
            "  1.9333334e+01 1.9666666e+01]\n"
            " [2.0000000e+01 2.0333334e+01 2.0666666e+01 ... 2.9000000e+01\n"
            "  2.9333334e+01 2.9666666e+01]\n"
            " ...\n"
            " [3.7000000e+02 3.7033334e+02 3.7066666e+02 ... 3.7900000e+02\n"
            "  3.7933334e+02 3.7966666e+02]\n"
            " [3.8000000e+02 3.8033334e+02 3.8066666e+02 ... 3.8900000e+02\n"
            "  3.8933334e+02 3.8966666e+02]\n"
            " [3.9000000e+02 3.9033334e+02 3.9066666e+02 ... 3.9900000e+02\n"
            "  3.9933334e+02 3.9966666e+02]]");
}

TEST(NumpyFormat, NestedIntegersAndBooleans) {
  std::vector<int64_t> v(24);
  for (int i = 0; i < 24; ++i)
    v[i] = i;
  EXPECT_EQ(str(makeTensor<int64_t>(tensorflow::DT_INT64, {2, 3, 4}, v)),
            "[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n"
            " [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]");
  EXPECT_EQ(str(makeTensor<uint8_t>(tensorflow::DT_BOOL, {2, 2}, {1, 0, 0, 1})),
            "[[ True False]\n [False  True]]");
  EXPECT_EQ(str(makeTensor<uint8_t>(tensorflow::DT_UINT8, {3}, {255, 0, 7})), "[255   0   7]");
  EXPECT_EQ(str(makeTensor<int8_t>(tensorflow::DT_INT8, {2}, {-128, 127})), "[-128  127]");
}

TEST(NumpyFormat, HalfPrecision) {
  EXPECT_EQ(
      str(makeTensor<uint16_t>(tensorflow::DT_HALF, {2}, {doubleToHalf(1.5), doubleToHalf(2.5)})),
      "[1.5 2.5]");
  EXPECT_EQ(halfToDouble(doubleToHalf(65504.0)), 65504.0);
  EXPECT_TRUE(std::isinf(halfToDouble(doubleToHalf(65520.0))));
  EXPECT_EQ(halfToDouble(doubleToHalf(std::ldexp(1.0, -24))), std::ldexp(1.0, -24));
}

TEST(NumpyFormat, ZeroDimensionalAndEmpty) {
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {}, {2.5f})), "2.5");
  EXPECT_EQ(str(makeTensor<float>(tensorflow::DT_FLOAT, {}, {3.0f})), "3.0");
  EXPECT_EQ(str(makeTensor<uint8_t>(tensorflow::DT_BOOL, {}, {1})), "True");
  EXPECT_EQ(str(makeTensor<int32_t>(tensorflow::DT_INT32, {}, {-7})), "-7");
  EXPECT_EQ(str(makeTensor<double>(tensorflow::DT_DOUBLE, {2, 0}, {})), "[]");
}

TEST(NumpyFormat, UnsupportedDtypeIsAnError) {
  Tensor t;
  t.dtype = tensorflow::DT_STRING;
  t.strings = {"a"};
  EXPECT_FALSE(numpyStr(t).ok());
}

std::string scalar(float v) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  return numpyScalarStr(b, FloatWidth::Single);
}
std::string scalar(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  return numpyScalarStr(b, FloatWidth::Double);
}

TEST(NumpyFormat, ScalarStr) {
  EXPECT_EQ(scalar(1e16f), "1e+16");
  EXPECT_EQ(scalar(1.5e-5f), "1.5e-05");
  EXPECT_EQ(scalar(0.1f), "0.1");
  EXPECT_EQ(scalar(0.1), "0.1");
  EXPECT_EQ(scalar(1e22), "1e+22");
  EXPECT_EQ(scalar(-0.0f), "-0.0");
  EXPECT_EQ(scalar(std::nan("")), "nan");
  EXPECT_EQ(scalar(-INFINITY), "-inf");
  EXPECT_EQ(scalar(123456.789), "123456.789");
  EXPECT_EQ(scalar(1e-4), "0.0001");
  EXPECT_EQ(scalar(9.999999e15f), "9999999000000000.0");
  // Shortest digits may end exactly half-way to a neighbour when the mantissa is even (the
  // half-way decimal reads back to this value under round-half-even), not when it is odd.
  EXPECT_EQ(scalar(134217792.0f), "134217800.0"); // the half-way point above
  EXPECT_EQ(scalar(134218208.0f), "134218200.0"); // the half-way point below
  EXPECT_EQ(scalar(134217808.0f), "134217810.0");
}

TEST(NumpyFormat, FormatFloatFunctions) {
  FloatFormat f;
  EXPECT_EQ(formatFloatPositional(3.14159265358979f, f), "3.1415927");
  FloatFormat exact;
  exact.unique = false;
  exact.precision = 15;
  EXPECT_EQ(formatFloatScientific(1.23e24f, exact), "1.230000071797338e+24");
  FloatFormat wideExp;
  wideExp.expDigits = 4;
  EXPECT_EQ(formatFloatScientific(1.23e24f, wideExp), "1.23e+0024");
  FloatFormat ten;
  ten.unique = false;
  ten.precision = 10;
  EXPECT_EQ(formatFloatPositional(uint64_t(doubleToHalf(0.3)), FloatWidth::Half, ten),
            "0.3000488281");
  FloatFormat eight;
  eight.precision = 8;
  EXPECT_EQ(formatFloatPositional(1e-10, eight), "0.00000000");
  FloatFormat pad;
  pad.padLeft = 3;
  pad.padRight = 4;
  EXPECT_EQ(formatFloatPositional(0.5, pad), "  0.5   ");
  FloatFormat dash;
  dash.trim = FloatFormat::Trim::DptZeros;
  EXPECT_EQ(formatFloatPositional(1.0, dash), "1");
  EXPECT_EQ(formatFloatScientific(1.0, dash), "1e+00");
  FloatFormat zero;
  zero.trim = FloatFormat::Trim::LeaveOneZero;
  EXPECT_EQ(formatFloatPositional(1.0, zero), "1.0");
  FloatFormat keep;
  keep.minDigits = 3;
  EXPECT_EQ(formatFloatPositional(1.0, keep), "1.000");
}

} // namespace
