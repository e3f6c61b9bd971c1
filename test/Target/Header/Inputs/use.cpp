// use.cpp - Calls the typed C++ functions of every golden header against stub.c, and checks
// which pointer reached which C parameter, the arena each overload passes, and the outputs.
// Also checks the constants at compile time. With -DBAD_SHAPE or -DBAD_DTYPE it must not
// compile: the shapes and element types are part of the parameter types.
#include "basic.h"
#include "multi.h"
#include "names.h"
#include "scalars.h"
#include "zero_arena.h"

#include "stub.h"

#include <cstdio>
#include <cstring>
#include <type_traits>

// --- Constants -----------------------------------------------------------------------------------

static_assert(mnist::kArenaSize == MNIST_ARENA_SIZE && MNIST_ARENA_SIZE == 3200);
static_assert(mnist::serving_default_io::arena_size == MNIST_SERVING_DEFAULT_ARENA_SIZE);
static_assert(mnist::serving_default_io::x_rank == 2);
static_assert(mnist::serving_default_io::x_shape[0] == 1);
static_assert(mnist::serving_default_io::x_shape[1] == 784);
static_assert(mnist::serving_default_io::x_size == 784 && MNIST_SERVING_DEFAULT_X_SIZE == 784);
static_assert(std::is_same_v<mnist::serving_default_io::x_type, float[1][784]>);
static_assert(std::is_same_v<mnist::serving_default_io::output_0_type, float[1][10]>);
static_assert(mnist::kThreadSafe && !acme::vision::kThreadSafe);

static_assert(scalars::serving_default_io::count_rank == 0);
static_assert(scalars::serving_default_io::count_size == 1);
static_assert(std::is_same_v<scalars::serving_default_io::count_type, int64_t>);
static_assert(std::is_same_v<scalars::serving_default_io::flags_type, bool[4]>);
static_assert(std::is_same_v<scalars::serving_default_io::image_type, uint8_t[2][3]>);
static_assert(std::is_same_v<scalars::serving_default_io::weights_fp16_type, uint16_t[3]>);
static_assert(std::is_same_v<scalars::serving_default_io::probabilities_type, uint16_t[2][2]>);

static_assert(acme::vision::kArenaSize == 1024);
static_assert(acme::vision::predict_io::arena_size == 0);
static_assert(acme::vision::reset_io::arena_size == 0);

static_assert(names::kArenaSize == NAMES_ARENA_SIZE && NAMES_ARENA_SIZE == 256);
static_assert(names::default__io::empty_size == 0 && names::default__io::empty_shape[0] == 0);
static_assert(names::Predict_io::arena_size == NAMES_PREDICT_ARENA_SIZE);
static_assert(names::predict_io::arena_size == NAMES_PREDICT_2_ARENA_SIZE);
static_assert(names::foo_io_io::arena_size == 0 && names::foo_2_io::arena_size == 0);

static_assert(tiny::kArenaSize == 0 && TINY_ARENA_SIZE == 0);

// --- Calls ---------------------------------------------------------------------------------------

static int failures = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::printf("FAILED (line %d): %s\n", __LINE__, #cond);                                      \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

/// The last stub call was `name` with exactly these pointers (the arena last).
template <typename... P> static void expectCall(const char *name, P... pointers) {
  const void *expected[] = {static_cast<const void *>(pointers)...};
  CHECK(std::strcmp(stub_name, name) == 0);
  CHECK(stub_nargs == static_cast<int>(sizeof...(P)));
  for (size_t i = 0; i < sizeof...(P) && i < STUB_MAX_ARGS; ++i)
    CHECK(stub_args[i] == expected[i]);
}

/// The arena of the last call came from an overload without one: nullptr when the function
/// needs no arena, else the same static arena on every call.
static void expectStaticArena(size_t size, const void **previous) {
  const void *arena = stub_args[stub_nargs - 1];
  if (size == 0) {
    CHECK(arena == nullptr);
    return;
  }
  CHECK(arena != nullptr && smc::isArenaAligned(arena));
  if (*previous)
    CHECK(arena == *previous);
  *previous = arena;
}

static void basic() {
  static mnist::serving_default_io::x_type x;
  static mnist::serving_default_io::output_0_type y;
  static smc::Arena<mnist::kArenaSize> arena;
  for (int i = 0; i < 784; ++i)
    x[0][i] = static_cast<float>(i) / 2;
  mnist::serving_default(x, y, arena.data());
  expectCall("mnist_serving_default", &x[0][0], &y[0][0], arena.data());
  CHECK(y[0][9] == 4.5f + 9);
  const void *previous = nullptr;
  for (int call = 0; call < 2; ++call) {
    mnist::serving_default(x, y);
    CHECK(stub_args[0] == &x[0][0] && stub_args[1] == &y[0][0]);
    expectStaticArena(mnist::serving_default_io::arena_size, &previous);
  }
  std::printf("mnist::serving_default: %s\n", stub_errors ? "contract violated" : "ok");
}

static void scalarsAndBools() {
  const int64_t count = 40;
  const bool flags[4] = {true, true, false, true};
  const uint8_t image[2][3] = {{0, 0, 0}, {0, 0, 2}};
  const double scale = 1.5;
  const uint16_t weights[3] = {0x3c00, 0x4000, 0x4200}; // 1, 2, 3 as binary16 bits
  bool allPositive = true;
  int32_t custom[2];
  uint16_t probabilities[2][2];
  smc::Arena<scalars::kArenaSize> arena;
  scalars::serving_default(count, flags, image, scale, weights, allPositive, custom, probabilities,
                           arena.data());
  expectCall("scalars_serving_default", &count, &flags[0], &image[0][0], &scale, &weights[0],
             &allPositive, &custom[0], &probabilities[0][0], arena.data());
  CHECK(!allPositive && custom[0] == 42 && custom[1] == 15 && probabilities[1][1] == 0x3c03);
  const bool all[4] = {true, true, true, true};
  scalars::serving_default(count, all, image, scale, weights, allPositive, custom, probabilities);
  CHECK(allPositive);
  std::printf("scalars::serving_default: %s\n", stub_errors ? "contract violated" : "ok");
}

static void multi() {
  static float image[1][8][8][3];
  float logits[1][5], probabilities[1][5];
  for (int i = 0; i < 192; ++i)
    (&image[0][0][0][0])[i] = static_cast<float>(i);
  smc::Arena<acme::vision::kArenaSize> arena; // one arena serves every function
  acme::vision::serving_default(image, logits, probabilities, arena.data());
  expectCall("acme_vision_serving_default", &image[0][0][0][0], &logits[0][0], &probabilities[0][0],
             arena.data());
  CHECK(logits[0][4] == 4 && probabilities[0][0] == 191);

  const float x[1][3] = {{1, 2, 3}};
  float out[1];
  acme::vision::predict(x, out, nullptr); // needs no arena
  expectCall("acme_vision_predict", &x[0][0], &out[0], nullptr);
  acme::vision::predict(x, out);
  CHECK(out[0] == 6 && stub_args[2] == nullptr);

  acme::vision::reset();
  expectCall("acme_vision_reset", nullptr);
  int64_t counter = 0;
  const float delta = 0.5f;
  acme::vision::train_step(delta, counter, arena.data());
  expectCall("acme_vision_train_step", &delta, &counter, arena.data());
  const void *previous = nullptr;
  acme::vision::train_step(delta, counter);
  expectStaticArena(acme::vision::train_step_io::arena_size, &previous);
  CHECK(counter == 10); // the variables persist across calls
  std::printf("acme::vision: %s\n", stub_errors ? "contract violated" : "ok");
}

static void oddNames() {
  const int32_t first = 1, clash = 2, alignas_ = 3, restrict_ = 4, arenaKey = 7, cls = 8, i32 = 9,
                path = 10, what = 11, x = 12;
  const int32_t ab[2] = {5, 0}, ab2[2] = {0, 6};
  const float empty[1] = {0};
  float def[1];
  int32_t ints[2];
  smc::Arena<names::kArenaSize> arena;
  names::default_(first, clash, alignas_, restrict_, ab, ab2, arenaKey, cls, empty, i32, path, what,
                  x, def, ints, arena.data());
  expectCall("names_default", &first, &clash, &alignas_, &restrict_, &ab[0], &ab2[0], &arenaKey,
             &cls, &empty[0], &i32, &path, &what, &x, &def[0], &ints[0], arena.data());
  CHECK(def[0] == 20 && ints[0] == 11 && ints[1] == 1);
  names::default_(first, clash, alignas_, restrict_, ab, ab2, arenaKey, cls, empty, i32, path, what,
                  x, def, ints);

  // Names that differ only in case are distinct functions.
  const float in[2] = {1, 2}, bias[2] = {10, 0};
  float out[2];
  names::Predict(bias, in, out);
  CHECK(std::strcmp(stub_name, "names_Predict") == 0 && out[0] == 12 && out[1] == 4);
  // The parallel entry point: the same arguments, then the hook (a key "parallel" became
  // parallel_2).
  smc_parallel hook{};
  smc::Arena<names::Predict_io::arena_size> parArena;
  names::Predict(bias, in, out, parArena.data(), &hook);
  expectCall("names_Predict_parallel", &bias[0], &in[0], &out[0], parArena.data());
  CHECK(stub_hook == &hook && out[0] == 15 && out[1] == 10);
  names::foo(arena.data(), nullptr);
  expectCall("names_foo_parallel", arena.data());
  CHECK(stub_hook == nullptr);
  names::predict(in, out);
  CHECK(std::strcmp(stub_name, "names_predict") == 0 && out[1] == 6);
  names::kArenaSize_2();
  expectCall("names_kArenaSize", nullptr);
  names::foo_io();
  expectCall("names_foo_io", nullptr);
  names::foo(arena.data());
  expectCall("names_foo", arena.data());
  std::printf("names: %s\n", stub_errors ? "contract violated" : "ok");
}

static void zeroArena() {
  const int32_t x[3] = {1, 2, 3};
  int32_t y[3];
  tiny::serving_default(x, y);
  expectCall("tiny_serving_default", &x[0], &y[0], nullptr);
  CHECK(y[2] == 6);
  const float in = 2.5f;
  float out = 0;
  tiny::identity(in, out);
  expectCall("tiny_identity", &in, &out, nullptr);
  CHECK(out == 2.5f);
  std::printf("tiny: %s\n", stub_errors ? "contract violated" : "ok");
}

#ifdef BAD_SHAPE
void badShape() {
  float x[1][783], y[1][10];
  mnist::serving_default(x, y);
}
#endif

#ifdef BAD_DTYPE
void badDtype() {
  double x[1][784];
  float y[1][10];
  mnist::serving_default(x, y);
}
#endif

int main() {
  basic();
  scalarsAndBools();
  multi();
  oddNames();
  zeroArena();
  std::printf("%d failed checks, %d contract violations\n", failures, stub_errors);
  return failures || stub_errors ? 1 : 0;
}
