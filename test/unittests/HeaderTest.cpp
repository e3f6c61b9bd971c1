//===- HeaderTest.cpp - The generated header: golden files and naming -----===//
//
// Each golden case is a HeaderInfo whose header must equal test/unittests/golden/<case>.h byte
// for byte. The goldens were reviewed by hand; test/Target/Header/*.test compile them as C and
// C++ and link them against a stub of the C symbols. After an intended change to the emitter,
// run once with SMC_UPDATE_GOLDENS=1 (the test then rewrites the files and fails), review the
// diff, and rerun.
//
//===----------------------------------------------------------------------===//

#include "smc/Target/Header/Header.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace smc;

namespace {

PortInfo port(std::string key, std::string dtype, std::vector<int64_t> shape, std::string saved) {
  PortInfo p;
  p.key = std::move(key);
  p.dtype = parseDTypeName(dtype).value_or(tensorflow::DT_INVALID);
  p.shape = std::move(shape);
  p.savedShape = std::move(saved);
  return p;
}

FunctionInfo function(std::string label, std::string name, std::string symbol,
                      std::vector<PortInfo> inputs, std::vector<PortInfo> outputs,
                      int64_t arenaBytes) {
  FunctionInfo f;
  f.label = std::move(label);
  f.name = std::move(name);
  f.symbol = std::move(symbol);
  f.inputs = std::move(inputs);
  f.outputs = std::move(outputs);
  f.arenaBytes = arenaBytes;
  return f;
}

HeaderInfo header(std::string dir, std::string ns, std::string target, std::string cpu) {
  HeaderInfo h;
  h.modelDir = std::move(dir);
  h.nameSpace = std::move(ns);
  h.target = std::move(target);
  h.cpu = std::move(cpu);
  return h;
}

/// One signature as `smc compile` describes a small MLP: the batch dimension was unknown.
HeaderInfo basicCase() {
  HeaderInfo h = header("models/mnist", "mnist", "x86_64-unknown-linux-gnu", "x86-64-v3");
  h.functions.push_back(function("serving_default", "serving_default", "mnist_serving_default",
                                 {port("x", "DT_FLOAT", {1, 784}, "(-1, 784)")},
                                 {port("output_0", "DT_FLOAT", {1, 10}, "(1, 10)")}, 3200));
  return h;
}

/// Scalars, a pinned unknown rank, dict output names and the less common dtypes.
HeaderInfo scalarsCase() {
  HeaderInfo h =
      header("/srv/models/scalars/1", "scalars", "aarch64-unknown-linux-gnu", "cortex-a72");
  h.functions.push_back(function(
      "serving_default", "serving_default", "scalars_serving_default",
      {port("count", "DT_INT64", {}, "()"), port("flags", "DT_BOOL", {4}, "(4,)"),
       port("image", "DT_UINT8", {2, 3}, "(2, 3)"), port("scale", "DT_DOUBLE", {}, "unknown_rank"),
       port("weights_fp16", "DT_HALF", {3}, "(3)")},
      {port("all_positive", "DT_BOOL", {}, "()"),
       port("custom_output_name", "DT_INT32", {2}, "(2)"),
       port("probabilities", "DT_BFLOAT16", {2, 2}, "(2, 2)")},
      128));
  return h;
}

/// Several functions in one object, a nested namespace, variables assigned by one of them (so
/// nothing is thread-safe), a function without arguments and functions without an arena.
HeaderInfo multiCase() {
  HeaderInfo h =
      header("models/vision", "acme::vision", "thumbv7em-none-unknown-eabihf", "cortex-m4");
  h.hasMutableVariables = true;
  h.functions.push_back(function("serving_default", "serving_default",
                                 "acme_vision_serving_default",
                                 {port("image", "DT_FLOAT", {1, 8, 8, 3}, "(-1, 8, 8, 3)")},
                                 {port("logits", "DT_FLOAT", {1, 5}, "(1, 5)"),
                                  port("probabilities", "DT_FLOAT", {1, 5}, "(1, 5)")},
                                 1024));
  h.functions.push_back(function("predict", "predict", "acme_vision_predict",
                                 {port("x", "DT_FLOAT", {1, 3}, "(-1, 3)")},
                                 {port("output_0", "DT_FLOAT", {1}, "(1)")}, 0));
  h.functions.push_back(function("reset", "reset", "acme_vision_reset", {}, {}, 0));
  h.functions.push_back(function("train_step", "train_step", "acme_vision_train_step",
                                 {port("delta", "DT_FLOAT", {}, "()")},
                                 {port("counter", "DT_INT64", {}, "()")}, 64));
  return h;
}

/// Keys that are keywords, reserved names, macro names or not identifiers at all, keys that
/// map to the same identifier, a zero-size dimension, and function names that clash.
HeaderInfo namesCase() {
  HeaderInfo h = header("models/odd \"names\"\\", "names", "x86_64-unknown-linux-gnu", "generic");
  h.functions.push_back(function(
      "default", "default", "names_default",
      {port("1st", "DT_INT32", {}, "()"), port("NAMES_ARENA_SIZE", "DT_INT32", {}, "()"),
       port("SMC_ALIGNAS", "DT_INT32", {}, "()"), port("__restrict", "DT_INT32", {}, "()"),
       port("a/b:0", "DT_INT32", {2}, "(2)"), port("a_b_0", "DT_INT32", {2}, "(2)"),
       port("arena", "DT_INT32", {}, "()"), port("class", "DT_INT32", {}, "()"),
       port("empty", "DT_FLOAT", {0, 3}, "(-1, 3)"), port("int32_t", "DT_INT32", {}, "()"),
       port("p\xc3\xa4th", "DT_INT32", {}, "()"), port("what\?\?/", "DT_INT32", {}, "()"),
       port("x\\", "DT_INT32", {}, "()")},
      {port("default", "DT_FLOAT", {1}, "(1)"), port("int", "DT_INT32", {2}, "(2)")}, 256));
  h.functions.push_back(function("Predict", "Predict", "names_Predict",
                                 {port("parallel", "DT_FLOAT", {2}, "(2)"),
                                  port("x", "DT_FLOAT", {2}, "(2)")},
                                 {port("y", "DT_FLOAT", {2}, "(2)")}, 64));
  h.functions.push_back(function("predict", "predict", "names_predict",
                                 {port("x", "DT_FLOAT", {2}, "(2)")},
                                 {port("y", "DT_FLOAT", {2}, "(2)")}, 128));
  h.functions.push_back(function("kArenaSize", "kArenaSize", "names_kArenaSize", {}, {}, 0));
  h.functions.push_back(function("foo_io", "foo_io", "names_foo_io", {}, {}, 0));
  h.functions.push_back(function("foo", "foo", "names_foo", {}, {}, 0));
  // Compiled for a target with threads, functions have a `_parallel` entry point, whose hook
  // parameter `parallel` renames a key "parallel".
  h.functions[1].parallel = true;
  h.functions[5].parallel = true;
  return h;
}

/// No function needs an arena: every arena constant is 0 and no static arena exists.
HeaderInfo zeroArenaCase() {
  HeaderInfo h = header("models/tiny", "tiny", "riscv32-unknown-none-elf", "generic-rv32");
  h.functions.push_back(function("serving_default", "serving_default", "tiny_serving_default",
                                 {port("x", "DT_INT32", {3}, "(3)")},
                                 {port("y", "DT_INT32", {3}, "(3)")}, 0));
  h.functions.push_back(function("identity", "identity", "tiny_identity",
                                 {port("x", "DT_FLOAT", {}, "()")},
                                 {port("output_0", "DT_FLOAT", {}, "()")}, 0));
  return h;
}

struct GoldenCase {
  const char *name;
  HeaderInfo (*make)();
};

void PrintTo(const GoldenCase &c, std::ostream *os) { *os << c.name; }

const GoldenCase kCases[] = {{"basic", basicCase},
                             {"scalars", scalarsCase},
                             {"multi", multiCase},
                             {"names", namesCase},
                             {"zero_arena", zeroArenaCase}};

std::filesystem::path goldenDir() {
  return std::filesystem::path(SMC_SOURCE_DIR) / "test" / "unittests" / "golden";
}

std::string emit(const HeaderInfo &info) {
  std::ostringstream os;
  emitHeader(info, os);
  return os.str();
}

/// Where two texts first differ, as "line N:\n  expected: ...\n  actual:   ...".
std::string firstDifference(const std::string &expected, const std::string &actual) {
  std::istringstream e(expected), a(actual);
  std::string le, la;
  for (int line = 1;; ++line) {
    bool he = static_cast<bool>(std::getline(e, le)), ha = static_cast<bool>(std::getline(a, la));
    if (!he && !ha)
      return "a difference in line endings or the final newline";
    if (!he || !ha || le != la)
      return "line " + std::to_string(line) + ":\n  expected: " + (he ? le : "<end of file>") +
             "\n  actual:   " + (ha ? la : "<end of file>");
  }
}

class HeaderGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(HeaderGolden, MatchesFile) {
  const GoldenCase &c = GetParam();
  std::string actual = emit(c.make());
  std::filesystem::path path = goldenDir() / (std::string(c.name) + ".h");
  if (const char *update = std::getenv("SMC_UPDATE_GOLDENS"); update && *update) {
    std::ofstream(path, std::ios::binary) << actual;
    FAIL() << "rewrote " << path << "; review the diff, then rerun without SMC_UPDATE_GOLDENS";
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(actual == expected) << path << " differs from the emitted header at "
                                  << firstDifference(expected, actual);
}

INSTANTIATE_TEST_SUITE_P(Header, HeaderGolden, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<GoldenCase> &info) {
                           return std::string(info.param.name);
                         });

// Every golden file belongs to a case (a stale one would still be compiled by the lit tests).
TEST(HeaderTest, NoStrayGoldenFiles) {
  std::set<std::string> expected, found;
  for (const GoldenCase &c : kCases)
    expected.insert(std::string(c.name) + ".h");
  for (const auto &entry : std::filesystem::directory_iterator(goldenDir()))
    found.insert(entry.path().filename().string());
  EXPECT_EQ(expected, found);
}

TEST(HeaderTest, GoldenCasesVerify) {
  for (const GoldenCase &c : kCases)
    EXPECT_TRUE(verifyHeaderInfo(c.make()).empty()) << c.name;
}

TEST(HeaderTest, Deterministic) {
  for (const GoldenCase &c : kCases)
    EXPECT_EQ(emit(c.make()), emit(c.make())) << c.name;
}

TEST(HeaderTest, CIdentifier) {
  EXPECT_EQ(cIdentifier("custom_output_name"), "custom_output_name");
  EXPECT_EQ(cIdentifier("1x"), "_1x");
  EXPECT_EQ(cIdentifier("a/b:0"), "a_b_0");
  EXPECT_EQ(cIdentifier("x-y z"), "x_y_z");
  EXPECT_EQ(cIdentifier(""), "_");
  EXPECT_EQ(cIdentifier("p\xc3\xa4th"), "p__th");
  // Keywords of C, C++ and both, alternative tokens, C23 additions.
  EXPECT_EQ(cIdentifier("int"), "int_");
  EXPECT_EQ(cIdentifier("class"), "class_");
  EXPECT_EQ(cIdentifier("default"), "default_");
  EXPECT_EQ(cIdentifier("restrict"), "restrict_");
  EXPECT_EQ(cIdentifier("and"), "and_");
  EXPECT_EQ(cIdentifier("_Bool"), "_Bool_");
  EXPECT_EQ(cIdentifier("typeof"), "typeof_");
  // Names of the headers the generated header includes.
  EXPECT_EQ(cIdentifier("int32_t"), "int32_t_");
  EXPECT_EQ(cIdentifier("size_t"), "size_t_");
  EXPECT_EQ(cIdentifier("NULL"), "NULL_");
  EXPECT_EQ(cIdentifier("INT8_MAX"), "INT8_MAX_");
  EXPECT_EQ(cIdentifier("UINT64_C"), "UINT64_C_");
  EXPECT_EQ(cIdentifier("SIZE_MAX"), "SIZE_MAX_");
  EXPECT_EQ(cIdentifier("SMC_RESTRICT"), "SMC_RESTRICT_");
  // Reserved spellings; a leading underscore before a lower-case letter or digit is fine.
  EXPECT_EQ(cIdentifier("__x"), "__x_");
  EXPECT_EQ(cIdentifier("_X"), "_X_");
  EXPECT_EQ(cIdentifier("_x"), "_x");
  EXPECT_EQ(cIdentifier("_"), "_");
  // Look-alikes that are fine.
  EXPECT_EQ(cIdentifier("integer"), "integer");
  EXPECT_EQ(cIdentifier("INT8"), "INT8");
  EXPECT_EQ(cIdentifier("SMC_INPUT"), "SMC_INPUT");
  // Applying it twice changes nothing, except to reserved spellings (which stay reserved).
  for (const char *key : {"1x", "int", "a/b", "", "INT8_MAX", "arena"})
    EXPECT_EQ(cIdentifier(cIdentifier(key)), cIdentifier(key)) << key;
}

TEST(HeaderTest, ProblemsAreReportedNotAsserted) {
  HeaderInfo h = header("m", "", "t", "c");
  h.functions.push_back(
      function("a", "a", "m_a",
               {port("s", "DT_STRING", {2}, "(2)"), port("u", "DT_FLOAT", {-1, 3}, "(-1, 3)")},
               {port("big", "DT_INT8", {INT64_MAX, INT64_MAX}, "")}, -8));
  h.functions.push_back(function("b", "b", "m_a", {}, {}, 0));
  h.functions.push_back(function("c", "c", "not an identifier", {}, {}, 0));
  h.functions.push_back(function("d", "d", "int", {}, {}, 0));
  std::vector<std::string> errors = verifyHeaderInfo(h);
  std::vector<std::string> expected = {
      "the namespace is empty",
      "function \"a\": negative arena size -8",
      "function \"a\", input \"s\": unsupported dtype \"DT_STRING\"",
      "function \"a\", input \"u\": dimension -1 in the compiled shape [-1, 3] (every dimension "
      "must be known)",
      "function \"a\", output \"big\": the element count of shape [9223372036854775807, "
      "9223372036854775807] overflows 64 bits",
      "function \"b\": C symbol \"m_a\" is used by another function too",
      "function \"c\": C symbol \"not an identifier\" is not a valid C identifier",
      "function \"d\": C symbol \"int\" is not a valid C identifier"};
  EXPECT_EQ(errors, expected);
  // The header states each problem as an #error, so it cannot be compiled by mistake.
  std::string text = emit(h);
  for (const std::string &e : expected) {
    std::string quoted;
    for (char c : "smc: " + e)
      quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
    EXPECT_NE(text.find("#error \"" + quoted + "\"\n"), std::string::npos) << e;
  }

  // A parallel entry point takes a symbol another function has.
  HeaderInfo twins = header("m", "m", "t", "c");
  twins.functions.push_back(function("f", "f", "m_f", {}, {}, 0));
  twins.functions.push_back(function("f_parallel", "f_parallel", "m_f_parallel", {}, {}, 0));
  twins.functions.front().parallel = true;
  EXPECT_EQ(verifyHeaderInfo(twins),
            std::vector<std::string>{"function \"f_parallel\": C symbol \"m_f_parallel\" is also "
                                     "the parallel entry point of another function"});

  HeaderInfo clash = header("m", "model", "t", "c");
  clash.functions.push_back(function("f", "f", "model", {}, {}, 0));
  EXPECT_EQ(
      verifyHeaderInfo(clash),
      std::vector<std::string>{"function \"f\": C symbol \"model\" is also the C++ namespace"});
}

TEST(HeaderTest, NamespaceComponents) {
  // `smc` and `std` belong to the runtime and the library; keywords are renamed as keys are.
  HeaderInfo h = header("m", "smc::std::class", "t", "c");
  std::string text = emit(h);
  EXPECT_NE(text.find("namespace smc_::std_::class_ {"), std::string::npos);
  EXPECT_NE(text.find("#define SMC__STD__CLASS__ARENA_SIZE 0\n"), std::string::npos);
  EXPECT_NE(text.find("#ifndef SMC_GENERATED_SMC__STD__CLASS__H\n"), std::string::npos);
  EXPECT_TRUE(verifyHeaderInfo(h).empty());
}

TEST(HeaderTest, NoFunctions) {
  std::string text = emit(header("m", "empty", "t", "c"));
  EXPECT_NE(text.find("//   none\n"), std::string::npos);
  EXPECT_NE(text.find("#define EMPTY_ARENA_SIZE 0\n"), std::string::npos);
  EXPECT_NE(text.find("inline constexpr std::size_t kArenaSize = 0;\n"), std::string::npos);
}

} // namespace
