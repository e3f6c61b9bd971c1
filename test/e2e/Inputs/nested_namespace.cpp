// Calls half_plus_two compiled with --namespace acme::hp through the nested namespace and
// through the C symbol acme_hp_serving_default.
#include "hp_nested.h"
#include <cstdio>

int main() {
  float x[4][1] = {{0}, {1}, {2}, {-3}}, y[4][1], z[4][1];
  static smc::Arena<acme::hp::kArenaSize> arena;
  acme::hp::serving_default(x, y, arena.data());
  acme_hp_serving_default(&x[0][0], &z[0][0], arena.data());
  for (int i = 0; i < 4; ++i)
    std::printf("%g %g\n", y[i][0], z[i][0]);
}
