//===- PyExprTest.cpp - --input_exprs expressions and conversions ---------===//
//
// Expected values come from Python/NumPy 2.1 (the pinned venv): ast.literal_eval for literals,
// numpy for the calls, np.asarray(value, dtype) for the conversions.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/PyExpr.h"
#include "smc/Run/Inputs.h"

#include "types.pb.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace smc;

namespace {

PyArray eval(const std::string &text) {
  NumpyRandom random;
  auto v = evalPyExpr(text, random);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status();
  return v.ok() ? *v : PyArray();
}

std::string evalError(const std::string &text) {
  NumpyRandom random;
  auto v = evalPyExpr(text, random);
  EXPECT_FALSE(v.ok()) << text;
  return v.ok() ? "" : std::string(v.status().message());
}

std::vector<double> floats(const PyArray &a) {
  std::vector<double> out;
  for (const PyScalar &s : a.values)
    out.push_back(s.kind == PyScalar::Kind::Float ? s.f : double(s.i));
  return out;
}

template <typename T> std::vector<T> values(const Tensor &t) {
  std::vector<T> out;
  for (int64_t i = 0; i < t.numElements(); ++i)
    out.push_back(t.at<T>(i));
  return out;
}

TEST(PyExpr, Literals) {
  PyArray a = eval("[[1, 2.5], [-3, True]]");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_FALSE(a.dtype.has_value());
  EXPECT_EQ(a.values[1].kind, PyScalar::Kind::Float);
  EXPECT_EQ(a.values[2].i, -3);
  EXPECT_EQ(a.values[3].kind, PyScalar::Kind::Bool);

  EXPECT_EQ(eval("((1, 2), (3, 4),)").shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(eval("1, 2, 3").shape, (std::vector<int64_t>{3})); // a bare tuple
  EXPECT_EQ(eval("(1,)").shape, (std::vector<int64_t>{1}));
  EXPECT_TRUE(eval("2.5").shape.empty());
  EXPECT_EQ(eval("[]").shape, (std::vector<int64_t>{0}));
  EXPECT_EQ(eval("[[]]").shape, (std::vector<int64_t>{1, 0}));
  // Python's number syntax.
  EXPECT_EQ(eval("0x_1f").values[0].i, 31);
  EXPECT_EQ(eval("0b101").values[0].i, 5);
  EXPECT_EQ(eval("0o17").values[0].i, 15);
  EXPECT_EQ(eval("1_000").values[0].i, 1000);
  EXPECT_EQ(floats(eval("[1_000.5, .5, 5., 1e3, -2E-2]")),
            (std::vector<double>{1000.5, 0.5, 5.0, 1000.0, -0.02}));
  EXPECT_TRUE(std::isinf(eval("1e999").values[0].f));
  EXPECT_TRUE(std::signbit(eval("-0.0").values[0].f));
  EXPECT_TRUE(std::isnan(eval("np.nan").values[0].f));
}

TEST(PyExpr, BadExpressions) {
  EXPECT_NE(evalError("[[1], [2, 3]]").find("inhomogeneous"), std::string::npos);
  EXPECT_NE(evalError("[1, 2").find("expected ',' or ']'"), std::string::npos);
  EXPECT_NE(evalError("1 + 2").find("operators are not supported"), std::string::npos);
  EXPECT_NE(evalError("1j").find("complex"), std::string::npos);
  EXPECT_NE(evalError("'abc'").find("string"), std::string::npos);
  EXPECT_NE(evalError("None").find("None"), std::string::npos);
  EXPECT_NE(evalError("-True").find("numbers only"), std::string::npos);
  EXPECT_NE(evalError("-[1]").find("numbers only"), std::string::npos);
  EXPECT_NE(evalError("012").find("leading zeros"), std::string::npos);
  EXPECT_NE(evalError("99999999999999999999").find("int64"), std::string::npos);
  EXPECT_NE(evalError("__import__('os')").find("unsupported call"), std::string::npos);
  EXPECT_NE(evalError("os.system('ls')").find("unsupported call"), std::string::npos);
  EXPECT_NE(evalError("x").find("unknown name"), std::string::npos);
  EXPECT_NE(evalError("np.ones(2.0)").find("integer"), std::string::npos);
  EXPECT_NE(evalError("np.ones(-1)").find("negative"), std::string::npos);
  EXPECT_NE(evalError("np.ones(2, np.complex64)").find("dtype"), std::string::npos);
  EXPECT_NE(evalError("np.ones(2, bogus=1)").find("unexpected keyword"), std::string::npos);
  EXPECT_NE(evalError("np.full(3, 300, dtype=np.uint8)").find("out of bounds for uint8"),
            std::string::npos);
  EXPECT_NE(evalError("np.arange(0, 1, 0)").find("zero"), std::string::npos);
  EXPECT_NE(evalError("np.random.seed(1)").find("own"), std::string::npos);
  EXPECT_NE(evalError("np.ones((100000, 100000))").find("elements"), std::string::npos);
}

TEST(PyExpr, NumpyCreation) {
  PyArray ones = eval("np.ones((2, 3))");
  EXPECT_EQ(ones.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(*ones.dtype, tensorflow::DT_DOUBLE);
  EXPECT_EQ(floats(ones), std::vector<double>(6, 1.0));
  EXPECT_EQ(*eval("np.zeros(3, np.int32)").dtype, tensorflow::DT_INT32);
  EXPECT_EQ(*eval("np.zeros(shape=[3], dtype='float32')").dtype, tensorflow::DT_FLOAT);
  EXPECT_EQ(*eval("numpy.ones(1, int)").dtype, tensorflow::DT_INT64);
  EXPECT_EQ(*eval("np.full((2,), True)").dtype, tensorflow::DT_BOOL);
  EXPECT_EQ(*eval("np.full(2, 7)").dtype, tensorflow::DT_INT64);
  PyArray full = eval("np.full(2, 0.1, np.float32)");
  EXPECT_EQ(full.values[0].f, double(0.1f)); // rounded to the dtype
  EXPECT_EQ(*eval("np.array([1, 2])").dtype, tensorflow::DT_INT64);
  EXPECT_EQ(*eval("np.array([1, 2.5])").dtype, tensorflow::DT_DOUBLE);
  EXPECT_EQ(*eval("np.asarray([True])").dtype, tensorflow::DT_BOOL);
  PyArray f32 = eval("np.float32(0.1)");
  EXPECT_TRUE(f32.shape.empty());
  EXPECT_EQ(f32.values[0].f, double(0.1f));
}

TEST(PyExpr, Arange) {
  PyArray a = eval("np.arange(5)");
  EXPECT_EQ(*a.dtype, tensorflow::DT_INT64);
  EXPECT_EQ(floats(a), (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_EQ(eval("np.arange(5, 1)").shape, (std::vector<int64_t>{0}));
  EXPECT_EQ(floats(eval("np.arange(5, 1, -2)")), (std::vector<double>{5, 3}));
  EXPECT_EQ(floats(eval("np.arange(1, 2.5)")), (std::vector<double>{1, 2}));
  // value[i] = start + i * ((start + step) - start), in the dtype's arithmetic.
  EXPECT_EQ(eval("np.arange(0, 1, 0.1)").values[3].f, 0.30000000000000004);
  EXPECT_EQ(eval("np.arange(-3, 3, 0.7)").values.back().f, 2.6000000000000014);
  EXPECT_EQ(eval("np.arange(0, 1, 0.1, dtype=np.float32)").values.back().f, 0.9000000357627869);
  EXPECT_EQ(floats(eval("np.arange(0.5, 3.3, 0.37, np.float32)")),
            (std::vector<double>{0.5, 0.8700000047683716, 1.2400000095367432, 1.6100000143051147,
                                 1.9800000190734863, 2.3499999046325684, 2.7200000286102295,
                                 3.0900001525878906}));
  // uint8 wraps like NumPy's fill.
  PyArray u8 = eval("np.arange(100, 300, 7, 'uint8')");
  EXPECT_EQ(u8.values.size(), 29u);
  EXPECT_EQ(u8.values[22].i, 254);
  EXPECT_EQ(u8.values[23].i, 5);
}

TEST(PyExpr, RandomMatchesNumpysLegacyGenerator) {
  NumpyRandom random;
  random.seed(0);
  auto a = evalPyExpr("np.random.rand(3)", random);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(floats(*a),
            (std::vector<double>{0.5488135039273248, 0.7151893663724195, 0.6027633760716439}));
  // The generator is shared: the second draw after seed(42) continues the stream.
  random.seed(42);
  ASSERT_TRUE(evalPyExpr("np.random.rand()", random).ok());
  auto b = evalPyExpr("np.random.rand()", random);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->shape.empty());
  EXPECT_FALSE(b->dtype.has_value()); // a Python float
  EXPECT_EQ(b->values[0].f, 0.9507143064099162);
}

TEST(PyExpr, SplitAndSeed) {
  auto entries = splitInputExprs("np.random.seed(3);x=[1, 2];;y=np.ones((2,3))");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].key, "");
  EXPECT_EQ((*entries)[1].key, "x");
  EXPECT_EQ((*entries)[1].expr, "[1, 2]");
  EXPECT_EQ((*entries)[2].key, "y");
  EXPECT_FALSE(splitInputExprs("noequals").ok());
  auto seed = parseSeedCall("numpy.random.seed(7)");
  ASSERT_TRUE(seed.ok());
  EXPECT_EQ(**seed, 7u);
  EXPECT_FALSE(parseSeedCall("np.random.seed(-1)").ok());
  EXPECT_FALSE(parseSeedCall("np.random.seed(4294967296)").ok());
  auto notSeed = parseSeedCall("[1]");
  ASSERT_TRUE(notSeed.ok());
  EXPECT_FALSE(notSeed->has_value());
}

TEST(PyExpr, ConversionLikeNumpyAsarray) {
  // Python literals: floats truncate toward zero, ints are range-checked.
  auto i32 = toTensor(eval("[1.5, -2.7]"), tensorflow::DT_INT32);
  ASSERT_TRUE(i32.ok());
  EXPECT_EQ(values<int32_t>(*i32), (std::vector<int32_t>{1, -2}));
  EXPECT_FALSE(toTensor(eval("[3000000000]"), tensorflow::DT_INT32).ok());
  EXPECT_FALSE(toTensor(eval("[-1]"), tensorflow::DT_UINT8).ok());
  EXPECT_FALSE(toTensor(eval("[1e10]"), tensorflow::DT_INT32).ok());
  auto f32 = toTensor(eval("[True, 2.5, 0.1]"), tensorflow::DT_FLOAT);
  ASSERT_TRUE(f32.ok());
  EXPECT_EQ(values<float>(*f32), (std::vector<float>{1.0f, 2.5f, 0.1f}));
  auto b = toTensor(eval("[0, 2, 0.0, -0.5]"), tensorflow::DT_BOOL);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(values<uint8_t>(*b), (std::vector<uint8_t>{0, 1, 0, 1}));
  // NumPy arrays are cast like astype: integers wrap.
  auto wrapped = toTensor(eval("np.array([300, -1])"), tensorflow::DT_UINT8);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(values<uint8_t>(*wrapped), (std::vector<uint8_t>{44, 255}));
  auto d = toTensor(eval("np.ones(2, np.float32)"), tensorflow::DT_DOUBLE);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->dtype, tensorflow::DT_DOUBLE);
  EXPECT_EQ(d->data.size(), 16u);
  EXPECT_FALSE(toTensor(eval("[1]"), tensorflow::DT_STRING).ok());
}

TEST(Inputs, ParseInputsFlag) {
  auto specs = parseInputsFlag("x=a.npy;y=b.npz[v];;z=c=d.npz");
  ASSERT_TRUE(specs.ok());
  ASSERT_EQ(specs->size(), 3u);
  EXPECT_EQ((*specs)[1].file, "b.npz");
  EXPECT_EQ((*specs)[1].variable, "v");
  EXPECT_EQ((*specs)[2].key, "z");
  EXPECT_EQ((*specs)[2].file, "c=d.npz");
  EXPECT_FALSE(parseInputsFlag("nokey").ok());
  EXPECT_FALSE(parseInputsFlag("=a.npy").ok());
  EXPECT_FALSE(parseInputsFlag("x=a.npz[]").ok());
  EXPECT_FALSE(parseInputsFlag("x=a[b].npz").ok());
  EXPECT_EQ(pyShape({3}), "(3,)");
  EXPECT_EQ(pyShape({}), "()");
  EXPECT_EQ(pyShape({2, 3}), "(2, 3)");
}

TEST(Inputs, BindChecksKeysDtypesAndShapes) {
  std::vector<SignatureInput> sig(1);
  sig[0].key = "x";
  sig[0].dtype = tensorflow::DT_FLOAT;
  sig[0].dims = {-1, 3};
  sig[0].shapeText = "(-1, 3)";
  auto provide = [](const std::string &expr) {
    ProvidedInput in;
    in.fromExpr = true;
    in.origin = expr;
    in.value = eval(expr);
    return in;
  };
  std::map<std::string, ProvidedInput> ok{{"x", provide("[[1, 2, 3], [4, 5, 6]]")}};
  auto bound = bindInputs(ok, sig);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(bound->at("x").shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(bound->at("x").dtype, tensorflow::DT_FLOAT);

  auto badShape = bindInputs({{"x", provide("[1, 2, 3]")}}, sig);
  EXPECT_NE(std::string(badShape.status().message()).find("shape (3,)"), std::string::npos);
  auto badKey = bindInputs({{"y", provide("1")}}, sig);
  EXPECT_NE(std::string(badKey.status().message()).find("not a valid input key"),
            std::string::npos);
  auto missing = bindInputs({}, sig);
  EXPECT_NE(std::string(missing.status().message()).find("not given"), std::string::npos);
  ProvidedInput file;
  file.origin = "x.npy";
  file.tensor.dtype = tensorflow::DT_DOUBLE;
  file.tensor.shape = {1, 3};
  file.tensor.data.resize(24);
  auto badDtype = bindInputs({{"x", file}}, sig);
  EXPECT_NE(std::string(badDtype.status().message()).find("float64"), std::string::npos);

  sig[0].unknownRank = true; // any shape fits
  EXPECT_TRUE(bindInputs({{"x", provide("2.5")}}, sig).ok());
}

} // namespace
