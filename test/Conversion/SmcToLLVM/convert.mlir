// RUN: smc-opt %s -convert-smc-to-llvm -reconcile-unrealized-casts | FileCheck %s
// RUN: smc-opt %s -convert-smc-to-llvm="index-bitwidth=32" -reconcile-unrealized-casts | FileCheck --check-prefix=I32 %s
// RUN: smc-opt %s -convert-smc-to-llvm="data-layout=e-p:32:32-i64:64-n32-S64" -reconcile-unrealized-casts | FileCheck --check-prefix=I32 %s

// Bare pointers for the exported function's buffers; index as wide as asked (or as the data
// layout's pointers).
// CHECK-LABEL: llvm.func @load_store
// CHECK-SAME: (%[[IN:.*]]: !llvm.ptr {smc.name = "x"}, %[[OUT:.*]]: !llvm.ptr, %[[I:.*]]: i64)
// CHECK: %[[OUTD:.*]] = llvm.insertvalue %[[OUT]], %{{.*}}[1]
// CHECK: %[[IND:.*]] = llvm.insertvalue %[[IN]], %{{.*}}[1]
// CHECK: %[[INP:.*]] = llvm.extractvalue %{{.*}}[1]
// CHECK: %[[P:.*]] = llvm.getelementptr %[[INP]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: %[[X:.*]] = llvm.load %[[P]] : !llvm.ptr -> f32
// CHECK: %[[Y:.*]] = llvm.intr.fma(%[[X]], %[[X]], %[[X]]) : (f32, f32, f32) -> f32
// CHECK: %[[OUTP:.*]] = llvm.extractvalue %{{.*}}[1]
// CHECK: %[[Q:.*]] = llvm.getelementptr %[[OUTP]][%[[I]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: llvm.store %[[Y]], %[[Q]] : f32, !llvm.ptr
// I32-LABEL: llvm.func @load_store
// I32-SAME: %{{.*}}: !llvm.ptr, %[[I:.*]]: i32)
// I32: llvm.getelementptr %{{.*}}[%[[I]]] : (!llvm.ptr, i32) -> !llvm.ptr, f32
func.func @load_store(%in: memref<4xf32> {smc.name = "x"}, %out: memref<4xf32>, %i: index) {
  %x = memref.load %in[%i] : memref<4xf32>
  %y = math.fma %x, %x, %x : f32
  memref.store %y, %out[%i] : memref<4xf32>
  return
}

// n-D vector ops the canonicalizer may re-create become 1-D ones first.
// CHECK-LABEL: llvm.func @broadcast
// CHECK-SAME: (%[[S:.*]]: vector<4xf32>) -> !llvm.array<2 x vector<4xf32>>
// CHECK-NOT: vector.broadcast
// CHECK: %[[ROW0:.*]] = llvm.insertvalue %[[S]], %{{.*}}[0]
// CHECK: %[[ROWS:.*]] = llvm.insertvalue %[[S]], %[[ROW0]][1]
// CHECK: llvm.return %[[ROWS]]
func.func @broadcast(%s: vector<4xf32>) -> vector<2x4xf32> {
  %b = vector.broadcast %s : vector<4xf32> to vector<2x4xf32>
  return %b : vector<2x4xf32>
}

// floordivsi has no LLVM lowering of its own: arith first.
// CHECK-LABEL: llvm.func @floordiv
// CHECK-SAME: (%[[A:.*]]: i32, %[[B:.*]]: i32)
// CHECK: %[[Q:.*]] = llvm.sdiv %[[A]], %[[B]]
// CHECK: llvm.select %{{.*}}, %{{.*}}, %[[Q]]
func.func @floordiv(%a: i32, %b: i32) -> i32 {
  %q = arith.floordivsi %a, %b : i32
  return %q : i32
}
