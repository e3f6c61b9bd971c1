//===- Identifier.h - TF names as C/C++ identifiers: the one rule -*- C++ -*-===//
//
// Names in generated code come from user-controlled strings (signature keys, input/output
// keys, function paths, --namespace). One rule makes them identifiers, used by the importer
// (function names), the driver (--namespace) and the header emitter (everything it declares);
// docs/header-abi.md states it.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SUPPORT_IDENTIFIER_H
#define SMC_SUPPORT_IDENTIFIER_H

#include <string>

namespace smc {

/// True for the words a generated identifier must never be: C and C++ keywords (up to C23 and
/// C++23, alternative tokens included), the names of <stddef.h>/<stdint.h> and smc/runtime.h's
/// macros.
bool isReservedWord(const std::string &word);

/// The C identifier for an input/output key ("custom_output_name" stays, "1x" -> "_1x").
/// Characters other than [A-Za-z0-9_] become '_'; a leading digit gets a '_' prefix; a reserved
/// word (isReservedWord) or a spelling reserved to the implementation (`__x`, `_X`) gets a
/// trailing '_' ("class" -> "class_").
std::string cIdentifier(const std::string &key);

/// The name of a compiled signature or function ("serving_default", "__call__" -> "call",
/// "model.predict" -> "model_predict"): its func.func and, after the namespace prefix, its C
/// symbol (`model_serving_default`). Characters as in cIdentifier(), but leading and trailing
/// '_' are dropped and a name that would be empty or start with a digit gets "f_". Reserved
/// words stay: the symbol's prefix keeps them apart, and the header's C++ name is
/// cIdentifier() of this ("class" -> "class_").
std::string identifierFor(const std::string &name);

/// Why `ns` cannot be the C++ namespace of a generated header (and the prefix of its C
/// symbols), or "" when it can: `ns` is one identifier or several joined by "::", each one that
/// cIdentifier() keeps as it is (no keyword or reserved name) and neither `smc` nor `std`.
std::string namespaceProblem(const std::string &ns);

/// The namespace for an output file named `stem` when --namespace is not given: identifierFor()
/// of it, with a trailing '_' when namespaceProblem() objects ("class" -> "class_").
std::string namespaceFor(const std::string &stem);

} // namespace smc

#endif // SMC_SUPPORT_IDENTIFIER_H
