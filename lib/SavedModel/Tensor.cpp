//===- Tensor.cpp - Host tensors and TensorProto decoding -----------------===//
//
// TensorProto decoding follows TensorFlow's rules (savedmodel-format.md section 1.6):
// `tensor_content` holds every element when it is non-empty; otherwise the dtype's typed
// repeated field is used, its first N values taken and its last value repeated when it has
// fewer than N; an empty field means zeros (empty strings).
//
//===----------------------------------------------------------------------===//

#include "smc/SavedModel/Tensor.h"

#include "Varint.h"

#include "tensor.pb.h"
#include "types.pb.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include <limits>

namespace smc {

int dtypeSize(DType dtype) {
  const DTypeInfo *info = dtypeInfo(dtype);
  return info ? info->bytes : 0;
}

absl::StatusOr<int64_t> checkedNumElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t d = shape[i];
    if (d < 0)
      return absl::InvalidArgumentError(
          absl::StrCat("shape ", shapeToString(shape), ": dimension ", i, " is negative"));
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      return absl::InvalidArgumentError(
          absl::StrCat("shape ", shapeToString(shape), ": element count overflows int64"));
    n *= d;
  }
  return n;
}

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    absl::StrAppend(&s, i ? "," : "", shape[i]);
  return s + "]";
}

int64_t Tensor::numElements() const {
  absl::StatusOr<int64_t> n = checkedNumElements(shape);
  return n.ok() ? *n : -1;
}

absl::StatusOr<std::vector<int64_t>> knownDims(const tensorflow::TensorShapeProto &shape) {
  if (shape.unknown_rank())
    return absl::InvalidArgumentError("shape has unknown rank");
  std::vector<int64_t> dims;
  dims.reserve(shape.dim_size());
  for (int i = 0; i < shape.dim_size(); ++i) {
    int64_t d = shape.dim(i).size();
    if (d < 0)
      return absl::InvalidArgumentError(
          absl::StrCat("dimension ", i, " of the shape is unknown (", d, ")"));
    dims.push_back(d);
  }
  return dims;
}

namespace {

absl::Status protoError(const tensorflow::TensorProto &proto, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("TensorProto of ", dtypeName(proto.dtype()), ": ", what));
}

// Appends `n` little-endian elements of width `width` to `out`: the first values of `vals`,
// the last one repeated when there are fewer than `n`, zeros when there are none. `Elem`
// converts one repeated-field value to the stored bytes (truncating int_val to 8/16 bits,
// half_val to 16 bits, as TensorFlow does).
template <typename Vals, typename Elem>
void fillFromRepeated(const Vals &vals, int64_t n, size_t width, Elem elem, std::string &out) {
  out.assign(static_cast<size_t>(n) * width, '\0');
  int64_t have = vals.size();
  if (have == 0)
    return;
  char *p = out.data();
  for (int64_t i = 0; i < n; ++i, p += width) {
    auto v = elem(vals.Get(i < have ? static_cast<int>(i) : static_cast<int>(have - 1)));
    std::memcpy(p, &v, width);
  }
}

// Complex values come as interleaved (re, im) pairs; the last pair is repeated.
template <typename Vals>
absl::Status fillComplex(const tensorflow::TensorProto &proto, const Vals &vals, int64_t n,
                         size_t partWidth, std::string &out) {
  if (vals.size() % 2 != 0)
    return protoError(proto,
                      absl::StrCat("complex field has an odd number of parts (", vals.size(), ")"));
  out.assign(static_cast<size_t>(n) * 2 * partWidth, '\0');
  int64_t pairs = vals.size() / 2;
  if (pairs == 0)
    return absl::OkStatus();
  char *p = out.data();
  for (int64_t i = 0; i < n; ++i) {
    int64_t j = i < pairs ? i : pairs - 1;
    auto re = vals.Get(static_cast<int>(2 * j));
    auto im = vals.Get(static_cast<int>(2 * j + 1));
    std::memcpy(p, &re, partWidth);
    std::memcpy(p + partWidth, &im, partWidth);
    p += 2 * partWidth;
  }
  return absl::OkStatus();
}

// DT_STRING tensor_content: N varint32 lengths, then the N byte strings back to back.
absl::Status decodeStringContent(const tensorflow::TensorProto &proto, int64_t n,
                                 std::vector<std::string> &out) {
  const std::string &c = proto.tensor_content();
  // Every element takes at least one length byte, so a count above the size is corrupt.
  if (n > static_cast<int64_t>(c.size()))
    return protoError(
        proto, absl::StrCat("tensor_content of ", c.size(), " bytes cannot hold ", n, " strings"));
  std::vector<uint32_t> lengths(static_cast<size_t>(n));
  absl::string_view in(c);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t v;
    if (!consumeVarint(in, 32, v))
      return protoError(proto, absl::StrCat("tensor_content: bad length varint of string ", i,
                                            " (truncated or over 32 bits)"));
    lengths[i] = static_cast<uint32_t>(v);
  }
  size_t pos = c.size() - in.size();
  out.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    if (lengths[i] > c.size() - pos)
      return protoError(proto, absl::StrCat("tensor_content: string ", i, " of ", lengths[i],
                                            " bytes runs past the end"));
    out[i].assign(c, pos, lengths[i]);
    pos += lengths[i];
  }
  if (pos != c.size())
    return protoError(proto, absl::StrCat("tensor_content: ", c.size() - pos,
                                          " bytes left after the last string"));
  return absl::OkStatus();
}

/// How many elements the repeated value field of `dt` lists (complex: pairs of parts).
int64_t listedValues(const tensorflow::TensorProto &proto, DType dt) {
  switch (dt) {
  case tensorflow::DT_FLOAT:
    return proto.float_val_size();
  case tensorflow::DT_DOUBLE:
    return proto.double_val_size();
  case tensorflow::DT_INT64:
    return proto.int64_val_size();
  case tensorflow::DT_UINT32:
    return proto.uint32_val_size();
  case tensorflow::DT_UINT64:
    return proto.uint64_val_size();
  case tensorflow::DT_BOOL:
    return proto.bool_val_size();
  case tensorflow::DT_HALF:
  case tensorflow::DT_BFLOAT16:
    return proto.half_val_size();
  case tensorflow::DT_STRING:
    return proto.string_val_size();
  case tensorflow::DT_COMPLEX64:
    return proto.scomplex_val_size() / 2;
  case tensorflow::DT_COMPLEX128:
    return proto.dcomplex_val_size() / 2;
  case tensorflow::DT_FLOAT8_E5M2:
  case tensorflow::DT_FLOAT8_E4M3FN:
  case tensorflow::DT_FLOAT8_E4M3FNUZ:
  case tensorflow::DT_FLOAT8_E4M3B11FNUZ:
  case tensorflow::DT_FLOAT8_E5M2FNUZ:
  case tensorflow::DT_FLOAT4_E2M1FN:
    return static_cast<int64_t>(proto.float8_val().size());
  default:
    return proto.int_val_size();
  }
}

} // namespace

absl::StatusOr<Tensor> tensorFromProto(const tensorflow::TensorProto &proto) {
  Tensor t;
  t.dtype = proto.dtype();
  DType dt = t.dtype;
  if (dt == tensorflow::DT_INVALID)
    return protoError(proto, "dtype is not set");
  if (dt == tensorflow::DT_RESOURCE || dt == tensorflow::DT_VARIANT)
    return absl::UnimplementedError(absl::StrCat(dtypeName(dt), " constants are not supported"));
  if (dt != tensorflow::DT_STRING && dtypeSize(dt) == 0)
    return protoError(proto, "unsupported dtype");

  absl::StatusOr<std::vector<int64_t>> dims = knownDims(proto.tensor_shape());
  if (!dims.ok())
    return protoError(proto, dims.status().message());
  t.shape = std::move(*dims);
  absl::StatusOr<int64_t> count = checkedNumElements(t.shape);
  if (!count.ok())
    return protoError(proto, count.status().message());
  int64_t n = *count;
  // Fewer values than elements repeat the last one (how TF writes splats); more cannot come
  // from TF and would be dropped silently.
  if (proto.tensor_content().empty() && listedValues(proto, dt) > n)
    return protoError(proto, absl::StrCat("lists ", listedValues(proto, dt), " values for shape ",
                                          shapeToString(t.shape), " (", n, " elements)"));

  if (dt == tensorflow::DT_STRING) {
    if (!proto.tensor_content().empty()) {
      if (absl::Status s = decodeStringContent(proto, n, t.strings); !s.ok())
        return s;
      return t;
    }
    if (n > kMaxTensorBytes / static_cast<int64_t>(sizeof(std::string)))
      return protoError(proto, absl::StrCat("shape ", shapeToString(t.shape),
                                            " has too many strings to materialise"));
    const auto &vals = proto.string_val();
    t.strings.resize(static_cast<size_t>(n));
    if (vals.size() > 0)
      for (int64_t i = 0; i < n; ++i)
        t.strings[i] = vals.Get(i < vals.size() ? static_cast<int>(i) : vals.size() - 1);
    return t;
  }

  size_t width = dtypeSize(dt);
  if (n > kMaxTensorBytes / static_cast<int64_t>(width))
    return protoError(proto, absl::StrCat("shape ", shapeToString(t.shape), " needs more than ",
                                          kMaxTensorBytes, " bytes"));
  if (!proto.tensor_content().empty()) {
    const std::string &c = proto.tensor_content();
    if (static_cast<int64_t>(c.size()) != n * static_cast<int64_t>(width))
      return protoError(proto, absl::StrCat("tensor_content has ", c.size(), " bytes, expected ",
                                            n * width, " for shape ", shapeToString(t.shape)));
    t.data = c;
    return t;
  }

  auto asIs = [](auto v) { return v; };
  auto toU8 = [](int32_t v) { return static_cast<uint8_t>(v); };
  auto toU16 = [](int32_t v) { return static_cast<uint16_t>(v); };
  auto toU8b = [](bool v) { return static_cast<uint8_t>(v ? 1 : 0); };
  switch (dt) {
  case tensorflow::DT_FLOAT:
    fillFromRepeated(proto.float_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_DOUBLE:
    fillFromRepeated(proto.double_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_INT32:
  case tensorflow::DT_QINT32:
    fillFromRepeated(proto.int_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_INT16:
  case tensorflow::DT_UINT16:
  case tensorflow::DT_QINT16:
  case tensorflow::DT_QUINT16:
    fillFromRepeated(proto.int_val(), n, width, toU16, t.data);
    break;
  case tensorflow::DT_INT8:
  case tensorflow::DT_UINT8:
  case tensorflow::DT_QINT8:
  case tensorflow::DT_QUINT8:
  case tensorflow::DT_INT4:
  case tensorflow::DT_UINT4:
  case tensorflow::DT_INT2:
  case tensorflow::DT_UINT2:
    fillFromRepeated(proto.int_val(), n, width, toU8, t.data);
    break;
  case tensorflow::DT_HALF:
  case tensorflow::DT_BFLOAT16:
    fillFromRepeated(proto.half_val(), n, width, toU16, t.data);
    break;
  case tensorflow::DT_INT64:
    fillFromRepeated(proto.int64_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_UINT32:
    fillFromRepeated(proto.uint32_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_UINT64:
    fillFromRepeated(proto.uint64_val(), n, width, asIs, t.data);
    break;
  case tensorflow::DT_BOOL:
    fillFromRepeated(proto.bool_val(), n, width, toU8b, t.data);
    break;
  case tensorflow::DT_COMPLEX64:
    if (absl::Status s = fillComplex(proto, proto.scomplex_val(), n, 4, t.data); !s.ok())
      return s;
    break;
  case tensorflow::DT_COMPLEX128:
    if (absl::Status s = fillComplex(proto, proto.dcomplex_val(), n, 8, t.data); !s.ok())
      return s;
    break;
  case tensorflow::DT_FLOAT8_E5M2:
  case tensorflow::DT_FLOAT8_E4M3FN:
  case tensorflow::DT_FLOAT8_E4M3FNUZ:
  case tensorflow::DT_FLOAT8_E4M3B11FNUZ:
  case tensorflow::DT_FLOAT8_E5M2FNUZ:
  case tensorflow::DT_FLOAT4_E2M1FN: {
    // float8_val is a bytes field: one byte per element.
    const std::string &b = proto.float8_val();
    t.data.assign(static_cast<size_t>(n), '\0');
    if (!b.empty())
      for (int64_t i = 0; i < n; ++i)
        t.data[i] = b[i < static_cast<int64_t>(b.size()) ? i : b.size() - 1];
    break;
  }
  default:
    return protoError(proto, "unsupported dtype");
  }
  return t;
}

} // namespace smc
