// RUN: smc-opt %s | smc-opt | FileCheck %s
// The smc dialect's discardable attributes (SmcBase.td), where the importer and passes put them.

// CHECK-LABEL: func.func @imported
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32> {smc.name = "x", smc.tensor_type = tensor<2x3xf32>, smc.tf_shape = "(-1, 3)"})
// CHECK-SAME: -> (tensor<2x3xf32> {smc.name = "y", smc.tensor_type = tensor<2x3xf32>})
// CHECK-SAME: attributes {smc.signature = "serving_default"}
func.func @imported(%x: tensor<2x3xf32> {smc.name = "x", smc.tf_shape = "(-1, 3)", smc.tensor_type = tensor<2x3xf32>})
    -> (tensor<2x3xf32> {smc.name = "y", smc.tensor_type = tensor<2x3xf32>})
    attributes {smc.signature = "serving_default"} {
  // CHECK: %[[Y:.*]] = smc.relu6 %[[X]]
  %y = smc.relu6 %x : tensor<2x3xf32>
  // CHECK: return %[[Y]]
  return %y : tensor<2x3xf32>
}

// After smc-buffer-abi and smc-plan-memory: ui8 stays in smc.tensor_type when the buffer is i8.
// CHECK-LABEL: func.func @bufferized
// CHECK-SAME: memref<4xi8> {smc.name = "x", smc.tensor_type = tensor<4xui8>}
// CHECK-SAME: memref<4xi8> {smc.name = "y", smc.output, smc.tensor_type = tensor<4xui8>}
// CHECK-SAME: memref<64xi8> {smc.arena}
// CHECK-SAME: smc.arena_lower_bound = 0 : i64, smc.arena_size = 64 : i64, smc.signature = "f"
func.func @bufferized(%x: memref<4xi8> {smc.name = "x", smc.tensor_type = tensor<4xui8>},
                      %y: memref<4xi8> {smc.name = "y", smc.output, smc.tensor_type = tensor<4xui8>},
                      %arena: memref<64xi8> {smc.arena})
    attributes {smc.signature = "f", smc.arena_size = 64 : i64, smc.arena_lower_bound = 0 : i64} {
  return
}

// After the conversion to LLVM the ports are pointers; the attributes stay for the header.
// CHECK-LABEL: llvm.func @lowered
// CHECK-SAME: !llvm.ptr {smc.name = "x", smc.tensor_type = tensor<4xf32>}
llvm.func @lowered(%x: !llvm.ptr {smc.name = "x", smc.tensor_type = tensor<4xf32>})
    attributes {smc.signature = "g"} {
  llvm.return
}

// CHECK-LABEL: func.func @packed
// CHECK: linalg.generic {{.*}} attrs = {smc.packed_matmul}
func.func @packed(%a: tensor<4x8xf32>, %b: tensor<1x8x4xf32>, %c: tensor<4x1x4xf32>) -> tensor<4x1x4xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(m, j, jj, k) -> (m, k)>,
                                        affine_map<(m, j, jj, k) -> (j, k, jj)>,
                                        affine_map<(m, j, jj, k) -> (m, j, jj)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<1x8x4xf32>) outs(%c : tensor<4x1x4xf32>)
      attrs = {smc.packed_matmul} {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x1x4xf32>
  %r = smc.relu6 %0 : tensor<4x1x4xf32>
  return %r : tensor<4x1x4xf32>
}

// CHECK-LABEL: func.func @group_loop
// CHECK: scf.for {{.*}} {
// CHECK: } {smc.group_loop}
func.func @group_loop(%a: tensor<2xf32>) -> tensor<2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %0 = scf.for %i = %c0 to %c2 step %c1 iter_args(%x = %a) -> (tensor<2xf32>) {
    %r = smc.relu6 %x : tensor<2xf32>
    scf.yield %r : tensor<2xf32>
  } {smc.group_loop}
  return %0 : tensor<2xf32>
}
