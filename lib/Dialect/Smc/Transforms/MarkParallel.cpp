//===- MarkParallel.cpp - Loops whose iterations may run at once ----------===//
//
// After bufferization, before the memory plan, a layer of an exported function is a top-level
// loop nest over its output tiles. Its outermost loop may run its iterations as tasks on
// several cores when no iteration touches memory that another one writes. That is what the
// tiling meant, but it is proven here on the buffers, not assumed: every access in the loop is
// traced to a buffer defined outside it, with its position along each dimension written as
// `a * iv + r` (iv the loop's induction variable, r in a range computed from the inner loops'
// bounds); a buffer that the loop writes must be touched by every access along one common
// dimension, in slabs that the step of the loop keeps apart. A temporary allocated inside the
// loop (it would have one place in the arena for every task) or an access the forms cannot
// describe keeps the loop serial.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/IR/SmcDialect.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

namespace mlir::smc {
#define GEN_PASS_DEF_MARKPARALLEL
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

/// The elements of a vector that count as one operation of work: a 512-bit register of f32.
constexpr int64_t kLanesPerOp = 16;

/// A position along one dimension: `a * iv + r` with `lo <= r <= hi`.
struct Form {
  int64_t a = 0, lo = 0, hi = 0;
};

std::optional<int64_t> add(int64_t x, int64_t y) { return llvm::checkedAdd(x, y); }
std::optional<int64_t> mul(int64_t x, int64_t y) { return llvm::checkedMul(x, y); }

std::optional<Form> sum(Form x, Form y) {
  auto a = add(x.a, y.a), lo = add(x.lo, y.lo), hi = add(x.hi, y.hi);
  if (!a || !lo || !hi)
    return std::nullopt;
  return Form{*a, *lo, *hi};
}

std::optional<Form> scale(Form x, int64_t c) {
  auto a = mul(x.a, c), lo = mul(x.lo, c), hi = mul(x.hi, c);
  if (!a || !lo || !hi)
    return std::nullopt;
  return c >= 0 ? Form{*a, *lo, *hi} : Form{*a, *hi, *lo};
}

/// One access of a buffer defined outside the loop: its position and extent per dimension.
struct Access {
  Value base;
  SmallVector<Form> index;
  SmallVector<int64_t> extent;
  bool write = false;
  bool known = true; // index and extent describe it (else only its base is known)
};

class LoopAnalysis {
public:
  explicit LoopAnalysis(scf::ForOp loop) : loop(loop), iv(loop.getInductionVar()) {}

  /// Whether the iterations touch disjoint memory wherever one of them writes; the work of
  /// one iteration (operations executed, roughly) in `work`.
  bool independent(int64_t &work);

private:
  bool inside(Value v) const {
    Region *r = v.getParentRegion();
    return r && loop->isAncestor(r->getParentOp());
  }
  std::optional<Form> form(Value v, int depth = 0);
  std::optional<Form> form(AffineExpr e, ValueRange operands, unsigned dims, int depth);
  bool collect(Operation *op);
  bool addAccess(Value memref, std::optional<SmallVector<Form>> index, SmallVector<int64_t> extent,
                 bool write);
  std::optional<int64_t> tripCount(scf::ForOp inner);

  scf::ForOp loop;
  Value iv;
  SmallVector<Access> accesses;
};

std::optional<Form> LoopAnalysis::form(Value v, int depth) {
  if (depth > 32)
    return std::nullopt;
  if (v == iv)
    return Form{1, 0, 0};
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return Form{0, *c, *c};
  if (!inside(v))
    return std::nullopt; // a value that differs from call to call
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto inner = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    if (!inner || arg != inner.getInductionVar())
      return std::nullopt;
    std::optional<int64_t> step = getConstantIntValue(inner.getStep());
    std::optional<Form> lb = form(inner.getLowerBound(), depth + 1);
    std::optional<Form> ub = form(inner.getUpperBound(), depth + 1);
    if (!step || *step <= 0 || !lb || !ub || lb->a != ub->a)
      return std::nullopt;
    int64_t last = std::max(lb->lo, ub->hi - 1);
    if (lb->lo == lb->hi && ub->hi > lb->lo) // the last value the step reaches
      last = lb->lo + (ub->hi - 1 - lb->lo) / *step * *step;
    return Form{lb->a, lb->lo, last};
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  auto operand = [&](unsigned i) { return form(def->getOperand(i), depth + 1); };
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(def))
    return operand(0);
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp>(def)) {
    std::optional<Form> x = operand(0), y = operand(1);
    if (!x || !y)
      return std::nullopt;
    if (isa<arith::AddIOp>(def))
      return sum(*x, *y);
    if (isa<arith::SubIOp>(def)) {
      std::optional<Form> negY = scale(*y, -1);
      return negY ? sum(*x, *negY) : std::nullopt;
    }
    if (x->a == 0 && x->lo == x->hi)
      return scale(*y, x->lo);
    if (y->a == 0 && y->lo == y->hi)
      return scale(*x, y->lo);
    return std::nullopt;
  }
  if (isa<affine::AffineMinOp, affine::AffineMaxOp, arith::MinSIOp, arith::MaxSIOp>(def)) {
    SmallVector<Form> forms;
    auto push = [&](std::optional<Form> f) {
      if (f)
        forms.push_back(*f);
      return f.has_value();
    };
    auto mapResults = [&](auto minMax) {
      return llvm::all_of(minMax.getMap().getResults(), [&](AffineExpr e) {
        return push(form(e, minMax.getOperands(), minMax.getMap().getNumDims(), depth + 1));
      });
    };
    bool known = false;
    if (auto min = dyn_cast<affine::AffineMinOp>(def))
      known = mapResults(min);
    else if (auto max = dyn_cast<affine::AffineMaxOp>(def))
      known = mapResults(max);
    else
      known = push(operand(0)) && push(operand(1));
    if (!known)
      return std::nullopt;
    bool isMin = isa<affine::AffineMinOp, arith::MinSIOp>(def);
    Form out = forms.front();
    for (const Form &f : forms) {
      if (f.a != out.a)
        return std::nullopt;
      out.lo = isMin ? std::min(out.lo, f.lo) : std::max(out.lo, f.lo);
      out.hi = isMin ? std::min(out.hi, f.hi) : std::max(out.hi, f.hi);
    }
    return out;
  }
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def))
    return form(apply.getAffineMap().getResult(0), apply.getMapOperands(),
                apply.getAffineMap().getNumDims(), depth + 1);
  return std::nullopt;
}

std::optional<Form> LoopAnalysis::form(AffineExpr e, ValueRange operands, unsigned dims,
                                       int depth) {
  if (depth > 32)
    return std::nullopt;
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return Form{0, c.getValue(), c.getValue()};
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return form(operands[d.getPosition()], depth + 1);
  if (auto s = dyn_cast<AffineSymbolExpr>(e))
    return form(operands[dims + s.getPosition()], depth + 1);
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return std::nullopt;
  std::optional<Form> x = form(bin.getLHS(), operands, dims, depth + 1);
  std::optional<Form> y = form(bin.getRHS(), operands, dims, depth + 1);
  if (!x || !y)
    return std::nullopt;
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return sum(*x, *y);
  case AffineExprKind::Mul:
    if (y->a == 0 && y->lo == y->hi)
      return scale(*x, y->lo);
    if (x->a == 0 && x->lo == x->hi)
      return scale(*y, x->lo);
    return std::nullopt;
  case AffineExprKind::FloorDiv:
  case AffineExprKind::CeilDiv:
  case AffineExprKind::Mod: {
    // Of a value that does not move with iv only (a tile's index within the loop's step).
    if (x->a != 0 || y->a != 0 || y->lo != y->hi || y->lo <= 0 || x->lo < 0)
      return std::nullopt;
    int64_t c = y->lo;
    if (e.getKind() == AffineExprKind::Mod)
      return x->hi < c ? *x : Form{0, 0, c - 1};
    if (e.getKind() == AffineExprKind::FloorDiv)
      return Form{0, x->lo / c, x->hi / c};
    return Form{0, (x->lo + c - 1) / c, (x->hi + c - 1) / c};
  }
  default:
    return std::nullopt;
  }
}

std::optional<int64_t> LoopAnalysis::tripCount(scf::ForOp inner) {
  std::optional<int64_t> step = getConstantIntValue(inner.getStep());
  std::optional<Form> lb = form(inner.getLowerBound()), ub = form(inner.getUpperBound());
  if (!step || *step <= 0 || !lb || !ub || lb->a != ub->a)
    return std::nullopt;
  if (ub->hi <= lb->lo)
    return 0;
  return (ub->hi - lb->lo + *step - 1) / *step;
}

/// Adds an access of `memref` at `index` (one form per dimension; none: unknown) covering
/// `extent`; traces views made inside the loop back to the buffer they view. False when that
/// buffer cannot be found.
bool LoopAnalysis::addAccess(Value memref, std::optional<SmallVector<Form>> index,
                             SmallVector<int64_t> extent, bool write) {
  while (inside(memref)) {
    Operation *def = memref.getDefiningOp();
    if (auto cast = dyn_cast_or_null<memref::CastOp>(def)) {
      memref = cast.getSource();
      continue;
    }
    auto sub = dyn_cast_or_null<memref::SubViewOp>(def);
    if (!sub)
      return false;
    memref = sub.getSource();
    if (!index)
      continue;
    llvm::SmallBitVector dropped = sub.getDroppedDims();
    SmallVector<OpFoldResult> offsets = sub.getMixedOffsets();
    SmallVector<OpFoldResult> strides = sub.getMixedStrides();
    SmallVector<Form> outer;
    SmallVector<int64_t> outerExtent;
    unsigned j = 0;
    bool ok = true;
    for (unsigned d = 0; d < offsets.size() && ok; ++d) {
      std::optional<Form> offset;
      if (std::optional<int64_t> c = getConstantIntValue(offsets[d]))
        offset = Form{0, *c, *c};
      else
        offset = form(cast<Value>(offsets[d]));
      std::optional<int64_t> stride = getConstantIntValue(strides[d]);
      if (!offset || !stride || *stride <= 0) {
        ok = false;
        break;
      }
      if (dropped.test(d)) {
        outer.push_back(*offset);
        outerExtent.push_back(1);
        continue;
      }
      if (j >= index->size()) {
        ok = false;
        break;
      }
      std::optional<Form> scaled = scale((*index)[j], *stride);
      std::optional<Form> pos = scaled ? sum(*offset, *scaled) : std::nullopt;
      std::optional<int64_t> span = mul(extent[j] - 1, *stride);
      if (!pos || !span) {
        ok = false;
        break;
      }
      outer.push_back(*pos);
      outerExtent.push_back(*span + 1);
      ++j;
    }
    if (!ok || j != index->size()) {
      index.reset();
      continue;
    }
    index = std::move(outer);
    extent = std::move(outerExtent);
  }
  Access a{memref, {}, std::move(extent), write, index.has_value()};
  if (index)
    a.index = std::move(*index);
  accesses.push_back(std::move(a));
  return true;
}

/// Records the accesses of `op`; false when they cannot be described.
bool LoopAnalysis::collect(Operation *op) {
  if (isa<memref::AllocOp, memref::AllocaOp>(op))
    return false; // a temporary would have one place in the arena for every task
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() || isMemoryEffectFree(op))
    return true; // nested ops are visited on their own
  auto indexed = [&](Value memref, ValueRange indices, ArrayRef<int64_t> vectorShape,
                     bool write) {
    auto type = dyn_cast<MemRefType>(memref.getType());
    if (!type || indices.size() != static_cast<size_t>(type.getRank()) ||
        vectorShape.size() > indices.size())
      return false;
    std::optional<SmallVector<Form>> index(SmallVector<Form>{});
    for (Value i : indices)
      if (std::optional<Form> f = form(i); f && index)
        index->push_back(*f);
      else
        index.reset();
    SmallVector<int64_t> extent(indices.size(), 1);
    for (auto [k, n] : llvm::enumerate(vectorShape))
      extent[indices.size() - vectorShape.size() + k] = n;
    return addAccess(memref, std::move(index), std::move(extent), write);
  };
  if (auto load = dyn_cast<memref::LoadOp>(op))
    return indexed(load.getMemRef(), load.getIndices(), {}, false);
  if (auto store = dyn_cast<memref::StoreOp>(op))
    return indexed(store.getMemRef(), store.getIndices(), {}, true);
  if (auto load = dyn_cast<vector::LoadOp>(op))
    return indexed(load.getBase(), load.getIndices(), load.getVectorType().getShape(), false);
  if (auto store = dyn_cast<vector::StoreOp>(op))
    return indexed(store.getBase(), store.getIndices(), store.getVectorType().getShape(), true);
  if (auto load = dyn_cast<vector::MaskedLoadOp>(op))
    return indexed(load.getBase(), load.getIndices(), load.getVectorType().getShape(), false);
  if (auto store = dyn_cast<vector::MaskedStoreOp>(op))
    return indexed(store.getBase(), store.getIndices(), store.getVectorType().getShape(), true);
  auto transfer = [&](VectorTransferOpInterface t, bool write) {
    if (!isa<MemRefType>(t.getShapedType()))
      return false;
    if (!t.getPermutationMap().isMinorIdentity())
      return addAccess(t.getSource(), std::nullopt, {}, write);
    return indexed(t.getSource(), t.getIndices(), t.getVectorType().getShape(), write);
  };
  if (auto read = dyn_cast<vector::TransferReadOp>(op))
    return transfer(read, false);
  if (auto write = dyn_cast<vector::TransferWriteOp>(op))
    return transfer(write, true);
  // Anything else touches whole operands (linalg ops, copies), by what its effects say.
  auto effecting = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effecting)
    return false;
  SmallVector<MemoryEffects::EffectInstance> effects;
  effecting.getEffects(effects);
  for (const MemoryEffects::EffectInstance &e : effects) {
    bool write = isa<MemoryEffects::Write>(e.getEffect());
    if (!write && !isa<MemoryEffects::Read>(e.getEffect()))
      return false;
    Value v = e.getValue();
    if (!v)
      return false;
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.hasStaticShape())
      return false;
    SmallVector<Form> index(type.getRank(), Form{0, 0, 0});
    if (!addAccess(v, std::move(index), SmallVector<int64_t>(type.getShape()), write))
      return false;
  }
  return true;
}

/// The buffer a view outside the loop views (through views made outside it): two bases with
/// the same root may overlap.
Value rootOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (isa<memref::SubViewOp, memref::CastOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
            memref::ReinterpretCastOp, memref::ViewOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    break;
  }
  return v;
}

bool sameRoot(Value a, Value b) {
  if (a == b)
    return true;
  auto ga = a.getDefiningOp<memref::GetGlobalOp>(), gb = b.getDefiningOp<memref::GetGlobalOp>();
  return ga && gb && ga.getName() == gb.getName();
}

bool LoopAnalysis::independent(int64_t &work) {
  if (loop.getNumResults() != 0)
    return false;
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!step || *step <= 0)
    return false;
  bool ok = true;
  work = 0;
  loop.getBody()->walk([&](Operation *op) {
    if (!ok)
      return WalkResult::interrupt();
    if (!collect(op)) {
      ok = false;
      return WalkResult::interrupt();
    }
    // Work: each op once per iteration of the loops around it inside this one.
    if (op->hasTrait<OpTrait::ConstantLike>() || isa<scf::YieldOp>(op))
      return WalkResult::advance();
    int64_t times = 1;
    for (Operation *p = op->getParentOp(); p && p != loop.getOperation(); p = p->getParentOp())
      if (auto inner = dyn_cast<scf::ForOp>(p)) {
        std::optional<int64_t> n = tripCount(inner);
        std::optional<int64_t> t = n ? mul(times, *n) : std::nullopt;
        if (!t) {
          ok = false;
          return WalkResult::interrupt();
        }
        times = *t;
      }
    // A vector op counts once per 512-bit register it spans (a 64-lane transform step is
    // four ops' work, not one: ResNet50's Winograd transforms stayed serial).
    int64_t lanes = 1;
    auto widen = [&](Type t) {
      if (auto v = dyn_cast<VectorType>(t))
        lanes = std::max(lanes, v.getNumElements());
    };
    for (Type t : op->getResultTypes())
      widen(t);
    for (Type t : op->getOperandTypes())
      widen(t);
    times = mul(times, llvm::divideCeil(lanes, kLanesPerOp))
                .value_or(std::numeric_limits<int64_t>::max());
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      for (int64_t r : linalgOp.getStaticLoopRanges())
        times = ShapedType::isDynamic(r) ? times : times * std::max<int64_t>(r, 1);
    if (auto copy = dyn_cast<memref::CopyOp>(op)) // a copy: one op per element, roughly
      if (auto t = dyn_cast<MemRefType>(copy.getTarget().getType()); t && t.hasStaticShape())
        times *= std::max<int64_t>(t.getNumElements(), 1);
    work = add(work, times).value_or(std::numeric_limits<int64_t>::max());
    return WalkResult::advance();
  });
  if (!ok)
    return false;

  // Each buffer the loop writes: every access of it in one slab per iteration, along a common
  // dimension, the slabs of iv and iv + step apart; no other view of the same buffer in use.
  for (const Access &w : accesses) {
    if (!w.write)
      continue;
    if (!w.known)
      return false;
    SmallVector<const Access *> same;
    for (const Access &x : accesses) {
      if (x.base == w.base) {
        if (!x.known)
          return false;
        same.push_back(&x);
      }
      else if (sameRoot(rootOf(x.base), rootOf(w.base)))
        return false;
    }
    bool separated = false;
    for (size_t d = 0; d < w.index.size() && !separated; ++d) {
      int64_t a = w.index[d].a;
      if (a <= 0)
        continue;
      int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
      bool common = true;
      for (const Access *x : same) {
        if (x->index.size() != w.index.size() || x->index[d].a != a) {
          common = false;
          break;
        }
        first = std::min(first, x->index[d].lo);
        std::optional<int64_t> end = add(x->index[d].hi, x->extent[d] - 1);
        if (!end) {
          common = false;
          break;
        }
        last = std::max(last, *end);
      }
      std::optional<int64_t> apart = mul(a, *step);
      separated = common && apart && last - first < *apart;
    }
    if (!separated)
      return false;
  }
  return true;
}

/// A large fill or copy at the top level becomes a loop over the slabs of its first dimension
/// longer than 1, so that it is marked like a layer's loop: on two threads ResNet50's zero fills
/// and concatenation copies took 3% of the samples on the calling thread while the other
/// waited. `minElements`: the smallest worth a loop.
void sliceLargeFillsAndCopies(func::FuncOp f, int64_t minElements) {
  for (Operation &op : llvm::make_early_inc_range(f.getBody().front())) {
    auto fill = dyn_cast<linalg::FillOp>(op);
    auto copy = dyn_cast<memref::CopyOp>(op);
    if (fill && !fill.hasPureBufferSemantics())
      continue;
    if (!fill && !copy)
      continue;
    Value target = fill ? fill.getDpsInitOperand(0)->get() : copy.getTarget();
    auto type = dyn_cast<MemRefType>(target.getType());
    if (!type || !type.hasStaticShape() || type.getNumElements() < minElements ||
        (copy && copy.getSource().getType() != target.getType() &&
         cast<MemRefType>(copy.getSource().getType()).getShape() != type.getShape()))
      continue;
    ArrayRef<int64_t> shape = type.getShape();
    auto dim = llvm::find_if(shape, [](int64_t d) { return d > 1; });
    if (dim == shape.end())
      continue;
    unsigned d = dim - shape.begin();
    OpBuilder b(&op);
    Location loc = op.getLoc();
    Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
    Value one = b.create<arith::ConstantIndexOp>(loc, 1);
    Value upper = b.create<arith::ConstantIndexOp>(loc, shape[d]);
    auto loop = b.create<scf::ForOp>(loc, zero, upper, one);
    OpBuilder lb = OpBuilder::atBlockBegin(loop.getBody());
    auto slab = [&](Value m) -> Value {
      auto t = cast<MemRefType>(m.getType());
      SmallVector<OpFoldResult> offsets(t.getRank(), lb.getIndexAttr(0)), sizes, strides(
          t.getRank(), lb.getIndexAttr(1));
      for (int64_t n : t.getShape())
        sizes.push_back(lb.getIndexAttr(n));
      offsets[d] = loop.getInductionVar();
      sizes[d] = lb.getIndexAttr(1);
      return lb.create<memref::SubViewOp>(loc, m, offsets, sizes, strides);
    };
    if (fill)
      lb.create<linalg::FillOp>(loc, fill.getInputs(), slab(target));
    else
      lb.create<memref::CopyOp>(loc, slab(copy.getSource()), slab(target));
    op.erase();
  }
}

/// A loop of few iterations (output-channel blocks outermost: a convolution whose filter
/// outweighs its input, 384 channels in blocks of 128) gives as few tasks, which 2 or 4 threads
/// share unevenly (3 tasks on 2 threads: 1.5x at best). Where the loop is independent and its
/// body is one inner loop (and index arithmetic or loads), the inner loop is cut into strips, one
/// per inner iteration, and a loop over the strips goes outermost:
///   for f { for oh {..} }  ->  for s { for f { for oh in [s, s + 1) {..} } }
/// Each strip keeps the order of its (f, oh) iterations, and iterations of different f commute
/// (the loop was independent), so the nest computes the same; the strip loop is then analysed
/// like any other (14 strips: 7 + 7 on 2 threads). The strips' loops keep their step: each runs
/// once. Returns the strip loop, or nothing (`loop`
/// unchanged).
std::optional<scf::ForOp> stripInnerLoop(scf::ForOp loop, int64_t fewTasks) {
  auto constant = [](Value v) { return getConstantIntValue(v); };
  std::optional<int64_t> lb = constant(loop.getLowerBound()), ub = constant(loop.getUpperBound()),
                         step = constant(loop.getStep());
  if (!lb || !ub || !step || *step <= 0 || *ub <= *lb || loop.getNumResults() != 0)
    return std::nullopt;
  int64_t iterations = (*ub - *lb + *step - 1) / *step;
  if (iterations >= fewTasks || iterations % 2 == 0)
    return std::nullopt;
  scf::ForOp inner;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto f = dyn_cast<scf::ForOp>(op)) {
      if (inner)
        return std::nullopt;
      inner = f;
    } else if (op.getNumRegions() != 0 ||
               !(isMemoryEffectFree(&op) || hasSingleEffect<MemoryEffects::Read>(&op))) {
      return std::nullopt; // index arithmetic and loads (a bias) only: each strip repeats them
    }
  }
  if (!inner || inner.getNumResults() != 0)
    return std::nullopt;
  std::optional<int64_t> ilb = constant(inner.getLowerBound()),
                         iub = constant(inner.getUpperBound()), istep = constant(inner.getStep());
  if (!ilb || !iub || !istep || *istep <= 0 || *iub <= *ilb)
    return std::nullopt;
  int64_t strips = (*iub - *ilb + *istep - 1) / *istep;
  if (strips <= iterations)
    return std::nullopt;
  int64_t work = 0;
  if (!LoopAnalysis(loop).independent(work))
    return std::nullopt;

  OpBuilder b(loop);
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
  auto outer = b.create<scf::ForOp>(loc, index(0), index(strips), index(1));
  Value oldLower = inner.getLowerBound(), oldUpper = inner.getUpperBound();
  b.setInsertionPointToStart(outer.getBody());
  Value lower = b.create<arith::AddIOp>(
      loc, b.create<arith::MulIOp>(loc, outer.getInductionVar(), index(*istep)), index(*ilb));
  Value upper = b.create<arith::AddIOp>(loc, lower, index(1)); // one iteration, at `lower`
  loop->moveBefore(outer.getBody()->getTerminator());
  inner.getLowerBoundMutable().assign(lower);
  inner.getUpperBoundMutable().assign(upper);
  if (LoopAnalysis(outer).independent(work))
    return outer;
  // Not provable: the nest as it was.
  inner.getLowerBoundMutable().assign(oldLower);
  inner.getUpperBoundMutable().assign(oldUpper);
  loop->moveBefore(outer);
  outer.erase();
  return std::nullopt;
}

struct MarkParallelPass : mlir::smc::impl::MarkParallelBase<MarkParallelPass> {
  using MarkParallelBase::MarkParallelBase;

  void runOnOperation() override {
    mlir::smc::SmcDialect::ParallelTasksAttrHelper mark(&getContext());
    mlir::smc::SmcDialect::SignatureAttrHelper signature(&getContext());
    for (auto f : getOperation().getOps<func::FuncOp>()) {
      if (f.isExternal() || !signature.isAttrPresent(f))
        continue;
      sliceLargeFillsAndCopies(f, 4 * minTaskOps);
      // 3 or 5 iterations only. 2, 4 and 6 share evenly on 2 threads, and there the strips
      // cost one thread (MobileNet's 14 x 14 x 512 layers: 4 blocks of a 1 MiB filter, read
      // again for every strip: +5 %); 7 is a depthwise convolution's rows on 7 x 7, whose
      // strips would run along channel blocks, 64 bytes of every pixel at a time (+2 %).
      constexpr int64_t kFewTasks = 7;
      for (auto loop : llvm::make_early_inc_range(f.getBody().front().getOps<scf::ForOp>()))
        (void)stripInnerLoop(loop, kFewTasks);
      for (auto loop : f.getBody().front().getOps<scf::ForOp>()) {
        std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
        std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
        std::optional<int64_t> step = getConstantIntValue(loop.getStep());
        if (!lb || !ub || !step || *step <= 0 || *ub <= *lb)
          continue;
        int64_t iterations = (*ub - *lb + *step - 1) / *step;
        int64_t work = 0;
        if (iterations < 2 || !LoopAnalysis(loop).independent(work))
          continue;
        // Tasks of at least minTaskOps operations, at most one per iteration, in equal chunks
        // where a divisor of the iteration count allows (8 iterations worth 5 tasks: 4 tasks of
        // 2, which 2 or 4 threads share evenly, rather than chunks of 2, 2, 2, 2, 0).
        int64_t total = llvm::checkedMul(work, iterations).value_or(std::numeric_limits<int64_t>::max());
        int64_t budget = std::min(iterations, total / std::max<int64_t>(minTaskOps, 1));
        int64_t tasks = budget;
        for (int64_t d = budget; d >= 2; --d)
          if (iterations % d == 0) {
            tasks = d;
            break;
          }
        if (tasks >= 2 && iterations % tasks != 0) // no divisor: as many chunks as are filled
          tasks = (iterations + (iterations + tasks - 1) / tasks - 1) / ((iterations + tasks - 1) / tasks);
        if (tasks >= 2)
          mark.setAttr(loop, IntegerAttr::get(IntegerType::get(&getContext(), 64), tasks));
      }
    }
  }
};

} // namespace
