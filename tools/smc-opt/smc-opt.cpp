//===- smc-opt.cpp - mlir-opt with the smc dialect and passes -------------===//

#include "smc/Conversion/Passes.h"
#include "smc/Dialect/Smc/IR/SmcDialect.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"
#include "smc/Pipelines/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::smc::registerSmcPasses();
  mlir::smc::registerSmcConversionPasses();
  smc::registerSmcPipeline();
  registry.insert<mlir::smc::SmcDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "smc optimizer driver\n", registry));
}
