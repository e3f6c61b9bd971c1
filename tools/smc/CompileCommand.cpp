//===- CompileCommand.cpp - `smc compile` ---------------------------------===//
//
// Parses the flags into a CompileRequest, calls smc::compile, writes the object (or the
// requested IR) and the header, and prints diagnostics as "smc compile: error: ...".
//
//===----------------------------------------------------------------------===//

#include "Args.h"
#include "Commands.h"
#include "Diagnostics.h"

#include "smc/Pipelines/Compiler.h"
#include "smc/SavedModel/File.h"
#include "smc/Support/Identifier.h"

#include "mlir/IR/DialectRegistry.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

using namespace smc;

static const std::vector<FlagSpec> kFlags = {
    {"dir", true, false, "SavedModel directory (or TF Serving base directory)"},
    {"tag_set", true, false, "tag set of the meta graph (default: serve)"},
    {"signature", true, true, "signature to compile (repeatable; 'all' for every one)"},
    {"function", true, true,
     "object-graph function to compile by path, e.g. __call__ (repeatable)"},
    {"o", true, false, "output file (object, or the text of --emit / --compile-to)"},
    {"header", true, false, "header to write (default: the output with .h)"},
    {"namespace", true, false, "C++ namespace and C symbol prefix (default: from the output name)"},
    {"target", true, false, "LLVM target triple (default: this machine)"},
    {"cpu", true, false, "target CPU (default: this machine's, or generic for --target)"},
    {"features", true, false, "target features, e.g. +avx2,+fma"},
    {"l1-cache", true, false,
     "per-core L1 data cache for matmul cache tiles, e.g. 48K (default: this machine's when "
     "compiling for it, else the target family's)"},
    {"l2-cache", true, false, "per-core L2 cache, e.g. 1M (default: as --l1-cache)"},
    {"print-target", false, false,
     "print what the compiler uses of the target (vector width, registers, FMA, ...) and exit"},
    {"input-shape", true, true,
     "pin an input's shape: KEY=1,224,224,3, or SIGNATURE:KEY=... for one signature"},
    {"emit", true, false, "obj (default), asm, llvm (LLVM IR), mlir (LLVM dialect)"},
    {"compile-to", true, false,
     "stop after a phase and print its IR: import, smc, linalg, "
     "bufferized, loops, llvm, llvm-ir, asm"},
    {"fast-math", false, false, "allow reassociation and approximate math (off: match TF)"},
    {"optimize", true, false,
     "speed (default) or size: the smallest code (LLVM's Oz), for flash-bound firmware"},
    {"sanitize", true, false,
     "thread: instrument the object for ThreadSanitizer (testing the _parallel entry points; "
     "link with -fsanitize=thread)"},
    kMaxTensorBytesFlag,
    {"weights-section", true, false,
     "ELF section for the model's constants (weights), e.g. .extflash (default: .rodata)"},
    {"j", true, false,
     "threads of the back end (default: $SMC_JOBS, else every core); the object is the same "
     "for every value"},
    {"v", false, false, "print phase timings"},
    {"print-ir-before", true, true,
     "print the module to stderr before each run of this MLIR pass, e.g. one-shot-bufferize "
     "(repeatable; for debugging the compiler)"},
    {"print-ir-after", true, true, "the same after the pass (repeatable)"},
    {"help", false, false, "show this help"},
};

static void usage(std::ostream &os) {
  os << "usage: smc compile --dir DIR (--signature KEY | --function PATH)... -o OUT [options]\n"
     << formatFlags(kFlags);
}

/// "serve_x=1,224,224,3" -> key, dims.
static bool parseInputShape(const std::string &spec, std::string &key, std::vector<int64_t> &dims,
                            std::string &error) {
  size_t eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    error = "--input-shape expects KEY=D0,D1,... (got '" + spec + "')";
    return false;
  }
  key = spec.substr(0, eq);
  std::string rest = spec.substr(eq + 1);
  dims.clear();
  if (rest.empty())
    return true; // a scalar
  std::stringstream ss(rest);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char *end = nullptr;
    long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end || v < 0 || v > (1LL << 40)) {
      error = "--input-shape " + key + ": '" + item + "' is not a dimension size";
      return false;
    }
    dims.push_back(v);
  }
  return true;
}

/// "48K", "1M", "32768" -> bytes; 0 if not a size from 1 KiB to 1 GiB.
static int64_t parseCacheSize(const std::string &text) {
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == text.c_str() || v <= 0)
    return 0;
  std::string unit(end);
  if (unit == "K" || unit == "k")
    v <<= 10;
  else if (unit == "M" || unit == "m")
    v <<= 20;
  else if (!unit.empty())
    return 0;
  return v >= (1 << 10) && v <= (1LL << 30) ? v : 0;
}

/// This machine's per-core cache of `level` (1: L1 data, 2: L2) in bytes, from Linux's sysfs; 0
/// if unknown.
static int64_t hostCacheBytes(int level) {
  for (int index = 0; index < 8; ++index) {
    std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    auto read = [&](const char *name) { // sysfs files: short text, stat size meaningless
      std::ifstream in(dir + name);
      std::string line;
      std::getline(in, line);
      return llvm::StringRef(line).trim().str();
    };
    std::string lvl = read("level");
    if (lvl.empty())
      break;
    std::string type = read("type");
    if (lvl == std::to_string(level) && (type == "Data" || type == "Unified"))
      return parseCacheSize(read("size"));
  }
  return 0;
}

/// The cache sizes of --l1-cache / --l2-cache, else this machine's when compiling for it (no
/// --target, no --cpu), else 0 (the target family's default). Usage errors go to `error`.
static bool cacheSizes(const Args &args, int64_t &l1, int64_t &l2, std::string &error) {
  bool host = !args.has("target") && !args.has("cpu");
  for (auto [flag, level, out] : {std::tuple<const char *, int, int64_t *>{"l1-cache", 1, &l1},
                                  {"l2-cache", 2, &l2}}) {
    if (args.has(flag)) {
      *out = parseCacheSize(args.get(flag));
      if (*out == 0) {
        error = std::string("--") + flag + " expects a size from 1K to 1024M, e.g. 48K (got '" +
                args.get(flag) + "')";
        return false;
      }
    } else {
      *out = host ? hostCacheBytes(level) : 0;
    }
  }
  return true;
}

/// `path` made absolute with its directory's links resolved (the file itself may not exist
/// yet, or be a link the write follows): two outputs with the same key are one file.
static std::string canonicalPath(const std::string &path) {
  llvm::SmallString<256> p(path);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(p, real))
    return std::string(real);
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(p));
  if (llvm::sys::fs::real_path(dir, real))
    return std::string(p);
  llvm::sys::path::append(real, llvm::sys::path::filename(p));
  return std::string(real);
}

int smc::runCompile(int argc, char **argv) {
  Args args;
  if (std::optional<int> done = parseCommand(args, argc, argv, "compile", kFlags, usage))
    return *done;
  auto usageError = [](const std::string &msg) {
    std::cerr << "smc compile: error: " << msg << "\n";
    return kExitUsage;
  };
  if (!args.positional().empty())
    return usageError("unexpected argument '" + args.positional()[0] + "'");
  if (args.has("print-target")) {
    CompileOptions target;
    target.triple = args.get("target");
    target.cpu = args.get("cpu");
    target.features = args.get("features");
    std::string error;
    int64_t l1 = 0, l2 = 0;
    if (!cacheSizes(args, l1, l2, error))
      return usageError(error);
    std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(target, error);
    if (!tm) {
      std::cerr << "smc compile: error: " << error << "\n";
      return kExitError;
    }
    TargetFacts facts = targetFactsFor(*tm);
    if (l1 > 0)
      facts.l1Bytes = l1;
    if (l2 > 0)
      facts.l2Bytes = l2;
    printTargetFacts(*tm, facts, llvm::outs());
    return kExitOk;
  }
  if (!args.has("dir"))
    return usageError("--dir is required");
  if (!args.has("signature") && !args.has("function"))
    return usageError("give --signature KEY (or all) or --function PATH");

  CompileRequest req;
  req.dir = args.get("dir");
  req.import.tagSet = args.get("tag_set", "serve");
  req.import.signatures = args.all("signature");
  req.import.functions = args.all("function");
  for (const auto &spec : args.all("input-shape")) {
    std::string key, error;
    std::vector<int64_t> dims;
    if (!parseInputShape(spec, key, dims, error))
      return usageError(error);
    req.import.inputShapes[key] = dims;
  }
  if (args.has("max-tensor-bytes")) {
    req.import.maxTensorBytes = parseMaxTensorBytes(args.get("max-tensor-bytes"));
    if (req.import.maxTensorBytes == 0)
      return usageError("--max-tensor-bytes expects a size from 1K to 1T, e.g. 64G (got '" +
                        args.get("max-tensor-bytes") + "')");
  }
  if (args.has("weights-section")) {
    req.codegen.weightsSection = args.get("weights-section");
    const std::string &name = req.codegen.weightsSection;
    bool ok = !name.empty() && name.size() <= 64 &&
              std::all_of(name.begin(), name.end(), [](unsigned char c) {
                return std::isalnum(c) || c == '_' || c == '.';
              });
    if (!ok)
      return usageError("--weights-section expects a section name of letters, digits, '_' and "
                        "'.' (at most 64), e.g. .extflash (got '" + name + "')");
    // Names the ELF writer gives a meaning (zero-filled, thread-local, notes) cannot hold
    // initialised constants.
    for (const char *reserved : {".bss", ".sbss", ".tbss", ".tdata", ".note", ".text"})
      if (llvm::StringRef(name).starts_with(reserved))
        return usageError("--weights-section '" + name + "': a name starting with " + reserved +
                          " is reserved for other contents; choose another, e.g. .extflash");
  }
  req.codegen.triple = args.get("target");
  req.codegen.cpu = args.get("cpu");
  req.codegen.features = args.get("features");
  {
    std::string error;
    if (!cacheSizes(args, req.codegen.l1CacheBytes, req.codegen.l2CacheBytes, error))
      return usageError(error);
  }
  setFatalErrorContext("compiling for " +
                       (args.has("target") ? args.get("target") : std::string("this machine")) +
                       (args.has("cpu") ? " (cpu " + args.get("cpu") + ")" : std::string()));
  req.codegen.fastMath = args.has("fast-math");
  if (args.has("optimize")) {
    std::string goal = args.get("optimize");
    if (goal != "speed" && goal != "size")
      return usageError("--optimize must be speed or size (got '" + goal + "')");
    req.codegen.optimizeSize = goal == "size";
  }
  if (args.has("sanitize")) {
    if (args.get("sanitize") != "thread")
      return usageError("--sanitize must be thread (got '" + args.get("sanitize") + "')");
    req.codegen.sanitizeThread = true;
  }
  req.codegen.timing = args.has("v");
  req.codegen.printIrBefore = args.all("print-ir-before");
  req.codegen.printIrAfter = args.all("print-ir-after");
  {
    const char *env = std::getenv("SMC_JOBS");
    std::string jobs = args.has("j") ? args.get("j") : env ? env : "";
    if (!jobs.empty()) {
      unsigned n = parseThreadCount(jobs);
      if (n == 0)
        return usageError((args.has("j") ? "-j" : "SMC_JOBS") +
                          std::string(" expects a thread count from 1 to 1024 (got '") + jobs +
                          "')");
      req.codegen.jobs = n;
    }
  }

  std::string emit = args.get("emit", "obj");
  if (emit == "obj")
    req.emit = Phase::Object;
  else if (emit == "asm")
    req.emit = Phase::Asm;
  else if (emit == "llvm")
    req.emit = Phase::LLVMIR;
  else if (emit == "mlir")
    req.emit = Phase::LLVMDialect;
  else
    return usageError("--emit must be obj, asm, llvm or mlir (got '" + emit + "')");
  if (args.has("compile-to")) {
    auto phase = parsePhase(args.get("compile-to"));
    if (!phase || *phase == Phase::Object)
      return usageError("unknown phase '" + args.get("compile-to") +
                        "' for --compile-to (import, smc, linalg, bufferized, loops, llvm, "
                        "llvm-ir, asm)");
    req.emit = *phase;
  }
  bool text = req.emit != Phase::Object;
  std::string out = args.get("o");
  if (out.empty() && !text)
    return usageError("-o is required when emitting an object file");

  // The header goes next to the object unless --header names it; the two must differ.
  bool wantHeader = req.emit == Phase::Object || args.has("header");
  std::string headerPath = args.get("header");
  if (headerPath.empty() && !out.empty()) {
    llvm::SmallString<256> p(out);
    llvm::sys::path::replace_extension(p, ".h");
    headerPath = std::string(p);
  }
  if (out == "-" && !text)
    return usageError("-o -: an object file cannot be written to standard output");
  if (out == "-" && wantHeader)
    return usageError("-o - with --header: give the header's file with -o FILE");
  if (wantHeader && out != "-" && canonicalPath(out) == canonicalPath(headerPath))
    return usageError("the output '" + out + "' and its header '" + headerPath +
                      "' are the same file" +
                      (args.has("header") ? "" : " (name the object with another extension, "
                                                 "or the header with --header)"));

  std::string stem = out.empty() || out == "-" ? "model" : llvm::sys::path::stem(out).str();
  req.nameSpace = args.get("namespace", namespaceFor(stem));
  // A C identifier, or several joined by "::" for nested C++ namespaces, that the header
  // declares as given (no keyword: the header would have to rename it).
  if (std::string problem = namespaceProblem(req.nameSpace); !problem.empty())
    return usageError("--namespace " + problem);

  mlir::DialectRegistry registry;
  registerPipelineDialects(registry);
  mlir::MLIRContext context(registry);
  if (req.codegen.jobs == 1)
    context.disableMultithreading(); // -j 1: one core, MLIR's verifier included
  context.loadAllAvailableDialects();
  CommandDiagnostics diagnostics(context, "compile");

  CompileResult result;
  if (mlir::failed(compile(req, context, result))) {
    if (diagnostics.errors() == 0)
      std::cerr << "smc compile: error: compilation failed\n";
    return kExitError;
  }
  if (text && (out.empty() || out == "-")) {
    std::cout << result.code;
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "smc compile: error: cannot write to standard output\n";
      return kExitError;
    }
    return kExitOk;
  }
  std::vector<std::string> problems;
  if (wantHeader)
    problems = verifyHeaderInfo(result.header);
  for (const auto &p : problems)
    std::cerr << "smc compile: error: the header cannot describe this model: " << p << "\n";
  if (!problems.empty())
    return kExitError;
  if (absl::Status s = writeFile(out, result.code, WriteMode::Replace); !s.ok()) {
    std::cerr << "smc compile: error: " << s.message() << "\n";
    return kExitError;
  }
  if (wantHeader) {
    std::ostringstream h;
    emitHeader(result.header, h);
    if (absl::Status s = writeFile(headerPath, h.str(), WriteMode::Replace); !s.ok()) {
      std::cerr << "smc compile: error: " << s.message() << "\n";
      return kExitError;
    }
  }
  return kExitOk;
}
