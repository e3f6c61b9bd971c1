//===- OpsSpectral.cpp - FFTs of real signals; complex values -------------===//
//
// Enough of tf.signal for audio front ends (stft, magnitude, mel matrix, log): RFFT, IRFFT,
// ComplexAbs, Real, Imag and Complex. A complex64 tensor is a ComplexVal (Importer.h), its real
// and imaginary parts as two float32 tensors of one shape, which never leave the signature.
// Ops that only move elements (Identity, Reshape, Transpose, Pad, StridedSlice, ...) take a
// complex value too: they are imported once per part (importPerPart).
//
// Each DFT is one matmul against constant matrices, built in double and rounded to float32,
// so that it runs on smc's packed and tiled matmul (N = fft_length, K = N/2 + 1):
//
//   RFFT  x [..., n] -> [..., K]:  x[..., :N] @ [C | S]        (an N x 2K matrix)
//         C[j, k] = cos(2 pi jk / N), S[j, k] = -sin(2 pi jk / N)
//   IRFFT z [..., m] -> [..., N]:  [re | im][..., :K] @ [A ; B] (a 2K x N matrix)
//         A[k, j] = w_k cos(2 pi kj / N) / N, B[k, j] = -w_k sin(2 pi kj / N) / N,
//         w_k = 1 for the DC bin (and the Nyquist bin of an even N), 2 for the others:
//         Hermitian symmetry, with the imaginary parts of the DC and Nyquist bins ignored, as
//         TF's kernels (ducc, pocketfft's successor) ignore them.
//
// TF's kernels crop the innermost dimension to N (K for IRFFT) and fail on a shorter one
// (tf.signal.rfft/irfft pad with a Pad op before the op): smc refuses a shorter one when
// compiling. fft_length is at most kMaxFftLength: the matrices take 8 N (N/2 + 1) bytes,
// 64 MiB at 4096. A matmul DFT sums N products per output where an FFT sums log2(N) levels,
// so its rounding error grows like sqrt(N) instead of log(N) (measured against TF and a
// float64 evaluation in test/e2e/parity/models.json).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Traits.h"

#include "llvm/Support/MathExtras.h"

#include "absl/strings/str_cat.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace ::smc::import;

namespace {

/// The largest fft_length smc compiles (its DFT matrices take 8 N (N/2 + 1) bytes).
constexpr int64_t kMaxFftLength = 4096;

/// The ops that only move elements, imported once per part on complex values (importPerPart):
/// each handler imports its data inputs the same way whatever their values, and does not check
/// them against the node's T attribute, which stays complex64 (zoo_ops' spectral signature in
/// the parity test moves complex values through each of them).
constexpr llvm::StringLiteral kMovers[] = {
    "ConcatV2",  "ExpandDims", "Identity", "IdentityN",    "Pack",      "Pad",   "Reshape",
    "ReverseV2", "Slice",      "Squeeze",  "StridedSlice", "Transpose", "Unpack"};

/// A float32 constant of `shape` holding `values` (row-major).
Value f32Constant(NodeContext &c, ArrayRef<int64_t> shape, ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, c.builder().getF32Type());
  return c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, values));
}

/// cos and sin of 2 pi m / n in double, from the first octant by symmetry: angles on the axes
/// give exact zeros and ones, and symmetric angles exactly symmetric values.
void unitCircle(int64_t n, int64_t m, double &cosine, double &sine) {
  int64_t p = 2 * (m % n), q = n; // the angle is pi p / q, p in [0, 2q)
  double sinSign = 1, cosSign = 1;
  if (p > q) { // (pi, 2 pi): sin(2 pi - a) = -sin a
    p = 2 * q - p;
    sinSign = -1;
  }
  if (2 * p > q) { // (pi/2, pi]: cos(pi - a) = -cos a
    p = q - p;
    cosSign = -1;
  }
  bool swap = 4 * p > q; // (pi/4, pi/2]: cos a = sin(pi/2 - a)
  double a = swap ? llvm::numbers::pi * static_cast<double>(q - 2 * p) / (2.0 * q)
                  : llvm::numbers::pi * static_cast<double>(p) / static_cast<double>(q);
  double c = std::cos(a), s = std::sin(a);
  if (swap)
    std::swap(c, s);
  cosine = cosSign * c + 0.0; // + 0.0: no negative zeros
  sine = sinSign * s + 0.0;
}

/// The constant fft_length of an RFFT/IRFFT (input 1), checked: a positive scalar or
/// one-element vector no larger than kMaxFftLength; failure after an error.
FailureOr<int64_t> fftLength(NodeContext &c) {
  auto lengths = c.constantInts(1, "fft_length");
  if (failed(lengths))
    return failure();
  if (lengths->size() != 1)
    return c.error() << "fft_length must hold one length (a 1-D FFT), got " << lengths->size();
  int64_t n = lengths->front();
  if (n < 1)
    return c.error() << "fft_length must be positive, got " << n;
  if (n > kMaxFftLength)
    return c.error() << "fft_length " << n << " is above smc's limit of " << kMaxFftLength
                     << ": smc computes the DFT as a matmul against constant matrices of "
                     << "fft_length x (fft_length/2 + 1) x 2 floats, which would take "
                     << static_cast<int64_t>(8.0 * n * (n / 2 + 1) / (1 << 20)) << " MiB";
  return n;
}

/// `x` [..., d] as rows [B, d] (B the product of the leading dimensions, 1 for a vector).
Value asRows(NodeContext &c, Value x) {
  auto shape = typeOf(x).getShape();
  int64_t rows =
      std::accumulate(shape.begin(), shape.end() - 1, int64_t{1}, std::multiplies<int64_t>());
  return reshape(c, x, {rows, shape.back()});
}

/// `x` [..., d] cropped to [..., n] along its innermost dimension (`x` itself when d == n).
Value cropInnermost(NodeContext &c, Value x, int64_t n) {
  auto t = typeOf(x);
  if (t.getShape().back() == n)
    return x;
  SmallVector<int64_t> start(t.getRank(), 0), size(t.getShape()), stride(t.getRank(), 1);
  size.back() = n;
  return c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
}

/// `x` [B, d] -> [B, lo:hi) along dimension 1, reshaped to `lead` + [hi - lo].
Value columns(NodeContext &c, Value x, int64_t lo, int64_t hi, ArrayRef<int64_t> lead) {
  int64_t rows = typeOf(x).getDimSize(0);
  SmallVector<int64_t> start{0, lo}, size{rows, hi - lo}, stride{1, 1};
  Value s = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
  if (!s)
    return nullptr;
  SmallVector<int64_t> shape(lead);
  shape.push_back(hi - lo);
  return reshape(c, s, shape);
}

/// Checks that an FFT node is float32 <-> complex64: its Treal and Tcomplex attributes (when
/// present), and its real input `real` (for RFFT).
LogicalResult checkFftTypes(NodeContext &c, Value real) {
  int treal = c.typeAttr("Treal"), tcomplex = c.typeAttr("Tcomplex");
  if ((treal && treal != tensorflow::DT_FLOAT) ||
      (tcomplex && tcomplex != tensorflow::DT_COMPLEX64) ||
      (real && !typeOf(real).getElementType().isF32()))
    return c.error() << "smc supports only float32 <-> complex64 FFTs";
  return success();
}

/// RFFT (input: float32 [..., n], fft_length: int32 [1]) -> complex64 [..., N/2 + 1].
LogicalResult rfftOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto length = fftLength(c);
  if (failed(length) || failed(checkFftTypes(c, x)))
    return failure();
  int64_t n = *length, bins = n / 2 + 1;
  auto t = typeOf(x);
  if (t.getRank() < 1)
    return c.error() << "input must have at least one dimension, got " << t;
  if (t.getShape().back() < n)
    return c.error() << "the input's innermost dimension (" << t.getShape().back()
                     << ") is shorter than fft_length " << n
                     << ", which TensorFlow's RFFT kernel refuses (tf.signal.rfft pads the "
                     << "input before the op)";
  // [C | S]: the real parts' columns, then the imaginary parts'.
  std::vector<float> dft(n * 2 * bins);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t k = 0; k < bins; ++k) {
      double cosine, sine;
      unitCircle(n, j * k, cosine, sine);
      dft[j * 2 * bins + k] = static_cast<float>(cosine);
      dft[j * 2 * bins + bins + k] = static_cast<float>(-sine) + 0.0f;
    }
  Value cropped = cropInnermost(c, x, n);
  Value rows = cropped ? asRows(c, cropped) : nullptr;
  if (!rows)
    return failure();
  Value y = c.createOrFold<mlir::smc::MatMulOp>(nullptr, rows, f32Constant(c, {n, 2 * bins}, dft),
                                                false, false);
  if (!y)
    return failure();
  auto lead = t.getShape().drop_back();
  Value re = columns(c, y, 0, bins, lead), im = columns(c, y, bins, 2 * bins, lead);
  if (!re || !im)
    return failure();
  c.outputs.push_back(Val::ofComplex({re, im, c.describe()}));
  return success();
}

/// IRFFT (input: complex64 [..., m], fft_length: int32 [1]) -> float32 [..., N], from the
/// first N/2 + 1 bins (Hermitian symmetry gives the others).
LogicalResult irfftOp(NodeContext &c) {
  const ComplexVal *z = c.complexInput(0);
  if (!z)
    return failure();
  auto length = fftLength(c);
  if (failed(length) || failed(checkFftTypes(c, nullptr)))
    return failure();
  int64_t n = *length, bins = n / 2 + 1;
  auto t = typeOf(z->re);
  if (t.getRank() < 1)
    return c.error() << "input must have at least one dimension, got " << t;
  if (t.getShape().back() < bins)
    return c.error() << "the input's innermost dimension (" << t.getShape().back()
                     << ") is shorter than fft_length/2 + 1 = " << bins
                     << ", which TensorFlow's IRFFT kernel refuses (tf.signal.irfft pads the "
                     << "input before the op)";
  // [A ; B]: the real parts' rows, then the imaginary parts'.
  std::vector<float> dft(2 * bins * n);
  for (int64_t k = 0; k < bins; ++k) {
    bool single = k == 0 || 2 * k == n; // DC, Nyquist: their imaginary parts are ignored
    double w = (single ? 1.0 : 2.0) / static_cast<double>(n);
    for (int64_t j = 0; j < n; ++j) {
      double cosine, sine;
      unitCircle(n, k * j, cosine, sine);
      dft[k * n + j] = static_cast<float>(w * cosine);
      dft[(bins + k) * n + j] = single ? 0.0f : static_cast<float>(-w * sine) + 0.0f;
    }
  }
  Value re = cropInnermost(c, z->re, bins), im = cropInnermost(c, z->im, bins);
  if (!re || !im)
    return failure();
  Value both = c.createOrFold<mlir::smc::ConcatOp>(nullptr, ValueRange{re, im}, t.getRank() - 1);
  Value rows = both ? asRows(c, both) : nullptr;
  if (!rows)
    return failure();
  Value y = c.createOrFold<mlir::smc::MatMulOp>(nullptr, rows, f32Constant(c, {2 * bins, n}, dft),
                                                false, false);
  if (!y)
    return failure();
  SmallVector<int64_t> shape(t.getShape().drop_back());
  shape.push_back(n);
  Value r = reshape(c, y, shape);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// ComplexAbs (x: complex64) -> float32: sqrt(re^2 + im^2).
LogicalResult complexAbsOp(NodeContext &c) {
  const ComplexVal *z = c.complexInput(0);
  if (!z)
    return failure();
  Value re2 = binaryOp<mlir::smc::MulOp>(c, z->re, z->re);
  Value im2 = binaryOp<mlir::smc::MulOp>(c, z->im, z->im);
  Value sum = binaryOp<mlir::smc::AddOp>(c, re2, im2);
  Value r = sum ? c.createOrFold<mlir::smc::SqrtOp>(nullptr, sum) : nullptr;
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// Real / Imag (input: complex64) -> float32: one part.
template <bool Imaginary> LogicalResult partOp(NodeContext &c) {
  const ComplexVal *z = c.complexInput(0);
  if (!z)
    return failure();
  c.output(Imaginary ? z->im : z->re);
  return success();
}

/// Complex (real, imag: float32, broadcast) -> complex64.
LogicalResult complexOp(NodeContext &c) {
  Value re = c.input(0), im = c.input(1);
  if (!re || !im)
    return failure();
  if (!typeOf(re).getElementType().isF32() || !typeOf(im).getElementType().isF32())
    return c.error() << "smc supports only complex64 values (float32 parts), got " << typeOf(re)
                     << " and " << typeOf(im);
  if (typeOf(re) != typeOf(im)) {
    // Each part broadcast to the common shape by multiplying it with ones of that shape
    // (x * 1 is x exactly, -0 and NaN included).
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(typeOf(re).getShape(), typeOf(im).getShape(), shape))
      return c.error() << "cannot broadcast " << typeOf(re) << " and " << typeOf(im);
    auto type = RankedTensorType::get(shape, c.builder().getF32Type());
    auto broadcast = [&](Value part) -> Value {
      if (part.getType() == type)
        return part;
      Value ones = c.builder().create<arith::ConstantOp>(
          c.loc, DenseElementsAttr::get(type, c.builder().getF32FloatAttr(1.0f)));
      return binaryOp<mlir::smc::MulOp>(c, part, ones);
    };
    re = broadcast(re);
    im = re ? broadcast(im) : nullptr;
    if (!re || !im)
      return failure();
  }
  c.outputs.push_back(Val::ofComplex({re, im, c.describe()}));
  return success();
}

} // namespace

namespace smc::import {

bool movesElementsOnly(const std::string &op) { return llvm::is_contained(kMovers, op); }

LogicalResult importPerPart(NodeContext &c, Handler handler) {
  std::vector<Val> reIn, imIn;
  std::string origin;
  for (size_t i = 0; i < c.numInputs(); ++i) {
    const Val &v = c.inputVal(i);
    if (!v.complex) {
      reIn.push_back(v); // shapes, paddings, axes: the same for both parts
      imIn.push_back(v);
      continue;
    }
    if (origin.empty())
      origin = v.complex->origin;
    reIn.push_back(Val::of(v.complex->re));
    imIn.push_back(Val::of(v.complex->im));
  }
  NodeContext re(c.state, c.node, c.loc, std::move(reIn), c.function());
  if (failed(handler(re)))
    return failure();
  NodeContext im(c.state, c.node, c.loc, std::move(imIn), c.function());
  if (failed(handler(im)))
    return failure();
  if (re.outputs.size() != im.outputs.size())
    return c.error() << "internal: the real and imaginary parts give different outputs";
  for (size_t k = 0; k < re.outputs.size(); ++k) {
    Value a = re.outputs[k].value, b = im.outputs[k].value;
    if (!a || !b || a.getType() != b.getType())
      return c.error() << "internal: output " << k << " of the two parts differ";
    c.outputs.push_back(Val::ofComplex({a, b, origin}));
  }
  return success();
}

void registerSpectralOps(std::map<std::string, Handler> &t) {
  t["RFFT"] = rfftOp;
  t["IRFFT"] = irfftOp;
  t["ComplexAbs"] = complexAbsOp;
  t["Real"] = partOp<false>;
  t["Imag"] = partOp<true>;
  t["Complex"] = complexOp;
}

void spectralOpLimits(std::map<std::string, std::string> &l) {
  std::string movers;
  for (llvm::StringRef op : kMovers)
    movers += (movers.empty() ? "" : ", ") + op.str();
  l["RFFT"] = absl::StrCat("float32 -> complex64; a matmul against constant DFT matrices; ",
                           "fft_length constant, at most ", kMaxFftLength,
                           ", and at most the innermost dimension (cropped to it, as TF's ",
                           "kernel does; tf.signal.rfft pads shorter inputs with a Pad op)");
  l["IRFFT"] = absl::StrCat("complex64 -> float32; a matmul against constant DFT matrices; ",
                            "fft_length constant, at most ", kMaxFftLength,
                            "; the innermost dimension at least fft_length/2 + 1 (cropped to ",
                            "it); the imaginary parts of the DC and Nyquist bins are ignored, ",
                            "as TF does");
  l["ComplexAbs"] = "complex64 -> float32, sqrt(re * re + im * im) in float32: it overflows "
                    "above about 1.8e19 (TF's hypot does not)";
  l["Real"] = "complex64 -> float32";
  l["Imag"] = "complex64 -> float32";
  l["Complex"] = absl::StrCat("two float32 tensors (broadcast) -> complex64; complex64 ",
                              "values stay inside a signature (not an output, a variable or ",
                              "a loop variable); they pass through ops that only move ",
                              "elements (", movers, ")");
}

} // namespace smc::import
