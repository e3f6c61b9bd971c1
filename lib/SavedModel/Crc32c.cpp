//===- Crc32c.cpp - CRC-32C (Castagnoli) and TensorFlow's masking ---------===//
//
// The checksum of TensorBundle block trailers and tensor data: reflected polynomial
// 0x82F63B78, initial value and final xor 0xFFFFFFFF. A portable slicing-by-8 table version,
// and the SSE4.2 `crc32` instruction when the host has it.
//
//===----------------------------------------------------------------------===//

#include "smc/SavedModel/TensorBundle.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SMC_CRC32C_X86 1
#include <nmmintrin.h>
#endif

namespace smc {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u;
constexpr uint32_t kMaskDelta = 0xA282EAD8u;

using Tables = std::array<std::array<uint32_t, 256>, 8>;

// tables[0] is the byte-at-a-time table; tables[k][b] is the CRC of byte b followed by k zero
// bytes, which lets the loop below fold eight input bytes per step.
constexpr Tables makeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int i = 0; i < 8; ++i)
      c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    t[0][b] = c;
  }
  for (uint32_t b = 0; b < 256; ++b)
    for (int k = 1; k < 8; ++k)
      t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  return t;
}

constexpr Tables kTables = makeTables();

uint32_t extendPortable(uint32_t state, const uint8_t *p, size_t n) {
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 4);
    // Little-endian loads: the byte order of the reflected CRC.
    lo ^= state;
    state = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
            kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
            kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--)
    state = (state >> 8) ^ kTables[0][(state ^ *p++) & 0xFF];
  return state;
}

#ifdef SMC_CRC32C_X86
__attribute__((target("sse4.2"))) uint32_t extendSse42(uint32_t state, const uint8_t *p, size_t n) {
  uint64_t s = state;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    s = _mm_crc32_u64(s, v);
    p += 8;
    n -= 8;
  }
  uint32_t s32 = static_cast<uint32_t>(s);
  while (n--)
    s32 = _mm_crc32_u8(s32, *p++);
  return s32;
}

bool hostHasSse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

} // namespace

uint32_t detail::crc32cExtendPortable(uint32_t crc, const void *data, size_t n) {
  return ~extendPortable(~crc, static_cast<const uint8_t *>(data), n);
}

uint32_t crc32cExtend(uint32_t crc, const void *data, size_t n) {
  const auto *p = static_cast<const uint8_t *>(data);
  uint32_t state = ~crc;
#ifdef SMC_CRC32C_X86
  if (hostHasSse42())
    return ~extendSse42(state, p, n);
#endif
  return ~extendPortable(state, p, n);
}

uint32_t crc32cMask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

uint32_t crc32cUnmask(uint32_t masked) {
  uint32_t r = masked - kMaskDelta;
  return (r >> 17) | (r << 15);
}

} // namespace smc
