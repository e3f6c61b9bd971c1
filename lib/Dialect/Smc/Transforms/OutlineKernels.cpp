//===- OutlineKernels.cpp - Each layer's loops in a function of their own --===//
//
// After the memory plan, an exported function is a straight sequence of kernels (a layer or a
// fused group: loop nests, linalg ops, copies) on views of its inputs, outputs, arena and
// weights. LLVM's optimiser and code generator take time that grows faster than a function's
// size, so one function holding every layer of a large model took minutes; here each kernel
// becomes a private function of its own, called from the exported one. Kernels with the same
// body and argument types (the same op on the same shapes with the same schedule: repeated
// blocks of a network) are one function, which also keeps code small.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace mlir::smc {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

/// Whether `v` can be a kernel argument under the bare-pointer calling convention: a scalar,
/// or a memref whose shape, strides and offset are static.
bool isPassable(Value v) {
  Type t = v.getType();
  if (t.isIntOrIndexOrFloat())
    return true;
  auto m = dyn_cast<MemRefType>(t);
  if (!m || !m.hasStaticShape())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(m, strides, offset)) || ShapedType::isDynamic(offset))
    return false;
  return llvm::none_of(strides, ShapedType::isDynamic);
}

/// A constant the kernel can make itself instead of receiving it: scalar and vector
/// constants, and constant globals small enough that LLVM may fold their loads.
bool isRematerializable(Value v, SymbolTable &symbols) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getNumOperands() != 0 || def->getNumRegions() != 0)
    return false;
  if (def->hasTrait<OpTrait::ConstantLike>())
    return true;
  if (auto get = dyn_cast<memref::GetGlobalOp>(def)) {
    auto global = symbols.lookup<memref::GlobalOp>(get.getNameAttr().getAttr());
    return global && global.getConstant() && get.getType().getNumElements() <= 16;
  }
  return false;
}

/// The bytes a memref view may touch, relative to the buffer it views: [begin, end). Traced
/// through view-like ops to a root (an argument of the exported function or a global).
struct Extent {
  Value root;
  std::optional<int64_t> begin, end; // unknown: anywhere in root
};

Extent extentOf(Value v) {
  Extent e;
  auto m = dyn_cast<MemRefType>(v.getType());
  if (!m)
    return e;
  // The view's own span, in bytes from its base pointer (static layouts only: isPassable).
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  std::optional<int64_t> lo, hi;
  if (m.hasStaticShape() && succeeded(getStridesAndOffset(m, strides, offset)) &&
      !ShapedType::isDynamic(offset) && llvm::none_of(strides, ShapedType::isDynamic)) {
    int64_t bytes = (m.getElementTypeBitWidth() + 7) / 8;
    int64_t last = offset;
    bool empty = false;
    for (auto [size, stride] : llvm::zip(m.getShape(), strides)) {
      if (size == 0)
        empty = true;
      else
        last += (size - 1) * stride;
    }
    if (!empty && llvm::all_of(strides, [](int64_t s) { return s >= 0; })) {
      lo = offset * bytes;
      hi = (last + 1) * bytes;
    }
  }
  // Walk to the root; a memref.view with a constant byte shift moves the span.
  Value cur = v;
  int64_t shift = 0;
  while (Operation *def = cur.getDefiningOp()) {
    if (auto view = dyn_cast<memref::ViewOp>(def)) {
      std::optional<int64_t> s = getConstantIntValue(view.getByteShift());
      if (!s || !view.getSizes().empty())
        lo.reset();
      else
        shift += *s;
      cur = view.getSource();
      continue;
    }
    // Subviews, casts and reshapes keep the base pointer: their types carry the offset.
    if (isa<memref::SubViewOp, memref::CastOp, memref::CollapseShapeOp, memref::ExpandShapeOp,
            memref::ReinterpretCastOp>(def)) {
      if (auto rc = dyn_cast<memref::ReinterpretCastOp>(def); rc && !rc.getOffsets().empty())
        lo.reset();
      cur = def->getOperand(0);
      continue;
    }
    break;
  }
  e.root = cur;
  if (lo && hi) {
    e.begin = *lo + shift;
    e.end = *hi + shift;
  }
  return e;
}

bool mayOverlap(const Extent &a, const Extent &b) {
  if (!a.root || !b.root)
    return true;
  if (a.root != b.root) {
    // Distinct arguments of an exported function do not alias (its ABI: docs/header-abi.md),
    // nor do distinct globals, nor a global and an argument.
    auto isRoot = [](Value r) {
      return isa<BlockArgument>(r) || r.getDefiningOp<memref::GetGlobalOp>();
    };
    if (!isRoot(a.root) || !isRoot(b.root))
      return true;
    auto ga = a.root.getDefiningOp<memref::GetGlobalOp>();
    auto gb = b.root.getDefiningOp<memref::GetGlobalOp>();
    return ga && gb && ga.getName() == gb.getName();
  }
  if (!a.begin || !b.begin)
    return true;
  return *a.begin < *b.end && *b.begin < *a.end;
}

/// An exported function becomes `<name>_parallel(args..., hook)`, which keeps the body (the
/// kernels are outlined from it; loops marked parallel become tasks), and `<name>(args...)`,
/// which calls it with a null hook: the serial code path. Every exported function gets one,
/// with or without parallel loops, so that apps can always call it.
func::FuncOp splitParallelEntry(func::FuncOp entry, SymbolTable &symbols) {
  MLIRContext *ctx = entry.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  // The body moves (a large model's is thousands of ops: not copied); the entry gets a new one.
  func::FuncOp par = entry.cloneWithoutRegions();
  par.getBody().takeBody(entry.getBody());
  par.setName(entry.getName().str() + "_parallel");
  mlir::smc::SmcDialect::SignatureAttrHelper(ctx).removeAttr(par);
  mlir::smc::SmcDialect::ParallelEntryAttrHelper(ctx).setAttr(
      par, FlatSymbolRefAttr::get(entry.getNameAttr()));
  par.insertArgument(par.getNumArguments(), ptr, DictionaryAttr(), entry.getLoc());
  symbols.insert(par, std::next(Block::iterator(entry)));

  Block *body = entry.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockEnd(body);
  SmallVector<Value> args(body->getArguments());
  args.push_back(b.create<LLVM::ZeroOp>(entry.getLoc(), ptr));
  b.create<func::CallOp>(entry.getLoc(), par, args);
  b.create<func::ReturnOp>(entry.getLoc());
  return par;
}

struct OutlineKernelsPass : mlir::smc::impl::OutlineKernelsBase<OutlineKernelsPass> {
  using OutlineKernelsBase::OutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    mlir::smc::SmcDialect::ParallelTasksAttrHelper marked(&getContext());
    SmallVector<func::FuncOp> entries;
    for (auto f : llvm::to_vector(module.getOps<func::FuncOp>()))
      if (!f.isExternal() && !f.isPrivate())
        entries.push_back(parallelEntries ? splitParallelEntry(f, symbols) : f);
    // Kernels by body: the printed kernel (generic form, under one placeholder name).
    llvm::StringMap<func::FuncOp> byBody;
    // Per kernel, whether each argument is disjoint from every other memref argument at every
    // call so far.
    DenseMap<Operation *, SmallVector<bool>> disjoint;
    // Per kernel, the arguments before the views (a parallel loop's bounds).
    DenseMap<Operation *, unsigned> leading;
    OpBuilder mb(module.getContext());
    mb.setInsertionPointToEnd(module.getBody());
    Type index = mb.getIndexType();

    for (func::FuncOp entry : entries) {
      int64_t count = 0;
      Block &body = entry.getBody().front();
      // The caller's parallel_for hook (the last argument of a `_parallel` entry point).
      Value hook = mlir::smc::SmcDialect::ParallelEntryAttrHelper(&getContext())
                           .isAttrPresent(entry)
                       ? body.getArguments().back()
                       : Value();
      SmallVector<Operation *> kernels;
      // The frame the parallel calls store their arguments in: one stack buffer, made in the
      // entry block once the largest call is known.
      SmallVector<mlir::smc::ParallelCallOp> parallelCalls;
      for (Operation &op : body.without_terminator())
        if (op.getNumResults() == 0 && (op.getNumRegions() > 0 || !isMemoryEffectFree(&op)))
          kernels.push_back(&op);
      for (Operation *op : kernels) {
        // What the kernel uses from outside: operands and values its regions capture.
        llvm::SetVector<Value> used(op->getOperands().begin(), op->getOperands().end());
        getUsedValuesDefinedAbove(op->getRegions(), used);
        // A marked loop takes its bounds as arguments: each task runs a chunk of iterations.
        auto loop = dyn_cast<scf::ForOp>(op);
        IntegerAttr tasks = loop && hook ? marked.getAttr(loop) : IntegerAttr();
        std::optional<int64_t> lb, ub, step;
        if (tasks) {
          lb = getConstantIntValue(loop.getLowerBound());
          ub = getConstantIntValue(loop.getUpperBound());
          step = getConstantIntValue(loop.getStep());
          if (!lb || !ub || !step)
            tasks = IntegerAttr();
        }
        if (loop)
          marked.removeAttr(loop);
        SmallVector<Value> args, remat;
        for (Value v : used)
          (isRematerializable(v, symbols) ? remat : args).push_back(v);
        if (!llvm::all_of(args, isPassable))
          continue; // stays where it is

        unsigned lead = tasks ? 2 : 0;
        SmallVector<Type> argTypes(lead, index);
        for (Value v : args)
          argTypes.push_back(v.getType());
        auto kernel = mb.create<func::FuncOp>(op->getLoc(), "__kernel",
                                              mb.getFunctionType(argTypes, {}));
        Block *kb = kernel.addEntryBlock();
        OpBuilder b = OpBuilder::atBlockEnd(kb);
        IRMapping map;
        for (auto [v, a] : llvm::zip(args, kb->getArguments().drop_front(lead)))
          map.map(v, a);
        for (Value v : remat)
          map.map(v, b.clone(*v.getDefiningOp())->getResult(0));
        Operation *copy = b.clone(*op, map);
        if (tasks) {
          auto inner = cast<scf::ForOp>(copy);
          inner.getLowerBoundMutable().assign(kb->getArgument(0));
          inner.getUpperBoundMutable().assign(kb->getArgument(1));
        }
        b.create<func::ReturnOp>(op->getLoc());

        std::string key;
        {
          llvm::raw_string_ostream os(key);
          kernel.print(os, OpPrintingFlags().printGenericOpForm().assumeVerified().useLocalScope());
        }
        auto [it, fresh] = byBody.try_emplace(key, kernel);
        if (fresh) {
          kernel.setPrivate();
          kernel->setAttr("no_inline", mb.getUnitAttr());
          kernel->setAttr("llvm.linkage",
                          LLVM::LinkageAttr::get(&getContext(), LLVM::Linkage::Internal));
          kernel.setSymName(entry.getName().str() + "_k" + std::to_string(count++));
          symbols.insert(kernel);
          disjoint[kernel] = SmallVector<bool>(args.size(), true);
          leading[kernel] = lead;
        } else {
          kernel.erase();
          kernel = it->second;
        }
        // noalias where, at this call as at every other, an argument shares no byte with
        // another: what LLVM knew when the views were of one function's arguments.
        SmallVector<Extent> extents;
        for (Value v : args)
          extents.push_back(extentOf(v));
        SmallVector<bool> &flags = disjoint[kernel];
        for (size_t i = 0; i < args.size(); ++i) {
          if (!isa<MemRefType>(args[i].getType()))
            continue;
          for (size_t j = 0; j < args.size() && flags[i]; ++j)
            if (j != i && isa<MemRefType>(args[j].getType()) &&
                mayOverlap(extents[i], extents[j]))
              flags[i] = false;
        }
        OpBuilder cb(op);
        Location loc = op->getLoc();
        if (!tasks) {
          cb.create<func::CallOp>(loc, kernel, args);
          op->erase();
          continue;
        }
        // Serial with a null hook (the same call the loop was), else tasks.
        Value null = cb.create<LLVM::ZeroOp>(loc, hook.getType());
        Value serial = cb.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, hook, null);
        auto branch = cb.create<scf::IfOp>(loc, serial, /*withElseRegion=*/true);
        OpBuilder tb = branch.getThenBodyBuilder();
        SmallVector<Value> bounded{tb.create<arith::ConstantIndexOp>(loc, *lb),
                                   tb.create<arith::ConstantIndexOp>(loc, *ub)};
        bounded.append(args.begin(), args.end());
        tb.create<func::CallOp>(loc, kernel, bounded);
        OpBuilder eb = branch.getElseBodyBuilder();
        parallelCalls.push_back(eb.create<mlir::smc::ParallelCallOp>(
            loc, kernel.getSymName(), args, hook, /*frame=*/hook, *lb, *ub, *step,
            tasks.getInt()));
        op->erase();
      }
      if (!parallelCalls.empty()) {
        int64_t slots = 1;
        for (auto call : parallelCalls)
          slots = std::max<int64_t>(slots, call.getArgs().size());
        OpBuilder fb = OpBuilder::atBlockBegin(&body);
        Value frame = fb.create<memref::AllocaOp>(
            entry.getLoc(), MemRefType::get({slots}, fb.getI64Type()));
        for (auto call : parallelCalls)
          call.getFrameMutable().assign(frame);
      }
    }
    for (auto &[kernel, flags] : disjoint) {
      auto f = cast<func::FuncOp>(kernel);
      unsigned lead = leading[kernel];
      for (auto [i, ok] : llvm::enumerate(flags))
        if (ok && isa<MemRefType>(f.getArgumentTypes()[lead + i]))
          f.setArgAttr(lead + i, LLVM::LLVMDialect::getNoAliasAttrName(), mb.getUnitAttr());
    }
  }
};

} // namespace
