//===- RegisterTiles.cpp - Register blocks from the target's vector unit --===//

#include "smc/Dialect/Smc/Transforms/RegisterTiles.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace mlir::smc {

namespace {

// The core the estimate assumes: what Haswell through Sapphire Rapids, Zen 2-5 and big ARM
// cores (Neoverse, Apple) share, within a factor that does not change which block wins; the
// FMA latency, which does (8 accumulators cover Skylake's 4 cycles, not Haswell's 5), is the
// target's (VectorUnit::fmaLatency).
constexpr double kFmasPerCycle = 2, kLoadsPerCycle = 2, kIssuePerCycle = 4;
constexpr int64_t kMaxRows = 16, kMaxVectors = 8;
// A convolution block's rows are pixels, each read by a broadcast per step of the reduction:
// that many input streams one pixel stride apart. Where the stride is a multiple of 4 KiB
// (1024 channels, or 512 at stride 2: ResNet50's 14 x 14 x 1024 layers) they all fall in one
// L1 set, and more of them than its ways (8 on Zen and Haswell to Skylake: 7 rows and the
// filter's stream) evict each other at every step. Measured on Zen 4 (alternating A/B, 7 rows
// at most against 14): ResNet50 AVX2 (--cpu haswell) 87.1 -> 63.8 ms, AVX-512 60.2 -> 58.3;
// MobileNetV2 AVX-512 7.29 -> 6.60 (14 x 2 blocks became 7 x 2), AVX2 7.47 -> 6.98; MobileNet,
// EfficientNetB0 and ConvNeXtTiny within 2 % either way.
constexpr int64_t kMaxConvolutionRows = 7;

/// Cycles per FMA of a step with `fmas` FMAs, `loads` loads and `others` further instructions,
/// in which each accumulator takes `chain` FMAs one after the other (each waits `latency`
/// cycles for the last).
double stepCost(int64_t fmas, int64_t loads, int64_t others, int64_t latency, int64_t chain = 1) {
  double cycles = std::max({fmas / kFmasPerCycle, loads / kLoadsPerCycle,
                            (fmas + loads + others) / kIssuePerCycle,
                            static_cast<double>(latency * chain)});
  return cycles / static_cast<double>(fmas);
}

constexpr double kNever = std::numeric_limits<double>::infinity();

/// (vectors, elements) pairs.
using SmallVectorWidths = llvm::SmallVector<std::pair<int64_t, int64_t>, 4>;

/// Loads per FMA beyond the cost: what decides between blocks of equal speed (less traffic
/// through L1 leaves more room to the prefetchers and to the other hyperthread).
double traffic(int64_t rows, int64_t vectors) {
  return static_cast<double>(rows + vectors) / static_cast<double>(rows * vectors);
}

bool better(const RegisterBlock &a, const RegisterBlock &b) {
  constexpr double eps = 1e-9;
  if (a.cyclesPerFma < b.cyclesPerFma - eps)
    return true;
  if (a.cyclesPerFma > b.cyclesPerFma + eps)
    return false;
  double ta = traffic(a.rows, a.vectors), tb = traffic(b.rows, b.vectors);
  if (ta < tb - eps)
    return true;
  if (ta > tb + eps)
    return false;
  return a.rows > b.rows;
}

} // namespace

double outerProductCost(int64_t rows, int64_t vectors, const VectorUnit &unit,
                        int64_t reduction) {
  if (rows < 1 || vectors < 1)
    return kNever;
  if (reduction > 0 && rows > kMaxConvolutionRows)
    return kNever;
  // B's vectors stay in registers only to be reused by the next row; one is enough otherwise.
  int64_t needed = rows * vectors + (rows > 1 ? vectors : 1) + (unit.laneOperands ? rows : 1);
  if (needed > unit.registers)
    return kNever;
  // Per step of the reduction: B's vectors and A's broadcasts loaded, rows x vectors FMAs,
  // and the loop's increment, compare and branch (2 instructions once fused).
  double cost = stepCost(rows * vectors, rows + vectors, 2, unit.fmaLatency);
  if (reduction > 0 && unit.l1Bytes > 0) {
    constexpr double kL2VectorsPerCycle = 1, kBeyondL2VectorsPerCycle = 0.25;
    int64_t panel = reduction * vectors * unit.lanes * 4;
    if (panel > unit.l1Bytes / 2) {
      double perCycle = unit.l2Bytes > 0 && panel <= unit.l2Bytes / 2 ? kL2VectorsPerCycle
                                                                        : kBeyondL2VectorsPerCycle;
      // `vectors` panel loads per step of rows x vectors FMAs.
      cost = std::max(cost, 1.0 / (perCycle * static_cast<double>(rows)));
    }
  }
  return cost;
}

namespace {

/// The vector widths (elements) a block of `columns` may take, narrowest first: whole vectors
/// 1, 2, 4, 8 that divide `columns`, or else the widest power of two below one vector that does.
SmallVectorWidths widthsFor(int64_t columns, int64_t lanes) {
  SmallVectorWidths widths;
  for (int64_t v = 1; v <= kMaxVectors && columns % (v * lanes) == 0; v *= 2)
    widths.push_back({v, v * lanes});
  if (widths.empty()) {
    int64_t w = lanes / 2;
    while (w > 1 && columns % w != 0)
      w /= 2;
    widths.push_back({1, std::max<int64_t>(w, 1)});
  }
  return widths;
}

template <typename Cost>
RegisterBlock search(int64_t rows, int64_t columns, const VectorUnit &unit, bool splitRows,
                     bool wholeColumns, bool restMayGrow, Cost cost) {
  RegisterBlock best{1, 1, 1, kNever};
  for (auto [v, width] : widthsFor(columns, unit.lanes)) {
    if (wholeColumns && width != columns)
      continue;
    for (int64_t r = 1; r <= std::min(rows, kMaxRows); ++r) {
      double c = cost(r, v);
      if (c == kNever)
        break;
      int64_t rest = rows % r, restRows = 0;
      if (rest != 0) {
        if (!splitRows)
          continue;
        // The last rows, done apart by a block that divides them (which the caller's tiling
        // of that part then chooses), as wide as suits it best: the rest alone, or (with
        // restMayGrow) the rest and a few of the r-row blocks where a block that divides
        // those is faster (128 rows on AVX2: 6 x 2 vectors for 108 and 5 x 2 for 20, not 6 x 2
        // for 126 and 2 x 2 for the last two, whose four accumulators wait on the FMA latency).
        double best = kNever;
        for (int64_t s = rest, j = 0; s < rows && j <= (restMayGrow ? kMaxRows : 0); s += r, ++j) {
          double partCost = kNever;
          for (int64_t p = std::min(s, kMaxRows); p >= 1; --p)
            if (s % p == 0 && (restMayGrow || p == s))
              for (auto [pv, pwidth] : widthsFor(columns, unit.lanes))
                if (!wholeColumns || pwidth == columns)
                  partCost = std::min(partCost, cost(p, pv));
          double total = (c * static_cast<double>(rows - s) + partCost * static_cast<double>(s)) /
                         static_cast<double>(rows);
          if (total < best - 1e-9) {
            best = total;
            restRows = s;
          }
        }
        c = best;
      }
      RegisterBlock candidate{r, v, width, c, restRows};
      if (better(candidate, best))
        best = candidate;
    }
  }
  if (best.cyclesPerFma == kNever) { // not even one row fits: one row
    int64_t width = wholeColumns ? columns : widthsFor(columns, unit.lanes).front().second;
    best = RegisterBlock{1, std::max<int64_t>(width / unit.lanes, 1), width, kNever};
  }
  return best;
}

} // namespace

RegisterBlock outerProductBlock(int64_t rows, int64_t columns, const VectorUnit &unit,
                                bool splitRows, int64_t reduction, bool restMayGrow) {
  // A convolution's rest stays the rest: moving more of a row's pixels into the part with
  // smaller blocks measured slower (MobileNetV2 on AVX2: +3.6 %).
  return search(rows, columns, unit, splitRows, /*wholeColumns=*/false,
                restMayGrow && reduction == 0,
                [&](int64_t r, int64_t v) { return outerProductCost(r, v, unit, reduction); });
}

RegisterBlock rowBlock(int64_t rows, int64_t columns, const VectorUnit &unit, bool splitRows,
                       bool restMayGrow) {
  return search(rows, columns, unit, splitRows, /*wholeColumns=*/true, restMayGrow,
                [&](int64_t r, int64_t v) { return outerProductCost(r, v, unit); });
}

RegisterBlock splitIfWorthIt(const RegisterBlock &split, const RegisterBlock &whole) {
  constexpr double kWorthSplitting = 0.9;
  return split.cyclesPerFma < kWorthSplitting * whole.cyclesPerFma ? split : whole;
}

RegisterBlock elementwiseBlock(int64_t rows, int64_t columns, const VectorUnit &unit,
                               int64_t taps, int64_t stride) {
  taps = std::max<int64_t>(taps, 1);
  stride = std::max<int64_t>(stride, 1);
  return search(rows, columns, unit, /*splitRows=*/false, /*wholeColumns=*/false,
                /*restMayGrow=*/false, [&](int64_t r, int64_t v) {
    int64_t window = (r - 1) * stride + taps;
    if (r * v + window * v + 1 > unit.registers)
      return kNever;
    // Per window row: the window's input vectors and each tap's filter vectors loaded, `taps`
    // FMAs into each accumulator, one after the other.
    return stepCost(r * v * taps, (window + taps) * v, 2, unit.fmaLatency, /*chain=*/taps);
  });
}

} // namespace mlir::smc
