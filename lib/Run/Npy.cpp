//===- Npy.cpp - NumPy .npy / .npz files ----------------------------------===//
//
// .npy layout: the magic "\x93NUMPY", a major and a minor version byte, the header length
// (little-endian uint16 in version 1.0, uint32 in 2.0 and 3.0), then the header: a Python dict
// literal {'descr': ..., 'fortran_order': ..., 'shape': (...)} padded with spaces and a newline
// (ASCII in 1.0/2.0, UTF-8 in 3.0), then the raw element bytes.
//
// .npz is a zip archive of .npy members. The central directory at the end of the file gives
// each member's method, sizes, CRC-32 and local header offset; zip64 extensions hold the
// values that do not fit in 32 bits (NumPy always writes zip64 local headers).
//
//===----------------------------------------------------------------------===//

#include "smc/Run/Npy.h"

#include "smc/SavedModel/File.h"

#include "types.pb.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "llvm/Support/Endian.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>

namespace smc {
namespace {

using llvm::support::endian::read16le;
using llvm::support::endian::read32le;
using llvm::support::endian::read64le;
using llvm::support::endian::write16le;
using llvm::support::endian::write32le;

constexpr char kNpyMagic[] = "\x93NUMPY";
constexpr size_t kNpyMagicSize = 6;


//===----------------------------------------------------------------------===//
// The header dict: a small parser of the Python literals NumPy writes.
//===----------------------------------------------------------------------===//

struct HeaderValue {
  enum Kind { String, Bool, Tuple } kind = String;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> tuple;
};

class HeaderParser {
public:
  explicit HeaderParser(absl::string_view text) : in_(text) {}

  /// Parses the whole header into key -> value; `error` describes the first problem.
  bool parse(std::map<std::string, HeaderValue> &out) {
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'");
    skipSpace();
    while (!consume('}')) {
      std::string key;
      if (!parseString(key))
        return false;
      skipSpace();
      if (!consume(':'))
        return fail(absl::StrCat("expected ':' after '", key, "'"));
      skipSpace();
      HeaderValue value;
      if (!parseValue(value))
        return false;
      if (!out.emplace(key, std::move(value)).second)
        return fail(absl::StrCat("key '", key, "' appears twice"));
      skipSpace();
      if (consume(','))
        skipSpace();
      else if (!in_.empty() && in_.front() != '}')
        return fail("expected ',' or '}'");
    }
    skipSpace();
    if (!in_.empty())
      return fail("unexpected text after the dict");
    return true;
  }

  std::string error;

private:
  bool fail(std::string msg) {
    error = std::move(msg);
    return false;
  }
  void skipSpace() {
    while (!in_.empty() && absl::ascii_isspace(static_cast<unsigned char>(in_.front())))
      in_.remove_prefix(1);
  }
  bool consume(char c) {
    if (in_.empty() || in_.front() != c)
      return false;
    in_.remove_prefix(1);
    return true;
  }
  bool consumeWord(absl::string_view w) {
    if (!absl::StartsWith(in_, w))
      return false;
    in_.remove_prefix(w.size());
    return true;
  }
  bool parseString(std::string &out) {
    if (in_.empty() || (in_.front() != '\'' && in_.front() != '"'))
      return fail("expected a quoted string");
    char quote = in_.front();
    in_.remove_prefix(1);
    size_t end = in_.find(quote);
    if (end == absl::string_view::npos)
      return fail("unterminated string");
    out = std::string(in_.substr(0, end));
    if (out.find('\\') != std::string::npos)
      return fail("escapes in strings are not supported");
    in_.remove_prefix(end + 1);
    return true;
  }
  bool parseInt(int64_t &out) {
    int64_t v = 0;
    size_t digits = 0;
    while (!in_.empty() && absl::ascii_isdigit(static_cast<unsigned char>(in_.front()))) {
      int d = in_.front() - '0';
      if (v > (INT64_MAX - d) / 10)
        return fail("dimension too large");
      v = v * 10 + d;
      in_.remove_prefix(1);
      ++digits;
    }
    if (digits == 0)
      return fail("expected a non-negative integer in the shape");
    consume('L'); // Python 2 long literals in old files
    out = v;
    return true;
  }
  bool parseValue(HeaderValue &v) {
    if (in_.empty())
      return fail("expected a value");
    if (in_.front() == '\'' || in_.front() == '"') {
      v.kind = HeaderValue::String;
      return parseString(v.str);
    }
    if (consumeWord("True")) {
      v.kind = HeaderValue::Bool;
      v.boolean = true;
      return true;
    }
    if (consumeWord("False")) {
      v.kind = HeaderValue::Bool;
      v.boolean = false;
      return true;
    }
    if (consume('(')) {
      v.kind = HeaderValue::Tuple;
      skipSpace();
      bool sawComma = false;
      while (!consume(')')) {
        int64_t d;
        if (!parseInt(d))
          return false;
        v.tuple.push_back(d);
        skipSpace();
        sawComma = consume(',');
        skipSpace();
        if (!sawComma && !(!in_.empty() && in_.front() == ')'))
          return fail("expected ',' or ')' in the shape");
      }
      // "(3)" is the integer 3 in Python, not a tuple.
      if (v.tuple.size() == 1 && !sawComma)
        return fail("shape '(n)' is not a tuple (write '(n,)')");
      return true;
    }
    if (in_.front() == '[' || in_.front() == '{')
      return fail("list and dict values (structured dtypes) are not supported");
    return fail(
        absl::StrCat("unexpected value starting with '", absl::CEscape(in_.substr(0, 1)), "'"));
  }

  absl::string_view in_;
};

absl::StatusOr<DType> dtypeOfDescr(const std::string &descr, const std::string &what) {
  auto error = [&](absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": dtype '", absl::CEscape(descr), "': ", msg));
  };
  if (descr.size() < 3)
    return error("not a supported NumPy dtype");
  char order = descr[0];
  std::string rest = descr.substr(1);
  if (order != '<' && order != '>' && order != '=' && order != '|')
    return error("not a supported NumPy dtype");
  for (const DTypeInfo &d : dtypeTable()) {
    if (!d.npy || rest != d.npy + 1)
      continue;
    bool oneByte = dtypeSize(d.dtype) == 1;
    if (order == '>' && !oneByte)
      return error("big-endian data is not supported");
    if (order == '|' && !oneByte)
      return error("'|' (no byte order) is only valid for one-byte types");
    return d.dtype;
  }
  if (rest[0] == 'U' || rest[0] == 'S' || rest[0] == 'O')
    return error("string and object arrays are not supported");
  return error("not a supported NumPy dtype");
}

//===----------------------------------------------------------------------===//
// .npz: zip archives
//===----------------------------------------------------------------------===//

constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kZip64EocdSig = 0x06064b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kLocalSig = 0x04034b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kZip64EocdSize = 56;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;
// Deflate cannot expand data by more than this factor (258-byte matches in ~2 bits).
constexpr uint64_t kMaxDeflateRatio = 1032;

class ZipReader {
public:
  ZipReader(const std::string &bytes, const std::string &what) : bytes_(bytes), what_(what) {}

  /// Every member, in archive order, without inflating any (directories left out).
  struct Member {
    std::string name; // as numpy.load gives it: the file name without ".npy"
    std::string path; // the file name in the archive
    uint16_t flags = 0;
    uint16_t method = 0;
    uint32_t crc = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t localOffset = 0;
  };
  absl::StatusOr<std::vector<Member>> directory();
  /// The array member `m` holds: its data inflated (bounded by its declared size) and parsed.
  absl::StatusOr<Tensor> tensor(const Member &m) const;

private:
  absl::Status error(absl::string_view msg) const {
    return absl::DataLossError(absl::StrCat(what_, ": ", msg));
  }
  bool has(uint64_t offset, uint64_t n) const {
    return offset <= bytes_.size() && n <= bytes_.size() - offset;
  }
  /// The little-endian integer of `n` (2, 4 or 8) bytes at `offset`, checked with has().
  uint64_t le(uint64_t offset, int n) const {
    const char *p = bytes_.data() + offset;
    return n == 2 ? read16le(p) : n == 4 ? read32le(p) : read64le(p);
  }

  absl::StatusOr<std::string> extract(const Member &m) const;

  const std::string &bytes_;
  const std::string &what_;
};

absl::StatusOr<std::string> ZipReader::extract(const Member &m) const {
  std::string where = absl::StrCat("member '", absl::CEscape(m.path), "'");
  if (m.flags & 1)
    return error(absl::StrCat(where, " is encrypted"));
  if (!has(m.localOffset, kLocalSize) || le(m.localOffset, 4) != kLocalSig)
    return error(absl::StrCat(where, ": no local file header at offset ", m.localOffset));
  uint64_t nameLen = le(m.localOffset + 26, 2);
  uint64_t extraLen = le(m.localOffset + 28, 2);
  // As Python's zipfile: the local header must name the member the directory lists there.
  if (!has(m.localOffset + kLocalSize, nameLen) ||
      bytes_.compare(m.localOffset + kLocalSize, nameLen, m.path) != 0)
    return error(absl::StrCat(where, ": the local header at offset ", m.localOffset,
                              " names another member"));
  uint64_t start = m.localOffset + kLocalSize + nameLen + extraLen;
  if (!has(start, m.compressedSize))
    return error(absl::StrCat(where, ": ", m.compressedSize, " bytes of data at offset ", start,
                              " run past the end of the file"));
  const char *data = bytes_.data() + start;
  std::string out;
  if (m.method == 0) {
    if (m.size != m.compressedSize)
      return error(absl::StrCat(where, ": stored member with different sizes (", m.size, " and ",
                                m.compressedSize, ")"));
    out.assign(data, m.compressedSize);
  } else if (m.method == 8) {
    if (m.size > m.compressedSize * kMaxDeflateRatio + 64)
      return error(absl::StrCat(where, ": claims ", m.size, " bytes from ", m.compressedSize,
                                " deflated bytes"));
    out.assign(m.size, '\0');
    z_stream zs;
    std::memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
      return absl::InternalError(absl::StrCat(what_, ": cannot initialise zlib"));
    uint64_t inLeft = m.compressedSize, outLeft = m.size;
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    int rc = Z_OK;
    while (rc == Z_OK) {
      // Feed at most UINT_MAX bytes per call: z_stream counts are 32-bit.
      uInt inChunk = static_cast<uInt>(std::min<uint64_t>(inLeft, UINT_MAX));
      uInt outChunk = static_cast<uInt>(std::min<uint64_t>(outLeft, UINT_MAX));
      zs.avail_in = inChunk;
      zs.avail_out = outChunk;
      rc = inflate(&zs, Z_NO_FLUSH);
      inLeft -= inChunk - zs.avail_in;
      outLeft -= outChunk - zs.avail_out;
      if (rc == Z_OK && inChunk == zs.avail_in && outChunk == zs.avail_out)
        rc = Z_BUF_ERROR; // no progress: input ended early or output is full
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
      return error(absl::StrCat(where, ": corrupt deflate data",
                                outLeft == 0 ? " (more data than the declared size)" : ""));
    if (outLeft != 0)
      return error(
          absl::StrCat(where, ": inflates to ", m.size - outLeft, " bytes, expected ", m.size));
  } else {
    return error(absl::StrCat(where, ": unsupported compression method ", m.method,
                              " (only stored and deflated members are read)"));
  }
  uint32_t crc =
      static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef *>(out.data()), out.size()));
  if (crc != m.crc)
    return error(absl::StrCat(where, ": CRC-32 mismatch"));
  return out;
}

absl::StatusOr<Tensor> ZipReader::tensor(const Member &m) const {
  absl::StatusOr<std::string> data = extract(m);
  if (!data.ok())
    return data.status();
  return parseNpy(*data, absl::StrCat(what_, ": member '", m.path, "'"));
}

absl::StatusOr<std::vector<ZipReader::Member>> ZipReader::directory() {
  if (bytes_.size() < kEocdSize)
    return error("too short to be a zip archive");
  // The end-of-central-directory record is followed only by a comment of at most 65535 bytes.
  uint64_t eocd = bytes_.size() - kEocdSize;
  uint64_t lowest = eocd > 0xFFFF ? eocd - 0xFFFF : 0;
  while (le(eocd, 4) != kEocdSig || eocd + kEocdSize + le(eocd + 20, 2) != bytes_.size()) {
    if (eocd == lowest)
      return error("not a zip archive (no end-of-central-directory record)");
    --eocd;
  }
  uint64_t count = le(eocd + 10, 2);
  uint64_t cdSize = le(eocd + 12, 4);
  uint64_t cdOffset = le(eocd + 16, 4);
  if (le(eocd + 4, 2) != 0 || le(eocd + 6, 2) != 0)
    return error("multi-disk zip archives are not supported");
  if ((count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF) &&
      eocd >= kZip64LocatorSize && le(eocd - kZip64LocatorSize, 4) == kZip64LocatorSig) {
    uint64_t z = le(eocd - kZip64LocatorSize + 8, 8);
    if (!has(z, kZip64EocdSize) || le(z, 4) != kZip64EocdSig)
      return error("bad zip64 end-of-central-directory record");
    count = le(z + 32, 8);
    cdSize = le(z + 40, 8);
    cdOffset = le(z + 48, 8);
  }
  if (!has(cdOffset, cdSize))
    return error(absl::StrCat("central directory (offset ", cdOffset, ", ", cdSize,
                              " bytes) runs past the end of the file"));
  if (count > cdSize / kCentralSize)
    return error(
        absl::StrCat(count, " members cannot fit in a central directory of ", cdSize, " bytes"));

  std::vector<Member> out;
  uint64_t p = cdOffset, cdEnd = cdOffset + cdSize;
  for (uint64_t i = 0; i < count; ++i) {
    if (cdEnd - p < kCentralSize || le(p, 4) != kCentralSig)
      return error(absl::StrCat("central directory entry ", i, " at offset ", p, " is corrupt"));
    Member m;
    m.flags = static_cast<uint16_t>(le(p + 8, 2));
    m.method = static_cast<uint16_t>(le(p + 10, 2));
    m.crc = static_cast<uint32_t>(le(p + 16, 4));
    m.compressedSize = le(p + 20, 4);
    m.size = le(p + 24, 4);
    uint64_t nameLen = le(p + 28, 2), extraLen = le(p + 30, 2), commentLen = le(p + 32, 2);
    m.localOffset = le(p + 42, 4);
    if (cdEnd - p - kCentralSize < nameLen + extraLen + commentLen)
      return error(absl::StrCat("central directory entry ", i, " runs past the directory"));
    m.path = bytes_.substr(p + kCentralSize, nameLen);
    // Zip64 extra field (id 1): the 64-bit values of the fields that hold 0xFFFFFFFF, in
    // the order uncompressed size, compressed size, local header offset.
    uint64_t x = p + kCentralSize + nameLen, xEnd = x + extraLen;
    while (xEnd - x >= 4) {
      uint64_t id = le(x, 2), len = le(x + 2, 2);
      if (len > xEnd - x - 4)
        return error(absl::StrCat("member '", absl::CEscape(m.path), "': bad extra field"));
      if (id == 1) {
        uint64_t q = x + 4, qEnd = q + len;
        for (uint64_t *field : {&m.size, &m.compressedSize, &m.localOffset}) {
          if (*field != 0xFFFFFFFF)
            continue;
          if (qEnd - q < 8)
            return error(
                absl::StrCat("member '", absl::CEscape(m.path), "': truncated zip64 extra field"));
          *field = le(q, 8);
          q += 8;
        }
      }
      x += 4 + len;
    }
    p += kCentralSize + nameLen + extraLen + commentLen;
    if (!m.path.empty() && m.path.back() == '/')
      continue; // a directory
    m.name = m.path;
    if (absl::EndsWith(m.name, ".npy"))
      m.name.resize(m.name.size() - 4);
    out.push_back(std::move(m));
  }
  return out;
}

} // namespace

absl::StatusOr<std::string> npyDescr(DType dtype) {
  if (const DTypeInfo *d = dtypeInfo(dtype); d && d->npy)
    return std::string(d->npy);
  return absl::InvalidArgumentError(
      absl::StrCat(dtypeName(dtype), " has no NumPy dtype that .npy files can hold"));
}

absl::StatusOr<Tensor> parseNpy(const std::string &bytes, const std::string &what) {
  auto error = [&](absl::string_view msg) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", msg));
  };
  if (bytes.size() < kNpyMagicSize + 4 || bytes.compare(0, kNpyMagicSize, kNpyMagic) != 0)
    return error("not a .npy file (bad magic)");
  int major = static_cast<uint8_t>(bytes[6]);
  int minor = static_cast<uint8_t>(bytes[7]);
  if (!(minor == 0 && (major == 1 || major == 2 || major == 3)))
    return error(absl::StrCat("unsupported .npy format version ", major, ".", minor));
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t headerStart = 8 + lenBytes;
  if (bytes.size() < headerStart)
    return error("truncated header length");
  uint64_t headerLen = lenBytes == 2 ? read16le(bytes.data() + 8) : read32le(bytes.data() + 8);
  if (headerLen > bytes.size() - headerStart)
    return error(absl::StrCat("header of ", headerLen, " bytes runs past the end of the file"));
  absl::string_view headerText(bytes.data() + headerStart, headerLen);

  HeaderParser parser(headerText);
  std::map<std::string, HeaderValue> dict;
  if (!parser.parse(dict))
    return error(absl::StrCat("bad header: ", parser.error, " in \"",
                              absl::CEscape(absl::StripTrailingAsciiWhitespace(headerText)), "\""));
  auto get = [&](const char *key, HeaderValue::Kind kind) -> const HeaderValue * {
    auto it = dict.find(key);
    return it != dict.end() && it->second.kind == kind ? &it->second : nullptr;
  };
  const HeaderValue *descr = get("descr", HeaderValue::String);
  const HeaderValue *fortran = get("fortran_order", HeaderValue::Bool);
  const HeaderValue *shape = get("shape", HeaderValue::Tuple);
  if (!descr || !fortran || !shape || dict.size() != 3)
    return error("header must have exactly the keys 'descr' (a string), 'fortran_order' (a "
                 "bool) and 'shape' (a tuple)");
  if (fortran->boolean)
    return error("Fortran-order arrays are not supported");

  Tensor t;
  absl::StatusOr<DType> dtype = dtypeOfDescr(descr->str, what);
  if (!dtype.ok())
    return dtype.status();
  t.dtype = *dtype;
  t.shape = shape->tuple;
  absl::StatusOr<int64_t> n = checkedNumElements(t.shape);
  if (!n.ok())
    return error(n.status().message());
  uint64_t width = dtypeSize(t.dtype);
  uint64_t dataSize = bytes.size() - headerStart - headerLen;
  if (static_cast<uint64_t>(*n) > dataSize / width || static_cast<uint64_t>(*n) * width != dataSize)
    return error(absl::StrCat("shape ", shapeToString(t.shape), " of ", descr->str, " needs ",
                              "different data than the ", dataSize, " bytes after the header"));
  t.data = bytes.substr(headerStart + headerLen);
  return t;
}

absl::StatusOr<Tensor> readNpy(const std::string &path) {
  absl::StatusOr<std::string> bytes = readFile(path);
  if (!bytes.ok())
    return bytes.status();
  return parseNpy(*bytes, path);
}

absl::StatusOr<std::string> serializeNpy(const Tensor &t) {
  absl::StatusOr<std::string> descr = npyDescr(t.dtype);
  if (!descr.ok())
    return descr.status();
  absl::StatusOr<int64_t> n = checkedNumElements(t.shape);
  if (!n.ok())
    return n.status();
  uint64_t expected = static_cast<uint64_t>(*n) * dtypeSize(t.dtype);
  if (t.data.size() != expected)
    return absl::InvalidArgumentError(
        absl::StrCat("tensor of shape ", shapeToString(t.shape), " and ", dtypeName(t.dtype),
                     " has ", t.data.size(), " data bytes, expected ", expected));

  std::string shape = "(";
  for (size_t i = 0; i < t.shape.size(); ++i)
    absl::StrAppend(&shape, i ? ", " : "", t.shape[i]);
  if (t.shape.size() == 1)
    shape += ",";
  shape += ")";
  std::string header =
      absl::StrCat("{'descr': '", *descr, "', 'fortran_order': False, 'shape': ", shape, ", }");
  // Pad with spaces and end with a newline so that the data starts at a multiple of 64, as
  // NumPy does.
  size_t prefix = kNpyMagicSize + 2 + 2;
  if (header.size() + 1 + prefix > 65535)
    prefix = kNpyMagicSize + 2 + 4;
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::string out(kNpyMagic, kNpyMagicSize);
  bool v1 = prefix == kNpyMagicSize + 4;
  out += static_cast<char>(v1 ? 1 : 2);
  out += '\0';
  char len[4];
  if (v1)
    write16le(len, static_cast<uint16_t>(header.size()));
  else
    write32le(len, static_cast<uint32_t>(header.size()));
  out.append(len, v1 ? 2 : 4);
  out += header;
  out += t.data;
  return out;
}

absl::Status writeNpy(const std::string &path, const Tensor &t, bool overwrite) {
  absl::StatusOr<std::string> bytes = serializeNpy(t);
  if (!bytes.ok())
    return absl::Status(bytes.status().code(), absl::StrCat(path, ": ", bytes.status().message()));
  return writeFile(path, *bytes, overwrite ? WriteMode::ReplaceNoFollow : WriteMode::CreateNew);
}

absl::StatusOr<std::vector<std::pair<std::string, Tensor>>> parseNpz(const std::string &bytes,
                                                                     const std::string &what) {
  ZipReader zip(bytes, what);
  auto members = zip.directory();
  if (!members.ok())
    return members.status();
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto &m : *members) {
    absl::StatusOr<Tensor> t = zip.tensor(m);
    if (!t.ok())
      return t.status();
    out.emplace_back(m.name, std::move(*t));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> npzMemberNames(const std::string &bytes,
                                                        const std::string &what) {
  auto members = ZipReader(bytes, what).directory();
  if (!members.ok())
    return members.status();
  std::vector<std::string> names;
  for (const auto &m : *members)
    names.push_back(m.name);
  return names;
}

absl::StatusOr<Tensor> parseNpzMember(const std::string &bytes, const std::string &what,
                                      const std::string &name) {
  ZipReader zip(bytes, what);
  auto members = zip.directory();
  if (!members.ok())
    return members.status();
  for (const auto &m : *members)
    if (m.name == name)
      return zip.tensor(m);
  return absl::NotFoundError(absl::StrCat(what, ": no member '", name, "'"));
}

absl::StatusOr<std::vector<std::pair<std::string, Tensor>>> readNpz(const std::string &path) {
  absl::StatusOr<std::string> bytes = readFile(path);
  if (!bytes.ok())
    return bytes.status();
  return parseNpz(*bytes, path);
}

} // namespace smc
