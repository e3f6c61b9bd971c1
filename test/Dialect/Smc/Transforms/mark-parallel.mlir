// RUN: smc-opt %s -smc-mark-parallel=min-task-ops=64 | FileCheck %s
// RUN: smc-opt %s -smc-mark-parallel | FileCheck %s --check-prefix=DEFAULT
// A top-level loop is marked only when its iterations touch disjoint memory wherever one
// writes, proven on the buffers; the task count follows the work per iteration.

// Rows of a layer: iteration %i writes out[%i, 0..15] (through a view made in the loop) and
// reads in[%i + 0..2, *] (inputs are only read, by anyone): 32 tasks of 16 x 4 ops.
// CHECK-LABEL: func.func @rows(
// CHECK: scf.for
// CHECK: } {smc.parallel_tasks = 32 : i64}
// DEFAULT-LABEL: func.func @rows(
// DEFAULT-NOT: smc.parallel_tasks
func.func @rows(%in: memref<34x16xf32>, %out: memref<32x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    %row = memref.subview %out[%i, 0] [1, 16] [1, 1] : memref<32x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    scf.for %j = %c0 to %c16 step %c1 {
      %k = arith.addi %i, %c2 : index
      %a = memref.load %in[%i, %j] : memref<34x16xf32>
      %b = memref.load %in[%k, %j] : memref<34x16xf32>
      %s = arith.addf %a, %b : f32
      memref.store %s, %row[%j] : memref<16xf32, strided<[1], offset: ?>>
    }
  }
  return
}

// Output-channel blocks: iteration %f writes out[*, %f .. %f + 7] as vectors, with inner loops
// that stay inside the block (%f + %j: %j is 0 or 4, vectors of 4); 4 iterations of 37 ops
// make 2 tasks of at least 64.
// CHECK-LABEL: func.func @channels(
// CHECK: } {smc.parallel_tasks = 2 : i64}
func.func @channels(%w: memref<64x32xf32>, %out: memref<16x32xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant dense<0.0> : vector<4xf32>
  scf.for %f = %c0 to %c32 step %c8 {
    scf.for %r = %c0 to %c16 step %c4 {
      scf.for %j = %c0 to %c8 step %c4 {
        %col = arith.addi %f, %j : index
        %v = vector.load %w[%r, %col] : memref<64x32xf32>, vector<4xf32>
        %s = arith.addf %v, %zero : vector<4xf32>
        vector.store %s, %out[%r, %col] : memref<16x32xf32>, vector<4xf32>
      }
    }
  }
  return
}

// Wide vectors: a vector op counts once per 16 elements, so each of the 8 iterations is worth
// 4 x 3 ops of 4 registers (~50), 6 tasks' worth of 64 in all: 4 tasks, the largest divisor
// of 8 (counted as one op each, the loop would be worth one task and stay serial).
// CHECK-LABEL: func.func @wide(
// CHECK: } {smc.parallel_tasks = 4 : i64}
func.func @wide(%in: memref<8x256xf32>, %out: memref<8x256xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c256 step %c64 {
      %v = vector.load %in[%i, %j] : memref<8x256xf32>, vector<64xf32>
      %s = arith.addf %v, %v : vector<64xf32>
      vector.store %s, %out[%i, %j] : memref<8x256xf32>, vector<64xf32>
    }
  }
  return
}

// Iteration %i reads out[%i + 1], which iteration %i + 1 writes: not marked.
// CHECK-LABEL: func.func @neighbour(
// CHECK-NOT: smc.parallel_tasks
// CHECK: return
func.func @neighbour(%out: memref<33x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    %n = arith.addi %i, %c1 : index
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %out[%n, %j] : memref<33x16xf32>
      %b = arith.addf %a, %a : f32
      %c = arith.addf %b, %a : f32
      memref.store %c, %out[%i, %j] : memref<33x16xf32>
    }
  }
  return
}

// A scratch buffer written by every iteration at the same place: not marked.
// CHECK-LABEL: func.func @shared(
// CHECK-NOT: smc.parallel_tasks
// CHECK: return
func.func @shared(%in: memref<32x16xf32>, %out: memref<32x16xf32>, %tmp: memref<16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %in[%i, %j] : memref<32x16xf32>
      memref.store %a, %tmp[%j] : memref<16xf32>
      %b = memref.load %tmp[%j] : memref<16xf32>
      memref.store %b, %out[%i, %j] : memref<32x16xf32>
    }
  }
  return
}

// A temporary allocated inside the loop would have one place in the arena for every task.
// CHECK-LABEL: func.func @allocates(
// CHECK-NOT: smc.parallel_tasks
// CHECK: return
func.func @allocates(%in: memref<32x16xf32>, %out: memref<32x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    %t = memref.alloc() : memref<16xf32>
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %in[%i, %j] : memref<32x16xf32>
      memref.store %a, %t[%j] : memref<16xf32>
      %b = memref.load %t[%j] : memref<16xf32>
      memref.store %b, %out[%i, %j] : memref<32x16xf32>
    }
  }
  return
}

// Two views of one buffer, one written: they may overlap, not marked.
// CHECK-LABEL: func.func @aliased(
// CHECK-NOT: smc.parallel_tasks
// CHECK: return
func.func @aliased(%buf: memref<64x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %lo = memref.subview %buf[0, 0] [32, 16] [1, 1] : memref<64x16xf32> to memref<32x16xf32, strided<[16, 1]>>
  %hi = memref.subview %buf[16, 0] [32, 16] [1, 1] : memref<64x16xf32> to memref<32x16xf32, strided<[16, 1], offset: 256>>
  scf.for %i = %c0 to %c32 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %hi[%i, %j] : memref<32x16xf32, strided<[16, 1], offset: 256>>
      %b = arith.addf %a, %a : f32
      %c = arith.addf %b, %a : f32
      memref.store %c, %lo[%i, %j] : memref<32x16xf32, strided<[16, 1]>>
    }
  }
  return
}

// A function call does something the analysis cannot see: not marked.
func.func private @opaque(memref<32x16xf32>, index)
// CHECK-LABEL: func.func @calls(
// CHECK-NOT: smc.parallel_tasks
// CHECK: return
func.func @calls(%out: memref<32x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c32 step %c1 {
    func.call @opaque(%out, %i) : (memref<32x16xf32>, index) -> ()
  }
  return
}

// A large fill or copy at the top level becomes a loop over the slabs of its first dimension
// longer than 1 (here the second: [1, 8, 64]), marked like a layer's loop; the copy's work is
// one op per element. A small fill stays as it is.
// CHECK-LABEL: func.func @slabs(
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[S:.*]] = memref.subview %{{.*}}[0, %[[I]], 0] [1, 1, 64] [1, 1, 1]
// CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%[[S]] :
// CHECK: } {smc.parallel_tasks = 8 : i64}
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK-DAG: %[[FROM:.*]] = memref.subview %arg0[0, %[[J]], 0] [1, 1, 64] [1, 1, 1]
// CHECK-DAG: %[[TO:.*]] = memref.subview %arg1[0, %[[J]], 0] [1, 1, 64] [1, 1, 1]
// CHECK:   memref.copy %[[FROM]], %[[TO]]
// CHECK: } {smc.parallel_tasks = 8 : i64}
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4xf32>)
func.func @slabs(%a: memref<1x8x64xf32>, %b: memref<1x8x64xf32>, %c: memref<4xf32>) attributes {smc.signature = "s"} {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%a : memref<1x8x64xf32>)
  memref.copy %a, %b : memref<1x8x64xf32> to memref<1x8x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4xf32>)
  return
}

// 8 iterations worth 5 tasks of 64 ops: 4 equal chunks of 2 (not 2, 2, 2, 2, 0).
// CHECK-LABEL: func.func @divisor(
// CHECK: } {smc.parallel_tasks = 4 : i64}
func.func @divisor(%in: memref<8x16xf32>, %out: memref<8x16xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %a = memref.load %in[%i, %j] : memref<8x16xf32>
      %b = arith.addf %a, %a : f32
      memref.store %b, %out[%i, %j] : memref<8x16xf32>
    }
  }
  return
}

// Three output-channel blocks, each over 14 rows: 3 tasks would share 2 threads 2 + 1. The
// row loop is cut into 14 strips of one row, and the loop over the strips goes outermost
// (each strip runs the channel blocks over its row, in their order), proven independent along
// the rows: 14 tasks. The bias load stays in the channel loop, repeated per strip.
// CHECK-LABEL: func.func @few_channel_blocks(
// CHECK: scf.for %[[S:.*]] = %c0{{.*}} to %c14{{.*}} step %c1
// CHECK: %[[LO:.*]] = arith.muli %[[S]], %c1
// CHECK: %[[FROM:.*]] = arith.addi %[[LO]], %c0
// CHECK: %[[TO:.*]] = arith.addi %[[FROM]], %c1
// CHECK: scf.for %[[F:.*]] = %c0{{.*}} to %c24{{.*}} step %c8
// CHECK: vector.load %{{.*}}[%[[F]]]
// CHECK: scf.for %{{.*}} = %[[FROM]] to %[[TO]] step %c1
// CHECK: scf.for
// CHECK: } {smc.parallel_tasks = 14 : i64}
// Four blocks share 2 threads evenly: left as they are.
// CHECK-LABEL: func.func @four_channel_blocks(
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32{{.*}} step %c8
// CHECK: } {smc.parallel_tasks = 4 : i64}
func.func @few_channel_blocks(%bias: memref<24xf32>, %out: memref<14x24xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c14 = arith.constant 14 : index
  %c24 = arith.constant 24 : index
  scf.for %f = %c0 to %c24 step %c8 {
    %b = vector.load %bias[%f] : memref<24xf32>, vector<8xf32>
    scf.for %r = %c0 to %c14 step %c1 {
      scf.for %k = %c0 to %c8 step %c1 {
        %x = vector.load %out[%r, %f] : memref<14x24xf32>, vector<8xf32>
        %y = arith.addf %x, %b : vector<8xf32>
        %z = arith.mulf %y, %y : vector<8xf32>
        %w = arith.addf %z, %b : vector<8xf32>
        vector.store %w, %out[%r, %f] : memref<14x24xf32>, vector<8xf32>
      }
    }
  }
  return
}
func.func @four_channel_blocks(%bias: memref<32xf32>, %out: memref<14x32xf32>) attributes {smc.signature = "s"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c14 = arith.constant 14 : index
  %c32 = arith.constant 32 : index
  scf.for %f = %c0 to %c32 step %c8 {
    %b = vector.load %bias[%f] : memref<32xf32>, vector<8xf32>
    scf.for %r = %c0 to %c14 step %c1 {
      scf.for %k = %c0 to %c8 step %c1 {
        %x = vector.load %out[%r, %f] : memref<14x32xf32>, vector<8xf32>
        %y = arith.addf %x, %b : vector<8xf32>
        %z = arith.mulf %y, %y : vector<8xf32>
        %w = arith.addf %z, %b : vector<8xf32>
        vector.store %w, %out[%r, %f] : memref<14x32xf32>, vector<8xf32>
      }
    }
  }
  return
}
