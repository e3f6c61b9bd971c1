//===- OpsImage.cpp - Image resizing --------------------------------------===//
//
// ResizeBilinear and ResizeNearestNeighbor (NHWC, a size known at compile time) become
// smc.resize; their align_corners / half_pixel_centers attributes are kept as they are.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

template <mlir::smc::ResizeMode Mode> LogicalResult resizeOp(NodeContext &c) {
  Value x = c.input(0);
  auto size = c.constantInts(1, "size");
  if (!x || failed(size))
    return failure();
  if (size->size() != 2 || (*size)[0] <= 0 || (*size)[1] <= 0)
    return c.error() << "size must hold 2 positive entries (new height, new width)";
  if (typeOf(x).getRank() != 4)
    return c.error() << "images must be 4-D NHWC, got " << typeOf(x);
  bool alignCorners = c.boolAttr("align_corners"), halfPixel = c.boolAttr("half_pixel_centers");
  if (alignCorners && halfPixel)
    return c.error() << "align_corners and half_pixel_centers are both set (TensorFlow rejects "
                        "this combination too)";
  Value r = c.createOrFold<mlir::smc::ResizeOp>(nullptr, x, Mode, *size, alignCorners, halfPixel);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

} // namespace

void ::smc::import::registerImageOps(std::map<std::string, Handler> &t) {
  t["ResizeBilinear"] = resizeOp<mlir::smc::ResizeMode::bilinear>;
  t["ResizeNearestNeighbor"] = resizeOp<mlir::smc::ResizeMode::nearest>;
}
