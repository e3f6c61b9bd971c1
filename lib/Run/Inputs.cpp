//===- Inputs.cpp - The inputs of `smc run` -------------------------------===//

#include "smc/Run/Inputs.h"

#include "smc/Run/Npy.h"
#include "smc/SavedModel/File.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace smc {
namespace {

absl::Status withKey(const std::string &key, const absl::Status &s) {
  return absl::Status(s.code(), absl::StrCat("input '", key, "': ", s.message()));
}

std::string describeArray(DType dtype, const std::vector<int64_t> &shape) {
  return absl::StrCat(numpyDtypeName(dtype), " array of shape ", pyShape(shape));
}

} // namespace

std::string pyShape(const std::vector<int64_t> &shape) {
  if (shape.size() == 1)
    return absl::StrCat("(", shape[0], ",)");
  return absl::StrCat("(", absl::StrJoin(shape, ", "), ")");
}

absl::StatusOr<std::vector<InputFileSpec>> parseInputsFlag(const std::string &flag) {
  std::vector<InputFileSpec> out;
  for (absl::string_view piece : absl::StrSplit(flag, ';', absl::SkipEmpty())) {
    std::string entry(piece);
    auto bad = [&] {
      return absl::InvalidArgumentError(
          "--inputs \"" + entry +
          "\" format is incorrect: expected <input_key>=<filename> or "
          "<input_key>=<filename>[<variable_name>]");
    };
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0)
      return bad();
    InputFileSpec spec;
    spec.key = entry.substr(0, eq);
    std::string rest = entry.substr(eq + 1);
    size_t open = rest.find('[');
    if (open != std::string::npos) {
      if (rest.back() != ']' || open == 0)
        return bad();
      spec.file = rest.substr(0, open);
      spec.variable = rest.substr(open + 1, rest.size() - open - 2);
      if (spec.variable.empty() || spec.variable.find_first_of("[]") != std::string::npos)
        return bad();
    } else {
      if (rest.empty() || rest.find(']') != std::string::npos)
        return bad();
      spec.file = rest;
    }
    out.push_back(spec);
  }
  return out;
}

absl::StatusOr<Tensor> loadInputFile(const InputFileSpec &spec,
                                     const std::function<void(const std::string &)> &warn) {
  auto bytes = readFile(spec.file);
  if (!bytes.ok())
    return withKey(spec.key, bytes.status());
  // numpy.load decides by content: a zip archive is .npz, the NumPy magic is .npy, anything
  // else would be unpickled.
  if (bytes->compare(0, 4, "PK\x03\x04") == 0 || bytes->compare(0, 4, "PK\x05\x06") == 0) {
    // Only the member used is inflated (a small archive may name huge members).
    auto names = npzMemberNames(*bytes, spec.file);
    if (!names.ok())
      return withKey(spec.key, names.status());
    if (spec.variable.empty() && names->size() != 1)
      return withKey(spec.key,
                     absl::InvalidArgumentError(absl::StrCat(
                         "input file ", spec.file, " contains ", names->size(),
                         " arrays: name the one to use, e.g. ", spec.key, "=", spec.file, "[",
                         names->empty() ? "name" : names->front(), "]")));
    std::string name = spec.variable.empty() ? names->front() : spec.variable;
    if (std::find(names->begin(), names->end(), name) == names->end()) {
      std::vector<std::string> shown(names->begin(),
                                     names->begin() + std::min<size_t>(names->size(), 20));
      return withKey(spec.key,
                     absl::NotFoundError(absl::StrCat(
                         "input file ", spec.file, " does not contain variable with name \"",
                         spec.variable, "\" (it holds: ", absl::StrJoin(shown, ", "),
                         names->size() > shown.size()
                             ? absl::StrCat(", ... ", names->size(), " in all")
                             : std::string(),
                         ")")));
    }
    auto t = parseNpzMember(*bytes, spec.file, name);
    if (!t.ok())
      return withKey(spec.key, t.status());
    return t;
  }
  if (bytes->compare(0, 6, "\x93NUMPY") == 0) {
    auto t = parseNpy(*bytes, spec.file);
    if (!t.ok())
      return withKey(spec.key, t.status());
    if (!spec.variable.empty())
      warn(absl::StrCat("Input file ", spec.file, " contains a single ndarray. Name key \"",
                        spec.variable, "\" ignored."));
    return t;
  }
  // numpy.load would unpickle anything else; say what the file is instead.
  std::string what = bytes->empty() ? "it is empty"
                     : static_cast<unsigned char>((*bytes)[0]) == 0x80
                         ? "it looks like a pickle; pickle files are not supported"
                         : "it has no NumPy or zip signature";
  return withKey(spec.key, absl::InvalidArgumentError(absl::StrCat(
                               spec.file, " is neither a .npy nor a .npz file: ", what,
                               " (save the array with numpy.save or numpy.savez)")));
}

absl::StatusOr<std::map<std::string, ProvidedInput>>
collectInputs(const std::string &inputsFlag, const std::string &exprsFlag,
              const std::function<void(const std::string &)> &warn) {
  std::map<std::string, ProvidedInput> out;
  auto files = parseInputsFlag(inputsFlag);
  if (!files.ok())
    return files.status();
  auto exprs = splitInputExprs(exprsFlag);
  if (!exprs.ok())
    return exprs.status();
  for (const InputFileSpec &spec : *files) {
    auto t = loadInputFile(spec, warn);
    if (!t.ok())
      return t.status();
    ProvidedInput in;
    in.origin = spec.variable.empty() ? spec.file : spec.file + "[" + spec.variable + "]";
    in.tensor = std::move(*t);
    out[spec.key] = std::move(in);
  }
  NumpyRandom random;
  std::map<std::string, ProvidedInput> fromExprs;
  int64_t elements = 0; // of every value so far (kMaxInputExprsElements)
  for (const InputExpr &e : *exprs) {
    if (e.key.empty()) { // np.random.seed(N)
      auto seed = parseSeedCall(e.expr);
      if (!seed.ok())
        return seed.status();
      random.seed(**seed);
      continue;
    }
    auto v = evalPyExpr(e.expr, random);
    if (!v.ok())
      return absl::Status(v.status().code(),
                          absl::StrCat("input '", e.key, "': expression \"", abbreviate(e.expr),
                                       "\" cannot be evaluated: ", v.status().message()));
    elements += static_cast<int64_t>(v->values.size());
    if (elements > kMaxInputExprsElements)
      return absl::InvalidArgumentError(
          absl::StrCat("input '", e.key, "': the --input_exprs values together have more than ",
                       kMaxInputExprsElements, " elements"));
    ProvidedInput in;
    in.origin = "expression \"" + e.expr + "\"";
    in.fromExpr = true;
    in.value = std::move(*v);
    fromExprs[e.key] = std::move(in);
  }
  for (auto &[key, in] : fromExprs) {
    if (out.count(key))
      warn(absl::StrCat("input_key ", key,
                        " has been specified with both --inputs and --input_exprs options. "
                        "Value in --input_exprs will be used."));
    out[key] = std::move(in);
  }
  return out;
}

absl::StatusOr<std::map<std::string, Tensor>>
bindInputs(const std::map<std::string, ProvidedInput> &provided,
           const std::vector<SignatureInput> &signature) {
  std::map<std::string, const SignatureInput *> byKey;
  std::vector<std::string> keys;
  for (const SignatureInput &in : signature) {
    byKey[in.key] = &in;
    keys.push_back("\"" + in.key + "\"");
  }
  for (const auto &[key, in] : provided)
    if (!byKey.count(key))
      return absl::InvalidArgumentError(
          absl::StrCat("\"", key, "\" is not a valid input key. Please choose from ",
                       absl::StrJoin(keys, ", ")));
  std::map<std::string, Tensor> out;
  for (const SignatureInput &sig : signature) {
    auto it = provided.find(sig.key);
    if (it == provided.end())
      return absl::InvalidArgumentError(
          absl::StrCat("input '", sig.key, "' (", dtypeName(sig.dtype), ", shape ", sig.shapeText,
                       ") is not given: pass it with --inputs or --input_exprs"));
    const ProvidedInput &in = it->second;
    Tensor t;
    if (in.fromExpr) {
      auto converted = toTensor(in.value, sig.dtype);
      if (!converted.ok())
        return absl::Status(converted.status().code(),
                            absl::StrCat("input '", sig.key, "': cannot convert ", in.origin,
                                         " to ", numpyDtypeName(sig.dtype), ": ",
                                         converted.status().message()));
      t = std::move(*converted);
    } else {
      if (in.tensor.dtype != sig.dtype)
        return absl::InvalidArgumentError(absl::StrCat(
            "input '", sig.key, "': ", in.origin, " holds a ",
            describeArray(in.tensor.dtype, in.tensor.shape), " but the signature's input is ",
            dtypeName(sig.dtype), " (", numpyDtypeName(sig.dtype),
            "); smc run does not convert files (saved_model_cli would cast silently): save the "
            "array as ",
            numpyDtypeName(sig.dtype)));
      t = in.tensor;
    }
    if (!sig.unknownRank) {
      bool fits = t.shape.size() == sig.dims.size();
      for (size_t i = 0; fits && i < t.shape.size(); ++i)
        fits = sig.dims[i] < 0 || sig.dims[i] == t.shape[i];
      if (!fits)
        return absl::InvalidArgumentError(
            absl::StrCat("input '", sig.key, "': cannot feed a value of shape ", pyShape(t.shape),
                         " (from ", in.origin, ") to an input of shape ", sig.shapeText));
    }
    out[sig.key] = std::move(t);
  }
  return out;
}

} // namespace smc
