//===- Codegen.cpp - LLVM dialect -> LLVM IR -> O2 -> object --------------===//
//
// A large module (many kernels: smc-outline-kernels) is optimised and generated in parts, in
// parallel, when the object format is ELF: the module is split into a number of parts that
// depends only on the module (never on -j), each part is optimised (O2) and generated on a
// thread of its own, and the parts' objects become one relocatable object through lld -r,
// whose hidden symbols (the kernels and weights the split had to make visible across parts)
// are made local again. The object is therefore the same for every thread count. Kernels are
// noinline functions called once per layer, so what O2 cannot see across parts (a callee's
// body) costs nothing measurable.
//
//===----------------------------------------------------------------------===//

#include "smc/Pipelines/Pipeline.h"

#include "mlir/Target/LLVMIR/Export.h"

#include "lld/Common/Driver.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/ObjCopy/CommonConfig.h"
#include "llvm/ObjCopy/ELF/ELFConfig.h"
#include "llvm/ObjCopy/ELF/ELFObjcopy.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Instrumentation/ThreadSanitizer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/SplitModule.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

LLD_HAS_DRIVER(elf)

using namespace mlir;

namespace smc {

namespace {

/// -v: wall time of each step since the previous one, one line each.
struct Laps {
  bool on;
  const char *indent;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void operator()(const std::string &what) {
    if (!on)
      return;
    auto now = std::chrono::steady_clock::now();
    llvm::errs() << llvm::format("  %8.4f s  ", std::chrono::duration<double>(now - start).count())
                 << indent << what << "\n";
    start = now;
  }
};

/// What the stack bound of the header is computed from: each function's frame, as LLVM's
/// prologue/epilogue inserter reports it (every function carries "warn-stack-size"="0", so
/// that every frame of more than 0 bytes is reported as a DiagnosticInfoStackSize, which the
/// handler below takes instead of printing), and each function's direct calls after O2.
struct StackFacts {
  std::mutex mutex;
  std::map<std::string, uint64_t> frames;
  std::map<std::string, std::vector<std::string>> calls; // every defined function has an entry

  /// Records the calls of every function `m` defines (after O2, so after its inlining).
  void recordCalls(const llvm::Module &m) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const llvm::Function &f : m) {
      if (f.isDeclaration())
        continue;
      std::vector<std::string> &out = calls[f.getName().str()];
      for (const llvm::Instruction &i : llvm::instructions(f))
        if (const auto *call = llvm::dyn_cast<llvm::CallBase>(&i))
          if (const llvm::Function *callee = call->getCalledFunction();
              callee && !callee->isIntrinsic())
            out.push_back(callee->getName().str());
    }
  }

  /// The deepest stack below a call of `name`: its frame plus the deepest of its callees (each
  /// call pushing `returnAddress` bytes), and at least one call of a function the module does
  /// not define (memcpy, memset, the compiler's float helpers), which takes `external` bytes.
  uint64_t bound(const std::string &name, uint64_t returnAddress, uint64_t external,
                 std::map<std::string, uint64_t> &memo, std::set<std::string> &active) {
    if (auto it = memo.find(name); it != memo.end())
      return it->second;
    auto calls_ = calls.find(name);
    if (calls_ == calls.end())
      return external;
    if (!active.insert(name).second)
      return 0; // a recursion, which smc never generates
    // Any function may call one the code generator brings in (memset for a zeroed buffer, a
    // soft-float helper for each float operation), which the IR does not show.
    uint64_t deepest = returnAddress + external;
    for (const std::string &callee : calls_->second)
      deepest = std::max(deepest,
                         returnAddress + bound(callee, returnAddress, external, memo, active));
    active.erase(name);
    auto frame = frames.find(name);
    return memo[name] = (frame == frames.end() ? 0 : frame->second) + deepest;
  }
};

/// Takes LLVM's stack-size reports into `facts`; every other diagnostic is LLVM's to print.
struct StackSizeHandler : llvm::DiagnosticHandler {
  StackFacts &facts;
  explicit StackSizeHandler(StackFacts &facts) : facts(facts) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &d) override {
    const auto *size = llvm::dyn_cast<llvm::DiagnosticInfoStackSize>(&d);
    if (!size)
      return false;
    std::lock_guard<std::mutex> lock(facts.mutex);
    facts.frames[size->getFunction().getName().str()] = size->getStackSize();
    return true;
  }
};

/// O2: the kernels arrive vectorised and tiled, and O3 made no measured difference to their
/// speed (docs/benchmarks.md models, same run) while its extra passes cost a third more
/// compile time on the largest functions (ResNet50: 11.5 s vs 7.2 s in the optimiser).
/// With `size` (--optimize=size), Oz: the digits CNN's code on Cortex-M4 is 2.8 KiB instead of
/// 39 KiB (LLVM's unrolling and vectorising of the tiles' scalar loops made most of it).
void optimize(llvm::Module &m, llvm::TargetMachine &tm, bool size, bool tsan) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  if (tsan) { // what clang's -fsanitize=thread does: the attribute, then the passes last
    for (llvm::Function &f : m)
      if (!f.isDeclaration())
        f.addFnAttr(llvm::Attribute::SanitizeThread);
    pb.registerOptimizerLastEPCallback([](llvm::ModulePassManager &mpm, llvm::OptimizationLevel) {
      mpm.addPass(llvm::ModuleThreadSanitizerPass());
      mpm.addPass(llvm::createModuleToFunctionPassAdaptor(llvm::ThreadSanitizerPass()));
    });
  }
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(
      size ? llvm::OptimizationLevel::Oz : llvm::OptimizationLevel::O2);
  mpm.run(m, mam);
}

/// Code generation of `m` for `tm` into `out` (an object, or assembly for Phase::Asm).
bool generate(llvm::Module &m, llvm::TargetMachine &tm, Phase phase, std::string &out,
              std::string &error) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager codegen;
  auto fileType = phase == Phase::Asm ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile;
  if (tm.addPassesToEmitFile(codegen, os, nullptr, fileType)) {
    error = "the target cannot emit this file type";
    return false;
  }
  codegen.run(m);
  out.assign(buffer.begin(), buffer.end());
  return true;
}

/// Appends the bytes of the constant `c` (target byte order = host byte order) to `out`:
/// arrays of plain data, nested or not, and zeros. False for anything else.
bool appendBytes(const llvm::Constant *c, const llvm::DataLayout &layout, std::string &out) {
  if (auto *data = llvm::dyn_cast<llvm::ConstantDataSequential>(c)) {
    out += data->getRawDataValues();
    return true;
  }
  if (llvm::isa<llvm::ConstantAggregateZero>(c)) {
    out.append(layout.getTypeAllocSize(c->getType()), '\0');
    return true;
  }
  auto *array = llvm::dyn_cast<llvm::ConstantArray>(c);
  if (!array)
    return false;
  for (const llvm::Use &element : array->operands())
    if (!appendBytes(llvm::cast<llvm::Constant>(element.get()), layout, out))
      return false;
  return true;
}

/// Constant arrays from this size on are weights (weightsAsBytes, generateInParts).
constexpr uint64_t kMinBytes = 4096;

/// Large constant arrays (the weights) become byte strings of the same bytes, alignment and
/// linkage: the AsmPrinter writes a byte string in one piece but a float array element by
/// element, which made writing ResNet50's 100 MB of weights a large part of code generation.
/// Returns the named weights, now byte strings. Run after O2 where the optimiser should still see
/// the values (the one-module path); the split path declares them in its parts anyway.
std::vector<llvm::GlobalVariable *> weightsAsBytes(llvm::Module &m) {
  std::vector<llvm::GlobalVariable *> weights;
  const llvm::DataLayout &layout = m.getDataLayout();
  if (layout.isBigEndian() != llvm::sys::IsBigEndianHost)
    return weights; // raw data is in the host's byte order
  auto *i8 = llvm::Type::getInt8Ty(m.getContext());
  for (llvm::GlobalVariable &g : llvm::make_early_inc_range(m.globals())) {
    if (!g.isConstant() || !g.hasInitializer() || g.isThreadLocal() ||
        llvm::isa<llvm::ConstantAggregateZero>(g.getInitializer()))
      continue;
    uint64_t size = layout.getTypeAllocSize(g.getValueType());
    if (size < kMinBytes)
      continue;
    if (g.getValueType() == llvm::ArrayType::get(i8, size)) {
      if (g.hasName()) // (a part can declare only what has a name)
        weights.push_back(&g);
      continue;
    }
    std::string bytes;
    if (!appendBytes(g.getInitializer(), layout, bytes) || bytes.size() != size)
      continue;
    auto *replacement = new llvm::GlobalVariable(
        m, llvm::ArrayType::get(i8, size), /*isConstant=*/true, g.getLinkage(),
        llvm::ConstantDataArray::getRaw(bytes, size, i8), "", &g);
    replacement->copyAttributesFrom(&g);
    replacement->setAlignment(layout.getPreferredAlign(&g)); // as the array was emitted
    replacement->takeName(&g);
    g.replaceAllUsesWith(replacement);
    g.eraseFromParent();
    if (replacement->hasName())
      weights.push_back(replacement);
  }
  return weights;
}

/// IR instructions per part of a split code generation: about a second of code generation.
constexpr uint64_t kInstructionsPerPart = 10000;
constexpr unsigned kMaxParts = 16;

/// How many parts the object is generated in: from the module alone, never from the thread
/// count. One (no split) for assembly, for formats other than ELF, and for small modules.
unsigned partitionCount(const llvm::Module &m, const llvm::TargetMachine &tm, Phase phase) {
  if (phase != Phase::Object || !tm.getTargetTriple().isOSBinFormatELF())
    return 1;
  uint64_t instructions = 0;
  unsigned functions = 0;
  for (const llvm::Function &f : m) {
    if (f.isDeclaration())
      continue;
    ++functions;
    instructions += f.getInstructionCount();
  }
  return static_cast<unsigned>(std::clamp<uint64_t>(
      instructions / kInstructionsPerPart, 1, std::min(functions, kMaxParts)));
}

/// A temporary file removed when this goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

/// Splits `m` into `parts`, generates each on one of `threads` threads, joins the objects with
/// lld -r and makes the hidden symbols local: the object in `out`.
LogicalResult generateInParts(ModuleOp module, llvm::Module &m, const CompileOptions &options,
                              unsigned parts, unsigned threads, std::string &out,
                              StackFacts &stack) {
  Laps lap{options.timing, "  "};
  // The weights go to a module of their own, generated from this context on this thread (on
  // their way through bitcode they would be written and read again for nothing); the parts
  // declare them.
  llvm::Module weights("weights", m.getContext());
  weights.setTargetTriple(m.getTargetTriple());
  weights.setDataLayout(m.getDataLayout());
  for (llvm::GlobalVariable *g : weightsAsBytes(m)) {
    auto *copy = new llvm::GlobalVariable(weights, g->getValueType(), /*isConstant=*/true,
                                          llvm::GlobalValue::ExternalLinkage,
                                          g->getInitializer(), g->getName());
    copy->setAlignment(g->getAlign());
    copy->setSection(g->getSection());
    copy->setVisibility(llvm::GlobalValue::HiddenVisibility);
    g->setInitializer(nullptr);
    g->setLinkage(llvm::GlobalValue::ExternalLinkage);
    g->setVisibility(llvm::GlobalValue::HiddenVisibility);
  }
  // The parts as bitcode: each thread reads its own into a context of its own.
  std::vector<std::string> bitcode;
  llvm::SplitModule(m, parts, [&](std::unique_ptr<llvm::Module> part) {
    std::string bc;
    llvm::raw_string_ostream os(bc);
    llvm::WriteBitcodeToFile(*part, os);
    bitcode.push_back(std::move(bc));
  });
  lap("split");
  std::vector<std::string> objects(bitcode.size()), errors(bitcode.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < bitcode.size();) {
      llvm::LLVMContext context;
      context.setDiagnosticHandler(std::make_unique<StackSizeHandler>(stack));
      auto part = llvm::parseBitcodeFile(
          llvm::MemoryBufferRef(bitcode[i], "part" + std::to_string(i)), context);
      if (!part) {
        errors[i] = "part " + std::to_string(i) + ": " + llvm::toString(part.takeError());
        continue;
      }
      std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(options, errors[i]);
      if (!tm)
        continue;
      optimize(**part, *tm, options.optimizeSize, options.sanitizeThread);
      stack.recordCalls(**part);
      generate(**part, *tm, Phase::Object, objects[i], errors[i]);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work);
  std::string weightsObject, weightsError;
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(options, weightsError);
  if (tm)
    generate(weights, *tm, Phase::Object, weightsObject, weightsError);
  work();
  for (std::thread &t : pool)
    t.join();
  errors.push_back(weightsError);
  for (const std::string &e : errors)
    if (!e.empty())
      return emitError(module.getLoc()) << "code generation: " << e;
  objects.insert(objects.begin(), std::move(weightsObject));
  lap("parts");

  // lld -r reads and writes files.
  std::vector<TempFile> inputs(objects.size());
  TempFile joined;
  for (size_t i = 0; i < objects.size(); ++i) {
    int fd;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile("smc-part", "o", fd, inputs[i].path))
      return emitError(module.getLoc()) << "code generation: a temporary file: " << ec.message();
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << objects[i];
    os.close();
    if (os.has_error())
      return emitError(module.getLoc())
             << "code generation: writing " << inputs[i].path << ": " << os.error().message();
  }
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("smc-joined", "o", joined.path))
    return emitError(module.getLoc()) << "code generation: a temporary file: " << ec.message();
  std::vector<std::string> paths = {"ld.lld", "-r", "-o", joined.path.str().str()};
  for (const TempFile &f : inputs)
    paths.push_back(f.path.str().str());
  std::vector<const char *> args;
  for (const std::string &p : paths)
    args.push_back(p.c_str());
  std::string lldOutput;
  llvm::raw_string_ostream lldOs(lldOutput);
  lld::Result linked = lld::lldMain(args, lldOs, lldOs, {{lld::Gnu, &lld::elf::link}});
  if (linked.retCode != 0)
    return emitError(module.getLoc()) << "code generation: joining the parts (lld -r): "
                                      << lldOutput;
  lap("lld -r");
  auto buffer = llvm::MemoryBuffer::getFile(joined.path);
  if (!buffer)
    return emitError(module.getLoc()) << "code generation: reading " << joined.path << ": "
                                      << buffer.getError().message();
  auto binary = llvm::object::ObjectFile::createELFObjectFile((*buffer)->getMemBufferRef());
  if (!binary)
    return emitError(module.getLoc()) << "code generation: the joined object: "
                                      << llvm::toString(binary.takeError());
  llvm::objcopy::CommonConfig common;
  llvm::objcopy::ELFConfig elf;
  elf.LocalizeHidden = true;
  llvm::SmallVector<char, 0> result;
  llvm::raw_svector_ostream os(result);
  if (llvm::Error e = llvm::objcopy::elf::executeObjcopyOnBinary(
          common, elf, *llvm::cast<llvm::object::ELFObjectFileBase>(binary->get()), os))
    return emitError(module.getLoc()) << "code generation: localizing the parts' symbols: "
                                      << llvm::toString(std::move(e));
  out.assign(result.begin(), result.end());
  lap("localize");
  return success();
}

} // namespace

LogicalResult emitCode(ModuleOp module, llvm::TargetMachine &tm, const CompileOptions &options,
                       Phase phase, std::string &out, std::map<std::string, uint64_t> *stackBytes) {
  // -v: the LLVM phases' wall time, next to the MLIR pass timings.
  Laps lap{options.timing, ""};
  if (options.timing)
    llvm::errs() << "===-- LLVM phases --===\n";
  StackFacts stack; // before the context, whose handler points to it
  llvm::LLVMContext llvmContext;
  llvmContext.setDiagnosticHandler(std::make_unique<StackSizeHandler>(stack));
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return emitError(module.getLoc()) << "translation to LLVM IR failed";
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  llvmModule->setDataLayout(tm.createDataLayout());
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm.getTargetFeatureString());
    f.addFnAttr(llvm::Attribute::NoUnwind);
    if (options.optimizeSize) { // what clang's -Oz marks: the code generator chooses smaller code
      f.addFnAttr(llvm::Attribute::MinSize);
      f.addFnAttr(llvm::Attribute::OptimizeForSize);
    }
    if (phase != Phase::LLVMIR)
      f.addFnAttr("warn-stack-size", "0"); // every frame reported: StackFacts
    if (options.fastMath) {
      f.addFnAttr("unsafe-fp-math", "true");
      f.addFnAttr("no-signed-zeros-fp-math", "true");
      f.addFnAttr("approx-func-fp-math", "true");
    }
  }
  if (!options.weightsSection.empty()) {
    if (!tm.getTargetTriple().isOSBinFormatELF())
      return emitError(module.getLoc())
             << "--weights-section '" << options.weightsSection
             << "': a named section for the weights needs an ELF target, not '"
             << tm.getTargetTriple().str() << "'";
    for (llvm::GlobalVariable &g : llvmModule->globals())
      if (g.isConstant() && g.hasInitializer())
        g.setSection(options.weightsSection);
  }
  lap("translation to LLVM IR");
  std::string verifyErrors;
  llvm::raw_string_ostream verifyStream(verifyErrors);
  if (llvm::verifyModule(*llvmModule, &verifyStream))
    return emitError(module.getLoc()) << "internal error: invalid LLVM IR: " << verifyErrors;

  // The stack bound of each function, from the frames and calls code generation reported.
  std::vector<std::string> defined;
  for (const llvm::Function &f : *llvmModule)
    if (!f.isDeclaration())
      defined.push_back(f.getName().str());
  auto reportStack = [&] {
    if (!stackBytes)
      return;
    // A call pushes its return address on x86; elsewhere the callee saves the link register
    // in its own frame when it calls further.
    uint64_t returnAddress = tm.getTargetTriple().isX86() ? tm.getPointerSize(0) : 0;
    // What a call of memcpy, memset or a float helper may push, which smc cannot see: 16
    // words (libgcc's soft-float helpers on Cortex-M0 and rv32imac took at most 8).
    uint64_t external = 16 * tm.getPointerSize(0);
    std::map<std::string, uint64_t> memo;
    std::set<std::string> active;
    for (const std::string &name : defined)
      (*stackBytes)[name] =
          returnAddress + stack.bound(name, returnAddress, external, memo, active);
  };

  // Large modules are optimised and generated in parts, on several threads.
  unsigned parts = partitionCount(*llvmModule, tm, phase);
  if (parts > 1) {
    unsigned threads = std::min(
        parts, options.jobs ? options.jobs : llvm::hardware_concurrency().compute_thread_count());
    if (failed(generateInParts(module, *llvmModule, options, parts, threads, out, stack)))
      return failure();
    reportStack();
    lap(std::string(options.optimizeSize ? "LLVM Oz" : "LLVM O2") +
        " and code generation (" + std::to_string(parts) + " parts on " +
        std::to_string(threads) + " threads, lld -r)");
    return success();
  }
  optimize(*llvmModule, tm, options.optimizeSize, options.sanitizeThread);
  lap(options.optimizeSize ? "LLVM Oz" : "LLVM O2");
  if (phase == Phase::LLVMIR) {
    llvm::raw_string_ostream os(out);
    llvmModule->print(os, nullptr);
    return success();
  }
  weightsAsBytes(*llvmModule);
  stack.recordCalls(*llvmModule);
  std::string error;
  if (!generate(*llvmModule, tm, phase, out, error))
    return emitError(module.getLoc()) << error;
  reportStack();
  lap("code generation");
  return success();
}

} // namespace smc
