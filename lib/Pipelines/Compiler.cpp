//===- Compiler.cpp - `smc compile` as a library call ---------------------===//

#include "smc/Pipelines/Compiler.h"

#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace smc {

static PortInfo portFor(Type type, DictionaryAttr attrs) {
  PortInfo p;
  auto t = cast<RankedTensorType>(type);
  p.dtype = dtypeForElementType(t.getElementType());
  p.shape.assign(t.getShape().begin(), t.getShape().end());
  if (attrs) {
    if (auto name = attrs.getAs<StringAttr>(attrs::kName))
      p.key = name.str();
    if (auto shape = attrs.getAs<StringAttr>(attrs::kTfShape))
      p.savedShape = shape.str();
  }
  if (p.savedShape.empty()) {
    std::string s = "(";
    for (size_t i = 0; i < p.shape.size(); ++i)
      s += (i ? ", " : "") + std::to_string(p.shape[i]);
    p.savedShape = s + ")";
  }
  return p;
}

/// For each exported function `f(p0, ..., pn)`, adds `f_packed(void **args)` calling
/// `f(args[0], ..., args[n])`.
static void addPackedEntryPoints(ModuleOp module, const HeaderInfo &header) {
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  auto ptr = LLVM::LLVMPointerType::get(module.getContext());
  for (const auto &fi : header.functions) {
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(fi.symbol);
    if (!callee)
      continue;
    Location loc = callee.getLoc();
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(module.getContext()), {ptr});
    auto packed = b.create<LLVM::LLVMFuncOp>(loc, fi.symbol + "_packed", type);
    Block *entry = packed.addEntryBlock(b);
    OpBuilder body = OpBuilder::atBlockBegin(entry);
    SmallVector<Value> args;
    for (unsigned i = 0; i < callee.getNumArguments(); ++i) {
      Value slot = body.create<LLVM::GEPOp>(loc, ptr, ptr, entry->getArgument(0),
                                            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      args.push_back(body.create<LLVM::LoadOp>(loc, ptr, slot));
    }
    body.create<LLVM::CallOp>(loc, callee, args);
    body.create<LLVM::ReturnOp>(loc, ValueRange{});
  }
}

static void print(ModuleOp module, std::string &out) {
  llvm::raw_string_ostream os(out);
  module.print(os);
}

LogicalResult compile(const CompileRequest &request, MLIRContext &context, CompileResult &result) {
  Location loc = NameLoc::get(StringAttr::get(&context, request.dir));
  auto model = SavedModel::load(request.dir);
  if (!model.ok())
    return emitError(loc) << std::string(model.status().message());
  std::string error;
  auto tm = createTargetMachine(request.codegen, error);
  if (!tm)
    return emitError(loc) << error;

  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  if (failed(importSavedModel(**model, request.import, *module)))
    return failure();
  if (failed(verify(*module)))
    return failure();

  // The header describes the functions as imported (TF dtypes, signedness, keys).
  HeaderInfo &header = result.header;
  header.modelDir = (*model)->dir();
  header.nameSpace = request.nameSpace;
  header.target = tm->getTargetTriple().str();
  header.cpu = tm->getTargetCPU().str();
  module->walk([&](mlir::smc::GlobalStoreOp) { header.hasMutableVariables = true; });
  // C symbols: a nested namespace "a::b" prefixes them with "a_b".
  std::string symbolPrefix = request.nameSpace;
  for (size_t i; (i = symbolPrefix.find("::")) != std::string::npos;)
    symbolPrefix.replace(i, 2, "_");
  for (auto func : module->getOps<func::FuncOp>()) {
    auto label = func->getAttrOfType<StringAttr>(attrs::kSignature);
    if (!label)
      continue;
    FunctionInfo fi;
    fi.label = label.str();
    fi.name = func.getName().str();
    fi.symbol = symbolPrefix + "_" + fi.name;
    FunctionType type = func.getFunctionType();
    for (unsigned i = 0; i < type.getNumInputs(); ++i)
      fi.inputs.push_back(portFor(type.getInput(i), func.getArgAttrDict(i)));
    for (unsigned i = 0; i < type.getNumResults(); ++i)
      fi.outputs.push_back(portFor(type.getResult(i), func.getResultAttrDict(i)));
    header.functions.push_back(fi);
    func.setSymName(fi.symbol);
  }

  if (request.emit == Phase::Import) {
    print(*module, result.code);
    return success();
  }
  Phase stop = request.emit <= Phase::LLVMDialect ? request.emit : Phase::LLVMDialect;
  if (failed(runPipeline(*module, *tm, request.codegen, stop)))
    return failure();
  if (stop >= Phase::Bufferized) {
    for (auto &fi : header.functions) {
      Operation *f = module->lookupSymbol(fi.symbol);
      if (auto size = f ? f->getAttrOfType<IntegerAttr>("smc.arena_size") : nullptr)
        fi.arenaBytes = size.getInt();
    }
  }
  if (request.emit <= Phase::LLVMDialect) {
    print(*module, result.code);
    return success();
  }
  if (request.codegen.packedEntryPoints)
    addPackedEntryPoints(*module, header);
  // smc's bookkeeping attributes have no meaning in LLVM IR.
  module->walk([](Operation *op) {
    SmallVector<StringAttr> drop;
    for (NamedAttribute a : op->getDiscardableAttrs())
      if (a.getName().strref().starts_with("smc."))
        drop.push_back(a.getName());
    for (StringAttr n : drop)
      op->removeDiscardableAttr(n);
    if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op)) {
      for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
        SmallVector<StringAttr> names;
        for (NamedAttribute a : fn.getArgAttrDict(i) ? fn.getArgAttrDict(i).getValue()
                                                     : ArrayRef<NamedAttribute>())
          if (a.getName().strref().starts_with("smc."))
            names.push_back(a.getName());
        for (StringAttr n : names)
          fn.removeArgAttr(i, n);
      }
    }
  });
  return emitCode(*module, *tm, request.codegen, request.emit, result.code);
}

} // namespace smc
