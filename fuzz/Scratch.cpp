//===- Scratch.cpp - The fuzz targets' scratch directory ------------------===//

#include "FuzzTarget.h"

#include "llvm/Support/FileSystem.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace smc::fuzz {

const std::string &scratchDir() {
  // Never destroyed: this static is constructed after its exit handler is registered (in its
  // initializer), so its destructor would run before the handler that reads it.
  static const std::string &dir = *[] {
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createUniqueDirectory("smc-fuzz", path)) {
      std::fprintf(stderr, "smc fuzz: cannot create a scratch directory\n");
      std::exit(1);
    }
    auto *d = new std::string(path);
    std::atexit([] { llvm::sys::fs::remove_directories(scratchDir()); });
    return d;
  }();
  return dir;
}

bool writeBytes(const std::string &path, const void *data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(out);
}

bool writeSavedModel(const std::string &dir, const uint8_t *data, size_t size) {
  bool text = size > 0 && (std::isalpha(data[0]) || data[0] == '#');
  std::remove((dir + "/saved_model.pb").c_str());
  std::remove((dir + "/saved_model.pbtxt").c_str());
  return writeBytes(dir + (text ? "/saved_model.pbtxt" : "/saved_model.pb"), data, size);
}

} // namespace smc::fuzz
