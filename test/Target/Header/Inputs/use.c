/* use.c - Calls golden headers' C functions from C99, the way firmware would: buffers sized
 * by the element-count macros, a static arena aligned with SMC_ALIGNAS. Runs against stub.c. */
#include "basic.h"
#include "scalars.h"
#include "zero_arena.h"

#include "stub.h"

#include <stdio.h>

SMC_ALIGNAS(SMC_ARENA_ALIGNMENT) static unsigned char arena[SMC_ARENA_ARRAY_SIZE(MNIST_ARENA_SIZE)];

int main(void) {
  static float x[MNIST_SERVING_DEFAULT_X_SIZE], y[MNIST_SERVING_DEFAULT_OUTPUT_0_SIZE];
  int64_t count = 40;
  uint8_t flags[SCALARS_SERVING_DEFAULT_FLAGS_SIZE] = {1, 1, 1, 1};
  uint8_t image[SCALARS_SERVING_DEFAULT_IMAGE_SIZE] = {0, 0, 0, 0, 0, 2};
  double scale = 1.5;
  uint16_t weights[SCALARS_SERVING_DEFAULT_WEIGHTS_FP16_SIZE] = {0x3c00, 0x4000, 0x4200};
  uint8_t allPositive = 0;
  int32_t custom[SCALARS_SERVING_DEFAULT_CUSTOM_OUTPUT_NAME_SIZE];
  uint16_t probabilities[SCALARS_SERVING_DEFAULT_PROBABILITIES_SIZE];
  SMC_ALIGNAS(SMC_ARENA_ALIGNMENT) unsigned char scratch[SCALARS_ARENA_SIZE];
  float in = 2.5f, out = 0;
  int failures = 0;

  if (!SMC_ARENA_IS_ALIGNED(arena))
    ++failures;
  x[3] = 1;
  mnist_serving_default(x, y, arena);
  if (stub_args[0] != x || stub_args[1] != y || stub_args[2] != arena || y[3] != 4)
    ++failures;

  scalars_serving_default(&count, flags, image, &scale, weights, &allPositive, custom,
                          probabilities, scratch);
  if (allPositive != 1 || custom[0] != 42 || custom[1] != 15 || stub_args[8] != scratch)
    ++failures;

  tiny_identity(&in, &out, NULL); /* TINY_IDENTITY_ARENA_SIZE is 0: no arena */
  if (out != 2.5f)
    ++failures;

  printf("use.c: %d failed checks, %d contract violations\n", failures, stub_errors);
  return failures || stub_errors ? 1 : 0;
}
