// RUN: smc-opt %s -convert-smc-to-llvm -reconcile-unrealized-casts | FileCheck %s
// smc.parallel_call: the kernel's arguments (memrefs as bare pointers) in the frame's 8-byte
// slots, then hook->parallel_for(hook->user, tasks, @<kernel>_task_<lb>_<ub>_<step>_<tasks>,
// frame) (one trampoline per chunking: a kernel may be called on other ranges); the trampoline
// loads them back and runs chunk t: iterations [lb + t * span, min(lb + (t + 1) * span, ub))
// with span = ceil(30 / 4) = 8 iterations of step 2 = 16.

func.func private @k(%lo: index, %hi: index, %in: memref<60xf32>, %scale: f32) {
  return
}

// CHECK-LABEL: llvm.func @f(
// CHECK-SAME: %[[IN:[^:]*]]: !llvm.ptr, %[[HOOK:[^:]*]]: !llvm.ptr)
func.func @f(%in: memref<60xf32>, %hook: !llvm.ptr) {
  %frame = memref.alloca() : memref<2xi64>
  %scale = arith.constant 2.0 : f32
  // CHECK: %[[FRAME:.*]] = llvm.alloca {{.*}} x i64
  // CHECK: %[[S0:.*]] = llvm.getelementptr %{{.*}}[0] : (!llvm.ptr) -> !llvm.ptr, i64
  // CHECK: llvm.store %{{.*}}, %[[S0]] : !llvm.ptr, !llvm.ptr
  // CHECK: %[[S1:.*]] = llvm.getelementptr %{{.*}}[1] : (!llvm.ptr) -> !llvm.ptr, i64
  // CHECK: llvm.store %{{.*}}, %[[S1]] : f32, !llvm.ptr
  // CHECK: %[[FNSLOT:.*]] = llvm.getelementptr %[[HOOK]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr)>
  // CHECK: %[[FN:.*]] = llvm.load %[[FNSLOT]] : !llvm.ptr -> !llvm.ptr
  // CHECK: %[[USERSLOT:.*]] = llvm.getelementptr %[[HOOK]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr)>
  // CHECK: %[[USER:.*]] = llvm.load %[[USERSLOT]] : !llvm.ptr -> !llvm.ptr
  // CHECK: %[[TASKS:.*]] = llvm.mlir.constant(4 : i64) : i64
  // CHECK: %[[TASK:.*]] = llvm.mlir.addressof @k_task_4_64_2_4 : !llvm.ptr
  // CHECK: llvm.call %[[FN]](%[[USER]], %[[TASKS]], %[[TASK]], %{{.*}}) : !llvm.ptr, (!llvm.ptr, i64, !llvm.ptr, !llvm.ptr) -> ()
  smc.parallel_call @k(%in, %scale) hook %hook frame %frame {lb = 4 : i64, ub = 64 : i64, step = 2 : i64, tasks = 4 : i64} : (memref<60xf32>, f32) -> (), !llvm.ptr, memref<2xi64>
  return
}

// CHECK-LABEL: llvm.func internal @k_task_4_64_2_4(
// CHECK-SAME: %[[F:[^:]*]]: !llvm.ptr, %[[T:[^:]*]]: i64)
// CHECK: %[[SPAN:.*]] = llvm.mlir.constant(16 : i64) : i64
// CHECK: %[[OFF:.*]] = llvm.mul %[[T]], %[[SPAN]]
// CHECK: %[[LB:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK: %[[LO:.*]] = llvm.add %[[LB]], %[[OFF]]
// CHECK: %[[END:.*]] = llvm.add %[[LO]], %{{.*}}
// CHECK: %[[UB:.*]] = llvm.mlir.constant(64 : i64) : i64
// CHECK: %[[PAST:.*]] = llvm.icmp "sgt" %[[END]], %[[UB]]
// CHECK: %[[HI:.*]] = llvm.select %[[PAST]], %[[UB]], %[[END]]
// CHECK: %[[P:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[X:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: llvm.call @k(%[[LO]], %[[HI]], %[[P]], %[[X]]) : (i64, i64, !llvm.ptr, f32) -> ()
