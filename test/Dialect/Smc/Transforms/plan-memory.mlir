// RUN: smc-opt %s -smc-plan-memory | FileCheck %s
// Temporaries get fixed offsets in the arena; buffers whose live ranges do not overlap share
// bytes, overlapping ones never do.

// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %{{.*}}: memref<1024xf32>, %[[OUT:.*]]: memref<1024xf32>, %[[ARENA:.*]]: memref<8192xi8> {smc.arena})
// CHECK-SAME: smc.arena_lower_bound = 8192 : i64, smc.arena_size = 8192 : i64
func.func @chain(%in: memref<1024xf32>, %out: memref<1024xf32>, %arena: memref<?xi8> {smc.arena}) attributes {smc.signature = "s"} {
  // a = f(in); b = g(a); c = h(b); out = k(c): a and c can share, b cannot share with either.
  // CHECK: %[[C0:.*]] = arith.constant 0 : index
  // CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<8192xi8> to memref<1024xf32>
  %a = memref.alloc() : memref<1024xf32>
  memref.copy %in, %a : memref<1024xf32> to memref<1024xf32>
  // CHECK: %[[C4096:.*]] = arith.constant 4096 : index
  // CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[C4096]]][]
  %b = memref.alloc() : memref<1024xf32>
  memref.copy %a, %b : memref<1024xf32> to memref<1024xf32>
  // CHECK: %[[C0B:.*]] = arith.constant 0 : index
  // CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[C0B]]][]
  %c = memref.alloc() : memref<1024xf32>
  memref.copy %b, %c : memref<1024xf32> to memref<1024xf32>
  memref.copy %c, %out : memref<1024xf32> to memref<1024xf32>
  // CHECK-NOT: memref.alloc
  return
}

// A view keeps its buffer alive.
// CHECK-LABEL: func.func @alias(
// CHECK-SAME: memref<8192xi8>
func.func @alias(%in: memref<1024xf32>, %out: memref<1024xf32>, %arena: memref<?xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %a = memref.alloc() : memref<1024xf32>
  memref.copy %in, %a : memref<1024xf32> to memref<1024xf32>
  %v = memref.subview %a[0] [512] [1] : memref<1024xf32> to memref<512xf32, strided<[1]>>
  %b = memref.alloc() : memref<1024xf32>
  memref.copy %in, %b : memref<1024xf32> to memref<1024xf32>
  // %a is still read through %v here, so %b cannot reuse its bytes.
  %s = memref.subview %out[0] [512] [1] : memref<1024xf32> to memref<512xf32, strided<[1]>>
  memref.copy %v, %s : memref<512xf32, strided<[1]>> to memref<512xf32, strided<[1]>>
  memref.copy %b, %out : memref<1024xf32> to memref<1024xf32>
  return
}

// No temporaries: a zero-size arena.
// CHECK-LABEL: func.func @none(
// CHECK-SAME: memref<0xi8>
// CHECK-SAME: smc.arena_size = 0 : i64
func.func @none(%in: memref<4xf32>, %out: memref<4xf32>, %arena: memref<?xi8>) attributes {smc.signature = "s"} {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}

// A buffer that a branch yields lives as long as the branch's result: %t (made in the then
// branch) is read after the scf.if through %r, so %b, made after the scf.if, cannot reuse its
// bytes. (Measured from the allocation alone, %t would die at the scf.if.)
// CHECK-LABEL: func.func @branch_result(
// CHECK-SAME: memref<8192xi8>
// CHECK-SAME: smc.arena_lower_bound = 8192 : i64, smc.arena_size = 8192 : i64
func.func @branch_result(%c: i1, %in: memref<1024xf32>, %out: memref<1024xf32>, %arena: memref<?xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %r = scf.if %c -> (memref<1024xf32>) {
    %t = memref.alloc() : memref<1024xf32>
    memref.copy %in, %t : memref<1024xf32> to memref<1024xf32>
    scf.yield %t : memref<1024xf32>
  } else {
    scf.yield %in : memref<1024xf32>
  }
  %b = memref.alloc() : memref<1024xf32>
  memref.copy %in, %b : memref<1024xf32> to memref<1024xf32>
  memref.copy %r, %out : memref<1024xf32> to memref<1024xf32>
  memref.copy %b, %out : memref<1024xf32> to memref<1024xf32>
  return
}

// A loop's initial buffer lives as long as the loop's results.
// CHECK-LABEL: func.func @loop_init(
// CHECK-SAME: smc.arena_lower_bound = 8192 : i64, smc.arena_size = 8192 : i64
func.func @loop_init(%in: memref<1024xf32>, %out: memref<1024xf32>, %arena: memref<?xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %a = memref.alloc() : memref<1024xf32>
  memref.copy %in, %a : memref<1024xf32> to memref<1024xf32>
  %false = arith.constant false
  %r = scf.while (%v = %a) : (memref<1024xf32>) -> memref<1024xf32> {
    scf.condition(%false) %v : memref<1024xf32>
  } do {
  ^bb0(%w: memref<1024xf32>):
    scf.yield %w : memref<1024xf32>
  }
  %b = memref.alloc() : memref<1024xf32>
  memref.copy %in, %b : memref<1024xf32> to memref<1024xf32>
  memref.copy %r, %out : memref<1024xf32> to memref<1024xf32>
  memref.copy %b, %out : memref<1024xf32> to memref<1024xf32>
  return
}
