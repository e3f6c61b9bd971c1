// RUN: smc-opt %s -smc-plan-memory -verify-diagnostics

func.func @dynamic(%n: index, %arena: memref<?xi8>) attributes {smc.signature = "s"} {
  // expected-error@+1 {{cannot place a dynamically shaped or strided buffer in the static arena: 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
