//===- PrefetchPanels.cpp - Stream the next weight panel during reuse -----===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::smc {
#define GEN_PASS_DEF_PREFETCHPANELS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

/// Whether `v` is computed from constants and from values defined strictly inside `rows` (the
/// induction variables of the loops it holds, not its own): a reduction index that does not
/// move with the row block.
bool insideRows(Value v, scf::ForOp rows, int depth = 0) {
  if (depth > 8)
    return false;
  if (matchPattern(v, m_Constant()))
    return true;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    Operation *owner = arg.getOwner()->getParentOp();
    return owner != rows && rows->isProperAncestor(owner);
  }
  Operation *def = v.getDefiningOp();
  if (!rows->isProperAncestor(def) || def->getNumRegions() != 0)
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value operand) { return insideRows(operand, rows, depth + 1); });
}

/// Whether `v` depends on `iv`, through ops of `scope` that are not loops.
bool dependsOn(Value v, Value iv, Operation *scope, int depth = 0) {
  if (v == iv)
    return true;
  Operation *def = v.getDefiningOp();
  if (depth > 8 || !def || !scope->isProperAncestor(def) || def->getNumRegions() != 0)
    return false;
  return llvm::any_of(def->getOperands(),
                      [&](Value operand) { return dependsOn(operand, iv, scope, depth + 1); });
}

/// Whether the ops of `scope` that `v` is computed by are pure and hold no regions: they can
/// be computed again for the next iteration.
bool recomputable(Value v, Operation *scope, int depth = 0) {
  Operation *def = v.getDefiningOp();
  if (!def || !scope->isProperAncestor(def))
    return true;
  if (depth > 8 || def->getNumRegions() != 0 || !isPure(def))
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value operand) { return recomputable(operand, scope, depth + 1); });
}

/// `v` as computed for the next iteration of `block`: the ops between the loop's induction
/// variable and `v` cloned at `b`'s insertion point, the induction variable replaced by `next`.
Value cloneForNext(OpBuilder &b, Value v, scf::ForOp block, Value next, IRMapping &map) {
  if (v == block.getInductionVar())
    return next;
  if (Value mapped = map.lookupOrNull(v))
    return mapped;
  Operation *def = v.getDefiningOp();
  if (!def || !block->isProperAncestor(def))
    return v;
  for (Value operand : def->getOperands())
    map.map(operand, cloneForNext(b, operand, block, next, map));
  Operation *clone = b.clone(*def, map);
  return clone->getResult(cast<OpResult>(v).getResultNumber());
}

/// A weight load in a reduction loop whose panel is reused by the row loop around it.
struct Panel {
  vector::LoadOp load;
  scf::ForOp rows;  // reuses the panel: W's indices do not move with it
  scf::ForOp block; // selects the panel: W's first index moves with it
  int64_t rowTrips;
};

std::optional<Panel> matchPanel(vector::LoadOp load, int64_t minBytes) {
  auto type = dyn_cast<MemRefType>(load.getBase().getType());
  if (!type || type.getRank() < 2 || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !type.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
  if (bytes <= minBytes || type.getDimSize(0) < 2)
    return std::nullopt;
  auto reduction = dyn_cast<scf::ForOp>(load->getParentOp());
  if (!reduction)
    return std::nullopt;
  Value first = load.getIndices().front();
  // Walk out from the reduction loop: the first loop whose induction variable the first index
  // follows selects the panel, and the loop just inside it reuses it.
  scf::ForOp rows;
  for (scf::ForOp loop = reduction; loop; loop = loop->getParentOfType<scf::ForOp>()) {
    scf::ForOp outer = loop->getParentOfType<scf::ForOp>();
    if (!outer)
      return std::nullopt;
    if (loop.getRegion().isAncestor(first.getParentRegion()))
      return std::nullopt; // the panel changes inside the candidate row loop
    if (!dependsOn(first, outer.getInductionVar(), outer))
      continue;
    if (!recomputable(first, outer))
      return std::nullopt;
    rows = loop;
    if (rows == reduction)
      return std::nullopt;
    std::optional<int64_t> trips =
        constantTripCount(rows.getLowerBound(), rows.getUpperBound(), rows.getStep());
    if (!trips || *trips < 2)
      return std::nullopt;
    if (!llvm::all_of(load.getIndices().drop_front(),
                      [&](Value index) { return insideRows(index, rows); }))
      return std::nullopt;
    if (outer.getRegion().isAncestor(load.getBase().getParentRegion()))
      return std::nullopt; // W must be visible outside the block loop (its flat view goes there)
    return Panel{load, rows, outer, *trips};
  }
  return std::nullopt;
}

void prefetchNext(const Panel &panel) {
  vector::LoadOp load = panel.load;
  Location loc = load.getLoc();
  auto type = cast<MemRefType>(load.getBase().getType());
  int64_t panelElems = type.getNumElements() / type.getDimSize(0);
  unsigned shift = llvm::Log2_64(panel.rowTrips); // 2^shift row blocks share the panel out
  int64_t part = panelElems >> shift;

  // The next block's panel index, clamped to W, computed before the row loop.
  OpBuilder b(panel.rows);
  scf::ForOp block = panel.block;
  Value next = b.create<arith::AddIOp>(loc, block.getInductionVar(), block.getStep());
  IRMapping map;
  Value nextIndex = cloneForNext(b, load.getIndices().front(), block, next, map);
  Value last = b.create<arith::ConstantIndexOp>(loc, type.getDimSize(0) - 1);
  nextIndex = b.create<arith::MinSIOp>(loc, nextIndex, last);

  // W as one dimension, made where W is visible (outside the block loop).
  b.setInsertionPoint(block);
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.front().push_back(d);
  Value flat = b.create<memref::CollapseShapeOp>(loc, load.getBase(), all);

  // In the reduction: row r (mod 2^shift) sweeps part r of the next panel, at the rate the
  // reduction sweeps the current one (offsets divided by 2^shift).
  b.setInsertionPoint(load);
  auto constant = [&](int64_t c) { return b.create<arith::ConstantIndexOp>(loc, c); };
  scf::ForOp rows = panel.rows;
  Value r = b.create<arith::SubIOp>(loc, rows.getInductionVar(), rows.getLowerBound());
  r = b.create<arith::DivUIOp>(loc, r, rows.getStep());
  r = b.create<arith::AndIOp>(loc, r, constant((int64_t{1} << shift) - 1));
  Value offset = b.create<arith::MulIOp>(loc, nextIndex, constant(panelElems));
  offset = b.create<arith::AddIOp>(loc, offset, b.create<arith::MulIOp>(loc, r, constant(part)));
  SmallVector<int64_t> strides(type.getRank(), 1);
  for (int64_t d = type.getRank() - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  for (int64_t d = 1; d < type.getRank(); ++d) {
    Value index = load.getIndices()[d];
    if (std::optional<int64_t> c = getConstantIntValue(index)) {
      if (*c != 0)
        offset = b.create<arith::AddIOp>(loc, offset, constant((*c * strides[d]) >> shift));
      continue;
    }
    Value term = b.create<arith::MulIOp>(loc, index, constant(strides[d]));
    if (shift)
      term = b.create<arith::ShRUIOp>(loc, term, constant(shift));
    offset = b.create<arith::AddIOp>(loc, offset, term);
  }
  b.create<memref::PrefetchOp>(loc, flat, ValueRange{offset}, /*isWrite=*/false,
                               /*localityHint=*/2, /*isDataCache=*/true);
}

struct PrefetchPanelsPass : mlir::smc::impl::PrefetchPanelsBase<PrefetchPanelsPass> {
  using PrefetchPanelsBase::PrefetchPanelsBase;
  void runOnOperation() override {
    SmallVector<Panel> panels;
    llvm::DenseSet<std::pair<Operation *, Value>> seen; // one prefetch per loop and weights
    getOperation().walk([&](vector::LoadOp load) {
      if (std::optional<Panel> panel = matchPanel(load, minBytes))
        if (seen.insert({load->getParentOp(), load.getBase()}).second)
          panels.push_back(*panel);
    });
    for (const Panel &panel : panels)
      prefetchNext(panel);
  }
};

} // namespace
