//===- PlanMemory.cpp - A static, liveness-based memory plan --------------===//
//
// Every temporary of an exported function lives at a fixed offset of one arena whose size is
// known at compile time. Live ranges are measured in the function's top-level op order (an op
// with regions counts as one step), so buffers used inside a loop live through the whole loop,
// and a buffer that a branch or loop passes on lives as long as the value it becomes.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <functional>

namespace mlir::smc {
#define GEN_PASS_DEF_PLANMEMORY
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t size = 0;
  int64_t first = 0, last = 0; // top-level positions, inclusive
  int64_t offset = -1;
};

int64_t alignUp(int64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

/// Position of the top-level op of `entry` that contains `op`.
int64_t positionOf(Operation *op, Block &entry, const DenseMap<Operation *, int64_t> &pos) {
  while (op && op->getBlock() != &entry)
    op = op->getParentOp();
  auto it = pos.find(op);
  return it == pos.end() ? -1 : it->second;
}

/// Whether `op` returns a view of (an alias into) its memref operands.
bool isAliasing(Operation *op) {
  return isa<ViewLikeOpInterface, memref::CollapseShapeOp, memref::ExpandShapeOp,
             memref::CastOp, memref::ReinterpretCastOp>(op);
}

LogicalResult plan(func::FuncOp func) {
  Block &entry = func.getBody().front();
  BlockArgument arena = entry.getArguments().back();
  DenseMap<Operation *, int64_t> pos;
  int64_t n = 0;
  for (Operation &op : entry)
    pos[&op] = n++;

  std::vector<Buffer> buffers;
  bool failedAlloc = false;
  func.walk([&](memref::AllocOp alloc) {
    MemRefType t = alloc.getType();
    if (!t.hasStaticShape() || !t.getLayout().isIdentity()) {
      alloc.emitError("cannot place a dynamically shaped or strided buffer in the static arena: ")
          << t;
      failedAlloc = true;
      return;
    }
    Buffer buf;
    buf.alloc = alloc;
    int64_t bytes = (t.getElementTypeBitWidth() + 7) / 8;
    buf.size = alignUp(std::max<int64_t>(t.getNumElements() * bytes, 1));
    buf.first = buf.last = positionOf(alloc, entry, pos);
    SmallVector<Value> work = {alloc.getResult()};
    DenseSet<Value> seen(work.begin(), work.end());
    auto follow = [&](Value r) {
      if (isa<MemRefType>(r.getType()) && seen.insert(r).second)
        work.push_back(r);
    };
    // Control flow passes buffers on: an operand of an op with regions (a loop's initial
    // value) and a region terminator's operand (a branch's or a body's result) may come out
    // as the op's results or its regions' arguments, so the buffer lives as long as they do.
    auto followRegionOp = [&](Operation *op) {
      for (Value r : op->getResults())
        follow(r);
      for (Region &region : op->getRegions())
        for (BlockArgument a : region.getArguments())
          follow(a);
    };
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (Operation *user : v.getUsers()) {
        buf.last = std::max(buf.last, positionOf(user, entry, pos));
        if (isAliasing(user))
          for (Value r : user->getResults())
            follow(r);
        if (user->getNumRegions() > 0)
          followRegionOp(user);
        if (user->hasTrait<OpTrait::IsTerminator>() && user->getParentOp() != func)
          followRegionOp(user->getParentOp());
      }
    }
    buffers.push_back(buf);
  });
  if (failedAlloc)
    return failure();

  // Greedy placement: buffers in some order, each at the lowest offset clear of every placed
  // buffer whose live range overlaps. No single order is best for every graph, so several are
  // tried and the smallest arena kept (largest first, earliest first, longest-lived first,
  // biggest size x lifetime first).
  auto place = [&](std::vector<Buffer *> order, std::vector<int64_t> &offsets) {
    std::vector<Buffer *> placed;
    int64_t total = 0;
    for (Buffer *b : order) {
      std::vector<std::pair<int64_t, int64_t>> busy;
      for (Buffer *p : placed)
        if (p->first <= b->last && b->first <= p->last)
          busy.push_back({offsets[p - buffers.data()], offsets[p - buffers.data()] + p->size});
      std::sort(busy.begin(), busy.end());
      int64_t offset = 0;
      for (auto [s, e] : busy) {
        if (offset + b->size <= s)
          break;
        offset = std::max(offset, e);
      }
      offsets[b - buffers.data()] = offset;
      total = std::max(total, offset + b->size);
      placed.push_back(b);
    }
    return total;
  };
  using Less = std::function<bool(const Buffer *, const Buffer *)>;
  std::vector<Less> orders = {
      [](const Buffer *a, const Buffer *b) { return a->size > b->size; },
      [](const Buffer *a, const Buffer *b) {
        return a->first != b->first ? a->first < b->first : a->size > b->size;
      },
      [](const Buffer *a, const Buffer *b) {
        int64_t la = a->last - a->first, lb = b->last - b->first;
        return la != lb ? la > lb : a->size > b->size;
      },
      [](const Buffer *a, const Buffer *b) {
        return a->size * (a->last - a->first + 1) > b->size * (b->last - b->first + 1);
      },
  };
  int64_t total = -1;
  std::vector<int64_t> best(buffers.size());
  for (const Less &less : orders) {
    std::vector<Buffer *> order;
    for (auto &b : buffers)
      order.push_back(&b);
    std::stable_sort(order.begin(), order.end(), less);
    std::vector<int64_t> offsets(buffers.size());
    int64_t t = place(order, offsets);
    if (total < 0 || t < total) {
      total = t;
      best = offsets;
    }
  }
  total = std::max<int64_t>(total, 0);
  for (size_t i = 0; i < buffers.size(); ++i)
    buffers[i].offset = best[i];
  int64_t lowerBound = 0;
  for (int64_t t = 0; t < n; ++t) {
    int64_t live = 0;
    for (auto &b : buffers)
      if (b.first <= t && t <= b.last)
        live += b.size;
    lowerBound = std::max(lowerBound, live);
  }

  // The arena becomes a static buffer; allocations become views into it.
  MLIRContext *ctx = func.getContext();
  auto arenaType = MemRefType::get({total}, IntegerType::get(ctx, 8));
  arena.setType(arenaType);
  SmallVector<Type> inputs(func.getArgumentTypes());
  inputs.back() = arenaType;
  func.setType(FunctionType::get(ctx, inputs, {}));
  for (auto &b : buffers) {
    OpBuilder builder(b.alloc);
    Location loc = b.alloc.getLoc();
    Value offset = builder.create<arith::ConstantIndexOp>(loc, b.offset);
    Value view = builder.create<memref::ViewOp>(loc, b.alloc.getType(), arena, offset, ValueRange{});
    for (Operation *user : llvm::make_early_inc_range(b.alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    b.alloc.replaceAllUsesWith(view);
    b.alloc.erase();
  }
  auto i64 = IntegerType::get(ctx, 64);
  mlir::smc::SmcDialect::ArenaSizeAttrHelper(ctx).setAttr(func, IntegerAttr::get(i64, total));
  mlir::smc::SmcDialect::ArenaLowerBoundAttrHelper(ctx).setAttr(func,
                                                                IntegerAttr::get(i64, lowerBound));
  return success();
}

struct PlanMemoryPass : mlir::smc::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    mlir::smc::SmcDialect::SignatureAttrHelper signature(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (signature.isAttrPresent(func) && failed(plan(func)))
        return signalPassFailure();
  }
};

} // namespace
