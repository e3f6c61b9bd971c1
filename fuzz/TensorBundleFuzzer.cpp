//===- TensorBundleFuzzer.cpp - variables.index and its data shard --------===//
//
// The input is a checkpoint: a 4-byte little-endian length L, L bytes of `variables.index`
// (an SSTable of BundleEntryProtos), and the rest, `variables.data-00000-of-00001`. Every
// tensor the index lists is read (and its CRC checked) as `smc variables` and the importer
// read them.

#include "FuzzTarget.h"

#include <google/protobuf/stubs/logging.h>

#include "smc/SavedModel/TensorBundle.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Protobuf logs each string field that is not UTF-8 before the parse fails: noise here.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  if (size < 4)
    return 0;
  size_t indexSize = size_t(data[0]) | size_t(data[1]) << 8 | size_t(data[2]) << 16 |
                     size_t(data[3]) << 24;
  data += 4;
  size -= 4;
  if (indexSize > size)
    indexSize = size;
  static const std::string prefix = smc::fuzz::scratchDir() + "/variables";
  if (!smc::fuzz::writeBytes(prefix + ".index", data, indexSize) ||
      !smc::fuzz::writeBytes(prefix + ".data-00000-of-00001", data + indexSize, size - indexSize))
    return 0;
  auto bundle = smc::TensorBundle::open(prefix);
  if (!bundle.ok())
    return 0;
  for (const std::string &key : (*bundle)->keys()) {
    (void)(*bundle)->entry(key);
    (void)(*bundle)->read(key);
  }
  return 0;
}
