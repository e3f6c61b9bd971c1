// RUN: smc-opt %s -smc-pad-in-place -split-input-file | FileCheck %s
// RUN: smc-opt %s -smc-pad-in-place -eliminate-empty-tensors -one-shot-bufferize -cse -canonicalize -split-input-file | FileCheck %s --check-prefix=BUF
// A padded tensor: only its border is filled, and the op that computes the source writes into
// the interior; after bufferization nothing is copied.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @relu_then_pad
// BUF-LABEL: func.func @relu_then_pad
func.func @relu_then_pad(%x: tensor<1x4x4x8xf32>) -> tensor<1x6x5x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  // The padded buffer and its border slabs (H low 1, H high 1, W high 1) come before the relu.
  // CHECK: %[[B:.*]] = tensor.empty() : tensor<1x6x5x8xf32>
  // CHECK: %[[T:.*]] = linalg.fill {{.*}} -> tensor<1x1x5x8xf32>
  // CHECK: %[[B1:.*]] = tensor.insert_slice %[[T]] into %[[B]][0, 0, 0, 0] [1, 1, 5, 8] [1, 1, 1, 1]
  // CHECK: %[[D:.*]] = linalg.fill {{.*}} -> tensor<1x1x5x8xf32>
  // CHECK: %[[B2:.*]] = tensor.insert_slice %[[D]] into %[[B1]][0, 5, 0, 0] [1, 1, 5, 8] [1, 1, 1, 1]
  // CHECK: %[[R:.*]] = linalg.fill {{.*}} -> tensor<1x4x1x8xf32>
  // CHECK: %[[B3:.*]] = tensor.insert_slice %[[R]] into %[[B2]][0, 1, 4, 0] [1, 4, 1, 8] [1, 1, 1, 1]
  // CHECK: %[[Y:.*]] = linalg.generic
  // CHECK-NOT: tensor.pad
  // CHECK: tensor.insert_slice %[[Y]] into %[[B3]][0, 1, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1]
  // BUF: %[[A:.*]] = memref.alloc() {{.*}} : memref<1x6x5x8xf32>
  // BUF: %[[IN:.*]] = memref.subview %[[A]][0, 1, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1]
  // BUF: linalg.generic {{.*}} outs(%[[IN]]
  // BUF-NOT: memref.copy
  // BUF: return
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
         ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x8xf32>
  %p = tensor.pad %y low[0, 1, 0, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x5x8xf32>
  return %p : tensor<1x6x5x8xf32>
}

// -----

// A pad of a function argument still pads (its source is copied: nothing computes it here).
// CHECK-LABEL: func.func @pad_argument
func.func @pad_argument(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %v = arith.constant -1.0 : f32
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3xf32>)
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3xf32>)
  // CHECK: tensor.insert_slice %arg0 into %{{.*}}[1, 0] [2, 3] [1, 1]
  %p = tensor.pad %x low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<2x3xf32> to tensor<4x3xf32>
  return %p : tensor<4x3xf32>
}

// -----

// A pad whose value is computed inside its region is left alone.
// CHECK-LABEL: func.func @pad_by_index
func.func @pad_by_index(%x: tensor<2xf32>) -> tensor<3xf32> {
  // CHECK: tensor.pad
  %p = tensor.pad %x low[1] high[0] {
  ^bb0(%i: index):
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    tensor.yield %f : f32
  } : tensor<2xf32> to tensor<3xf32>
  return %p : tensor<3xf32>
}

// -----

// A source computed in two parts along W (a convolution row split 3 + 1, each part computed in
// an empty tensor of its own and inserted into the whole): the padded buffer is built before
// the first part, so that both parts are computed in its interior; nothing is copied.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @parts_then_pad
// BUF-LABEL: func.func @parts_then_pad
func.func @parts_then_pad(%x: tensor<1x4x4x8xf32>) -> tensor<1x6x6x8xf32> {
  %zero = arith.constant 0.0 : f32
  %whole = tensor.empty() : tensor<1x4x4x8xf32>
  // CHECK: %[[B:.*]] = tensor.empty() : tensor<1x6x6x8xf32>
  // CHECK: %[[FIRST:.*]] = tensor.empty() : tensor<1x4x3x8xf32>
  // CHECK: linalg.generic {{.*}} outs(%[[FIRST]]
  // BUF: %[[A:.*]] = memref.alloc() {{.*}} : memref<1x6x6x8xf32>
  // BUF-NOT: memref.copy
  // BUF: linalg.generic
  // BUF-NOT: memref.copy
  // BUF: linalg.generic
  // BUF-NOT: memref.copy
  // BUF: return
  %first_out = tensor.empty() : tensor<1x4x3x8xf32>
  %x1 = tensor.extract_slice %x[0, 0, 0, 0] [1, 4, 3, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x3x8xf32>
  %y1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
         ins(%x1 : tensor<1x4x3x8xf32>) outs(%first_out : tensor<1x4x3x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x3x8xf32>
  %with_first = tensor.insert_slice %y1 into %whole[0, 0, 0, 0] [1, 4, 3, 8] [1, 1, 1, 1] : tensor<1x4x3x8xf32> into tensor<1x4x4x8xf32>
  %rest_out = tensor.extract_slice %with_first[0, 0, 3, 0] [1, 4, 1, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x1x8xf32>
  %x2 = tensor.extract_slice %x[0, 0, 3, 0] [1, 4, 1, 8] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x1x8xf32>
  %y2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
         ins(%x2 : tensor<1x4x1x8xf32>) outs(%rest_out : tensor<1x4x1x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x1x8xf32>
  %y = tensor.insert_slice %y2 into %with_first[0, 0, 3, 0] [1, 4, 1, 8] [1, 1, 1, 1] : tensor<1x4x1x8xf32> into tensor<1x4x4x8xf32>
  %p = tensor.pad %y low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x8xf32> to tensor<1x6x6x8xf32>
  return %p : tensor<1x6x6x8xf32>
}
