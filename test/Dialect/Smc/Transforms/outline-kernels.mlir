// RUN: smc-opt %s -smc-outline-kernels | FileCheck %s
// Each kernel of an exported function becomes a private function of its own; equal kernels
// are one function; constants travel with the kernel; arguments that share no byte with
// another get llvm.noalias.

memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
memref.global "private" constant @big : memref<64xf32> = dense<1.0>

// A view of dynamic shape cannot be passed: its kernel stays inline.
// CHECK-LABEL: func.func @m_dyn(
func.func @m_dyn(%in: memref<?xf32>, %arena: memref<512xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %zero = arith.constant 0.0 : f32
  // CHECK: linalg.fill
  linalg.fill ins(%zero : f32) outs(%in : memref<?xf32>)
  return
}

// CHECK-LABEL: func.func @m_s(
// CHECK-SAME: %[[IN:[^:]*]]: memref<64xf32>, %[[OUT:[^:]*]]: memref<64xf32>, %[[ARENA:[^:]*]]: memref<512xi8>
func.func @m_s(%in: memref<64xf32>, %out: memref<64xf32>, %arena: memref<512xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant 0.0 : f32
  %big = memref.get_global @big : memref<64xf32>
  %w = memref.get_global @w : memref<4xf32>
  // CHECK-DAG: %[[A:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<512xi8> to memref<64xf32>
  // CHECK-DAG: %[[B:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<512xi8> to memref<64xf32>
  // CHECK-DAG: %[[BIG:.*]] = memref.get_global @big
  %a = memref.view %arena[%c0][] : memref<512xi8> to memref<64xf32>
  %b = memref.view %arena[%c256][] : memref<512xi8> to memref<64xf32>
  // Two views that overlap (bytes 128..384 and 256..512): no noalias for either.
  %c = memref.view %arena[%c128][] : memref<512xi8> to memref<64xf32>

  // CHECK: call @m_s_k0(%[[A]])
  linalg.fill ins(%zero : f32) outs(%a : memref<64xf32>)
  // The same fill on another buffer of the same type: the same kernel.
  // CHECK-NEXT: call @m_s_k0(%[[B]])
  linalg.fill ins(%zero : f32) outs(%b : memref<64xf32>)
  // CHECK-NEXT: call @m_s_k1(%[[IN]], %[[BIG]], %[[A]])
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%in, %big : memref<64xf32>, memref<64xf32>) outs(%a : memref<64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  // A loop whose body reads a small constant global, the output and the arena.
  // CHECK-NEXT: call @m_s_k2(%[[OUT]], %[[A]])
  scf.for %i = %c0 to %c256 step %c128 {
    %v = vector.transfer_read %w[%c0], %zero : memref<4xf32>, vector<4xf32>
    %j = arith.divui %i, %c128 : index
    vector.transfer_write %v, %out[%j] : vector<4xf32>, memref<64xf32>
    %u = vector.transfer_read %a[%j], %zero : memref<64xf32>, vector<4xf32>
    vector.transfer_write %u, %out[%j] : vector<4xf32>, memref<64xf32>
  }
  // CHECK-NEXT: call @m_s_k3(%{{.*}}, %[[B]])
  memref.copy %c, %b : memref<64xf32> to memref<64xf32>
  // CHECK-NEXT: return
  return
}

// CHECK-LABEL: func.func private @m_s_k0(%{{.*}}: memref<64xf32> {llvm.noalias})
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, no_inline}
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.0
// CHECK-NEXT: linalg.fill ins(%[[Z]] : f32)

// CHECK: func.func private @m_s_k1(%{{.*}}: memref<64xf32> {llvm.noalias}, %{{.*}}: memref<64xf32> {llvm.noalias}, %{{.*}}: memref<64xf32> {llvm.noalias})

// The small global and the loop's bounds are the kernel's own.
// CHECK: func.func private @m_s_k2(%{{.*}}: memref<64xf32> {llvm.noalias}, %{{.*}}: memref<64xf32> {llvm.noalias})
// CHECK-DAG: memref.get_global @w
// CHECK-DAG: arith.constant 256 : index
// CHECK: scf.for

// CHECK: func.func private @m_s_k3(%{{.*}}: memref<64xf32>, %{{.*}}: memref<64xf32>)
// CHECK-SAME: attributes
