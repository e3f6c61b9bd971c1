/* Calls the model that smc_add_model compiled (CMakeLists.txt) through its C interface. */
#include "half_plus_two.h"

#include <stdio.h>

int main(void) {
  const float x[HP_SERVING_DEFAULT_X_SIZE] = {0.0f, 1.0f, 2.0f, -3.0f};
  float y[HP_SERVING_DEFAULT_Y_SIZE];
  SMC_ALIGNAS(SMC_ARENA_ALIGNMENT)
  static unsigned char arena[SMC_ARENA_ARRAY_SIZE(HP_SERVING_DEFAULT_ARENA_SIZE)];
  hp_serving_default(x, y, arena);
  for (int i = 0; i < HP_SERVING_DEFAULT_Y_SIZE; ++i)
    printf("half_plus_two(%g) = %g\n", x[i], y[i]);
  return 0;
}
