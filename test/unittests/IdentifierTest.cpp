//===- IdentifierTest.cpp - TF names as C/C++ identifiers -----------------===//
//
// The one naming rule (smc/Support/Identifier.h) as the importer, the driver and the header
// emitter use it: keywords of C and of C++ alike get a trailing '_' where a TF name becomes an
// identifier, and are refused where the user names the namespace.
//
//===----------------------------------------------------------------------===//

#include "smc/Support/Identifier.h"

#include "gtest/gtest.h"

using namespace smc;

namespace {

TEST(IdentifierTest, ReservedWords) {
  for (const char *w :
       {"class", "int", "namespace", "and", "char8_t", "co_await", "restrict", "typeof", "_Bool",
        "_Generic", "int32_t", "size_t", "NULL", "INT8_MAX", "UINT64_C", "SMC_RESTRICT"})
    EXPECT_TRUE(isReservedWord(w)) << w;
  for (const char *w : {"model", "serving_default", "x", "class_", "Int", "int32"})
    EXPECT_FALSE(isReservedWord(w)) << w;
}

TEST(IdentifierTest, FunctionNames) {
  EXPECT_EQ(identifierFor("serving_default"), "serving_default");
  EXPECT_EQ(identifierFor("__call__"), "call");
  EXPECT_EQ(identifierFor("model.predict"), "model_predict");
  EXPECT_EQ(identifierFor("1st"), "f_1st");
  EXPECT_EQ(identifierFor("___"), "f_");
  // A keyword stays: the C symbol's namespace prefix keeps it apart, and the header's C++ name
  // is cIdentifier() of it.
  EXPECT_EQ(identifierFor("class"), "class");
  EXPECT_EQ(cIdentifier(identifierFor("class")), "class_");
  EXPECT_EQ(cIdentifier(identifierFor("__restrict")), "restrict_");
}

TEST(IdentifierTest, Namespace) {
  EXPECT_EQ(namespaceProblem("model"), "");
  EXPECT_EQ(namespaceProblem("acme::hp"), "");
  EXPECT_EQ(namespaceProblem("class_"), "");
  // C and C++ keywords alike, anywhere in a nested namespace.
  EXPECT_EQ(namespaceProblem("class"), "'class': 'class' is a C/C++ keyword or a reserved name");
  EXPECT_EQ(namespaceProblem("acme::restrict"),
            "'acme::restrict': 'restrict' is a C/C++ keyword or a reserved name");
  EXPECT_EQ(namespaceProblem("int32_t"),
            "'int32_t': 'int32_t' is a C/C++ keyword or a reserved name");
  EXPECT_EQ(namespaceProblem("__x"), "'__x': '__x' is a C/C++ keyword or a reserved name");
  EXPECT_EQ(namespaceProblem("smc"), "'smc': 'smc' is the namespace of smc/runtime.h");
  EXPECT_EQ(namespaceProblem("a::std"),
            "'a::std': 'std' is the namespace of the C++ standard library");
  for (const char *bad : {"", "acme::", "::acme", "1acme", "a-b", "a:b"})
    EXPECT_EQ(namespaceProblem(bad),
              "'" + std::string(bad) + "' is not a C identifier or identifiers joined by '::'")
        << bad;
  // The default, from the output file's name, is always acceptable.
  EXPECT_EQ(namespaceFor("mnist"), "mnist");
  EXPECT_EQ(namespaceFor("my-model.v2"), "my_model_v2");
  EXPECT_EQ(namespaceFor("class"), "class_");
  EXPECT_EQ(namespaceFor("smc"), "smc_");
  for (const char *stem : {"class", "smc", "std", "int8_t", "1x", ""})
    EXPECT_EQ(namespaceProblem(namespaceFor(stem)), "") << stem;
}

} // namespace
