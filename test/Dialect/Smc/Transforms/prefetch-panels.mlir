// RUN: smc-opt %s -smc-prefetch-panels="min-bytes=49152" -split-input-file -canonicalize -cse | FileCheck %s
// While row blocks reuse one block's weight panel, each reduction step prefetches a piece of
// the next block's panel.

// A 1x1 convolution's loops as smc-tile-and-vectorize leaves them: blocks of 32 output
// channels (a task's range), 7 row blocks, 512 reduction steps reading W[block, k, 0:32].
// The panel is 512 x 32 floats; 7 rows share it out in 2^2 = 4 parts of 4096 floats, row r
// (mod 4) sweeping part r at a quarter of the reduction's own stride (32 floats / 4 = 8).
// CHECK-LABEL: func.func @next_panel
// CHECK-SAME: (%[[LO:.*]]: index, %[[HI:.*]]: index, %[[W:.*]]: memref<64x512x32xf32>
func.func @next_panel(%lo: index, %hi: index, %w: memref<64x512x32xf32>, %x: memref<7x512xf32>, %y: memref<7x2048xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c32 = arith.constant 32 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant dense<0.0> : vector<32xf32>
  // CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
  // CHECK-DAG: %[[C4096:.*]] = arith.constant 4096 : index
  // CHECK-DAG: %[[C16384:.*]] = arith.constant 16384 : index
  // CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
  // CHECK-DAG: %[[C63:.*]] = arith.constant 63 : index
  // CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
  // CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[W]] {{\[}}[0, 1, 2]] : memref<64x512x32xf32> into memref<1048576xf32>
  // CHECK: scf.for %[[OC:.*]] = %[[LO]] to %[[HI]] step %[[C32]] {
  scf.for %oc = %lo to %hi step %c32 {
    // CHECK: %[[BLOCK:.*]] = arith.divui %[[OC]], %[[C32]]
    // CHECK: %[[NEXT:.*]] = arith.addi %[[OC]], %[[C32]]
    // CHECK: %[[NB:.*]] = arith.divui %[[NEXT]], %[[C32]]
    // CHECK: %[[CLAMPED:.*]] = arith.minsi %[[NB]], %[[C63]]
    %block = arith.divui %oc, %c32 : index
    // CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
    scf.for %row = %c0 to %c7 step %c1 {
      // CHECK: scf.for %[[K:.*]] = {{.*}} iter_args
      %acc = scf.for %k = %c0 to %c512 step %c1 iter_args(%a = %zero) -> (vector<32xf32>) {
        // CHECK: %[[R:.*]] = arith.andi %[[ROW]], %[[C3]]
        // CHECK: %[[BASE:.*]] = arith.muli %[[CLAMPED]], %[[C16384]]
        // CHECK: %[[PART:.*]] = arith.muli %[[R]], %[[C4096]]
        // CHECK: %[[O1:.*]] = arith.addi %[[BASE]], %[[PART]]
        // CHECK: %[[KS:.*]] = arith.muli %[[K]], %[[C32]]
        // CHECK: %[[KQ:.*]] = arith.shrui %[[KS]], %[[C2]]
        // CHECK: %[[O2:.*]] = arith.addi %[[O1]], %[[KQ]]
        // CHECK: memref.prefetch %[[FLAT]][%[[O2]]], read, locality<2>, data : memref<1048576xf32>
        // CHECK: vector.load %[[W]][%[[BLOCK]], %[[K]], %{{.*}}]
        // CHECK-NOT: memref.prefetch
        %v = vector.load %w[%block, %k, %c0] : memref<64x512x32xf32>, vector<32xf32>
        %v2 = vector.load %w[%block, %k, %c0] : memref<64x512x32xf32>, vector<32xf32>
        %s = memref.load %x[%row, %k] : memref<7x512xf32>
        %b = vector.broadcast %s : f32 to vector<32xf32>
        %f = vector.fma %v, %b, %a : vector<32xf32>
        %g = vector.fma %v2, %b, %f : vector<32xf32>
        scf.yield %g : vector<32xf32>
      }
      vector.store %acc, %y[%row, %oc] : memref<7x2048xf32>, vector<32xf32>
    }
  }
  return
}

// -----

// Nothing to stream ahead: one row block per panel (no reuse), weights that fit L1, a panel
// that moves with the rows, or rows outside the blocks (each row sweeps all of W).
// CHECK-LABEL: func.func @no_prefetch
// CHECK-NOT: memref.prefetch
func.func @no_prefetch(%w: memref<64x512x32xf32>, %small: memref<4x64x32xf32>, %x: memref<7x512xf32>, %y: memref<7x2048xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c7 = arith.constant 7 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant dense<0.0> : vector<32xf32>
  scf.for %b = %c0 to %c64 step %c1 {
    scf.for %row = %c0 to %c1 step %c1 {
      %acc = scf.for %k = %c0 to %c512 step %c1 iter_args(%a = %zero) -> (vector<32xf32>) {
        %v = vector.load %w[%b, %k, %c0] : memref<64x512x32xf32>, vector<32xf32>
        %f = arith.addf %v, %a : vector<32xf32>
        scf.yield %f : vector<32xf32>
      }
      vector.store %acc, %y[%row, %c0] : memref<7x2048xf32>, vector<32xf32>
    }
  }
  scf.for %b = %c0 to %c4 step %c1 {
    scf.for %row = %c0 to %c7 step %c1 {
      %acc = scf.for %k = %c0 to %c64 step %c1 iter_args(%a = %zero) -> (vector<32xf32>) {
        %v = vector.load %small[%b, %k, %c0] : memref<4x64x32xf32>, vector<32xf32>
        %f = arith.addf %v, %a : vector<32xf32>
        scf.yield %f : vector<32xf32>
      }
      vector.store %acc, %y[%row, %c0] : memref<7x2048xf32>, vector<32xf32>
    }
  }
  scf.for %b = %c0 to %c64 step %c1 {
    scf.for %row = %c0 to %c7 step %c1 {
      %acc = scf.for %k = %c0 to %c512 step %c1 iter_args(%a = %zero) -> (vector<32xf32>) {
        %kr = arith.addi %k, %row : index
        %v = vector.load %w[%b, %kr, %c0] : memref<64x512x32xf32>, vector<32xf32>
        %f = arith.addf %v, %a : vector<32xf32>
        scf.yield %f : vector<32xf32>
      }
      vector.store %acc, %y[%row, %c0] : memref<7x2048xf32>, vector<32xf32>
    }
  }
  scf.for %row = %c0 to %c7 step %c1 {
    scf.for %b = %c0 to %c64 step %c1 {
      %acc = scf.for %k = %c0 to %c512 step %c1 iter_args(%a = %zero) -> (vector<32xf32>) {
        %v = vector.load %w[%b, %k, %c0] : memref<64x512x32xf32>, vector<32xf32>
        %f = arith.addf %v, %a : vector<32xf32>
        scf.yield %f : vector<32xf32>
      }
      vector.store %acc, %y[%row, %c0] : memref<7x2048xf32>, vector<32xf32>
    }
  }
  return
}
