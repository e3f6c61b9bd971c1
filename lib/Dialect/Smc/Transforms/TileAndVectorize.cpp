//===- TileAndVectorize.cpp - Register tiles as vector ops ----------------===//
//
// Tile sizes are chosen per op family so that one tile's accumulators fit in the target's
// vector registers, and always divide the static dimensions (no partial tiles, so every tile
// vectorises with static shapes).
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"
#include "smc/Dialect/Smc/Transforms/RegisterTiles.h"
#include "smc/Dialect/Smc/Transforms/WeightsStationary.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/bit.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#include <tuple>

namespace mlir::smc {
#define GEN_PASS_DEF_TILEANDVECTORIZE
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

/// A convolution whose filter outweighs its input: the output-channel loop goes outermost, so
/// that one block of filters stays in cache while the spatial tiles sweep over it (deep layers:
/// small images, big filters); otherwise the input stays and filters stream.
bool mlir::smc::weightsStationary(Operation *op) {
  auto conv = dyn_cast<linalg::LinalgOp>(op);
  if (!conv || !isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return false;
  auto in = dyn_cast<ShapedType>(conv.getDpsInputOperand(0)->get().getType());
  auto f = dyn_cast<ShapedType>(conv.getDpsInputOperand(1)->get().getType());
  return in && f && in.hasStaticShape() && f.hasStaticShape() &&
         f.getNumElements() > in.getNumElements();
}

using mlir::smc::outerProductBlock;
using mlir::smc::RegisterBlock;
using mlir::smc::rowBlock;
using mlir::smc::VectorUnit;
using mlir::smc::weightsStationary;

namespace {

/// The largest divisor of `n` that is at most `cap` (1 if none bigger).
int64_t divisorAtMost(int64_t n, int64_t cap) {
  for (int64_t d = std::min(n, cap); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// A tile of the vectorised (innermost) dimension `n`: the largest power of two, at most
/// `maxVectors` vectors of `lanes`, that divides `n`. Powers of two only: LLVM splits other
/// widths (48 = 3 x 16) with shuffles and spills.
int64_t vectorTile(int64_t n, int64_t lanes, int64_t maxVectors) {
  for (int64_t t = static_cast<int64_t>(llvm::bit_floor(static_cast<uint64_t>(maxVectors * lanes))); t > 1; t /= 2)
    if (n % t == 0)
      return t;
  return 1;
}

/// The register block (rows x columns; RegisterTiles.h) of an outer-product output, rows a
/// divisor of `rows`: a matmul's M x N, or a convolution's output row piece x output channels
/// (an outer product per input channel and tap).
std::pair<int64_t, int64_t> outerProductTile(int64_t rows, int64_t columns,
                                             const VectorUnit &unit, int64_t reduction = 0) {
  RegisterBlock block = outerProductBlock(rows, columns, unit, /*splitRows=*/false, reduction);
  return {block.rows, block.columns};
}

/// The rows of a packed matmul's register block (loops (m, j, jj, k) or (m, j, jj)): one
/// packed block of jj wide, rows a divisor of M (split first where they do not divide).
int64_t packedRows(ArrayRef<int64_t> ranges, const VectorUnit &unit) {
  return rowBlock(ranges[0], ranges[2], unit, /*splitRows=*/false).rows;
}

/// Input channels per step of a convolution tile's reduction: one, so that each step is one
/// outer product (a row of broadcasts times the filter's vectors), as a matmul's k step is.
/// Several channels per step (the tile's contraction unrolled over them) let LLVM hoist every
/// channel's broadcasts ahead of the FMAs and spill the block (MobileNetV2's 1x1 convolutions).
constexpr int64_t kConvChannelStep = 1;

/// The stride along the width of a convolution or pool (its `strides` attribute), else 1.
int64_t widthStride(Operation *op) {
  if (auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides"))
    if (strides.getNumElements() == 2)
      return *std::next(strides.getValues<int64_t>().begin());
  return 1;
}

/// Tile sizes for `op` (0 = dimension not tiled), or nothing to leave it alone. `lanes` is the
/// number of f32 elements in one vector register.
/// Whether `op` reads or writes booleans: vectors of i1 are stored as packed bits, but smc's
/// bool tensors hold one byte per element, so such ops stay scalar.
bool touchesBool(Operation *op) {
  auto isBool = [](Type t) { return getElementTypeOrSelf(t).isInteger(1); };
  return llvm::any_of(op->getOperandTypes(), isBool) || llvm::any_of(op->getResultTypes(), isBool);
}

/// The tile of a reduction (linalg.reduce), chosen so that every result is still accumulated
/// in the order of the scalar loops (bit for bit the same results on every target). The
/// innermost dimension with more than one element decides:
/// - parallel (a sum over rows or over spatial positions, channels last): vectors along it,
///   every other dimension stepped one element at a time; each lane accumulates its own
///   elements in order;
/// - reduced (a row's maximum or sum: softmax, layer normalisation): a block of `lanes` rows x
///   `lanes` elements, which smc-lower-vectors transposes in registers, so that each lane
///   accumulates one row's elements in order. Without rows to block (a full reduction, or a
///   row count that `lanes` does not divide) one row at a time.
std::optional<SmallVector<int64_t>> reductionTile(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                                                  int64_t lanes) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto reduced = [&](int64_t d) { return iterators[d] == utils::IteratorType::reduction; };
  // The innermost dimension at or before `from` with more than one element (of any kind, or
  // parallel only); -1 if none.
  auto innermost = [&](int64_t from, bool parallelOnly) {
    for (int64_t d = from; d >= 0; --d)
      if (ranges[d] > 1 && !(parallelOnly && reduced(d)))
        return d;
    return int64_t(-1);
  };
  int64_t inner = innermost(static_cast<int64_t>(ranges.size()) - 1, /*parallelOnly=*/false);
  if (inner < 0)
    return std::nullopt;
  SmallVector<int64_t> sizes(ranges.size(), 1);
  if (!reduced(inner)) {
    sizes[inner] = vectorTile(ranges[inner], lanes, 4);
    return sizes;
  }
  if (ranges[inner] % lanes != 0)
    return std::nullopt;
  sizes[inner] = lanes;
  int64_t rows = innermost(inner - 1, /*parallelOnly=*/true);
  if (rows >= 0 && ranges[rows] % lanes == 0)
    sizes[rows] = lanes;
  return sizes;
}

/// The tile of a transpose (loops = the result's dimensions). If the innermost dimension with
/// more than one element stays innermost, vectors along it (a copy of rows). Otherwise a block
/// of lanes x lanes over the result's and the input's innermost dimensions, read and written as
/// whole vectors and transposed in registers (smc-lower-vectors), instead of element by element.
std::optional<SmallVector<int64_t>> transposeTile(linalg::TransposeOp op, ArrayRef<int64_t> ranges,
                                                  int64_t lanes) {
  ArrayRef<int64_t> perm = op.getPermutation(); // result dim d reads input dim perm[d]
  auto innermost = [&](auto size) {
    for (int64_t d = static_cast<int64_t>(ranges.size()) - 1; d >= 0; --d)
      if (size(d) > 1)
        return d;
    return int64_t(-1);
  };
  auto inputShape = op.getInput().getType().getShape();
  int64_t out = innermost([&](int64_t d) { return ranges[d]; });
  int64_t inputInner = innermost([&](int64_t d) { return inputShape[d]; });
  if (out < 0 || inputInner < 0)
    return std::nullopt;
  int64_t in = llvm::find(perm, inputInner) - perm.begin(); // the loop along the input's rows
  SmallVector<int64_t> sizes(ranges.size(), 1);
  if (in == out) {
    sizes[out] = vectorTile(ranges[out], lanes, 4);
    return sizes;
  }
  if (ranges[out] % lanes != 0 || ranges[in] % lanes != 0)
    return std::nullopt;
  sizes[out] = lanes;
  sizes[in] = lanes;
  return sizes;
}

std::optional<SmallVector<int64_t>> tileSizesFor(linalg::LinalgOp op, const VectorUnit &unit) {
  int64_t lanes = unit.lanes;
  if (touchesBool(op))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  Operation *o = op.getOperation();
  if (isa<linalg::MatmulOp>(o)) { // (m, n, k): a block of outerProductTile, k stepwise
    auto [m, n] = outerProductTile(ranges[0], ranges[1], unit);
    return SmallVector<int64_t>{m, n, 1};
  }
  if (isa<linalg::BatchMatmulOp>(o)) { // (b, m, n, k): one batch, a block of outerProductTile
    auto [m, n] = outerProductTile(ranges[1], ranges[2], unit);
    return SmallVector<int64_t>{1, m, n, 1};
  }
  if (isa<linalg::MatmulTransposeBOp>(o))
    return SmallVector<int64_t>{divisorAtMost(ranges[0], 8), vectorTile(ranges[1], lanes, 1),
                                vectorTile(ranges[2], lanes, 1)};
  if (isa<linalg::Conv2DNhwcHwcfOp>(o)) { // (n, oh, ow, f, kh, kw, c)
    auto [w, f] = outerProductTile(ranges[2], ranges[3], unit, ranges[4] * ranges[5] * ranges[6]);
    return SmallVector<int64_t>{1, 1, w, f, 1, 1, kConvChannelStep};
  }
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(
          o)) { // (n, oh, ow, c, kh, kw)
    RegisterBlock block =
        mlir::smc::elementwiseBlock(ranges[2], ranges[3], unit, ranges[5], widthStride(o));
    return SmallVector<int64_t>{1, 1, block.rows, block.columns, 1, 1};
  }
  if (mlir::smc::SmcDialect::PackedMatmulAttrHelper(o->getContext())
          .isAttrPresent(o)) // (m, j, jj, k): rows x one packed block, k stepwise
    return SmallVector<int64_t>{packedRows(ranges, unit), 1, ranges[2], 1};
  if (isa<linalg::ReduceOp>(o))
    return reductionTile(op, ranges, lanes);
  if (auto transpose = dyn_cast<linalg::TransposeOp>(o))
    return transposeTile(transpose, ranges, lanes);
  if (auto generic = dyn_cast<linalg::GenericOp>(o)) {
    // Elementwise only: every loop parallel, every map a projected permutation.
    if (generic.getNumReductionLoops() != 0 || ranges.empty())
      return std::nullopt;
    if (!llvm::all_of(generic.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isProjectedPermutation(/*allowZeroInResults=*/true); }))
      return std::nullopt;
    if (generic.hasIndexSemantics())
      return std::nullopt;
    // Vectors along the innermost dimension with more than one element (trailing unit
    // dimensions, as in layer normalisation's [1, rows, n, 1], would leave vectors of one).
    SmallVector<int64_t> sizes(ranges.size(), 1);
    int64_t inner = static_cast<int64_t>(ranges.size()) - 1;
    while (inner > 0 && ranges[inner] == 1)
      --inner;
    sizes[inner] = vectorTile(ranges[inner], lanes, 4);
    return sizes;
  }
  return std::nullopt;
}

/// Whether `op` is inside a tile's loop: an scf.for other than a grouped convolution's loop
/// over its groups (whose body is a whole convolution of one group, still to be tiled).
bool insideTile(Operation *op) {
  mlir::smc::SmcDialect::GroupLoopAttrHelper groupLoop(op->getContext());
  for (auto loop = op->getParentOfType<scf::ForOp>(); loop;
       loop = loop->getParentOfType<scf::ForOp>())
    if (!groupLoop.isAttrPresent(loop))
      return true;
  return false;
}

bool isPackedMatmul(Operation *op) {
  return op && mlir::smc::SmcDialect::PackedMatmulAttrHelper(op->getContext()).isAttrPresent(op);
}

bool isProducerKind(Operation *op) {
  return isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp, linalg::MatmulOp>(op) ||
         isPackedMatmul(op);
}

/// Whether `fused` is an operand of an elementwise generic that reads the result of a
/// convolution or matmul (its only use) through reshapes only (each with one use): attention's
/// projections are read as heads ([M, N] -> [1, M, heads, d]), a packed matmul's result
/// [M, N / nb, nb] as [M, N]. Moving those reshapes to the generic's other side lets step 0
/// fuse the producer into it.
bool readsProducerThroughReshapes(OpOperand *fused) {
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  if (!consumer || consumer.getNumReductionLoops() != 0 || consumer.hasIndexSemantics())
    return false;
  Value v = fused->get();
  bool reshaped = false;
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      break;
    if (!v.hasOneUse())
      return false;
    v = def->getOperand(0);
    reshaped = true;
  }
  Operation *producer = v.getDefiningOp();
  return reshaped && producer && v.hasOneUse() && isProducerKind(producer);
}

/// The convolution or matmul whose only user is the elementwise `op`, if any.
Operation *fusableProducer(linalg::GenericOp op) {
  if (op.getNumReductionLoops() != 0 || op.hasIndexSemantics() || op.getNumDpsInits() != 1)
    return nullptr;
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap m) {
        return m.isProjectedPermutation(/*allowZeroInResults=*/true);
      }))
    return nullptr;
  for (OpOperand *in : op.getDpsInputOperands()) {
    Operation *p = in->get().getDefiningOp();
    if (p && isProducerKind(p) && in->get().hasOneUse() &&
        op.getMatchingIndexingMap(in).isIdentity() &&
        in->get().getType() == op->getResult(0).getType())
      return p;
  }
  return nullptr;
}

/// Whether the register blocks of a matmul (rows x columns elements each, over an M x N
/// result from A [M, K] and B [K, N]) should sweep the columns in the outer loop and the rows
/// in the inner one. Rows outer keeps a panel of A in L1 and reads all of B once per row block;
/// columns outer keeps a sliver of B (K x columns) in L1/L2 and reads all of A once per column
/// block. Whichever operand is read again and again costs nothing extra while it fits in half
/// of L2; otherwise each pass fetches it from beyond L2. Columns go outer only when that moves
/// fewer bytes from beyond L2 (ConvNeXt's 196 x 384 x 1536 layers: B is 2.3 MiB and was read
/// from L3 for each of 49 row blocks). Where both fit, the same count one level up (what each
/// pass fetches from L2 past half of L1) decides: columns outer also lets smc-prefetch-panels
/// stream the next sliver of B while the row blocks reuse this one, where rows outer reads all
/// of B from memory in the first row block (ResNet50's Winograd matmuls, 49 x 256 x 256).
bool columnsOuter(int64_t m, int64_t n, int64_t k, int64_t rows, int64_t columns,
                  int64_t l1Bytes, int64_t l2Bytes) {
  constexpr int64_t f32 = 4;
  double aBytes = static_cast<double>(f32 * m * k), bBytes = static_cast<double>(f32 * k * n);
  double rowPasses = static_cast<double>(m / std::max<int64_t>(rows, 1));
  double columnPasses = static_cast<double>(n / std::max<int64_t>(columns, 1));
  auto traffic = [&](double limit) {
    double rowsOuter = bBytes <= limit ? 0 : bBytes * rowPasses;
    double colsOuter = aBytes <= limit ? 0 : aBytes * columnPasses;
    return std::make_pair(rowsOuter, colsOuter);
  };
  auto [rowsOuter, colsOuter] = traffic(static_cast<double>(l2Bytes) / 2);
  if (rowsOuter == 0 && colsOuter == 0)
    std::tie(rowsOuter, colsOuter) = traffic(static_cast<double>(l1Bytes) / 2);
  return colsOuter < rowsOuter;
}

/// The reduction size of a convolution or matmul that `fuseIntoConsumer` fuses (its last loop).
int64_t reductionSize(Operation *producer) {
  SmallVector<int64_t> r = cast<linalg::LinalgOp>(producer).getStaticLoopRanges();
  return r.back();
}

/// A tile of a producer's result computed on its own: `producer` tiled for `slice` (an
/// extract_slice of its result), its zero-filled init cut into a fill of the tile's slice (so
/// that a fused tile still starts from zeros in registers). Replaces `slice`.
/// `part`'s init, if it is a slice of the zero fill `fill`'s result, becomes a fill of the same
/// slice of the fill's own output (an empty tensor): the part starts from zeros of its own
/// (in registers, once fused) instead of a slice of one whole-size fill.
void fillOwnSlice(IRRewriter &rewriter, linalg::LinalgOp part, linalg::FillOp fill) {
  auto slice = part.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || slice.getSource() != fill.getResult(0))
    return;
  rewriter.setInsertionPoint(slice);
  Value target = rewriter.create<tensor::ExtractSliceOp>(
      slice.getLoc(), fill.getDpsInitOperand(0)->get(), slice.getMixedOffsets(),
      slice.getMixedSizes(), slice.getMixedStrides());
  rewriter.replaceOp(
      slice, rewriter.create<linalg::FillOp>(fill.getLoc(), fill.getInputs(), target).getResult(0));
}

LogicalResult computeSliceApart(IRRewriter &rewriter, Operation *producer,
                                tensor::ExtractSliceOp slice) {
  rewriter.setInsertionPoint(slice);
  FailureOr<TilingResult> tile = cast<TilingInterface>(producer).generateResultTileValue(
      rewriter, 0, slice.getMixedOffsets(), slice.getMixedSizes());
  if (failed(tile) || tile->tiledValues.size() != 1 || tile->tiledOps.size() != 1)
    return failure();
  auto tiled = dyn_cast<linalg::LinalgOp>(tile->tiledOps.front());
  if (!tiled)
    return failure();
  if (auto fill = cast<linalg::LinalgOp>(producer)
                      .getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>())
    fillOwnSlice(rewriter, tiled, fill);
  rewriter.replaceOp(slice, tile->tiledValues.front());
  return success();
}

/// An elementwise consumer of a convolution or matmul whose best register block leaves a rest
/// of its rows (a convolution's output row, dimension 2 of NHWC: 7 = 6 + 1 on AVX2; a packed
/// matmul's rows, dimension 0: 49 = 48 + 1) is split along `dim` at `at`, with the producer
/// computed for each part on its own: two consumer-producer pairs, each tiled with a block
/// that divides its rows. Returns the parts (`consumer` is then gone; a part whose producer
/// slice could not be computed apart still reads a slice of the whole producer), or nothing
/// (`consumer` untouched).
SmallVector<linalg::GenericOp> splitConsumerRows(IRRewriter &rewriter, linalg::GenericOp consumer,
                                                 Operation *producer, int64_t dim, int64_t at) {
  rewriter.setInsertionPoint(consumer);
  auto [first, second] = linalg::splitOp(rewriter, cast<TilingInterface>(consumer.getOperation()),
                                         dim, rewriter.getIndexAttr(at));
  if (!first || !second)
    return {};
  SmallVector<linalg::GenericOp> parts;
  for (TilingInterface part : {first, second}) {
    auto generic = cast<linalg::GenericOp>(part.getOperation()); // splitOp clones the generic
    for (OpOperand *in : generic.getDpsInputOperands())
      if (auto slice = in->get().getDefiningOp<tensor::ExtractSliceOp>();
          slice && slice.getSource() == producer->getResult(0))
        (void)computeSliceApart(rewriter, producer, slice);
    parts.push_back(generic);
  }
  if (producer->use_empty())
    rewriter.eraseOp(producer);
  return parts;
}

void fuseIntoConsumer(IRRewriter &rewriter, linalg::GenericOp consumer, const VectorUnit &unit,
                      int64_t l2Bytes, bool maySplit = true) {
  MLIRContext *ctx = consumer.getContext();
  Operation *producer = fusableProducer(consumer);
  SmallVector<int64_t> ranges = consumer.getStaticLoopRanges();
  if (!producer || llvm::any_of(ranges, ShapedType::isDynamic))
    return;
  // A convolution's reduction length (KH x KW x C): its register block counts the filter's
  // traffic (outerProductCost).
  int64_t convReduction = 0;
  if (auto c = dyn_cast<linalg::Conv2DNhwcHwcfOp>(producer)) {
    SmallVector<int64_t> r = c.getStaticLoopRanges();
    convReduction = r[4] * r[5] * r[6];
  }
  // Rows that the best block leaves a rest of: each part on its own, where that is clearly
  // faster than the best block that divides them (splitIfWorthIt: a convolution's row of 7 on
  // AVX2's 16 registers, 5 x 2 vectors + 2 x 4 instead of 7 x 1; not where a divisor does as
  // well, as 7 x 2 on AVX-512). Only where each part is still a loop of tiles (several rows
  // or column blocks), never one vector write (see splitRows on MLIR 19 and single-tile
  // parts). Not a convolution whose filter outweighs its input (weightsStationary): there the
  // filter's traffic dominates, and each part would stream all of it again (ResNet50's
  // 7 x 7 x 512 layers on AVX2: the seventh pixel of each row alone took a third of the time
  // of the six others).
  bool conv = ranges.size() == 4 && convReduction > 0 && !weightsStationary(producer);
  bool packed = ranges.size() == 3 && isPackedMatmul(producer);
  if (maySplit && (conv || packed)) {
    int64_t dim = conv ? 2 : 0, rows = ranges[dim];
    RegisterBlock block =
        conv ? mlir::smc::splitIfWorthIt(
                   outerProductBlock(rows, ranges[3], unit, true, convReduction),
                   outerProductBlock(rows, ranges[3], unit, false, convReduction))
             : mlir::smc::splitIfWorthIt(rowBlock(rows, ranges[2], unit, true),
                                         rowBlock(rows, ranges[2], unit, false));
    bool loops = conv ? ranges[1] > 1 || ranges[3] / std::max<int64_t>(block.columns, 1) > 1
                      : ranges[1] > 1;
    if (loops && rows > block.rows && block.restRows != 0) {
      SmallVector<linalg::GenericOp> parts =
          splitConsumerRows(rewriter, consumer, producer, dim, rows - block.restRows);
      for (linalg::GenericOp part : parts)
        fuseIntoConsumer(rewriter, part, unit, l2Bytes, /*maySplit=*/false);
      if (!parts.empty())
        return;
    }
  }
  SmallVector<int64_t> sizes;
  if (ranges.size() == 4) { // NHWC: 1, 1, a row piece, a channel block
    if (isa<linalg::Conv2DNhwcHwcfOp>(producer)) {
      auto [w, f] = outerProductTile(ranges[2], ranges[3], unit, convReduction);
      sizes = {1, 1, w, f};
    } else {
      SmallVector<int64_t> window = cast<linalg::LinalgOp>(producer).getStaticLoopRanges();
      RegisterBlock block = mlir::smc::elementwiseBlock(ranges[2], ranges[3], unit, window[5],
                                                        widthStride(producer));
      sizes = {1, 1, block.rows, block.columns};
    }
  }
  else if (ranges.size() == 2) { // matmul rows x columns
    auto [m, n] = outerProductTile(ranges[0], ranges[1], unit);
    sizes = {m, n};
  }
  else if (ranges.size() == 3 && isPackedMatmul(producer)) { // rows x one packed block
    sizes = {packedRows(ranges, unit), 1, ranges[2]};
  }
  else
    return;
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(getAsIndexOpFoldResult(ctx, sizes));
  if (ranges.size() == 4 && weightsStationary(producer))
    options.tilingOptions.setInterchange({3, 0, 1, 2});
  // A matmul's blocks: (m, n) or packed (m, j, jj); columns outer where that reads less.
  bool packedColumns = ranges.size() == 3 && isPackedMatmul(producer);
  if ((ranges.size() == 2 || packedColumns) && !llvm::any_of(ranges, ShapedType::isDynamic)) {
    int64_t n = packedColumns ? ranges[1] * ranges[2] : ranges[1];
    int64_t columns = packedColumns ? ranges[2] : sizes[1];
    int64_t k = reductionSize(producer);
    if (!ShapedType::isDynamic(k) && columnsOuter(ranges[0], n, k, sizes[0], columns, unit.l1Bytes,
                                                    l2Bytes))
      options.tilingOptions.setInterchange(packedColumns ? SmallVector<int64_t>{1, 0, 2}
                                                         : SmallVector<int64_t>{1, 0});
  }
  options.setFusionControlFn([&](tensor::ExtractSliceOp, OpResult original, bool) {
    Operation *o = original.getOwner();
    bool fuse = o == producer || isa<linalg::FillOp>(o);
    return std::make_tuple(fuse, false);
  });
  rewriter.setInsertionPoint(consumer);
  auto result = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(consumer.getOperation()), options);
  if (failed(result))
    return;
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  // The producer's tile still spans its whole reduction: step through it.
  for (Operation *tiled : result->tiledAndFusedOps) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(tiled);
    if (!linalgOp || !isProducerKind(tiled))
      continue;
    SmallVector<int64_t> r = linalgOp.getStaticLoopRanges();
    SmallVector<int64_t> reduction;
    if (isa<linalg::Conv2DNhwcHwcfOp>(tiled))
      reduction = {0, 0, 0, 0, 1, 1, kConvChannelStep};
    else if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(tiled))
      reduction = {0, 0, 0, 0, 1, 1};
    else if (isPackedMatmul(tiled)) // (m, j, jj, k)
      reduction = {0, 0, 0, 1};
    else
      reduction = {0, 0, 1};
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(getAsIndexOpFoldResult(ctx, reduction));
    rewriter.setInsertionPoint(tiled);
    auto t = scf::tileUsingSCF(rewriter, cast<TilingInterface>(tiled), tiling);
    if (succeeded(t))
      rewriter.replaceOp(tiled, t->replacements);
  }
}

/// `op` tiled by `sizes` (0: untiled) in the order `interchange` (empty: as is), with the fill
/// its output starts from tiled with it; `op`'s uses take the result.
FailureOr<scf::SCFTileAndFuseResult> tileFusingFill(IRRewriter &rewriter, linalg::LinalgOp op,
                                                    ArrayRef<int64_t> sizes,
                                                    ArrayRef<int64_t> interchange = {}) {
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(getAsIndexOpFoldResult(op.getContext(), sizes));
  if (!interchange.empty())
    options.tilingOptions.setInterchange(interchange);
  options.setFusionControlFn([](tensor::ExtractSliceOp, OpResult original, bool) {
    return std::make_tuple(isa<linalg::FillOp>(original.getOwner()), false);
  });
  rewriter.setInsertionPoint(op);
  auto result = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (succeeded(result))
    for (auto [original, replacement] : result->replacements)
      rewriter.replaceAllUsesWith(original, replacement);
  return result;
}

/// A matmul or batch matmul whose output starts as a fill of its own (not tiled for the cache,
/// or a cache tile spanning the whole reduction, with the fill tiled with it): the fill is
/// tiled with it and the reduction stepped inside each tile, so that the accumulators start as
/// constants in registers, without filling the whole output first and loading each tile back
/// (attention's batch matmuls). `sizes` is the register tile, `interchange` the loops' order.
bool tileWithZeroFill(IRRewriter &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
                      ArrayRef<int64_t> interchange = {}) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()) && !isPackedMatmul(op))
    return false;
  Value init = op.getDpsInitOperand(0)->get();
  if (!init.getDefiningOp<linalg::FillOp>() || !init.hasOneUse())
    return false;
  MLIRContext *ctx = op.getContext();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> parallel(sizes), reduction(sizes.size(), 0);
  for (auto [d, kind] : llvm::enumerate(iterators))
    if (kind == utils::IteratorType::reduction)
      std::swap(parallel[d], reduction[d]);
  auto result = tileFusingFill(rewriter, op, parallel, interchange);
  if (failed(result))
    return false;
  for (Operation *tiled : result->tiledAndFusedOps) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(tiled);
    if (!linalgOp || linalgOp.getNumReductionLoops() == 0)
      continue;
    scf::SCFTilingOptions stepping;
    stepping.setTileSizes(getAsIndexOpFoldResult(ctx, reduction));
    rewriter.setInsertionPoint(tiled);
    auto t = scf::tileUsingSCF(rewriter, cast<TilingInterface>(tiled), stepping);
    if (succeeded(t))
      rewriter.replaceOp(tiled, t->replacements);
  }
  return true;
}

/// A convolution tile reads its filter block as extract_slice(W)[kh, kw, c, f0][sh, sw, sc, nb]
/// of the HWCF constant W: rows of the block are F floats apart, which thrash L1 sets and TLB.
/// When W is constant, read the block from a copy packed at compile time as
/// [F / nb, KH, KW, C, nb], where each channel block is contiguous.
void packConvFilters(IRRewriter &rewriter, ModuleOp module) {
  DenseMap<Value, std::pair<Value, int64_t>> packed; // W -> (packed constant, nb)
  SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
  module.walk([&](linalg::Conv2DNhwcHwcfOp op) {
    if (op.hasPureTensorSemantics() && insideTile(op))
      convs.push_back(op);
  });
  for (auto conv : convs) {
    auto slice = conv.getDpsInputOperand(1)->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || !slice.hasUnitStride() || slice.getSourceType().getRank() != 4 ||
        slice.getType().getRank() != 4 || !slice.getType().hasStaticShape())
      continue;
    DenseElementsAttr weights;
    Value w = slice.getSource();
    if (!matchPattern(w, m_Constant(&weights)) || !weights.getElementType().isF32())
      continue;
    auto wType = cast<RankedTensorType>(w.getType());
    int64_t kh = wType.getDimSize(0), kw = wType.getDimSize(1), c = wType.getDimSize(2),
            f = wType.getDimSize(3);
    int64_t nb = slice.getType().getDimSize(3);
    if (nb <= 1 || nb == f || f % nb != 0)
      continue;
    auto it = packed.find(w);
    if (it == packed.end() || it->second.second != nb) {
      std::vector<float> out(weights.getNumElements());
      auto values = weights.getValues<float>();
      bool splat = weights.isSplat();
      for (int64_t i = 0; i < kh * kw * c; ++i)
        for (int64_t col = 0; col < f; ++col)
          out[((col / nb) * kh * kw * c + i) * nb + col % nb] = splat ? values[0] : values[i * f + col];
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointAfterValue(w);
      auto type = RankedTensorType::get({f / nb, kh, kw, c, nb}, rewriter.getF32Type());
      Value p = rewriter.create<arith::ConstantOp>(w.getLoc(),
                                                   DenseElementsAttr::get(type, ArrayRef<float>(out)));
      it = packed.insert_or_assign(w, std::make_pair(p, nb)).first;
    }
    // Offsets: [kh, kw, c, f0] -> [f0 / nb, kh, kw, c, 0]; f0 is a multiple of nb.
    rewriter.setInsertionPoint(slice);
    Location loc = slice.getLoc();
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
    OpFoldResult f0 = offsets[3];
    OpFoldResult block;
    if (auto cst = getConstantIntValue(f0)) {
      if (*cst % nb != 0)
        continue;
      block = rewriter.getIndexAttr(*cst / nb);
    } else {
      AffineExpr d0 = rewriter.getAffineDimExpr(0);
      block = rewriter
                  .create<affine::AffineApplyOp>(loc, AffineMap::get(1, 0, d0.floorDiv(nb)),
                                                 ValueRange{cast<Value>(f0)})
                  .getResult();
    }
    SmallVector<OpFoldResult> newOffsets = {block, offsets[0], offsets[1], offsets[2],
                                            rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1)};
    for (OpFoldResult sz : slice.getMixedSizes())
      sizes.push_back(sz);
    SmallVector<OpFoldResult> strides(5, rewriter.getIndexAttr(1));
    Value block4 = rewriter.create<tensor::ExtractSliceOp>(loc, slice.getType(),
                                                           it->second.first, newOffsets, sizes,
                                                           strides);
    rewriter.replaceOp(slice, block4);
  }
}

/// Whether a matmul with static loop ranges `r` is large enough for cache tiles (at least
/// 128^3 multiply-adds).
bool cacheTiled(ArrayRef<int64_t> r) {
  int64_t volume = 1;
  for (int64_t x : r)
    volume *= x;
  return !llvm::any_of(r, ShapedType::isDynamic) && volume >= 128 * 128 * 128;
}

/// The cache tile of a large matmul, loops (m, n, k) or packed (m, j, jj, k), around register
/// blocks of rows x columns, as the BLIS-style GEMMs block it: the register loops sweep the
/// columns (outer) and the rows (inner), so that a sliver of B (Kc x columns) is reused from L1
/// across the row blocks while the block of A (Mc x Kc) and the block of C (Mc x N) it adds to
/// stay in L2. Kc: the sliver of B fills at most L1; Mc: the blocks of A and C fill at most
/// half of L2; the tile spans every column. Every size is a multiple of the register block's
/// and divides the op's, so that the register tiles are whole.
SmallVector<int64_t> cacheTile(ArrayRef<int64_t> r, bool packed, const VectorUnit &unit,
                               int64_t l1Bytes, int64_t l2Bytes, bool parallel) {
  int64_t m = r[0], n = packed ? r[1] * r[2] : r[1], k = packed ? r[3] : r[2];
  int64_t rows, columns; // the register block, in elements
  if (packed) {
    rows = rowBlock(m, r[2], unit, /*splitRows=*/false).rows;
    columns = r[2];
  } else {
    std::tie(rows, columns) = outerProductTile(m, r[1], unit);
  }
  constexpr int64_t f32 = 4;
  // Kc: the whole reduction where its sliver of B (K x columns) and a block of A of kMinReuse
  // row blocks (kMinReuse x rows x K) fit half of L2 together: each register tile of C is then
  // done in one pass, from zeros in registers (its fill tiled with it) and stored once,
  // instead of a fill of C and a load and store of each tile per Kc step; the sliver streams
  // from L2 past A's few rows. Measured on the 1024^3 matmul (Zen 4: 32 KiB L1, 1 MiB L2, one
  // 512-bit FMA per cycle): Kc 128 -> 1024, 20.7 -> 19.0 ms with AVX-512 (6 x 64 blocks);
  // Kc 512 -> 1024, 20.3 -> 19.3 ms with AVX2 (6 x 16).
  // Otherwise the sliver fills at most L1 (at 48 KiB, 128 x 64 floats measured as fast as 256
  // and faster than 64; A's few rows and C's block stream past it).
  constexpr int64_t kMinReuse = 8;
  int64_t kc = (columns + kMinReuse * rows) * k * f32 <= l2Bytes / 2
                   ? k
                   : divisorAtMost(k, std::clamp<int64_t>(l1Bytes / (f32 * columns), 64, 512));
  // Mc: the blocks of A (Mc x Kc) and C (Mc x N) in half of L2, so that C stays there from one
  // Kc step to the next. Where L2 is too small for that to leave at least kMinReuse row blocks
  // (256 KiB and N = 1024: 21 rows), each sliver of B, which then comes from L3, would be used
  // by too few of them: Mc takes kMinReuse blocks, or as many as A's block alone fits in half of
  // L2, and C streams (a register tile of C is read and written once per Kc step, ~1 byte per
  // 100 FMAs). Haswell's 256 KiB at N = K = 1024: Mc 12 -> 60 rows, 23.4 -> 19.3 ms.
  // With Kc = K each register tile of C is written once and never read back: only A's block
  // need stay in L2 (1024^3 on Zen 4, 1 MiB L2: Mc 60 -> 102 rows, 2 threads 9.91 -> 9.38 ms,
  // one thread unchanged).
  int64_t blocks = m / rows;
  int64_t aloneA = l2Bytes / 2 / (f32 * kc) / rows;
  int64_t withC = kc == k ? aloneA : l2Bytes / 2 / (f32 * (n + kc)) / rows;
  int64_t mcBlocks = divisorAtMost(blocks, std::max<int64_t>(withC, 1));
  if (withC < kMinReuse && mcBlocks < blocks) {
    int64_t atLeast = blocks;
    for (int64_t d = kMinReuse; d <= blocks; ++d)
      if (blocks % d == 0) {
        atLeast = d;
        break;
      }
    mcBlocks = atLeast <= aloneA ? atLeast : divisorAtMost(blocks, std::max<int64_t>(aloneA, 1));
  }
  // With threads the row tiles are the tasks (smc-mark-parallel): at least kMinTasks of them,
  // so that 2, 4 or 8 cores get shares within a tile of each other. Measured on the 1024^3
  // matmul (AVX-512, 2 MiB L2): Mc 204 -> 102 rows, serial time unchanged, 2 threads 1.67x ->
  // 1.94x of one (5 tiles split 3 + 2; 10 split 5 + 5).
  constexpr int64_t kMinTasks = 8;
  if (parallel && blocks / mcBlocks < kMinTasks && blocks >= kMinTasks)
    mcBlocks = divisorAtMost(blocks, std::max<int64_t>(blocks / kMinTasks, 1));
  int64_t mc = rows * mcBlocks;
  return packed ? SmallVector<int64_t>{mc, r[1], r[2], kc} : SmallVector<int64_t>{mc, r[1], kc};
}

/// Splits the matmul `op` (linalg.matmul or a packed one) along its rows at `at`: two ops, each
/// writing its rows of the result. Both start from what `op` started from: the second's
/// output is cut from `op`'s own init, not from the first's result (linalg::splitOp's chain,
/// which would serialise them), and a zero fill is cut into a fill of each part, so that each
/// still starts from zeros in registers. Returns the parts (just `op` if it cannot split).
SmallVector<linalg::LinalgOp> splitRows(IRRewriter &rewriter, linalg::LinalgOp op, int64_t at) {
  Value init = op.getDpsInitOperand(0)->get();
  rewriter.setInsertionPoint(op);
  auto [first, second] = linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                                         /*dimension=*/0, rewriter.getIndexAttr(at));
  if (!first || !second)
    return {op};
  SmallVector<linalg::LinalgOp> parts = {cast<linalg::LinalgOp>(first.getOperation()),
                                         cast<linalg::LinalgOp>(second.getOperation())};
  // The second's output: extract_slice(insert_slice(first, init)) -> extract_slice(init).
  if (auto slice = cast<linalg::LinalgOp>(second.getOperation())
                       .getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>())
    if (auto inserted = slice.getSource().getDefiningOp<tensor::InsertSliceOp>())
      if (inserted.getDest() == init)
        rewriter.modifyOpInPlace(slice, [&] { slice.getSourceMutable().assign(init); });
  // A zero fill: each part fills its own slice (of the fill's own output, an empty tensor).
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Value empty = fill.getDpsInitOperand(0)->get();
    for (linalg::LinalgOp part : parts)
      fillOwnSlice(rewriter, part, fill);
    // The parts together write every row: the result is assembled in the fill's output.
    for (Operation *user : parts[0]->getResult(0).getUsers())
      if (auto inserted = dyn_cast<tensor::InsertSliceOp>(user); inserted && inserted.getDest() == init)
        rewriter.modifyOpInPlace(inserted, [&] { inserted.getDestMutable().assign(empty); });
  }
  return parts;
}

/// transfer_read(transfer_write(v, T)) where both cover all of a static tensor T, row-major and
/// untransposed (they differ only in unit dimensions): the value read is v, reshaped.
struct ForwardWholeTensorTransfer : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read, PatternRewriter &rewriter) const override {
    auto write = read.getSource().getDefiningOp<vector::TransferWriteOp>();
    auto tensor = dyn_cast<RankedTensorType>(read.getSource().getType());
    if (!write || !tensor || !tensor.hasStaticShape() || read.getMask() || write.getMask())
      return failure();
    auto covers = [&](VectorTransferOpInterface op, VectorType v) {
      return op.getPermutationMap().isMinorIdentity() &&
             v.getNumElements() == tensor.getNumElements() &&
             llvm::all_of(op.getIndices(), [](Value i) { return isZeroIndex(i); });
    };
    if (!covers(read, read.getVectorType()) || !covers(write, write.getVectorType()))
      return failure();
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, read.getVectorType(), write.getVector());
    return success();
  }
};

struct TileAndVectorizePass : mlir::smc::impl::TileAndVectorizeBase<TileAndVectorizePass> {
  using TileAndVectorizeBase::TileAndVectorizeBase;

  void runOnOperation() override {
    if (vectorBits <= 0)
      return;
    int64_t lanes = std::max<int64_t>(vectorBits / 32, 1);
    VectorUnit unit{lanes, vectorRegisters > 0 ? vectorRegisters : 32, laneOperands, fmaLatency,
                    l1Bytes, l2Bytes};
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    IRRewriter rewriter(ctx);

    // 0a. An elementwise op that reads a convolution's or matmul's result through reshapes
    //     (attention's heads [M, N] -> [1, M, heads, d], a packed matmul's [M, N / nb, nb] ->
    //     [M, N]) has its loops reshaped instead, so that it reads the producer's result
    //     directly: first collapsed through expanding reshapes, then expanded through
    //     collapsing ones (together, each would undo the other). Fills move through reshapes
    //     (packing reshaped the matmul's zero-filled init), so that a fused tile starts from
    //     zeros in registers rather than loaded.
    for (bool collapse : {true, false}) {
      RewritePatternSet patterns(ctx);
      if (collapse) {
        linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns, readsProducerThroughReshapes);
        linalg::FillOp::getCanonicalizationPatterns(patterns, ctx);
      } else
        linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, readsProducerThroughReshapes);
      if (failed(applyPatternsAndFoldGreedily(module, std::move(patterns))))
        return signalPassFailure();
    }

    // 0. Fuse: an elementwise op (bias, activation) that consumes a convolution or matmul is
    //    tiled like the producer's output, with the producer computed tile by tile inside its
    //    loops; the producer's reduction dims are then tiled for registers.
    SmallVector<linalg::GenericOp> consumers;
    module.walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && fusableProducer(op))
        consumers.push_back(op);
    });
    for (linalg::GenericOp consumer : consumers)
      fuseIntoConsumer(rewriter, consumer, unit, l2Bytes);

    // 1. Tile what is still untiled.
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && !insideTile(op))
        candidates.push_back(op);
    });
    // 1a. A matmul whose rows the best register block does not divide (1024 rows in blocks of
    //     6) is split in two: the rows the blocks divide and the rest, each tiled on its own.
    mlir::smc::SmcDialect::PackedMatmulAttrHelper packedMatmul(module.getContext());
    {
      SmallVector<linalg::LinalgOp> parts;
      for (linalg::LinalgOp op : candidates) {
        bool packed = packedMatmul.isAttrPresent(op);
        SmallVector<int64_t> r = op.getStaticLoopRanges();
        // Only large matmuls (those that get cache tiles) with at least two register tiles
        // across: each part is then a loop, never one vector write. MLIR 19 folds
        // insert_slice(transfer_write(v, T)) into a write of v alone even where the write
        // covers only part of T, which lost the first part's rows when a split result of
        // single-tile parts was inserted into another tensor (a recurrent step's output).
        int64_t rows = 0, restRows = 0, columnTiles = 0;
        if ((isa<linalg::MatmulOp>(op.getOperation()) || packed) && cacheTiled(r)) {
          // The second part streams all of B again (these are the large matmuls): the rest
          // alone.
          RegisterBlock block =
              packed ? rowBlock(r[0], r[2], unit, /*splitRows=*/true, /*restMayGrow=*/false)
                     : outerProductBlock(r[0], r[1], unit, /*splitRows=*/true, /*reduction=*/0,
                                         /*restMayGrow=*/false);
          rows = block.rows;
          restRows = block.restRows;
          columnTiles = packed ? r[1] : r[1] / block.columns;
        }
        if (rows == 0 || r[0] <= rows || restRows == 0 || columnTiles < 2) {
          parts.push_back(op);
          continue;
        }
        for (linalg::LinalgOp part : splitRows(rewriter, op, r[0] - restRows))
          parts.push_back(part);
      }
      candidates = std::move(parts);
    }

    llvm::SmallPtrSet<Operation *, 8> cacheTiledOps;
    // Large matmuls first get cache tiles (a block of A and B that stays in L1/L2 while the
    // register tiles sweep it), then register tiles inside.
    for (linalg::LinalgOp &op : candidates) {
      bool packed = packedMatmul.isAttrPresent(op);
      if (!isa<linalg::MatmulOp>(op.getOperation()) && !packed)
        continue;
      SmallVector<int64_t> r = op.getStaticLoopRanges();
      if (!cacheTiled(r))
        continue;
      SmallVector<int64_t> cache = cacheTile(r, packed, unit, l1Bytes, l2Bytes, parallelTiles);
      // A tile that spans the whole reduction, of a result that starts as a zero fill of its
      // own: the fill is tiled with it, so that its register tiles start from zeros in
      // registers (tileWithZeroFill) instead of a fill of the whole result loaded back
      // (ResNet50's Winograd matmuls: 96 fills of 42 x 256 floats per call, on one thread).
      Value init = op.getDpsInitOperand(0)->get();
      if (auto fill = init.getDefiningOp<linalg::FillOp>(); fill && cache.back() == r.back()) {
        if (!init.hasOneUse()) { // a fill CSE'd between matmuls: one each
          rewriter.setInsertionPoint(op);
          Operation *own = rewriter.clone(*fill);
          rewriter.modifyOpInPlace(op, [&] { op.getDpsInitOperand(0)->set(own->getResult(0)); });
        }
        SmallVector<int64_t> sizes = cache;
        sizes.back() = 0;
        auto result = tileFusingFill(rewriter, op, sizes);
        if (failed(result))
          continue;
        Operation *tiledOp = nullptr;
        for (Operation *t : result->tiledAndFusedOps)
          if (!isa<linalg::FillOp>(t))
            tiledOp = t;
        if (!tiledOp)
          continue;
        op = cast<linalg::LinalgOp>(tiledOp);
        cacheTiledOps.insert(op);
        continue;
      }
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(ctx, cache));
      rewriter.setInsertionPoint(op);
      auto tiled = scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
      op = cast<linalg::LinalgOp>(tiled->tiledOps.front());
      cacheTiledOps.insert(op);
    }
    for (linalg::LinalgOp op : candidates) {
      auto sizes = tileSizesFor(op, unit);
      if (!sizes)
        continue;
      SmallVector<int64_t> columnsFirst; // in a cache tile, (m, n, k) or (m, j, jj, k)
      if (cacheTiledOps.contains(op.getOperation()))
        columnsFirst = packedMatmul.isAttrPresent(op) ? SmallVector<int64_t>{1, 0, 2, 3}
                                                      : SmallVector<int64_t>{1, 0, 2};
      if (tileWithZeroFill(rewriter, op, *sizes, columnsFirst))
        continue;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(ctx, *sizes));
      if (!columnsFirst.empty())
        options.setInterchange(columnsFirst);
      if (weightsStationary(op)) // (n, oh, ow, f, ...): f first
        options.setInterchange(isa<linalg::Conv2DNhwcHwcfOp>(op.getOperation())
                                   ? SmallVector<int64_t>{3, 0, 1, 2, 4, 5, 6}
                                   : SmallVector<int64_t>{3, 0, 1, 2, 4, 5});
      if (isa<linalg::ReduceOp>(op.getOperation())) {
        // Reduced dimensions innermost: a tile's accumulators stay in registers through them.
        SmallVector<int64_t> order;
        for (bool reductions : {false, true})
          for (auto [d, kind] : llvm::enumerate(op.getIteratorTypesArray()))
            if ((kind == utils::IteratorType::reduction) == reductions)
              order.push_back(d);
        options.setInterchange(order);
      }
      rewriter.setInsertionPoint(op);
      auto tiled = scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
    }

    // 1b. Convolution tiles read their filters from copies packed per channel block (slices of
    //     slices merged first, so that each tile's filter is one slice of the constant).
    {
      RewritePatternSet patterns(ctx);
      tensor::populateMergeConsecutiveInsertExtractSlicePatterns(patterns);
      // A fused producer's tile starts from a slice of an empty tensor the size of the whole
      // result: make it an empty tensor of the tile's size, so that the tile lives in vector
      // registers instead of a whole-size buffer stored and loaded again.
      tensor::populateFoldTensorEmptyPatterns(patterns);
      if (failed(applyPatternsAndFoldGreedily(module, std::move(patterns))))
        return signalPassFailure();
    }
    packConvFilters(rewriter, module);

    // 2. Convolution tiles with a 1 x kw window step become 1-D convolutions.
    {
      RewritePatternSet patterns(ctx);
      linalg::populateDecomposeConvolutionPatterns(patterns);
      if (failed(applyPatternsAndFoldGreedily(module, std::move(patterns))))
        return signalPassFailure();
    }

    // 3. Vectorise every small static linalg op (the tiles).
    SmallVector<linalg::LinalgOp> tiles;
    module.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics() || !insideTile(op))
        return;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (llvm::any_of(ranges, ShapedType::isDynamic))
        return;
      int64_t volume = 1;
      for (int64_t r : ranges)
        volume *= r;
      if (volume <= 64 * 1024)
        tiles.push_back(op);
    });
    for (linalg::LinalgOp op : tiles) {
      if (touchesBool(op) || failed(linalg::vectorizeOpPrecondition(op)))
        continue;
      rewriter.setInsertionPoint(op);
      (void)linalg::vectorize(rewriter, op);
    }

    // 4. Clean up: contractions from broadcast+multiply+reduce, transfers through slices.
    RewritePatternSet patterns(ctx);
    patterns.add<ForwardWholeTensorTransfer>(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    scf::ForOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    FrozenRewritePatternSet cleanup(std::move(patterns));
    if (failed(applyPatternsAndFoldGreedily(module, cleanup)))
      return signalPassFailure();

    // 4b. Elementwise vector ops whose innermost dimension is a unit one (tiles of
    //     [1, rows, n, 1], as layer normalisation has) would be unrolled into one op per element:
    //     they drop their unit dimensions (shape casts around them).
    SmallVector<Operation *> trailingUnit;
    module.walk([&](Operation *op) {
      if (op->getNumResults() != 1 || !OpTrait::hasElementwiseMappableTraits(op))
        return;
      auto type = dyn_cast<VectorType>(op->getResult(0).getType());
      if (type && type.getRank() > 1 && type.getShape().back() == 1 && type.getNumElements() > 1)
        trailingUnit.push_back(op);
    });
    if (!trailingUnit.empty()) {
      RewritePatternSet unitDims(ctx);
      vector::populateDropUnitDimWithShapeCastPatterns(unitDims);
      GreedyRewriteConfig config;
      config.strictMode = GreedyRewriteStrictness::ExistingOps;
      if (failed(applyOpPatternsAndFold(trailingUnit, std::move(unitDims), config)))
        return signalPassFailure();
    }

    // 5. Accumulators that a loop reads and writes back at the same place of a tensor it carries
    //    become vectors carried by the loop (innermost loops first), then fold away.
    SmallVector<LoopLikeOpInterface> loops;
    module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (LoopLikeOpInterface loop : loops)
      hoistLoopInvariantSubsets(rewriter, loop);
    if (failed(applyPatternsAndFoldGreedily(module, cleanup)))
      return signalPassFailure();
  }
};

} // namespace
