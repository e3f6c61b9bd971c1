//===- Crc32cTest.cpp - CRC-32C and masking -------------------------------===//

#include "smc/SavedModel/TensorBundle.h"

#include "gtest/gtest.h"

#include <string>

namespace smc {
namespace {

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
  // iSCSI test vectors (RFC 3720 B.4): 32 bytes of zeros, of 0xFF, ascending.
  std::string zeros(32, '\0'), ones(32, '\xff'), ascending;
  for (int i = 0; i < 32; ++i)
    ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(crc32c(ascending.data(), ascending.size()), 0x46DD794Eu);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string s;
  for (int i = 0; i < 1000; ++i)
    s.push_back(static_cast<char>(i * 7 + 3));
  uint32_t whole = crc32c(s.data(), s.size());
  for (size_t split : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u})
    EXPECT_EQ(crc32cExtend(crc32c(s.data(), split), s.data() + split, s.size() - split), whole)
        << "split at " << split;
}

TEST(Crc32cTest, PortableMatchesDefault) {
  std::string s;
  for (int i = 0; i < 4099; ++i)
    s.push_back(static_cast<char>((i * 131) ^ (i >> 3)));
  for (size_t n : {0u, 1u, 3u, 8u, 15u, 16u, 17u, 64u, 4099u})
    for (size_t off : {0u, 1u, 5u})
      EXPECT_EQ(detail::crc32cExtendPortable(0x12345678u, s.data() + off, n),
                crc32cExtend(0x12345678u, s.data() + off, n))
          << "n=" << n << " off=" << off;
  EXPECT_EQ(detail::crc32cExtendPortable(0, "123456789", 9), 0xE3069283u);
}

TEST(Crc32cTest, MaskRoundTrip) {
  for (uint32_t c : {0u, 1u, 0xE3069283u, 0xFFFFFFFFu, 0x80000000u, 0xA282EAD8u}) {
    EXPECT_EQ(crc32cUnmask(crc32cMask(c)), c);
    EXPECT_NE(crc32cMask(c), c);
  }
}

TEST(Crc32cTest, FloatHalfStoredChecksum) {
  // A float 0.5 as TensorFlow stores it; the bundle entry's crc32c field holds 522663942.
  const char bytes[] = {0x00, 0x00, 0x00, 0x3f};
  EXPECT_EQ(crc32cMask(crc32c(bytes, 4)), 522663942u);
}

} // namespace
} // namespace smc
