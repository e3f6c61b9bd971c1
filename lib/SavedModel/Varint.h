//===- Varint.h - Bounds-checked varints ------------------------*- C++ -*-===//
#ifndef SMC_LIB_SAVEDMODEL_VARINT_H
#define SMC_LIB_SAVEDMODEL_VARINT_H

#include "absl/strings/string_view.h"

#include <cstdint>

namespace smc {

/// Consumes a varint (unsigned LEB128) of at most `maxBits` bits, so at most ceil(maxBits / 7)
/// bytes, from the front of `in`. False, with `in` unchanged, if it runs past the end of `in`
/// or is too long: never reads beyond `in`.
inline bool consumeVarint(absl::string_view &in, unsigned maxBits, uint64_t &value) {
  // Our own loop, not llvm::decodeULEB128: that shifts a zero payload byte by 64 or more bits
  // (undefined behaviour, UBSan) when a long run of 0x80 bytes precedes the end.
  const unsigned maxBytes = (maxBits + 6) / 7;
  uint64_t v = 0;
  for (unsigned n = 0; n < maxBytes && n < in.size(); ++n) {
    uint64_t slice = static_cast<uint8_t>(in[n]) & 0x7f;
    unsigned shift = 7 * n;
    if (shift >= 64 || (shift > 0 && (slice >> (64 - shift)) != 0))
      return false; // does not fit in 64 bits
    v |= slice << shift;
    if ((static_cast<uint8_t>(in[n]) & 0x80) == 0) {
      if (maxBits < 64 && (v >> maxBits) != 0)
        return false;
      value = v;
      in.remove_prefix(n + 1);
      return true;
    }
  }
  return false; // past the end of `in`, or longer than maxBits allows
}

} // namespace smc

#endif // SMC_LIB_SAVEDMODEL_VARINT_H
