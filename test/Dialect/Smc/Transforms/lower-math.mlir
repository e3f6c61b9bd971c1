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

// erf: x clamped to [-4, 4] by compare and select (NaN stays NaN), then x P(x^2) / Q(x^2) with
// Eigen's coefficients: 13 multiply-adds and one division, no piecewise selects.
// CHECK-LABEL: func.func @erf
func.func @erf(%x: vector<16xf32>) -> vector<16xf32> {
  // CHECK-NOT: math.erf
  // CHECK: %[[GT:.*]] = arith.cmpf ogt, %{{.*}}, %[[FOUR:.*]] : vector<16xf32>
  // CHECK: %[[HI:.*]] = arith.select %[[GT]], %[[FOUR]], %{{.*}}
  // CHECK: %[[LT:.*]] = arith.cmpf olt, %[[HI]], %[[MFOUR:.*]] : vector<16xf32>
  // CHECK: %[[X:.*]] = arith.select %[[LT]], %[[MFOUR]], %[[HI]]
  // CHECK: %[[X2:.*]] = arith.mulf %[[X]], %[[X]]
  // CHECK-COUNT-6: math.fma %[[X2]]
  // CHECK: %[[P:.*]] = arith.mulf %[[X]], %{{.*}}
  // CHECK-COUNT-4: math.fma %[[X2]]
  // CHECK: arith.divf %[[P]], %{{.*}} : vector<16xf32>
  // CHECK-NOT: arith.select
  %0 = math.erf %x : vector<16xf32>
  return %0 : vector<16xf32>
}
