//===- RegisterTiles.h - Register blocks from the target's vector unit -*- C++ -*-===//
//
// One cost model sizes every register block whose inner step is an outer product: a matmul's
// (rows of A broadcast, B's row read as vectors), a convolution's (output pixels x output
// channels: the same, with the input pixel broadcast) and a depthwise convolution's or pool's
// (output pixels x channels, one load per multiply-add). It reads only the target's vector
// width and register count, so that AVX2's 16, AVX-512's and AArch64's 32 and SSE's or 32-bit
// x86's 8 registers each get blocks that stay in registers.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_DIALECT_SMC_TRANSFORMS_REGISTERTILES_H
#define SMC_DIALECT_SMC_TRANSFORMS_REGISTERTILES_H

#include <cstdint>

namespace mlir::smc {

/// What the register blocks are sized for.
struct VectorUnit {
  int64_t lanes = 1;      // f32 elements per vector register
  int64_t registers = 16; // architectural vector registers
  /// The broadcast operand is a lane of its own register per row (ARM's fmla by element)
  /// instead of one broadcast register reused row after row (x86).
  bool laneOperands = false;
  /// Cycles of a multiply-add's latency (TargetFacts::fmaLatency).
  int64_t fmaLatency = 4;
  /// Per-core data caches in bytes (0: unknown), for where a block's B vectors come from.
  int64_t l1Bytes = 0, l2Bytes = 0;
};

/// A block of `rows` x `vectors` vector accumulators, `columns` elements wide (vectors x
/// lanes, or less than one vector where the output is narrower).
struct RegisterBlock {
  int64_t rows = 1;
  int64_t vectors = 1;
  int64_t columns = 1;
  /// Estimated cycles per multiply-add of one vector (lower is better).
  double cyclesPerFma = 0;
  /// With split rows: the last rows, tiled apart by a block that divides them (0: `rows`
  /// divides them all). The rows before them are a multiple of `rows`.
  int64_t restRows = 0;
};

/// The cost of one step of an outer-product block (`rows` broadcasts times `vectors` loaded
/// vectors into rows x vectors accumulators) on a core that issues 2 FMAs, 2 loads and 4
/// instructions per cycle, with the target's FMA latency (unit.fmaLatency): the cycles of the
/// bound that binds (FMA ports, load ports, the front end, or the latency of each
/// accumulator's chain), per FMA.
/// Infinite when the block does not fit the registers: the accumulators, the vectors of B
/// (kept for the next row when there is one) and one broadcast.
/// With `reduction` > 0 (the length of the reduction each output sums: a convolution's
/// KH x KW x C), B's panel for the block (reduction x vectors) is streamed again for every
/// block of rows: from L2 at one vector per cycle where it outgrows half of L1, from beyond L2
/// at a quarter of that where it outgrows half of L2 (a 3 x 3 x 512 filter 8 vectors wide is
/// 1.2 MB: 1 row x 8 vectors read it from memory for every pixel). A convolution's block has
/// at most 7 rows (pixels: input streams that may share one L1 set; RegisterTiles.cpp).
double outerProductCost(int64_t rows, int64_t vectors, const VectorUnit &unit,
                        int64_t reduction = 0);

/// The best block for an output of `rows` x `columns` (columns along the vectors): `vectors`
/// a power of two (at most 8) whose width divides `columns` (one narrower vector, a power of
/// two, where no whole vector does), and `rows` a divisor of `rows`
/// (at most 16) — or, with `splitRows`, any count up to 16, the last `restRows` rows (the rest,
/// or the rest and a few more blocks) done separately by a block that divides them, of the
/// width that suits them best (whose cost is counted in; the caller splits the rows and tiles
/// each part apart). Ties go to the block that loads less per FMA, then to more rows.
/// Without `restMayGrow` (and for a convolution, `reduction` > 0), the last rows are the rest
/// alone, in one block of their own: where each part streams B (or the filter) from beyond L2,
/// a larger second part costs that traffic again (the 1024^3 matmul on AVX2: 1014 + 10 rows
/// 2.6 % slower than 1020 + 4).
RegisterBlock outerProductBlock(int64_t rows, int64_t columns, const VectorUnit &unit,
                                bool splitRows, int64_t reduction = 0, bool restMayGrow = true);

/// The rows of a block exactly `columns` wide (a packed matmul's block), chosen as
/// outerProductBlock chooses them.
RegisterBlock rowBlock(int64_t rows, int64_t columns, const VectorUnit &unit, bool splitRows,
                       bool restMayGrow = true);

/// Of the best block with split rows (`split`: outerProductBlock or rowBlock with splitRows)
/// and the best that divides them (`whole`), the one to use where splitting has a price of
/// its own (an op fused into its consumer's tiles is split with the consumer, and each part
/// streams the whole filter or B again): `split` only where it is >= 10% faster by the model.
RegisterBlock splitIfWorthIt(const RegisterBlock &split, const RegisterBlock &whole);

/// The block of a depthwise convolution or pool over one window row of `taps` taps at
/// `stride`: each output row's accumulators take one FMA per tap from the input row under it,
/// and the input rows of the window are loaded once and kept for the taps that share them,
/// so the accumulators, the window ((rows - 1) x stride + taps rows) and one filter vector must
/// fit; rows a divisor of `rows`.
RegisterBlock elementwiseBlock(int64_t rows, int64_t columns, const VectorUnit &unit,
                               int64_t taps, int64_t stride);

} // namespace mlir::smc

#endif // SMC_DIALECT_SMC_TRANSFORMS_REGISTERTILES_H
