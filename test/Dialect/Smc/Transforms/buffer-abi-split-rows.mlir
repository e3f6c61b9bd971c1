// RUN: smc-opt %s -smc-buffer-abi -eliminate-empty-tensors -one-shot-bufferize -canonicalize -cse -canonicalize | FileCheck %s
// A matmul split along its rows (8 = 6 + 2, as tile-and-vectorize splits rows its register
// blocks do not divide) reads both parts' inits as slices of one reshaped empty init and inserts
// the results back. Each part must be computed in the output buffer itself: no temporary, no
// copy (a shared init split per use made the 1024^2 matmul compute in the arena and copy 8 MB).

// CHECK-LABEL: func.func @split_rows(
// CHECK-SAME: %[[A:.*]]: memref<8x16xf32> {{.*}}, %[[B:.*]]: memref<16x2x4xf32> {{.*}}, %[[Y:.*]]: memref<8x8xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: %[[OUT:.*]] = memref.expand_shape %[[Y]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK-DAG: %[[TOP:.*]] = memref.subview %[[OUT]][0, 0, 0] [6, 2, 4] [1, 1, 1]
// CHECK-DAG: %[[TAIL:.*]] = memref.subview %[[OUT]][6, 0, 0] [2, 2, 4] [1, 1, 1]
// CHECK-DAG: linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]] :
// CHECK-DAG: linalg.fill ins(%{{.*}} : f32) outs(%[[TAIL]] :
// CHECK-DAG: linalg.generic {{.*}} outs(%[[TOP]] :
// CHECK-DAG: linalg.generic {{.*}} outs(%[[TAIL]] :
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: return
#a = affine_map<(i, j, jj, k) -> (i, k)>
#b = affine_map<(i, j, jj, k) -> (k, j, jj)>
#c = affine_map<(i, j, jj, k) -> (i, j, jj)>
func.func @split_rows(%a: tensor<8x16xf32> {smc.name = "a"}, %b: tensor<16x2x4xf32> {smc.name = "b"})
    -> (tensor<8x8xf32> {smc.name = "y"}) attributes {smc.signature = "serving_default"} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %init = tensor.expand_shape %e [[0], [1, 2]] output_shape [8, 2, 4] : tensor<8x8xf32> into tensor<8x2x4xf32>
  %top_init = tensor.extract_slice %init[0, 0, 0] [6, 2, 4] [1, 1, 1] : tensor<8x2x4xf32> to tensor<6x2x4xf32>
  %top_zero = linalg.fill ins(%zero : f32) outs(%top_init : tensor<6x2x4xf32>) -> tensor<6x2x4xf32>
  %top_a = tensor.extract_slice %a[0, 0] [6, 16] [1, 1] : tensor<8x16xf32> to tensor<6x16xf32>
  %top = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%top_a, %b : tensor<6x16xf32>, tensor<16x2x4xf32>) outs(%top_zero : tensor<6x2x4xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %m = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2x4xf32>
  %with_top = tensor.insert_slice %top into %init[0, 0, 0] [6, 2, 4] [1, 1, 1] : tensor<6x2x4xf32> into tensor<8x2x4xf32>
  %tail_init = tensor.extract_slice %init[6, 0, 0] [2, 2, 4] [1, 1, 1] : tensor<8x2x4xf32> to tensor<2x2x4xf32>
  %tail_zero = linalg.fill ins(%zero : f32) outs(%tail_init : tensor<2x2x4xf32>) -> tensor<2x2x4xf32>
  %tail_a = tensor.extract_slice %a[6, 0] [2, 16] [1, 1] : tensor<8x16xf32> to tensor<2x16xf32>
  %tail = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%tail_a, %b : tensor<2x16xf32>, tensor<16x2x4xf32>) outs(%tail_zero : tensor<2x2x4xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %m = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x2x4xf32>
  %full = tensor.insert_slice %tail into %with_top[6, 0, 0] [2, 2, 4] [1, 1, 1] : tensor<2x2x4xf32> into tensor<8x2x4xf32>
  %y = tensor.collapse_shape %full [[0], [1, 2]] : tensor<8x2x4xf32> into tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}

// The whole's empty tensor made after the first part was computed (splitting a shared init
// clones it at its use, as in ResNet50's 7x7 layers, 49 = 42 + 7): it moves up before the
// part's, so that the part is still computed in place of its slice.
// CHECK-LABEL: func.func @whole_made_late(
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: return
func.func @whole_made_late(%a: tensor<8x16xf32> {smc.name = "a"}, %b: tensor<16x2x4xf32> {smc.name = "b"})
    -> (tensor<8x8xf32> {smc.name = "y"}) attributes {smc.signature = "serving_default"} {
  %zero = arith.constant 0.0 : f32
  %top_init = tensor.empty() : tensor<6x2x4xf32>
  %top_zero = linalg.fill ins(%zero : f32) outs(%top_init : tensor<6x2x4xf32>) -> tensor<6x2x4xf32>
  %top_a = tensor.extract_slice %a[0, 0] [6, 16] [1, 1] : tensor<8x16xf32> to tensor<6x16xf32>
  %top = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%top_a, %b : tensor<6x16xf32>, tensor<16x2x4xf32>) outs(%top_zero : tensor<6x2x4xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %m = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2x4xf32>
  %whole = tensor.empty() : tensor<8x2x4xf32>
  %with_top = tensor.insert_slice %top into %whole[0, 0, 0] [6, 2, 4] [1, 1, 1] : tensor<6x2x4xf32> into tensor<8x2x4xf32>
  %tail_init = tensor.extract_slice %with_top[6, 0, 0] [2, 2, 4] [1, 1, 1] : tensor<8x2x4xf32> to tensor<2x2x4xf32>
  %tail_zero = linalg.fill ins(%zero : f32) outs(%tail_init : tensor<2x2x4xf32>) -> tensor<2x2x4xf32>
  %tail_a = tensor.extract_slice %a[6, 0] [2, 16] [1, 1] : tensor<8x16xf32> to tensor<2x16xf32>
  %tail = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%tail_a, %b : tensor<2x16xf32>, tensor<16x2x4xf32>) outs(%tail_zero : tensor<2x2x4xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %m = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x2x4xf32>
  %full = tensor.insert_slice %tail into %with_top[6, 0, 0] [2, 2, 4] [1, 1, 1] : tensor<2x2x4xf32> into tensor<8x2x4xf32>
  %y = tensor.collapse_shape %full [[0], [1, 2]] : tensor<8x2x4xf32> into tensor<8x8xf32>
  return %y : tensor<8x8xf32>
}
