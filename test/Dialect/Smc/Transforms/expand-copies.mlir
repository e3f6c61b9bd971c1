// RUN: smc-opt %s -smc-expand-copies | FileCheck %s
// Strided copies would call the MLIR runtime's memrefCopy: they become linalg.copy.

// CHECK-LABEL: func.func @copies
func.func @copies(%a: memref<4x4xf32>, %b: memref<4x4xf32>) {
  // CHECK: memref.copy %{{.*}}, %{{.*}} : memref<4x4xf32> to memref<4x4xf32>
  memref.copy %a, %b : memref<4x4xf32> to memref<4x4xf32>
  %s = memref.subview %a[0, 0] [4, 2] [1, 1] : memref<4x4xf32> to memref<4x2xf32, strided<[4, 1]>>
  %t = memref.subview %b[0, 2] [4, 2] [1, 1] : memref<4x4xf32> to memref<4x2xf32, strided<[4, 1], offset: 2>>
  // CHECK: linalg.copy ins(%{{.*}} : memref<4x2xf32, strided<[4, 1]>>) outs(%{{.*}} : memref<4x2xf32, strided<[4, 1], offset: 2>>)
  memref.copy %s, %t : memref<4x2xf32, strided<[4, 1]>> to memref<4x2xf32, strided<[4, 1], offset: 2>>
  return
}
