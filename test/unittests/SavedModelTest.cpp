//===- SavedModelTest.cpp - Loading SavedModel directories ----------------===//
//
// Directory handling that needs no TensorFlow: TF Serving version folders, text protos, tag
// set matching, the errors that list what is available.
//
//===----------------------------------------------------------------------===//

#include "TestFiles.h"

#include "smc/SavedModel/File.h"
#include "smc/SavedModel/SavedModel.h"

#include "saved_model.pb.h"

#include "gtest/gtest.h"

#include <filesystem>

namespace smc {
namespace {

using test::TempDir;
using test::writeFile;

/// A SavedModel with one meta graph per tag set, and a `serving_default` signature in each.
std::string modelBytes(const std::vector<std::vector<std::string>> &tagSets) {
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  for (const auto &tags : tagSets) {
    auto *mg = sm.add_meta_graphs();
    for (const auto &t : tags)
      mg->mutable_meta_info_def()->add_tags(t);
    (*mg->mutable_signature_def())["serving_default"].set_method_name("tensorflow/serving/predict");
  }
  return sm.SerializeAsString();
}

void writeModel(const std::string &dir, const std::vector<std::vector<std::string>> &tagSets) {
  std::filesystem::create_directories(dir);
  writeFile(dir + "/saved_model.pb", modelBytes(tagSets));
}

TEST(SavedModel, ServingBaseDirectoryLoadsTheHighestVersion) {
  TempDir tmp;
  for (const char *v : {"1", "2", "10", "9"})
    writeModel(tmp.file(v), {{"serve"}});
  std::filesystem::create_directories(tmp.file("99")); // no model inside: not a version
  std::filesystem::create_directories(tmp.file("latest"));
  auto model = SavedModel::load(tmp.path());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->dir(), tmp.file("10"));
}

TEST(SavedModel, TextProtoWhenThereIsNoBinary) {
  TempDir tmp;
  writeFile(tmp.file("saved_model.pbtxt"),
            "saved_model_schema_version: 1\n"
            "meta_graphs { meta_info_def { tags: \"serve\" }\n"
            "  graph_def { node { name: \"x\" op: \"Placeholder\"\n"
            "    experimental_type { type_id: TFT_PRODUCT } } } }\n");
  auto model = SavedModel::load(tmp.path());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->modelFile(), tmp.file("saved_model.pbtxt"));
  EXPECT_EQ((*model)->proto().meta_graphs(0).graph_def().node(0).op(), "Placeholder");
}

TEST(SavedModel, TagSetsMatchAsSets) {
  TempDir tmp;
  writeModel(tmp.path(), {{"serve"}, {"serve", "gpu"}});
  auto model = SavedModel::load(tmp.path());
  ASSERT_TRUE(model.ok()) << model.status();
  auto gpu = (*model)->metaGraph(" gpu,serve,");
  ASSERT_TRUE(gpu.ok()) << gpu.status();
  EXPECT_EQ((*gpu)->meta_info_def().tags_size(), 2);
  auto missing = (*model)->metaGraph("train");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("available tag sets: 'serve', 'gpu, serve'"),
            std::string::npos)
      << missing.status();
}

TEST(SavedModel, UnknownSignatureListsTheKeys) {
  TempDir tmp;
  writeModel(tmp.path(), {{"serve"}});
  auto model = SavedModel::load(tmp.path());
  ASSERT_TRUE(model.ok());
  auto mg = (*model)->metaGraph("serve");
  ASSERT_TRUE(mg.ok());
  auto sig = (*model)->signature(**mg, "predict");
  ASSERT_FALSE(sig.ok());
  EXPECT_NE(sig.status().message().find("available signatures: \"serving_default\""),
            std::string::npos)
      << sig.status();
}

TEST(SavedModel, NoMetaGraphIsAnError) {
  TempDir tmp;
  writeModel(tmp.path(), {});
  auto model = SavedModel::load(tmp.path());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("contains no meta graph"), std::string::npos);
}

TEST(ReadFile, WholeFileOrAnErrorNamingIt) {
  TempDir dir;
  std::string bytes("a\0b\xff", 4);
  writeFile(dir.file("x.bin"), bytes);
  absl::StatusOr<std::string> got = readFile(dir.file("x.bin"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, bytes);
  writeFile(dir.file("empty"), "");
  got = readFile(dir.file("empty"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, "");

  got = readFile(dir.file("missing"));
  EXPECT_TRUE(absl::IsNotFound(got.status())) << got.status();
  EXPECT_EQ(got.status().message(),
            dir.file("missing") + ": cannot open: No such file or directory");
  got = readFile(dir.path());
  EXPECT_TRUE(absl::IsFailedPrecondition(got.status())) << got.status();
  EXPECT_EQ(got.status().message().rfind(dir.path() + ": cannot open: ", 0), 0u) << got.status();
}

} // namespace
} // namespace smc
