//===- Header.cpp - The generated C/C++ header of a compiled model --------===//
//
// The header has four parts, written in this order (docs/header-abi.md is the contract):
//   1. a comment block: provenance, the calling rules, and per function its arguments with TF
//      dtype, compiled shape and saved shape, and its arena size;
//   2. the include guard, #include <smc/runtime.h> (+ <stddef.h>, <stdint.h>), an ABI check;
//   3. the C part: per function its size macros and the extern "C" declaration;
//   4. the C++ part, in the model's namespace: kArenaSize, and per function a namespace
//      `<name>_io` of shape constants and two typed overloads (caller's arena, static arena).
//
// All naming is decided up front in makePlan() (HeaderPlan.cpp), so this file only prints.
//
//===----------------------------------------------------------------------===//

#include "HeaderPlan.h"

#include <algorithm>
#include <cstddef>
#include <sstream>

namespace smc {
using namespace header;
namespace {

//===----------------------------------------------------------------------===//
// Text helpers
//===----------------------------------------------------------------------===//

/// `s` as comment text: printable ASCII kept, anything else escaped as in quote().
std::string commentText(const std::string &s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '\\' && c != '?' && c != '"';
  });
  return plain ? s : quote(s);
}

constexpr size_t kLineWidth = 100;

/// `head` + the items separated by ", " + `tail` on one line when it fits, else one item per
/// line indented four more than `indent`.
std::string wrapList(const std::string &indent, const std::string &head,
                     const std::vector<std::string> &items, const std::string &tail) {
  std::string line = indent + head + join(items, ", ") + tail;
  if (line.size() <= kLineWidth || items.empty())
    return line + "\n";
  return indent + head + "\n" + indent + "    " + join(items, ",\n" + indent + "    ") + tail +
         "\n";
}

/// Rows of cells as aligned columns `gap` blanks apart, each line prefixed with `indent`; no
/// trailing blanks. The last cell of a row does not widen its column.
std::string table(const std::string &indent, const std::vector<std::vector<std::string>> &rows,
                  size_t gap = 2) {
  std::vector<size_t> width;
  for (const auto &row : rows)
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (width.size() <= i)
        width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto &row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(width[i] - row[i].size() + gap, ' ');
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  return out;
}

/// A comment paragraph: words filled up to kLineWidth, each line starting with `prefix` (the
/// first with `first` instead).
std::string paragraph(const std::string &first, const std::string &prefix,
                      const std::string &text) {
  std::istringstream words(text);
  std::string out, line = first, word;
  bool empty = true;
  while (words >> word) {
    if (!empty && line.size() + 1 + word.size() > kLineWidth) {
      out += line + "\n";
      line = prefix;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  return out + line + "\n";
}

/// `head` followed by dashes up to kLineWidth and `tail`.
std::string rule(const std::string &head, const std::string &tail = "") {
  size_t used = head.size() + tail.size();
  return head + std::string(used < kLineWidth ? kLineWidth - used : 3, '-') + tail + "\n";
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// The C declaration's parameter for a port: `const float *SMC_RESTRICT x`.
std::string cParam(const Port &p) {
  return std::string(p.input ? "const " : "") + p.cType() + " *SMC_RESTRICT " + p.id;
}

/// The C++ overload's parameter: `const float (&x)[1][64]`, `const float &x` for a scalar,
/// `const float *x` when a dimension is 0 (no array type has a zero bound).
std::string cppParam(const Port &p) {
  std::string type = std::string(p.input ? "const " : "") + p.cppType();
  if (p.scalar())
    return type + " &" + p.id;
  if (!p.arrayType())
    return type + " *" + p.id;
  return type + " (&" + p.id + ")" + dimsText(p.info->shape, "[", "][", "]");
}

/// The C++ type alias of a port's buffer: `float[1][64]`, `float` for a scalar.
std::string cppBufferType(const Port &p) {
  if (p.scalar())
    return p.cppType();
  return std::string(p.cppType()) + dimsText(p.info->shape, "[", "][", "]");
}

/// The C call's argument for a port inside the C++ overload.
std::string cArgument(const Port &p) {
  std::string arg;
  if (p.scalar())
    arg = "&" + p.id;
  else if (!p.arrayType())
    arg = p.id;
  else {
    arg = "&" + p.id;
    for (size_t i = 0; i < p.info->shape.size(); ++i)
      arg += "[0]";
  }
  if (p.dtype && std::string(p.dtype->cType) != p.dtype->cppType)
    arg = std::string("reinterpret_cast<") + (p.input ? "const " : "") + p.dtype->cType + " *>(" +
          arg + ")";
  return arg;
}

std::string shapeText(const Port &p) {
  return p.scalar() ? "scalar" : dimsText(p.info->shape, "[", ", ", "]");
}

void printComment(const Plan &plan, const HeaderInfo &info, std::ostream &os) {
  const std::string ns = join(plan.nameSpace, "::");
  os << rule("//===- Generated by smc from a TensorFlow SavedModel: do not edit ", "===//")
     << "//\n"
     << "// Model:  " << commentText(info.modelDir) << "\n"
     << "// Target: " << commentText(info.target) << ", CPU " << commentText(info.cpu) << "\n"
     << "//\n"
     << "// Written by `smc compile` for the object file compiled with it; regenerate both "
        "together,\n"
     << "// never edit this file. The contract it follows is smc's docs/header-abi.md.\n"
     << "//\n";

  std::string threads =
      info.hasMutableVariables
          ? "Thread safety: NOT thread-safe. These functions read and write variables stored "
            "inside the object file, shared by all of its functions: never run two calls at the "
            "same time, not even with different arenas; serialise all calls (e.g. with one "
            "mutex)."
          : "Thread safety: every function is re-entrant per arena: calls, of the same "
            "function or of different ones, may run concurrently when each has its own arena "
            "and its own output buffers. The C++ overloads without an arena use one static "
            "arena per function: they are not re-entrant (two concurrent calls of the same "
            "function through them race).";
  os << "// How to call the functions below (C and C++ alike):\n";
  os << paragraph("// - ", "//   ",
                  "Arguments: the inputs, then the outputs, each sorted by key, then the arena. "
                  "Every tensor is a pointer to contiguous row-major data of the compiled shape "
                  "(a scalar: a pointer to one element); the C++ overloads spell the shape in "
                  "the parameter types. Inputs are only read; what the outputs held before the "
                  "call does not matter.");
  os << paragraph("// - ", "//   ",
                  "No two buffers of one call may overlap (inputs, outputs and arena are "
                  "noalias; the C declarations mark them SMC_RESTRICT).");
  os << paragraph("// - ", "//   ",
                  "The arena is scratch memory owned by the caller: at least the function's "
                  "arena size in bytes, aligned to 64 bytes (SMC_ARENA_ALIGNMENT, "
                  "smc::Arena<N>); it may be null when that size is 0. It needs no "
                  "initialisation and holds nothing of use after the call.");
  os << paragraph("// - ", "//   ", threads);

  // Element types, for the dtypes this header uses.
  std::vector<std::string> types;
  for (const DTypeInfo &d : dtypeTable()) {
    bool used = false;
    for (const Function &fn : plan.functions)
      for (const Port &p : fn.ports)
        used = used || p.dtype == &d;
    if (!used)
      continue;
    if (std::string(d.cType) != d.cppType) // the note says it all
      types.push_back(dtypeName(d.dtype) + " = " + d.note);
    else
      types.push_back(dtypeName(d.dtype) + " = " + d.cType +
                      (d.note ? std::string(" (") + d.note + ")" : ""));
  }
  if (!types.empty())
    os << paragraph("// - ", "//   ", "Element types: " + join(types, "; ") + ".");

  os << "//\n// Functions (C++ `" << ns << "::NAME`, constants in `" << ns
     << "::NAME_io`; C `SYMBOL`):\n";
  if (plan.functions.empty())
    os << "//   none\n";
  bool pinned = false;
  for (const Function &fn : plan.functions) {
    const FunctionInfo &fi = *fn.info;
    os << "//\n// " << fn.name << ": signature " << quote(fi.label) << ", C symbol " << fn.symbol;
    if (fn.io != fn.name + "_io")
      os << ", constants in " << fn.io;
    os << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const Port &p : fn.ports) {
      std::vector<std::string> row = {p.input ? "in" : "out", p.id,
                                      commentText(dtypeName(p.info->dtype)), shapeText(p)};
      std::string saved = p.info->savedShape;
      if (p.id != p.info->key)
        row[1] += " (key " + quote(p.info->key) + ")";
      if (!saved.empty() && !sameShape(saved, p.info->shape)) {
        bool unknown = hasUnknownDims(saved);
        pinned = pinned || unknown;
        row.push_back("saved as " + commentText(saved) + (unknown ? " *" : ""));
      }
      rows.push_back(row);
    }
    rows.push_back({"arena", std::to_string(fn.arena) + " bytes"});
    if (fn.stack)
      rows.push_back({"stack", "at most " + std::to_string(*fn.stack) + " bytes" +
                                   (fn.info->parallel
                                        ? " (serial; parallel_for adds its own frames)"
                                        : "")});
    if (fn.info->parallel)
      rows.push_back({"parallel", fn.symbol + "_parallel: independent loops as tasks"});
    os << table("//   ", rows);
  }
  if (pinned)
    os << "//\n"
       << paragraph("// * ", "//   ",
                    "The saved shape has unknown dimensions or an unknown rank; the function is "
                    "compiled for the shape shown. An unknown input dimension defaults to 1 and "
                    "an unknown input rank to a scalar, unless `smc compile --input-shape "
                    "KEY=D0,D1,...` pinned it; output shapes follow from the inputs.");
  os << "//\n" << rule("//===", "===//");
}

void printCPart(const Plan &plan, std::ostream &os) {
  os << "\n"
     << rule("// --- C interface ") << "\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "// The largest arena size of the functions below, in bytes: an arena this big serves "
        "them all.\n"
     << "#define " << plan.arenaMacro << " " << plan.maxArena << "\n";
  for (const Function &fn : plan.functions) {
    std::string sizes = fn.stack ? "the arena size and the most stack a call takes, in bytes"
                                 : "the arena size in bytes";
    os << "\n// " << fn.symbol
       << (fn.ports.empty() ? ": " + sizes + ".\n"
                            : ": the arguments' element counts, " + sizes + ".\n");
    std::vector<std::vector<std::string>> rows;
    for (const Port &p : fn.ports)
      rows.push_back({"#define " + p.sizeMacro, std::to_string(p.elements)});
    rows.push_back({"#define " + fn.arenaMacro, std::to_string(fn.arena)});
    if (fn.stack)
      rows.push_back({"#define " + fn.stackMacro, std::to_string(*fn.stack)});
    os << table("", rows, 1);
    std::vector<std::string> params;
    for (const Port &p : fn.ports)
      params.push_back(cParam(p));
    params.push_back("void *SMC_RESTRICT arena");
    os << wrapList("", "void " + fn.symbol + "(", params, ");");
    if (fn.info->parallel) {
      os << paragraph("// ", "// ",
                      "The same, with the layers' independent loops run as tasks through "
                      "parallel->parallel_for (smc/runtime.h); null runs it serially. The "
                      "results are bit-identical for any number of threads.");
      params.push_back("const smc_parallel *parallel");
      os << wrapList("", "void " + fn.symbol + "_parallel(", params, ");");
    }
  }
  os << "\n#ifdef __cplusplus\n} // extern \"C\"\n#endif\n";
}

void printCppPart(const Plan &plan, const HeaderInfo &info, std::ostream &os) {
  const std::string ns = join(plan.nameSpace, "::");
  const std::string qualified = plan.qualifiedNamespace();
  os << "\n"
     << rule("// --- C++ interface ") << "\n"
     << "#ifdef __cplusplus\n";
  bool usesDouble = false;
  for (const Function &fn : plan.functions)
    for (const Port &p : fn.ports)
      usesDouble = usesDouble || p.info->dtype == tensorflow::DT_DOUBLE;
  if (usesDouble)
    os << "static_assert(sizeof(double) == 8, \"smc: double must be IEEE-754 binary64\");\n";
  os << "namespace " << ns << " {\n\n"
     << "/// The largest arena size of the functions below, in bytes: an arena this big serves "
        "them all.\n"
     << "inline constexpr std::size_t kArenaSize = " << plan.maxArena << ";\n\n"
     << "/// True when calls with distinct arenas may run concurrently (see the top of this "
        "file).\n"
     << "inline constexpr bool kThreadSafe = " << (info.hasMutableVariables ? "false" : "true")
     << ";\n";

  for (const Function &fn : plan.functions) {
    const FunctionInfo &fi = *fn.info;
    os << "\n" << rule("// --- " + fn.name + " ") << "\n";

    // The constants.
    os << paragraph("/// ", "/// ",
                    "Constants of " + fn.name +
                        ": arena_size (bytes) and per argument NAME_rank, NAME_shape (not for a "
                        "scalar), NAME_size (elements) and NAME_type (the buffer's type; not when "
                        "a dimension is 0).")
       << "namespace " << fn.io << " {\n"
       << "inline constexpr std::size_t arena_size = " << fn.arena << ";\n";
    for (const Port &p : fn.ports) {
      os << "inline constexpr std::size_t " << p.id << "_rank = " << p.info->shape.size() << ";\n";
      if (!p.scalar())
        os << "inline constexpr int64_t " << p.id
           << "_shape[] = " << dimsText(p.info->shape, "{", ", ", "}") << ";\n";
      os << "inline constexpr std::size_t " << p.id << "_size = " << p.elements << ";\n";
      if (p.valid && !p.zeroSize)
        os << "using " << p.id << "_type = " << cppBufferType(p) << ";\n";
    }
    os << "} // namespace " << fn.io << "\n\n";

    // The overloads.
    std::vector<std::string> params, args, forward;
    for (const Port &p : fn.ports) {
      params.push_back(cppParam(p));
      args.push_back(cArgument(p));
      forward.push_back(p.id);
    }
    std::vector<std::string> withArena = params, cArgs = args;
    withArena.push_back("void *arena");
    cArgs.push_back("arena");
    const std::string notThreadSafe = "NOT thread-safe, see the top of this file.";
    std::string doc = "Runs signature " + quote(fi.label);
    if (fn.arena)
      doc += " with the caller's arena (at least " + fn.io +
             "::arena_size bytes, 64-byte aligned): " +
             (info.hasMutableVariables ? notThreadSafe : "re-entrant per arena.");
    else
      doc += "; it needs no arena (" + fn.io + "::arena_size is 0), so `arena` may be null. " +
             (info.hasMutableVariables ? notThreadSafe : "Re-entrant.");
    os << paragraph("/// ", "/// ", doc);
    os << wrapList("", "inline void " + fn.name + "(", withArena, ") noexcept {");
    os << wrapList("  ", "::" + fn.symbol + "(", cArgs, ");");
    os << "}\n\n";
    if (fi.parallel) {
      os << paragraph("/// ", "/// ",
                      "The same on several threads: `parallel` runs the layers' independent "
                      "loops as tasks (smc::ThreadPool of <smc/thread_pool.h>, or your own "
                      "parallel_for); null runs serially. Bit-identical results.");
      std::vector<std::string> withHook = withArena, hookArgs = cArgs;
      withHook.push_back("const smc_parallel *parallel");
      hookArgs.push_back("parallel");
      os << wrapList("", "inline void " + fn.name + "(", withHook, ") noexcept {");
      os << wrapList("  ", "::" + fn.symbol + "_parallel(", hookArgs, ");");
      os << "}\n\n";
    }

    os << paragraph("/// ", "/// ",
                    "Runs signature " + quote(fi.label) + " with " +
                        (fn.arena ? "a function-local static arena: not re-entrant."
                                  : std::string("no arena (it needs none)") +
                                        (info.hasMutableVariables ? ": " + notThreadSafe
                                                                  : std::string(": re-entrant."))));
    os << wrapList("", "inline void " + fn.name + "(", params, ") noexcept {");
    std::vector<std::string> fwd = forward;
    if (fn.arena) {
      os << "  static ::smc::Arena<" << fn.arena << "> arena;\n";
      fwd.push_back("arena.data()");
    } else {
      fwd.push_back("nullptr");
    }
    os << wrapList("  ", qualified + "::" + fn.name + "(", fwd, ");");
    os << "}\n";
  }
  os << "\n} // namespace " << ns << "\n#endif // __cplusplus\n";
}

} // namespace

std::vector<std::string> verifyHeaderInfo(const HeaderInfo &info) { return makePlan(info).errors; }

void emitHeader(const HeaderInfo &info, std::ostream &os) {
  Plan plan = makePlan(info);
  printComment(plan, info, os);
  os << "\n#ifndef " << plan.guard << "\n#define " << plan.guard << "\n\n";
  for (const std::string &e : plan.errors)
    os << "#error " << quote("smc: " + e) << "\n";
  if (!plan.errors.empty())
    os << "\n";
  os << "#include <smc/runtime.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#if !defined(SMC_ABI_VERSION) || SMC_ABI_VERSION != 2\n"
     << "#error \"this header needs the smc/runtime.h of smc ABI version 2\"\n"
     << "#endif\n";
  printCPart(plan, os);
  printCppPart(plan, info, os);
  os << "\n#endif // " << plan.guard << "\n";
}

} // namespace smc
