//===- ModelCheckpointTest.cpp - Bundles written by TensorFlow ------------===//
//
// When SMC_MODELS_DIR names the output of test/models/make_models.py (it holds manifest.json),
// every `variables/variables` bundle under it is read in full, and compared tensor by tensor
// with what TensorFlow itself read from it (tf.train.load_variable), recorded next to the
// model in `<model>.expected/checkpoint.json` (for a TF Serving base directory `<base>/<v>`:
// `<base>.expected/<v>/checkpoint.json`). checkpoint.json is a list of
// {"key", "dtype": "DT_...", "shape": [...], "npy": "<relative path>"} or, for DT_STRING,
// "strings": [...] with each byte as one code point (latin-1); DT_BFLOAT16 values are stored
// in the .npy as uint16 bit patterns.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/Npy.h"
#include "smc/SavedModel/TensorBundle.h"

#include "checkpoint.pb.h"
#include "types.pb.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>

namespace smc {
namespace {

namespace fs = std::filesystem;

constexpr const char *kObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";

/// Decodes UTF-8 into one byte per code point (the latin-1 convention of checkpoint.json);
/// false if a code point is above 255 or the UTF-8 is malformed.
bool latin1Bytes(llvm::StringRef utf8, std::string &out) {
  out.clear();
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<uint8_t>(utf8[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      i += 1;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      uint32_t cp = (uint32_t(c & 0x1F) << 6) | (static_cast<uint8_t>(utf8[i + 1]) & 0x3F);
      if (cp > 0xFF)
        return false;
      out.push_back(static_cast<char>(cp));
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

std::optional<llvm::json::Value> readJson(const fs::path &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path.string());
  if (!buffer) {
    ADD_FAILURE() << path << ": cannot read";
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> value = llvm::json::parse((*buffer)->getBuffer());
  if (!value) {
    ADD_FAILURE() << path << ": " << llvm::toString(value.takeError());
    return std::nullopt;
  }
  return std::move(*value);
}

/// The checkpoint.json TensorFlow wrote for the model directory `modelDir`, if any.
std::optional<fs::path> expectedFor(const fs::path &modelsDir, const fs::path &modelDir) {
  fs::path rel = fs::relative(modelDir, modelsDir);
  fs::path direct = modelsDir / (rel.string() + ".expected") / "checkpoint.json";
  if (fs::exists(direct))
    return direct;
  if (rel.has_parent_path()) {
    fs::path versioned =
        modelsDir / (rel.parent_path().string() + ".expected") / rel.filename() / "checkpoint.json";
    if (fs::exists(versioned))
      return versioned;
  }
  return std::nullopt;
}

void compareWithExpected(const TensorBundle &bundle, const fs::path &expectedPath) {
  std::optional<llvm::json::Value> json = readJson(expectedPath);
  if (!json)
    return;
  const llvm::json::Array *list = json->getAsArray();
  ASSERT_NE(list, nullptr) << expectedPath << ": not a JSON list";
  std::set<std::string> listed;
  for (const llvm::json::Value &item : *list) {
    const llvm::json::Object *o = item.getAsObject();
    ASSERT_NE(o, nullptr) << expectedPath << ": entry is not an object";
    std::optional<llvm::StringRef> key = o->getString("key");
    std::optional<llvm::StringRef> dtype = o->getString("dtype");
    const llvm::json::Array *shape = o->getArray("shape");
    ASSERT_TRUE(key && dtype && shape) << expectedPath << ": entry lacks key/dtype/shape";
    SCOPED_TRACE(expectedPath.string() + ": " + key->str());
    listed.insert(key->str());

    absl::StatusOr<Tensor> t = bundle.read(key->str());
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(dtypeName(t->dtype), dtype->str());
    std::vector<int64_t> wantShape;
    for (const llvm::json::Value &d : *shape)
      wantShape.push_back(d.getAsInteger().value_or(-1));
    EXPECT_EQ(t->shape, wantShape);

    if (const llvm::json::Array *strings = o->getArray("strings")) {
      std::vector<std::string> want;
      for (const llvm::json::Value &s : *strings) {
        std::string bytes;
        std::optional<llvm::StringRef> str = s.getAsString();
        ASSERT_TRUE(str && latin1Bytes(*str, bytes)) << "bad latin-1 string in the JSON";
        want.push_back(bytes);
      }
      EXPECT_EQ(t->strings, want);
      continue;
    }
    std::optional<llvm::StringRef> npy = o->getString("npy");
    ASSERT_TRUE(npy) << "entry has neither \"npy\" nor \"strings\"";
    absl::StatusOr<Tensor> ref = readNpy((expectedPath.parent_path() / npy->str()).string());
    ASSERT_TRUE(ref.ok()) << ref.status();
    DType refDtype = t->dtype == tensorflow::DT_BFLOAT16 ? int(tensorflow::DT_UINT16) : t->dtype;
    EXPECT_EQ(dtypeName(ref->dtype), dtypeName(refDtype));
    EXPECT_EQ(ref->shape, t->shape);
    EXPECT_TRUE(ref->data == t->data) << "values differ from TensorFlow's";
  }
  // checkpoint.json lists every key but the object graph.
  for (const std::string &key : bundle.keys()) {
    if (key != kObjectGraphKey) {
      EXPECT_TRUE(listed.count(key)) << expectedPath << " does not list " << key;
    }
  }
}

TEST(ModelCheckpointTest, MatchesTensorFlow) {
  const char *env = std::getenv("SMC_MODELS_DIR");
  if (!env || !*env)
    GTEST_SKIP() << "SMC_MODELS_DIR is not set";
  fs::path modelsDir = fs::absolute(env);
  if (!fs::exists(modelsDir / "manifest.json"))
    GTEST_SKIP() << modelsDir << "/manifest.json does not exist (models not built)";

  std::vector<fs::path> prefixes;
  for (const fs::directory_entry &e : fs::recursive_directory_iterator(
           modelsDir, fs::directory_options::follow_directory_symlink))
    if (e.path().filename() == "variables.index" &&
        e.path().parent_path().filename() == "variables")
      prefixes.push_back(e.path().parent_path() / "variables");
  std::sort(prefixes.begin(), prefixes.end());
  ASSERT_FALSE(prefixes.empty()) << "no variables/variables.index under " << modelsDir;

  int compared = 0;
  for (const fs::path &prefix : prefixes) {
    SCOPED_TRACE(prefix.string());
    absl::StatusOr<std::unique_ptr<TensorBundle>> bundle = TensorBundle::open(prefix.string());
    ASSERT_TRUE(bundle.ok()) << bundle.status();
    // Every tensor reads with its checksums verified.
    for (const std::string &key : (*bundle)->keys()) {
      absl::StatusOr<Tensor> t = (*bundle)->read(key);
      EXPECT_TRUE(t.ok()) << t.status();
    }
    // TF2 checkpoints carry the object graph as a serialized TrackableObjectGraph.
    if ((*bundle)->contains(kObjectGraphKey)) {
      absl::StatusOr<Tensor> graph = (*bundle)->read(kObjectGraphKey);
      ASSERT_TRUE(graph.ok()) << graph.status();
      ASSERT_EQ(graph->dtype, tensorflow::DT_STRING);
      ASSERT_EQ(graph->strings.size(), 1u);
      tensorflow::TrackableObjectGraph objects;
      EXPECT_TRUE(objects.ParseFromString(graph->strings[0]));
      EXPECT_GT(objects.nodes_size(), 0);
    }
    fs::path modelDir = prefix.parent_path().parent_path();
    if (std::optional<fs::path> expected = expectedFor(modelsDir, modelDir)) {
      compareWithExpected(**bundle, *expected);
      ++compared;
    }
  }
  EXPECT_GT(compared, 0) << "no model had an .expected/checkpoint.json";
  std::printf("[ INFO     ] read %zu bundles, compared %d with TensorFlow\n", prefixes.size(),
              compared);
}

} // namespace
} // namespace smc
