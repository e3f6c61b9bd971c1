//===- Identifier.cpp - TF names as C/C++ identifiers: the one rule -------===//

#include "smc/Support/Identifier.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace smc {
namespace {

/// Words a generated identifier must never be: C and C++ keywords (all standards up to C23 and
/// C++23, alternative tokens included), the typedefs and macros of <stddef.h> and <stdint.h>
/// that are not caught by isStdintMacro(), and the macros of smc/runtime.h.
const std::set<std::string> &reservedWords() {
  static const std::set<std::string> words = {
      // C++ keywords and alternative tokens.
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // C keywords that C++ lacks (C99 to C23), and GNU's spellings that need no underscores.
      "restrict", "typeof", "typeof_unqual", "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool",
      "_Complex", "_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary", "_Noreturn",
      "_Pragma", "_Static_assert", "_Thread_local",
      // <stddef.h>, <stdint.h>: typedefs and macros (the INT*_MAX family: isStdintMacro).
      "NULL", "offsetof", "unreachable", "size_t", "ptrdiff_t", "max_align_t", "nullptr_t",
      "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      "int_least8_t", "int_least16_t", "int_least32_t", "int_least64_t", "uint_least8_t",
      "uint_least16_t", "uint_least32_t", "uint_least64_t", "int_fast8_t", "int_fast16_t",
      "int_fast32_t", "int_fast64_t", "uint_fast8_t", "uint_fast16_t", "uint_fast32_t",
      "uint_fast64_t", "intptr_t", "uintptr_t", "intmax_t", "uintmax_t",
      // smc/runtime.h's macros.
      "SMC_RUNTIME_H", "SMC_RUNTIME_VERSION", "SMC_ABI_VERSION", "SMC_ARENA_ALIGNMENT",
      "SMC_ALIGNAS", "SMC_RESTRICT", "SMC_ARENA_ARRAY_SIZE", "SMC_ARENA_IS_ALIGNED"};
  return words;
}

bool startsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The limit macros of <stdint.h>: INT8_MAX, UINT_LEAST16_MAX, INT64_C, SIZE_WIDTH, ...
bool isStdintMacro(const std::string &s) {
  static const char *const prefixes[] = {"INT",   "UINT",   "PTRDIFF_", "SIG_ATOMIC_",
                                         "SIZE_", "WCHAR_", "WINT_"};
  static const char *const suffixes[] = {"_MIN", "_MAX", "_C", "_WIDTH"};
  bool prefix = std::any_of(std::begin(prefixes), std::end(prefixes),
                            [&](const char *p) { return startsWith(s, p); });
  bool suffix = std::any_of(std::begin(suffixes), std::end(suffixes),
                            [&](const char *p) { return endsWith(s, p); });
  return prefix && suffix;
}

bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isIdentifierChar(char c) {
  return isAsciiDigit(c) || isAsciiUpper(c) || (c >= 'a' && c <= 'z') || c == '_';
}

/// The implementation's reserved spellings (`__x`, `_X`), which may be keywords or macros of
/// some compiler.
bool isReservedSpelling(const std::string &id) {
  return startsWith(id, "__") || (id.size() > 1 && id[0] == '_' && isAsciiUpper(id[1]));
}

/// Characters other than [A-Za-z0-9_] as '_'.
std::string identifierChars(const std::string &name) {
  std::string id;
  for (char c : name)
    id += isIdentifierChar(c) ? c : '_';
  return id;
}

} // namespace

bool isReservedWord(const std::string &word) {
  return reservedWords().count(word) || isStdintMacro(word);
}

std::string cIdentifier(const std::string &key) {
  std::string id = identifierChars(key);
  if (id.empty())
    id = "_";
  if (isAsciiDigit(id[0]))
    id = "_" + id;
  if (isReservedWord(id) || isReservedSpelling(id))
    id += "_";
  return id;
}

std::string identifierFor(const std::string &name) {
  std::string id = identifierChars(name);
  size_t b = id.find_first_not_of('_'), e = id.find_last_not_of('_');
  id = b == std::string::npos ? "" : id.substr(b, e - b + 1);
  if (id.empty() || isAsciiDigit(id[0]))
    id = "f_" + id;
  return id;
}

std::string namespaceProblem(const std::string &ns) {
  for (size_t start = 0; start <= ns.size();) {
    size_t end = std::min(ns.find("::", start), ns.size());
    std::string part = ns.substr(start, end - start);
    if (part.empty() || identifierChars(part) != part || isAsciiDigit(part[0]))
      return "'" + ns + "' is not a C identifier or identifiers joined by '::'";
    if (isReservedWord(part) || isReservedSpelling(part))
      return "'" + ns + "': '" + part + "' is a C/C++ keyword or a reserved name";
    if (part == "smc" || part == "std")
      return "'" + ns + "': '" + part + "' is the namespace of " +
             (part == "smc" ? "smc/runtime.h" : "the C++ standard library");
    start = end + 2;
  }
  return "";
}

std::string namespaceFor(const std::string &stem) {
  std::string ns = identifierFor(stem);
  return namespaceProblem(ns).empty() ? ns : ns + "_";
}

} // namespace smc
