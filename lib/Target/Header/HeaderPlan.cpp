//===- HeaderPlan.cpp - Names and numbers of a generated header -----------===//
//
// All naming is decided up front in makePlan(), so the printing code (Header.cpp) only prints.
// Names come from user-controlled strings (signature and input/output keys), hence the care:
// every name is made a valid identifier by cIdentifier(), then made unique in its scope by
// Scope::claim().
//
//===----------------------------------------------------------------------===//

#include "HeaderPlan.h"

#include <algorithm>
#include <limits>
#include <set>

namespace smc::header {
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

} // namespace

//===----------------------------------------------------------------------===//
// Text helpers shared with the printing
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

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? sep : "") + parts[i];
  return out;
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
  std::set<std::string> parallelSymbols; // `<symbol>_parallel` entry points
  for (const FunctionInfo &fi : info.functions) {
    all.reserve(fi.symbol);
    if (fi.parallel) {
      all.reserve(fi.symbol + "_parallel");
      parallelSymbols.insert(fi.symbol + "_parallel");
    }
  }
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
    if (fi.stackBytes) {
      fn.stackMacro = all.claim(upper(cIdentifier(fi.symbol)), "_STACK_BYTES");
      fixedMacros.push_back(fn.stackMacro);
      fn.stack = fi.stackBytes;
    }
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
    else if (parallelSymbols.count(fi.symbol))
      error(where + ": C symbol " + quote(fi.symbol) +
            " is also the parallel entry point of another function");

    if (fi.arenaBytes < 0)
      error(where + ": negative arena size " + std::to_string(fi.arenaBytes));
    else
      fn.arena = static_cast<uint64_t>(fi.arenaBytes);
    plan.maxArena = std::max(plan.maxArena, fn.arena);

    Scope params;
    params.reserve("arena");
    if (fi.parallel)
      params.reserve("parallel");
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

} // namespace smc::header
