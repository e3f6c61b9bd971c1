// Minimal .npy reading and writing for the parity harness (C order, little-endian, v1/v2
// headers). The harness is a user-like program: it links the compiled models and nothing of
// smc's libraries.
#ifndef SMC_E2E_NPY_IO_H
#define SMC_E2E_NPY_IO_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace npy {

struct Array {
  std::string descr; // "<f4", "|b1", ...
  std::vector<int64_t> shape;
  std::vector<unsigned char> bytes;
  void *data() { return bytes.data(); }
};

[[noreturn]] inline void fail(const std::string &msg) {
  std::fprintf(stderr, "parity: %s\n", msg.c_str());
  std::exit(2);
}

inline Array read(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    fail("cannot open " + path);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (all.size() < 10 || all.compare(0, 6, "\x93NUMPY") != 0)
    fail(path + ": not an .npy file");
  size_t headerLen, start;
  if (all[6] == 1) {
    headerLen = uint8_t(all[8]) | (uint8_t(all[9]) << 8);
    start = 10;
  } else {
    headerLen = uint8_t(all[8]) | (uint8_t(all[9]) << 8) | (uint8_t(all[10]) << 16) |
                (size_t(uint8_t(all[11])) << 24);
    start = 12;
  }
  std::string header = all.substr(start, headerLen);
  Array a;
  size_t d = header.find("'descr': '");
  if (d == std::string::npos)
    fail(path + ": no descr");
  a.descr = header.substr(d + 10, header.find('\'', d + 10) - d - 10);
  if (header.find("'fortran_order': True") != std::string::npos)
    fail(path + ": Fortran order");
  size_t s = header.find("'shape': (");
  size_t e = header.find(')', s);
  std::stringstream dims(header.substr(s + 10, e - s - 10));
  std::string item;
  while (std::getline(dims, item, ','))
    if (item.find_first_not_of(' ') != std::string::npos)
      a.shape.push_back(std::stoll(item));
  a.bytes.assign(all.begin() + start + headerLen, all.end());
  return a;
}

inline void write(const std::string &path, const Array &a) {
  std::string shape = "(";
  for (size_t i = 0; i < a.shape.size(); ++i)
    shape += std::to_string(a.shape[i]) + (a.shape.size() == 1 ? "," : (i + 1 < a.shape.size() ? ", " : ""));
  shape += ")";
  std::string header = "{'descr': '" + a.descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  if (!f)
    fail("cannot write " + path);
  f.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  f.write(len, 2);
  f << header;
  f.write(reinterpret_cast<const char *>(a.bytes.data()), a.bytes.size());
}

inline Array like(const std::string &descr, std::vector<int64_t> shape, size_t elemBytes) {
  Array a;
  a.descr = descr;
  a.shape = std::move(shape);
  size_t n = 1;
  for (int64_t d : a.shape)
    n *= size_t(d);
  a.bytes.assign(n * elemBytes, 0xAB); // a pattern, so an unwritten output cannot pass
  return a;
}

} // namespace npy

#endif
