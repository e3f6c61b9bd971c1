// RUN: smc-opt %s -smc-lower-math | FileCheck %s
// RUN: smc-opt %s -smc-lower-math=expand-fma=true | FileCheck %s --check-prefix=NOFMA
// No libm: transcendental functions become polynomial arithmetic.

// CHECK-LABEL: func.func @f
// NOFMA-LABEL: func.func @f
func.func @f(%x: f32, %y: f32) -> (f32, f32, f32, f32) {
  // CHECK-NOT: math.exp
  // CHECK-NOT: math.tanh
  // CHECK-NOT: math.powf
  // CHECK-NOT: math.rsqrt
  // CHECK: math.fma
  // NOFMA-NOT: math.fma
  %0 = math.exp %x : f32
  %1 = math.tanh %x : f32
  %2 = math.powf %x, %y : f32
  %3 = math.rsqrt %x : f32
  return %0, %1, %2, %3 : f32, f32, f32, f32
}
