//===- SignatureVariablesTest.cpp - Variables each signature reads ---------===//
//
// When SMC_MODELS_DIR names the output of test/models/make_models.py, every signature of every
// test model is resolved with smc::signatureVariables and compared with what TensorFlow says it
// reads (`<model>.expected/signatures.json`, written by the generator from the loaded
// signature's captured variables, or for TF1 from the graph upstream of its outputs): the same
// checkpoint keys, and values equal to the ones TensorFlow read.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/Npy.h"
#include "smc/SavedModel/Variables.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <filesystem>
#include <map>

namespace smc {
namespace {

namespace fs = std::filesystem;

std::optional<llvm::json::Value> readJson(const fs::path &path) {
  auto buf = llvm::MemoryBuffer::getFile(path.string());
  if (!buf)
    return std::nullopt;
  auto v = llvm::json::parse((*buf)->getBuffer());
  if (!v) {
    llvm::consumeError(v.takeError());
    return std::nullopt;
  }
  return std::move(*v);
}

/// Checks one model directory against its `.expected` folder.
int checkModel(const fs::path &dir, const fs::path &expected) {
  auto sigs = readJson(expected / "signatures.json");
  if (!sigs)
    return 0;
  auto model = SavedModel::load(dir.string());
  EXPECT_TRUE(model.ok()) << model.status();
  if (!model.ok())
    return 0;
  int checked = 0;
  for (const auto &[tags, perSig] : *sigs->getAsObject()) {
    auto mg = (*model)->metaGraph(tags.str());
    EXPECT_TRUE(mg.ok()) << mg.status();
    if (!mg.ok())
      continue;
    for (const auto &[key, vars] : *perSig.getAsObject()) {
      SCOPED_TRACE(dir.string() + " [" + tags.str() + "] " + key.str());
      auto ours = signatureVariables(**model, **mg, key.str());
      EXPECT_TRUE(ours.ok()) << ours.status();
      if (!ours.ok())
        continue;
      std::map<std::string, const Tensor *> byKey;
      for (const auto &v : *ours)
        byKey[v.binding.checkpointKey] = &v.value;
      std::set<std::string> expectedKeys;
      for (const auto &entry : *vars.getAsArray()) {
        const auto *o = entry.getAsObject();
        std::string ck = o->getString("checkpoint_key")->str();
        expectedKeys.insert(ck);
        auto it = byKey.find(ck);
        EXPECT_NE(it, byKey.end()) << "smc does not bind " << ck;
        if (it == byKey.end())
          continue;
        auto npy = o->getString("npy");
        if (!npy)
          continue;
        auto ref = readNpy((expected / npy->str()).string());
        EXPECT_TRUE(ref.ok()) << ref.status();
        if (!ref.ok())
          continue;
        EXPECT_EQ(it->second->shape, ref->shape) << ck;
        EXPECT_EQ(it->second->data, ref->data) << ck << ": values differ from TensorFlow's";
      }
      EXPECT_EQ(byKey.size(), expectedKeys.size()) << "smc binds other variables too";
      ++checked;
    }
  }
  return checked;
}

TEST(SignatureVariables, MatchTensorFlow) {
  const char *root = std::getenv("SMC_MODELS_DIR");
  if (!root || !fs::exists(fs::path(root) / "manifest.json"))
    GTEST_SKIP() << "SMC_MODELS_DIR is not set to the generated test models";
  int checked = 0;
  for (const auto &entry : fs::directory_iterator(root)) {
    fs::path p = entry.path();
    if (!entry.is_directory() || p.extension() == ".expected" || p.filename().string()[0] == '.')
      continue;
    fs::path expected = p.string() + ".expected";
    if (fs::exists(p / "saved_model.pb") || fs::exists(p / "saved_model.pbtxt")) {
      checked += checkModel(p, expected);
    } else {
      for (const auto &v : fs::directory_iterator(p)) // TF Serving base directory
        checked += checkModel(v.path(), expected / v.path().filename());
    }
  }
  EXPECT_GT(checked, 10) << "too few signatures checked";
  std::printf("[ INFO     ] checked the variables of %d signatures against TensorFlow\n", checked);
}

} // namespace
} // namespace smc
