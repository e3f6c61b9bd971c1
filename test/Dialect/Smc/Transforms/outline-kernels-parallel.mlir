// RUN: smc-opt %s -smc-outline-kernels=parallel-entries=1 | FileCheck %s
// RUN: smc-opt %s -smc-outline-kernels | FileCheck %s --check-prefix=SERIAL
// On a target with threads each exported function gets a `_parallel` entry point taking the
// caller's hook; a loop marked by smc-mark-parallel becomes a kernel over [lo, hi) and, with a
// hook, an smc.parallel_call of it (the arguments in one frame on the entry's stack).

// CHECK-LABEL: func.func @m_s(
// CHECK-SAME: %[[IN:[^:]*]]: memref<32x16xf32>, %[[OUT:[^:]*]]: memref<32x16xf32>, %[[ARENA:[^:]*]]: memref<64xi8>
// CHECK-NEXT: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: call @m_s_parallel(%[[IN]], %[[OUT]], %[[ARENA]], %[[NULL]])
// CHECK-NEXT: return

// CHECK-LABEL: func.func @m_s_parallel(
// CHECK-SAME: %[[IN:[^:]*]]: memref<32x16xf32>, %[[OUT:[^:]*]]: memref<32x16xf32>, %[[ARENA:[^:]*]]: memref<64xi8> {smc.arena}, %[[HOOK:[^:]*]]: !llvm.ptr)
// CHECK-SAME: smc.parallel_entry = @m_s
// CHECK-NOT: smc.signature
// CHECK: %[[FRAME:.*]] = memref.alloca() : memref<2xi64>
// CHECK: %[[ISNULL:.*]] = llvm.icmp "eq" %[[HOOK]]
// CHECK: scf.if %[[ISNULL]] {
// CHECK:   call @m_s_parallel_k0(%{{.*}}, %{{.*}}, %[[IN]], %[[OUT]]) : (index, index, memref<32x16xf32>, memref<32x16xf32>) -> ()
// CHECK: } else {
// CHECK:   smc.parallel_call @m_s_parallel_k0(%[[IN]], %[[OUT]]) hook %[[HOOK]] frame %[[FRAME]] {lb = 0 : i64, step = 1 : i64, tasks = 8 : i64, ub = 32 : i64}
// CHECK: }
// The unmarked fill is an ordinary kernel.
// CHECK: call @m_s_parallel_k1(%[[OUT]])

// The kernel runs the iterations lo, lo + 1, ... < hi.
// CHECK-LABEL: func.func private @m_s_parallel_k0(
// CHECK-SAME: %[[LO:[^:]*]]: index, %[[HI:[^:]*]]: index, %{{[^:]*}}: memref<32x16xf32> {llvm.noalias}, %{{[^:]*}}: memref<32x16xf32> {llvm.noalias})
// CHECK: scf.for %{{.*}} = %[[LO]] to %[[HI]] step
// CHECK-NOT: smc.parallel_tasks

// Without threads (bare metal): one entry point, the loop stays whole.
// SERIAL-NOT: _parallel
// SERIAL-NOT: smc.parallel_tasks
func.func @m_s(%in: memref<32x16xf32>, %out: memref<32x16xf32>, %arena: memref<64xi8> {smc.arena}) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c32 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %in[%i, %j] : memref<32x16xf32>
      memref.store %a, %out[%i, %j] : memref<32x16xf32>
    }
  } {smc.parallel_tasks = 8 : i64}
  linalg.fill ins(%zero : f32) outs(%out : memref<32x16xf32>)
  return
}
