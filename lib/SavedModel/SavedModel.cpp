//===- SavedModel.cpp - Loading a SavedModel directory --------------------===//

#include "smc/SavedModel/SavedModel.h"

#include "ProtoLog.h"

#include "smc/SavedModel/File.h"

#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <set>

using namespace smc;
namespace fs = llvm::sys::fs;

/// How deep messages may nest in saved_model.pb(txt): protobuf's default for binary input; TF
/// writes a few levels (a signature's structure nests as deep as its Python value).
static constexpr int kMaxProtoNesting = 1000;

SavedModel::SavedModel() : proto_(std::make_unique<tensorflow::SavedModel>()) {}
SavedModel::~SavedModel() = default;

static bool isFile(const std::string &path) {
  return fs::exists(path) && !fs::is_directory(path);
}

/// Whether `dir` holds a SavedModel protocol buffer.
static bool hasModelFile(const std::string &dir) {
  return isFile(dir + "/saved_model.pb") || isFile(dir + "/saved_model.pbtxt");
}

/// The highest all-digit subfolder of `dir` that holds a SavedModel, as TF Serving picks it.
static std::string highestVersionDir(const std::string &dir) {
  std::error_code ec;
  std::string best;
  unsigned long long bestVersion = 0;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (name.empty() || name.size() > 18 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    if (!fs::is_directory(it->path()) || !hasModelFile(it->path()))
      continue;
    unsigned long long version = std::stoull(name);
    if (best.empty() || version > bestVersion) {
      best = it->path();
      bestVersion = version;
    }
  }
  return best;
}

absl::StatusOr<std::unique_ptr<SavedModel>> SavedModel::load(const std::string &dirArg) {
  std::string dir = dirArg;
  while (dir.size() > 1 && dir.back() == '/')
    dir.pop_back();
  if (!fs::exists(dir))
    return absl::NotFoundError(absl::StrCat(dir, ": no such directory"));
  if (!fs::is_directory(dir))
    return absl::InvalidArgumentError(
        absl::StrCat(dir, ": not a directory (expected a SavedModel directory)"));
  if (!hasModelFile(dir)) {
    std::string version = highestVersionDir(dir);
    if (version.empty())
      return absl::NotFoundError(absl::StrCat(
          dir, ": no saved_model.pb or saved_model.pbtxt, and no numbered version folder "
               "holding one"));
    dir = version;
  }

  std::unique_ptr<SavedModel> model(new SavedModel());
  model->dir_ = dir;
  std::string pb = dir + "/saved_model.pb";
  if (isFile(pb)) {
    model->modelFile_ = pb;
    auto bytes = readFile(pb);
    if (!bytes.ok())
      return bytes.status();
    google::protobuf::io::ArrayInputStream raw(bytes->data(), static_cast<int>(bytes->size()));
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetTotalBytesLimit(INT32_MAX);
    coded.SetRecursionLimit(kMaxProtoNesting);
    ProtoLogCapture log;
    if (!model->proto_->ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
      std::string problem = log.problem();
      return absl::DataLossError(absl::StrCat(
          pb, ": not a valid SavedModel protocol buffer",
          problem.empty() ? absl::StrCat(" (truncated, corrupt, or messages nested more than ",
                                         kMaxProtoNesting, " deep)")
                          : problem));
    }
  } else {
    std::string pbtxt = dir + "/saved_model.pbtxt";
    model->modelFile_ = pbtxt;
    auto text = readFile(pbtxt);
    if (!text.ok())
      return text.status();
    // Collects the parser's complaint so the error can say where the text is wrong.
    struct Collector : google::protobuf::io::ErrorCollector {
      std::string first;
      void AddError(int line, int column, const std::string &message) override {
        if (first.empty())
          first = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
      }
    } collector;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    // Our .proto files leave out fields smc never reads (full types, debug info).
    parser.AllowUnknownField(true);
    // As the binary reader's limit: deeper nesting (no TF writer makes it) would overflow the
    // parser's stack.
    parser.SetRecursionLimit(kMaxProtoNesting);
    if (!parser.ParseFromString(*text, model->proto_.get()))
      return absl::DataLossError(
          absl::StrCat(pbtxt, ": not a valid SavedModel text proto: ", collector.first));
  }
  if (model->proto_->meta_graphs_size() == 0)
    return absl::DataLossError(
        absl::StrCat(model->modelFile_, ": the SavedModel contains no meta graph"));
  return model;
}

std::vector<std::string> smc::parseTagSet(const std::string &tagSet) {
  std::vector<std::string> tags;
  size_t start = 0;
  while (start <= tagSet.size()) {
    size_t comma = tagSet.find(',', start);
    if (comma == std::string::npos)
      comma = tagSet.size();
    std::string tag = tagSet.substr(start, comma - start);
    size_t b = tag.find_first_not_of(" \t"), e = tag.find_last_not_of(" \t");
    if (b != std::string::npos)
      tags.push_back(tag.substr(b, e - b + 1));
    start = comma + 1;
  }
  return tags;
}

/// Python's repr() of a str: single quotes unless the text holds a single quote and no double.
static std::string pyRepr(const std::string &s) {
  bool single = s.find('\'') != std::string::npos, dbl = s.find('"') != std::string::npos;
  char q = (single && !dbl) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == q || c == '\\')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else
      out += c;
  }
  out += q;
  return out;
}

std::string smc::formatTagSet(std::vector<std::string> tags, bool sortTags) {
  if (sortTags)
    std::sort(tags.begin(), tags.end());
  return pyRepr(absl::StrJoin(tags, ", "));
}

absl::StatusOr<const tensorflow::MetaGraphDef *>
SavedModel::metaGraph(const std::string &tagSet) const {
  std::vector<std::string> wanted = parseTagSet(tagSet);
  std::set<std::string> wantedSet(wanted.begin(), wanted.end());
  std::vector<std::string> available;
  for (const auto &mg : proto_->meta_graphs()) {
    std::set<std::string> tags(mg.meta_info_def().tags().begin(),
                               mg.meta_info_def().tags().end());
    if (tags == wantedSet)
      return &mg;
    available.push_back(formatTagSet({tags.begin(), tags.end()}, /*sortTags=*/true));
  }
  return absl::NotFoundError(absl::StrCat(
      modelFile_, ": no meta graph with tag set ", formatTagSet(wanted, true),
      "; available tag sets: ", absl::StrJoin(available, ", ")));
}

absl::StatusOr<const tensorflow::SignatureDef *>
SavedModel::signature(const tensorflow::MetaGraphDef &metaGraph, const std::string &key) const {
  auto it = metaGraph.signature_def().find(key);
  if (it != metaGraph.signature_def().end())
    return &it->second;
  std::vector<std::string> keys;
  for (const auto &kv : metaGraph.signature_def())
    keys.push_back("\"" + kv.first + "\"");
  std::sort(keys.begin(), keys.end());
  return absl::NotFoundError(absl::StrCat(
      modelFile_, ": no signature \"", key, "\" in the meta graph with tag set ",
      formatTagSet({metaGraph.meta_info_def().tags().begin(),
                    metaGraph.meta_info_def().tags().end()},
                   true),
      "; available signatures: ", keys.empty() ? "(none)" : absl::StrJoin(keys, ", ")));
}

const tensorflow::NodeDef *smc::fedPlaceholder(const tensorflow::MetaGraphDef &metaGraph,
                                               const tensorflow::TensorInfo &info) {
  if (info.encoding_case() != tensorflow::TensorInfo::kName)
    return nullptr;
  // "node:0" or "node"; a placeholder has one output.
  const std::string &name = info.name();
  size_t colon = name.rfind(':');
  if (colon != std::string::npos && name.substr(colon + 1) != "0")
    return nullptr;
  std::string node = name.substr(0, colon);
  for (const auto &n : metaGraph.graph_def().node())
    if (n.name() == node)
      return n.op() == "Placeholder" || n.op() == "PlaceholderWithDefault" ? &n : nullptr;
  return nullptr;
}

const tensorflow::TensorShapeProto &
smc::signatureInputShape(const tensorflow::MetaGraphDef &metaGraph,
                         const tensorflow::TensorInfo &info) {
  static const tensorflow::TensorShapeProto anyShape = [] {
    tensorflow::TensorShapeProto s;
    s.set_unknown_rank(true);
    return s;
  }();
  const tensorflow::NodeDef *node = fedPlaceholder(metaGraph, info);
  if (!node)
    return info.tensor_shape();
  bool placeholder = node->op() == "Placeholder";
  auto attr = node->attr().find("shape");
  if (attr == node->attr().end() || !attr->second.has_shape())
    // Placeholder's OpDef default is an unknown rank; PlaceholderWithDefault requires the
    // attribute, so a node without it is malformed: keep what the signature says.
    return placeholder ? anyShape : info.tensor_shape();
  const tensorflow::TensorShapeProto &shape = attr->second.shape();
  // TF's Placeholder shape function reads a scalar shape in a graph of producer version 21 or
  // older as an unknown one: old graphs could not tell "any shape" from a scalar.
  if (placeholder && metaGraph.graph_def().versions().producer() <= 21 && !shape.unknown_rank() &&
      shape.dim_size() == 0)
    return anyShape;
  return shape;
}

absl::StatusOr<const TensorBundle *> SavedModel::bundle() const {
  if (!bundleOpened_) {
    std::string prefix = dir_ + "/variables/variables";
    if (isFile(prefix + ".index")) {
      auto opened = TensorBundle::open(prefix);
      if (!opened.ok())
        return opened.status();
      bundle_ = std::move(*opened);
    }
    bundleOpened_ = true;
  }
  return bundle_.get();
}
