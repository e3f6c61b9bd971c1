//===- Varint.h - Bounds-checked varints ------------------------*- C++ -*-===//
#ifndef SMC_LIB_SAVEDMODEL_VARINT_H
#define SMC_LIB_SAVEDMODEL_VARINT_H

#include "absl/strings/string_view.h"
#include "llvm/Support/LEB128.h"

#include <cstdint>

namespace smc {

/// Consumes a varint (unsigned LEB128) of at most `maxBits` bits, so at most ceil(maxBits / 7)
/// bytes, from the front of `in`. False, with `in` unchanged, if it runs past the end of `in`
/// or is too long: never reads beyond `in`.
inline bool consumeVarint(absl::string_view &in, unsigned maxBits, uint64_t &value) {
  const auto *p = reinterpret_cast<const uint8_t *>(in.data());
  unsigned n = 0;
  const char *error = nullptr;
  uint64_t v = llvm::decodeULEB128(p, &n, p + in.size(), &error);
  if (error || n > (maxBits + 6) / 7 || (maxBits < 64 && (v >> maxBits) != 0))
    return false;
  value = v;
  in.remove_prefix(n);
  return true;
}

} // namespace smc

#endif // SMC_LIB_SAVEDMODEL_VARINT_H
