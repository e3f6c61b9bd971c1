//===- FreezeVariables.cpp - Variables nobody assigns become constants ----===//

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

namespace mlir::smc {
#define GEN_PASS_DEF_FREEZEVARIABLES
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;
using namespace mlir::smc;

namespace {
struct FreezeVariablesPass : mlir::smc::impl::FreezeVariablesBase<FreezeVariablesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    DenseSet<StringAttr> stored;
    module.walk([&](GlobalStoreOp s) { stored.insert(s.getGlobalAttr().getAttr()); });
    DenseMap<StringAttr, GlobalOp> frozen;
    for (auto g : module.getOps<GlobalOp>())
      if (!stored.contains(g.getSymNameAttr()))
        frozen[g.getSymNameAttr()] = g;
    module.walk([&](GlobalLoadOp load) {
      auto it = frozen.find(load.getGlobalAttr().getAttr());
      if (it == frozen.end())
        return;
      OpBuilder b(load);
      auto value = cast<TypedAttr>(it->second.getInitialValue());
      load.replaceAllUsesWith(b.create<arith::ConstantOp>(load.getLoc(), value).getResult());
      load.erase();
    });
    for (auto &kv : frozen)
      kv.second.erase();
  }
};
} // namespace
