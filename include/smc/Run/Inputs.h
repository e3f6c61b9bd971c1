//===- Inputs.h - The inputs of `smc run` ----------------------*- C++ -*-===//
//
// saved_model_cli run's input flags: --inputs 'k1=a.npy;k2=b.npz[var];k3=c.npz' (files read
// the way numpy.load reads them, chosen by content: .npy, .npz; pickles are refused) and
// --input_exprs 'k=<expression>' (see PyExpr.h), which overrides --inputs for the same key.
// Then each value is checked against the signature: keys, dtype, shape.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_INPUTS_H
#define SMC_RUN_INPUTS_H

#include "smc/Run/PyExpr.h"
#include "smc/SavedModel/Tensor.h"

#include "absl/status/statusor.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace smc {

/// One `--inputs` entry.
struct InputFileSpec {
  std::string key;
  std::string file;
  std::string variable; // empty: none given
};

/// Splits --inputs at ';' (empty entries skipped) into `key=file` / `key=file[variable]`, with
/// saved_model_cli's rules (the key ends at the first '='; file and variable hold no brackets).
absl::StatusOr<std::vector<InputFileSpec>> parseInputsFlag(const std::string &flag);

/// The array `spec` names, as numpy.load gives it; `warn` receives saved_model_cli's warnings.
absl::StatusOr<Tensor> loadInputFile(const InputFileSpec &spec,
                                     const std::function<void(const std::string &)> &warn);

/// A value given for an input key.
struct ProvidedInput {
  std::string origin; // "file.npy", "file.npz[var]", or "expression '...'"
  bool fromExpr = false;
  Tensor tensor; // a file's array
  PyArray value; // an expression's value
};

/// Reads --inputs and evaluates --input_exprs, in that order (expressions left to right, one
/// shared np.random generator). Keys repeated within a flag keep the last value; an expression
/// overriding a file warns.
absl::StatusOr<std::map<std::string, ProvidedInput>>
collectInputs(const std::string &inputsFlag, const std::string &exprsFlag,
              const std::function<void(const std::string &)> &warn);

/// A signature input as a TF session takes it: the key, dtype and shape the signature declares,
/// except that an input feeding a placeholder has the placeholder's shape (signatureInputShape).
struct SignatureInput {
  std::string key;
  DType dtype = 0;
  bool unknownRank = false;
  std::vector<int64_t> dims; // -1: unknown
  std::string shapeText;     // as saved_model_cli show prints it: "(-1, 3)", "unknown_rank"
};

/// The tensors to feed, by key: every key must be a signature input and every input given;
/// file arrays must have the input's dtype, expression values are converted to it (as
/// TensorFlow's session does with numpy.asarray); shapes must fit the declared ones.
absl::StatusOr<std::map<std::string, Tensor>>
bindInputs(const std::map<std::string, ProvidedInput> &provided,
           const std::vector<SignatureInput> &signature);

/// Python's tuple spelling of a shape: "()", "(3,)", "(2, 3)".
std::string pyShape(const std::vector<int64_t> &shape);

} // namespace smc

#endif // SMC_RUN_INPUTS_H
