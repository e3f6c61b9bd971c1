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
// All naming is decided up front in makePlan(), so the printing code only prints. Names come
// from user-controlled strings (signature and input/output keys), hence the care: every name is
// made a valid identifier by cIdentifier(), then made unique in its scope by Scope::claim().
//
//===----------------------------------------------------------------------===//

#include "smc/Target/Header/Header.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <set>
#include <sstream>

namespace smc {
namespace {

std::string upper(std::string s) {
  for (char &c : s)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return s;
}

//===----------------------------------------------------------------------===//
// Scopes: unique names, deterministically
//===----------------------------------------------------------------------===//

/// The names declared in one scope. claim() hands out `base + suffix`, or when that is taken
/// (declared already, or a reserved word) `base_2 + suffix`, `base_3 + suffix`, ...: the first
/// claimant keeps the plain name, so the result depends only on the order of the claims.
class Scope {
public:
  void reserve(const std::string &name) { used.insert(name); }
  bool taken(const std::string &name) const { return used.count(name) || isReservedWord(name); }
  std::string claim(const std::string &base, const std::string &suffix = "") {
    std::string name = base + suffix;
    for (unsigned n = 2; taken(name); ++n)
      name = base + "_" + std::to_string(n) + suffix;
    used.insert(name);
    return name;
  }

private:
  std::set<std::string> used;
};

//===----------------------------------------------------------------------===//
// Text helpers
//===----------------------------------------------------------------------===//

/// `s` quoted like a C string literal, printable ASCII only: safe inside a // comment (no line
/// splice: it never ends in a backslash, and every '?' is escaped so no `??/` trigraph can
/// form) and inside #error.
std::string quote(const std::string &s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '?') {
      out += "\\?";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out + "\"";
}

/// `s` as comment text: printable ASCII kept, anything else escaped as in quote().
std::string commentText(const std::string &s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '\\' && c != '?' && c != '"';
  });
  return plain ? s : quote(s);
}

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? sep : "") + parts[i];
  return out;
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

std::string dimsText(const std::vector<int64_t> &shape, const char *open, const char *sep,
                     const char *close) {
  std::string out = open;
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? sep : "") + std::to_string(shape[i]);
  return out + close;
}

//===----------------------------------------------------------------------===//
// The plan: every name and number the printing needs
//===----------------------------------------------------------------------===//

struct Port {
  const PortInfo *info = nullptr;
  const DTypeInfo *dtype = nullptr; // null: unsupported (reported)
  bool input = false;
  std::string id;        // parameter name; prefix of the constants in the io namespace
  std::string sizeMacro; // C macro holding the element count
  uint64_t elements = 1;
  bool valid = true;     // dims are all >= 0 and the count fits (else reported)
  bool zeroSize = false; // some dim is 0: passed as a pointer in C++ too

  bool scalar() const { return info->shape.empty(); }
  bool arrayType() const { return valid && !scalar() && !zeroSize; }
  const char *cType() const { return dtype ? dtype->cType : "unsigned char"; }
  const char *cppType() const { return dtype ? dtype->cppType : "unsigned char"; }
};

struct Function {
  const FunctionInfo *info = nullptr;
  std::string name;       // the C++ function
  std::string io;         // the namespace of its constants
  std::string symbol;     // the C function
  std::string arenaMacro; // C macro holding the arena size
  uint64_t arena = 0;
  std::vector<Port> ports; // inputs, then outputs: the argument order
};

struct Plan {
  std::vector<std::string> nameSpace; // components of the C++ namespace
  std::string guard;                  // include guard macro
  std::string arenaMacro;             // C macro holding the largest arena size
  uint64_t maxArena = 0;
  std::vector<Function> functions;
  std::vector<std::string> errors; // problems the header reports with #error

  std::string qualifiedNamespace() const { return "::" + join(nameSpace, "::"); }
};

/// The unknown-dimension markers a saved shape can hold, as smc and saved_model_cli print it.
bool hasUnknownDims(const std::string &savedShape) {
  return savedShape == "unknown_rank" || savedShape.find("-1") != std::string::npos ||
         savedShape.find('?') != std::string::npos || savedShape.find("None") != std::string::npos;
}

/// A shape string without blanks and without Python's 1-tuple comma: "(4,)" -> "(4)".
std::string normalShapeText(const std::string &s) {
  std::string out;
  for (char c : s)
    if (c != ' ')
      out += c;
  size_t comma = out.find(",)");
  if (comma != std::string::npos)
    out.erase(comma, 1);
  return out;
}

/// True when the saved shape says no more than the compiled one (so the comment omits it).
bool sameShape(const std::string &saved, const std::vector<int64_t> &compiled) {
  return normalShapeText(saved) == dimsText(compiled, "(", ",", ")");
}

Plan makePlan(const HeaderInfo &info) {
  Plan plan;
  auto error = [&](const std::string &msg) { plan.errors.push_back(msg); };

  // The namespace, "a::b" for nested ones. Its components must not be `smc` (the runtime's) or
  // `std`: those get a trailing '_' like keywords do.
  std::string ns = info.nameSpace;
  for (size_t start = 0; start <= ns.size();) {
    size_t end = ns.find("::", start);
    if (end == std::string::npos)
      end = ns.size();
    if (end > start) {
      std::string part = cIdentifier(ns.substr(start, end - start));
      if (part == "smc" || part == "std")
        part += "_";
      plan.nameSpace.push_back(part);
    }
    start = end + 2;
  }
  if (plan.nameSpace.empty()) {
    error("the namespace is empty");
    plan.nameSpace.push_back("model");
  }

  // `all` holds every name of the header, macros and identifiers: a macro must differ from every
  // identifier, or the preprocessor would rewrite that identifier. The macros that depend only
  // on the namespace and the C symbols come first (the include guard, the overall arena size,
  // per function its arena size), so that no odd key can displace them.
  Scope all;
  std::set<std::string> symbols;
  for (const std::string &part : plan.nameSpace)
    all.reserve(part);
  for (const FunctionInfo &fi : info.functions)
    all.reserve(fi.symbol);
  std::string prefix = upper(join(plan.nameSpace, "_"));
  plan.guard = all.claim("SMC_GENERATED_" + prefix, "_H");
  plan.arenaMacro = all.claim(prefix, "_ARENA_SIZE");
  std::vector<std::string> fixedMacros = {plan.guard, plan.arenaMacro};
  for (const FunctionInfo &fi : info.functions) {
    Function fn;
    fn.info = &fi;
    fn.symbol = fi.symbol;
    fn.arenaMacro = all.claim(upper(cIdentifier(fi.symbol)), "_ARENA_SIZE");
    fixedMacros.push_back(fn.arenaMacro);
    plan.functions.push_back(fn);
  }

  // Identifiers: one scope for the namespace's members, one per function for its parameters.
  Scope members;
  for (const std::string &m : fixedMacros)
    members.reserve(m);
  for (const char *fixed : {"kArenaSize", "kThreadSafe"}) {
    members.reserve(fixed);
    all.reserve(fixed);
  }
  for (Function &fn : plan.functions) {
    fn.name = members.claim(cIdentifier(fn.info->name));
    all.reserve(fn.name);
  }
  for (Function &fn : plan.functions) {
    const FunctionInfo &fi = *fn.info;
    std::string where = "function " + quote(fi.label);
    fn.io = members.claim(fn.name, "_io");
    all.reserve(fn.io);

    // The C symbol is what the object exports: it cannot be renamed, only checked.
    if (fi.symbol.empty() || cIdentifier(fi.symbol) != fi.symbol)
      error(where + ": C symbol " + quote(fi.symbol) + " is not a valid C identifier");
    else if (!symbols.insert(fi.symbol).second)
      error(where + ": C symbol " + quote(fi.symbol) + " is used by another function too");
    else if (fi.symbol == plan.nameSpace.front())
      error(where + ": C symbol " + quote(fi.symbol) + " is also the C++ namespace");

    if (fi.arenaBytes < 0)
      error(where + ": negative arena size " + std::to_string(fi.arenaBytes));
    else
      fn.arena = static_cast<uint64_t>(fi.arenaBytes);
    plan.maxArena = std::max(plan.maxArena, fn.arena);

    Scope params;
    params.reserve("arena");
    for (const std::string &m : fixedMacros)
      params.reserve(m);
    for (int pass = 0; pass < 2; ++pass) {
      const std::vector<PortInfo> &list = pass == 0 ? fi.inputs : fi.outputs;
      for (const PortInfo &pi : list) {
        Port p;
        p.info = &pi;
        p.input = pass == 0;
        std::string port = where + ", " + (p.input ? "input " : "output ") + quote(pi.key);
        p.dtype = dtypeInfo(pi.dtype);
        if (!p.dtype || !p.dtype->cType) {
          p.dtype = nullptr;
          error(port + ": unsupported dtype " + quote(dtypeName(pi.dtype)));
        }
        for (int64_t d : pi.shape) {
          if (d < 0) {
            error(port + ": dimension " + std::to_string(d) + " in the compiled shape " +
                  dimsText(pi.shape, "[", ", ", "]") + " (every dimension must be known)");
            p.valid = false;
            break;
          }
          uint64_t ud = static_cast<uint64_t>(d);
          if (ud == 0)
            p.zeroSize = true;
          else if (p.elements > std::numeric_limits<uint64_t>::max() / ud) {
            error(port + ": the element count of shape " + dimsText(pi.shape, "[", ", ", "]") +
                  " overflows 64 bits");
            p.valid = false;
            break;
          }
          p.elements *= ud;
        }
        if (!p.valid)
          p.elements = 0;
        p.id = params.claim(cIdentifier(pi.key));
        all.reserve(p.id);
        fn.ports.push_back(p);
      }
    }
  }

  // The element-count macros last: they avoid every identifier above.
  for (Function &fn : plan.functions) {
    std::string base = upper(cIdentifier(fn.symbol));
    for (Port &p : fn.ports)
      p.sizeMacro = all.claim(base + "_" + upper(p.id), "_SIZE");
  }
  return plan;
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
    os << "\n// " << fn.symbol
       << (fn.ports.empty() ? ": the arena size in bytes.\n"
                            : ": the arguments' element counts, the arena size in bytes.\n");
    std::vector<std::vector<std::string>> rows;
    for (const Port &p : fn.ports)
      rows.push_back({"#define " + p.sizeMacro, std::to_string(p.elements)});
    rows.push_back({"#define " + fn.arenaMacro, std::to_string(fn.arena)});
    os << table("", rows, 1);
    std::vector<std::string> params;
    for (const Port &p : fn.ports)
      params.push_back(cParam(p));
    params.push_back("void *SMC_RESTRICT arena");
    os << wrapList("", "void " + fn.symbol + "(", params, ");");
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
     << "#if !defined(SMC_ABI_VERSION) || SMC_ABI_VERSION != 1\n"
     << "#error \"this header needs the smc/runtime.h of smc ABI version 1\"\n"
     << "#endif\n";
  printCPart(plan, os);
  printCppPart(plan, info, os);
  os << "\n#endif // " << plan.guard << "\n";
}

} // namespace smc
