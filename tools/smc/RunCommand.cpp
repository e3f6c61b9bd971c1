//===- RunCommand.cpp - `smc run` -----------------------------------------===//
//
// Flags and output of `saved_model_cli run`: reads the inputs (--inputs files, --input_exprs
// expressions), checks them against the signature, compiles the signature for their shapes,
// runs it in process (lib/Run) and prints each output as NumPy prints it, optionally saving
// it as <outdir>/<key>.npy.
//
//===----------------------------------------------------------------------===//

#include "Args.h"
#include "Commands.h"
#include "Diagnostics.h"

#include "smc/Pipelines/Compiler.h"
#include "smc/Run/Inputs.h"
#include "smc/Run/Npy.h"
#include "smc/Run/NumpyFormat.h"
#include "smc/Run/Run.h"

#include "mlir/IR/DialectRegistry.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>
#include <sys/stat.h>

using namespace smc;

static const std::vector<FlagSpec> kRunFlags = {
    {"dir", true, false, "SavedModel directory (or TF Serving base directory)"},
    {"tag_set", true, false, "comma-separated tag set of the meta graph (default: serve)"},
    {"signature_def", true, false, "signature key to run"},
    {"inputs", true, false,
     "input files: 'KEY=file.npy;KEY=file.npz[name];KEY=file.npz' (separated by ';')"},
    {"input_exprs", true, false,
     "input values as Python literals or NumPy calls: 'KEY=[[1.0, 2.0]];KEY=np.ones((2,3))' "
     "(overrides --inputs; a 'np.random.seed(N)' entry seeds np.random.rand)"},
    {"input_examples", true, false, "tf.Example inputs (not supported by smc run)"},
    {"outdir", true, false, "also write each output to OUTDIR/<output key>.npy"},
    {"overwrite", false, false, "overwrite existing output files"},
    kMaxTensorBytesFlag,
    {"threads", true, false,
     "threads that run the model (default 1): the object's parallel entry point on a pool of N "
     "threads; the outputs are the same for any N"},
    {"help", false, false, "show this help"},
};

static void printUsage(std::ostream &os) {
  os << "usage: smc run --dir DIR [--tag_set TAGS] --signature_def KEY\n"
        "               (--inputs SPEC | --input_exprs SPEC)... [--outdir DIR [--overwrite]]\n"
        "               [--threads N]\n"
     << formatFlags(kRunFlags);
}

/// os.path.join(dir, name).
/// Why output key `key` cannot be the name of a file in --outdir ("" if it can): the file is
/// <outdir>/<key>.npy, so the key must be one path component.
static std::string outputKeyProblem(const std::string &key) {
  if (key.empty())
    return "it is empty";
  for (char ch : key) {
    if (ch == '/' || ch == '\\')
      return "it contains a path separator";
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
      return "it contains a control character";
  }
  if (key.size() + 4 > 255)
    return "it is longer than a file name may be";
  return "";
}

static std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty() || dir.back() == '/')
    return dir + name;
  return dir + "/" + name;
}

int smc::runRun(int argc, char **argv) {
  Args args;
  if (std::optional<int> done = parseCommand(args, argc, argv, "run", kRunFlags, printUsage))
    return *done;
  auto usageError = [](const std::string &msg) {
    std::cerr << "smc run: error: " << msg << "\n";
    return kExitUsage;
  };
  auto fail = [](const std::string &msg) {
    std::cerr << "smc run: error: " << msg << "\n";
    return kExitError;
  };
  if (!args.positional().empty())
    return usageError("unexpected argument '" + args.positional()[0] + "'");
  if (!args.has("dir"))
    return usageError("--dir is required");
  if (!args.has("signature_def"))
    return usageError("--signature_def is required");
  uint64_t maxTensorBytes = 0;
  if (args.has("max-tensor-bytes") &&
      (maxTensorBytes = parseMaxTensorBytes(args.get("max-tensor-bytes"))) == 0)
    return usageError("--max-tensor-bytes expects a size from 1K to 1T, e.g. 64G (got '" +
                      args.get("max-tensor-bytes") + "')");
  unsigned threads = 1;
  if (args.has("threads") && (threads = parseThreadCount(args.get("threads"))) == 0)
    return usageError("--threads expects a number of threads from 1 to 1024 (got '" +
                      args.get("threads") + "')");
  if (args.has("input_examples"))
    return fail("--input_examples (tf.Example inputs) is not supported: smc cannot compile "
                "tf.Example parsing; give the tensors with --inputs or --input_exprs");
  std::string inputsFlag = args.get("inputs"), exprsFlag = args.get("input_exprs");
  if (inputsFlag.empty() && exprsFlag.empty())
    return usageError("at least one of --inputs or --input_exprs is required");
  // Malformed flag values are usage errors; what the entries hold is checked below.
  if (auto specs = parseInputsFlag(inputsFlag); !specs.ok())
    return usageError(std::string(specs.status().message()));
  if (auto exprs = splitInputExprs(exprsFlag); !exprs.ok())
    return usageError(std::string(exprs.status().message()));

  std::string dir = args.get("dir"), tagSet = args.get("tag_set", "serve");
  std::string signature = args.get("signature_def");
  auto warn = [](const std::string &msg) { std::cerr << "smc run: warning: " << msg << "\n"; };
  auto provided = collectInputs(inputsFlag, exprsFlag, warn);
  if (!provided.ok())
    return fail(std::string(provided.status().message()));
  auto sig = describeSignature(dir, tagSet, signature);
  if (!sig.ok())
    return fail(std::string(sig.status().message()));
  auto inputs = bindInputs(*provided, sig->inputs);
  if (!inputs.ok())
    return fail(std::string(inputs.status().message()));

  // Refuse unsafe names and overwriting before doing any work (saved_model_cli finds out output
  // by output). An output key is the file's name: it must name a file in --outdir.
  std::string outdir = args.get("outdir");
  bool overwrite = args.has("overwrite");
  if (!outdir.empty()) {
    for (const std::string &key : sig->outputs) {
      if (std::string problem = outputKeyProblem(key); !problem.empty())
        return fail("output key '" + llvm::StringRef(key).take_front(80).str() +
                    "' cannot name a file in --outdir: " + problem);
      std::string path = joinPath(outdir, key + ".npy");
      struct stat st;
      if (!overwrite && ::lstat(path.c_str(), &st) == 0)
        return fail("Output file " + path +
                    " already exists. Add \"--overwrite\" to overwrite the existing output files.");
    }
  }

  mlir::DialectRegistry registry;
  registerPipelineDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  CommandDiagnostics diagnostics(context, "run");

  RunRequest request;
  request.dir = dir;
  request.tagSet = tagSet;
  request.signature = signature;
  request.inputs = std::move(*inputs);
  if (maxTensorBytes != 0)
    request.maxTensorBytes = maxTensorBytes;
  request.threads = threads;
  std::vector<std::pair<std::string, Tensor>> outputs;
  if (mlir::failed(runSignature(request, context, outputs))) {
    if (diagnostics.errors() == 0)
      std::cerr << "smc run: error: running signature '" << signature << "' failed\n";
    return kExitError;
  }

  if (!outdir.empty() && !llvm::sys::fs::is_directory(outdir)) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outdir))
      return fail("cannot create " + outdir + ": " + ec.message());
  }
  for (const auto &[key, value] : outputs) {
    auto text = numpyStr(value);
    if (!text.ok())
      return fail("output '" + key + "': " + std::string(text.status().message()));
    std::cout << "Result for output key " << key << ":\n" << *text << "\n";
    if (!outdir.empty()) {
      std::string path = joinPath(outdir, key + ".npy");
      if (absl::Status s = writeNpy(path, value, overwrite); !s.ok())
        return fail(std::string(s.message()));
      std::cout << "Output " << key << " is saved to " << path << "\n";
    }
  }
  std::cout.flush();
  return kExitOk;
}
