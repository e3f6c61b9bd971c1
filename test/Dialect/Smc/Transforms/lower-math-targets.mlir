// RUN: smc-opt %s -smc-lower-math | FileCheck %s --check-prefix=KEEP
// RUN: smc-opt %s -smc-lower-math="expand-rounding=1" | FileCheck %s --check-prefix=ROUND
// RUN: smc-opt %s -smc-lower-math="expand-float-minmax=1" | FileCheck %s --check-prefix=MINMAX
// What smc-lower-math does for targets without rounding instructions (expand-rounding) or
// without an FPU (expand-float-minmax); a remainder by a power of two never reaches libm.

// KEEP-LABEL: func.func @ops(
// KEEP: math.floor
// KEEP: math.roundeven
// KEEP: arith.maximumf
// KEEP-NOT: arith.remf
// KEEP: math.trunc
// ROUND-LABEL: func.func @ops(
// ROUND-NOT: math.floor
// ROUND-NOT: math.roundeven
// ROUND-NOT: math.trunc
// ROUND: arith.fptosi %{{.*}} : f32 to i32
// ROUND: math.copysign
// ROUND: arith.fptosi %{{.*}} : vector<4xf32> to vector<4xi32>
// ROUND: arith.andi
// ROUND: math.copysign
// ROUND: arith.maximumf
// MINMAX-LABEL: func.func @ops(
// MINMAX: math.floor
// MINMAX-NOT: arith.maximumf
// MINMAX: arith.cmpf ugt
// MINMAX: arith.select
func.func @ops(%x: f32, %v: vector<4xf32>, %y: f32) -> (f32, vector<4xf32>, f32, f32) {
  %a = math.floor %x : f32
  %b = math.roundeven %v : vector<4xf32>
  %c = arith.maximumf %x, %y : f32
  %two = arith.constant 2.0 : f32
  %d = arith.remf %y, %two : f32
  return %a, %b, %c, %d : f32, vector<4xf32>, f32, f32
}
