// RUN: smc-opt %s -split-input-file -verify-diagnostics -convert-smc-to-llvm
// RUN: %expect-exit 1 smc-opt %s -split-input-file -convert-smc-to-llvm="index-bitwidth=16" | FileCheck --check-prefix=INDEX %s
// RUN: %expect-exit 1 smc-opt %s -split-input-file -convert-smc-to-llvm="data-layout=e-p:7" | FileCheck --check-prefix=LAYOUT %s

// The conversion is full: an op without a lowering (here an scf loop the pipeline should have
// lowered before) is an error naming it, not IR left half converted.
func.func @loop(%n: index, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  // expected-error@+1 {{failed to legalize operation 'scf.for'}}
  scf.for %i = %c0 to %n step %c1 {
    memref.store %f, %out[%i] : memref<4xf32>
  }
  return
}

// -----

// A linalg op left over is named too.
func.func @linalg(%a: memref<4xf32>) {
  %f = arith.constant 1.0 : f32
  // expected-error@+1 {{failed to legalize operation 'linalg.fill'}}
  linalg.fill ins(%f : f32) outs(%a : memref<4xf32>)
  return
}

// INDEX: error: convert-smc-to-llvm: index-bitwidth must be 32 or 64 (or 0: the data layout's pointer width), not 16
// LAYOUT: error: convert-smc-to-llvm: invalid data-layout 'e-p:7':
