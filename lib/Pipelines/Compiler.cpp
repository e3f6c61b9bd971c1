//===- Compiler.cpp - `smc compile` as a library call ---------------------===//

#include "smc/Pipelines/Compiler.h"

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Import/Import.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace smc {

/// An input or output from the attributes the importer put on it (`smc.tensor_type`, `smc.name`,
/// `smc.tf_shape`), which every phase keeps, whatever the argument's type has become.
static PortInfo portFor(RankedTensorType t, DictionaryAttr attrs, mlir::smc::SmcDialect &smc) {
  PortInfo p;
  p.dtype = dtypeForElementType(t.getElementType());
  p.shape.assign(t.getShape().begin(), t.getShape().end());
  if (attrs) {
    if (auto name = attrs.getAs<StringAttr>(smc.getNameAttrHelper().getName()))
      p.key = name.str();
    if (auto shape = attrs.getAs<StringAttr>(smc.getTfShapeAttrHelper().getName()))
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
/// `f(args[0], ..., args[n])`, or `f_parallel(args[0], ..., args[n], args[n + 1])` when the
/// object has it: the array ends with a `const smc_parallel *` (null: serial).
static void addPackedEntryPoints(ModuleOp module, const HeaderInfo &header) {
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  auto ptr = LLVM::LLVMPointerType::get(module.getContext());
  for (const auto &fi : header.functions) {
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(fi.symbol);
    if (!callee)
      continue;
    if (fi.parallel)
      if (auto par = module.lookupSymbol<LLVM::LLVMFuncOp>(fi.symbol + "_parallel"))
        callee = par;
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

/// The prefix of the C symbols: a nested namespace "a::b" gives "a_b".
static std::string symbolPrefix(const std::string &nameSpace) {
  std::string prefix = nameSpace;
  for (size_t i; (i = prefix.find("::")) != std::string::npos;)
    prefix.replace(i, 2, "_");
  return prefix;
}

/// Gives each imported function its C symbol, `<prefix>_<name>`. Part of the import phase (the
/// `import` output shows it), so that the pipeline run by `smc-opt --smc-pipeline` on that
/// output names things as `smc compile` does.
static void exportFunctions(ModuleOp module, const std::string &nameSpace) {
  std::string prefix = symbolPrefix(nameSpace);
  mlir::smc::SmcDialect::SignatureAttrHelper signature(module.getContext());
  for (auto func : module.getOps<func::FuncOp>())
    if (signature.isAttrPresent(func))
      func.setSymName(prefix + "_" + func.getName().str());
}

LogicalResult describeModule(ModuleOp module, HeaderInfo &header) {
  auto *smc = module.getContext()->getLoadedDialect<mlir::smc::SmcDialect>();
  if (!smc)
    return success(); // nothing was imported
  std::string prefix = symbolPrefix(header.nameSpace) + "_";
  header.functions.clear();
  for (auto func : module.getOps<FunctionOpInterface>()) {
    StringAttr label = smc->getSignatureAttrHelper().getAttr(func);
    if (!label)
      continue;
    FunctionInfo fi;
    fi.label = label.str();
    fi.symbol = func.getName().str();
    if (!StringRef(fi.symbol).starts_with(prefix))
      return func.emitError() << "internal error: exported function '" << fi.symbol
                              << "' lacks the symbol prefix '" << prefix << "'";
    fi.name = fi.symbol.substr(prefix.size());
    // Arguments: the inputs, then (after smc-buffer-abi) the outputs and the arena; results:
    // the outputs (before smc-buffer-abi).
    auto port = [&](DictionaryAttr attrs, const char *what, unsigned i) -> FailureOr<PortInfo> {
      auto type =
          attrs ? attrs.getAs<TypeAttr>(smc->getTensorTypeAttrHelper().getName()) : TypeAttr();
      if (!type)
        return func.emitError() << "internal error: " << what << " #" << i << " of '" << fi.symbol
                                << "' has no '" << smc->getTensorTypeAttrHelper().getName().strref()
                                << "'";
      return portFor(cast<RankedTensorType>(type.getValue()), attrs, *smc);
    };
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      DictionaryAttr attrs = func.getArgAttrDict(i);
      if (attrs && attrs.contains(smc->getArenaAttrHelper().getName()))
        continue;
      FailureOr<PortInfo> p = port(attrs, "argument", i);
      if (failed(p))
        return failure();
      bool output = attrs && attrs.contains(smc->getOutputAttrHelper().getName());
      (output ? fi.outputs : fi.inputs).push_back(*p);
    }
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      FailureOr<PortInfo> p = port(func.getResultAttrDict(i), "result", i);
      if (failed(p))
        return failure();
      fi.outputs.push_back(*p);
    }
    if (IntegerAttr size = smc->getArenaSizeAttrHelper().getAttr(func))
      fi.arenaBytes = size.getInt();
    auto par = module.lookupSymbol<FunctionOpInterface>(fi.symbol + "_parallel");
    auto of = par ? smc->getParallelEntryAttrHelper().getAttr(par) : FlatSymbolRefAttr();
    fi.parallel = of && of.getValue() == fi.symbol;
    header.functions.push_back(fi);
  }
  // Writable state: variables some function assigns, as smc ops, memref globals or LLVM globals.
  header.hasMutableVariables = false;
  module.walk([&](Operation *op) {
    if (isa<mlir::smc::GlobalStoreOp>(op))
      header.hasMutableVariables = true;
    else if (auto g = dyn_cast<memref::GlobalOp>(op); g && !g.getConstant())
      header.hasMutableVariables = true;
    else if (auto g = dyn_cast<LLVM::GlobalOp>(op); g && !g.getConstant())
      header.hasMutableVariables = true;
  });
  return success();
}

static void print(ModuleOp module, std::string &out) {
  llvm::raw_string_ostream os(out);
  module.print(os);
  os << "\n"; // as mlir-opt and smc-opt end their output
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

  exportFunctions(*module, request.nameSpace);

  // The target facts, once: everything the passes need to know of the target.
  PipelineOptions pipeline;
  pipeline.target = targetFactsFor(*tm);
  if (request.codegen.l1CacheBytes > 0)
    pipeline.target.l1Bytes = request.codegen.l1CacheBytes;
  if (request.codegen.l2CacheBytes > 0)
    pipeline.target.l2Bytes = request.codegen.l2CacheBytes;
  // RISC-V has no rounding instruction: LLVM rounds through fcvt sequences, except in minsize
  // code, where it calls floorf. With --optimize=size smc expands rounding itself there.
  if (request.codegen.optimizeSize && tm->getTargetTriple().isRISCV())
    pipeline.target.hasFloor = false;
  Phase stop = request.emit <= Phase::LLVMDialect ? request.emit : Phase::LLVMDialect;
  if (failed(runPipeline(*module, pipeline, stop, request.codegen.timing,
                         request.codegen.printIrBefore, request.codegen.printIrAfter)))
    return failure();
  // The header, in one step from what the importer and the pipeline left on the functions.
  HeaderInfo &header = result.header;
  header.modelDir = (*model)->dir();
  header.nameSpace = request.nameSpace;
  header.target = tm->getTargetTriple().str();
  header.cpu = tm->getTargetCPU().str();
  if (failed(describeModule(*module, header)))
    return failure();
  if (request.emit <= Phase::LLVMDialect) {
    print(*module, result.code);
    return success();
  }
  if (request.codegen.packedEntryPoints)
    addPackedEntryPoints(*module, header);
  // smc's bookkeeping attributes have no meaning in LLVM IR.
  auto isSmc = [](NamedAttribute a) {
    return isa_and_nonnull<mlir::smc::SmcDialect>(a.getNameDialect());
  };
  module->walk([&](Operation *op) {
    SmallVector<StringAttr> drop;
    for (NamedAttribute a : op->getDiscardableAttrs())
      if (isSmc(a))
        drop.push_back(a.getName());
    for (StringAttr n : drop)
      op->removeDiscardableAttr(n);
    if (auto fn = dyn_cast<LLVM::LLVMFuncOp>(op)) {
      for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
        SmallVector<StringAttr> names;
        for (NamedAttribute a : fn.getArgAttrDict(i) ? fn.getArgAttrDict(i).getValue()
                                                     : ArrayRef<NamedAttribute>())
          if (isSmc(a))
            names.push_back(a.getName());
        for (StringAttr n : names)
          fn.removeArgAttr(i, n);
      }
    }
  });
  std::map<std::string, uint64_t> stackBytes;
  if (failed(emitCode(*module, *tm, request.codegen, request.emit, result.code, &stackBytes)))
    return failure();
  for (FunctionInfo &fn : header.functions)
    if (auto it = stackBytes.find(fn.symbol); it != stackBytes.end())
      fn.stackBytes = it->second;
  return success();
}

} // namespace smc
