//===- HeaderPlan.h - Names and numbers of a generated header ---*- C++ -*-===//
//
// Private to lib/Target/Header: makePlan() decides every name and number the header prints
// (HeaderPlan.cpp); Header.cpp only prints the plan. The text helpers both halves use are here.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_TARGET_HEADER_HEADERPLAN_H
#define SMC_LIB_TARGET_HEADER_HEADERPLAN_H

#include "smc/Target/Header/Header.h"

#include <cstdint>
#include <string>
#include <vector>

namespace smc::header {

/// `s` quoted like a C string literal, printable ASCII only: safe inside a // comment and in
/// #error.
std::string quote(const std::string &s);
std::string join(const std::vector<std::string> &parts, const std::string &sep);
std::string dimsText(const std::vector<int64_t> &shape, const char *open, const char *sep,
                     const char *close);
/// The unknown-dimension markers a saved shape can hold, as smc and saved_model_cli print it.
bool hasUnknownDims(const std::string &savedShape);
/// True when the saved shape says no more than the compiled one (so the comment omits it).
bool sameShape(const std::string &saved, const std::vector<int64_t> &compiled);

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
  std::string stackMacro; // C macro holding the stack bound (when known)
  std::optional<uint64_t> stack;
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

/// Every name and number the printing needs; problems go to Plan::errors.
Plan makePlan(const HeaderInfo &info);

} // namespace smc::header

#endif // SMC_LIB_TARGET_HEADER_HEADERPLAN_H
