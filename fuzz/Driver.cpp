//===- Driver.cpp - Replays and mutates inputs without libFuzzer ----------===//
//
// The main() of a fuzz target built without libFuzzer (the test suite's smoke run, any
// compiler): runs the target on every file given (directories: every file in them), then,
// for -seconds=N, on mutations of those files: bit flips, random and boundary bytes,
// inserted, deleted and repeated ranges, large varints (protocol-buffer lengths), truncation
// and splices of two inputs, from a seeded generator, so that a run is reproducible. Before
// each call the input is written to <artifacts>/last-input, so that whatever kills the
// process (a signal, a sanitizer report, a timeout) leaves the input that did it.
//
//===----------------------------------------------------------------------===//

#include "FuzzTarget.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

std::string lastInputPath;

extern "C" void onFatalSignal(int sig) {
  const char msg[] = "smc fuzz: the target died on a signal; the input is in ";
  (void)!write(2, msg, sizeof msg - 1);
  (void)!write(2, lastInputPath.c_str(), lastInputPath.size());
  (void)!write(2, "\n", 1);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void run(const std::vector<uint8_t> &input) {
  smc::fuzz::writeBytes(lastInputPath, input.data(), input.size());
  // A copy of exactly the input's size, so that reading past its end is caught by ASan.
  std::unique_ptr<uint8_t[]> copy(new uint8_t[input.size()]);
  if (!input.empty())
    std::memcpy(copy.get(), input.data(), input.size());
  LLVMFuzzerTestOneInput(copy.get(), input.size());
}

struct Mutator {
  std::mt19937_64 rng;
  size_t maxLen;

  size_t below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng); }

  void mutateOnce(std::vector<uint8_t> &b, const std::vector<std::vector<uint8_t>> &inputs) {
    static const uint8_t boundary[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
    switch (below(9)) {
    case 0: // flip a bit
      if (!b.empty())
        b[below(b.size())] ^= uint8_t(1u << below(8));
      break;
    case 1: // a random byte
      if (!b.empty())
        b[below(b.size())] = uint8_t(below(256));
      break;
    case 2: // a boundary byte
      if (!b.empty())
        b[below(b.size())] = boundary[below(sizeof boundary)];
      break;
    case 3: { // insert random bytes
      size_t at = below(b.size() + 1), n = 1 + below(8);
      std::vector<uint8_t> r(n);
      for (uint8_t &x : r)
        x = uint8_t(below(256));
      b.insert(b.begin() + static_cast<long>(at), r.begin(), r.end());
      break;
    }
    case 4: { // delete a range
      if (b.empty())
        break;
      size_t at = below(b.size()), n = 1 + below(std::min<size_t>(b.size() - at, 64));
      b.erase(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + n));
      break;
    }
    case 5: { // repeat a range
      if (b.empty())
        break;
      size_t at = below(b.size()), n = 1 + below(std::min<size_t>(b.size() - at, 64));
      std::vector<uint8_t> r(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + n));
      b.insert(b.begin() + static_cast<long>(below(b.size() + 1)), r.begin(), r.end());
      break;
    }
    case 6: { // a large varint over a byte (a length, a count, a dimension)
      if (b.empty())
        break;
      static const uint64_t values[] = {0x7fffffffull, 0xffffffffull, 1ull << 31, 1ull << 32,
                                        1ull << 62, ~0ull, 1ull << 20};
      uint64_t v = values[below(sizeof values / sizeof values[0])];
      std::vector<uint8_t> enc;
      do {
        enc.push_back(uint8_t((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
        v >>= 7;
      } while (v);
      size_t at = below(b.size());
      b.erase(b.begin() + static_cast<long>(at));
      b.insert(b.begin() + static_cast<long>(at), enc.begin(), enc.end());
      break;
    }
    case 7: // truncate
      b.resize(below(b.size() + 1));
      break;
    case 8: { // splice: the head of this input, the tail of another
      const std::vector<uint8_t> &o = inputs[below(inputs.size())];
      size_t cut = below(b.size() + 1), from = below(o.size() + 1);
      b.resize(cut);
      b.insert(b.end(), o.begin() + static_cast<long>(from), o.end());
      break;
    }
    }
    if (b.size() > maxLen)
      b.resize(maxLen);
  }
};

bool readInput(const std::string &path, std::vector<std::vector<uint8_t>> &inputs) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) {
    std::fprintf(stderr, "smc fuzz: cannot read %s\n", path.c_str());
    return false;
  }
  const auto *p = reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart());
  inputs.emplace_back(p, p + (*buffer)->getBufferSize());
  return true;
}

} // namespace

int main(int argc, char **argv) {
  double seconds = 0;
  uint64_t seed = 1;
  std::string artifacts = ".";
  std::vector<std::vector<uint8_t>> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("-seconds=", 0) == 0)
      seconds = std::atof(a.c_str() + 9);
    else if (a.rfind("-seed=", 0) == 0)
      seed = std::strtoull(a.c_str() + 6, nullptr, 10);
    else if (a.rfind("-artifacts=", 0) == 0)
      artifacts = a.substr(11);
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr,
                   "usage: %s [-seconds=N] [-seed=N] [-artifacts=DIR] FILE_OR_DIR...\n"
                   "runs the fuzz target on each file, then on mutations of them for N seconds\n",
                   argv[0]);
      return 2;
    } else if (llvm::sys::fs::is_directory(a)) {
      std::error_code ec;
      std::vector<std::string> files;
      for (llvm::sys::fs::directory_iterator it(a, ec), end; it != end && !ec; it.increment(ec))
        if (llvm::sys::fs::is_regular_file(it->path()) &&
            llvm::sys::path::filename(it->path()).front() != '.') // .keep of an empty folder
          files.push_back(it->path());
      std::sort(files.begin(), files.end()); // the same order, so the same run, everywhere
      for (const std::string &f : files)
        if (!readInput(f, inputs))
          return 1;
    } else if (!readInput(a, inputs)) {
      return 1;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "smc fuzz: no inputs\n");
    return 2;
  }
  lastInputPath = artifacts + "/last-input";
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL})
    std::signal(sig, onFatalSignal);

  for (const auto &input : inputs)
    run(input);
  size_t longest = 0;
  for (const auto &input : inputs)
    longest = std::max(longest, input.size());
  Mutator m{std::mt19937_64(seed), std::max<size_t>(2 * longest, 4096)};
  uint64_t runs = inputs.size();
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  while (elapsed() < seconds) {
    std::vector<uint8_t> b = inputs[m.below(inputs.size())];
    for (size_t n = 1 + m.below(4); n > 0; --n)
      m.mutateOnce(b, inputs);
    run(b);
    ++runs;
  }
  std::fprintf(stderr, "smc fuzz: %llu runs (%zu inputs, seed %llu) in %.1f s: no crash\n",
               static_cast<unsigned long long>(runs), inputs.size(),
               static_cast<unsigned long long>(seed), elapsed());
  return 0;
}
