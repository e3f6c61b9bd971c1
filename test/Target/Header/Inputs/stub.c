/* stub.c - Stands in for the object smc would compile for the golden headers. Each function
 * records the pointers it received and checks the calling contract (every buffer non-null and
 * distinct; the arena non-null and 64-byte aligned when the function needs one), then writes
 * its outputs from its inputs by a simple rule, so the callers can tell which buffer went
 * where. Compiled as C99 with all five golden headers included: they coexist in one file. */
#include "basic.h"
#include "multi.h"
#include "names.h"
#include "scalars.h"
#include "zero_arena.h"

#include "stub.h"

#include <stdarg.h>
#include <stdio.h>

const char *stub_name = "";
const void *stub_args[STUB_MAX_ARGS];
int stub_nargs = 0;
int stub_errors = 0;

/* Records a call of `name` with n pointers (the arena last) of a function needing arenaSize. */
static void record(const char *name, long arenaSize, int n, ...) {
  va_list ap;
  int i, j;
  stub_name = name;
  stub_nargs = n;
  va_start(ap, n);
  for (i = 0; i < n && i < STUB_MAX_ARGS; ++i)
    stub_args[i] = va_arg(ap, const void *);
  va_end(ap);
  for (i = 0; i + 1 < n; ++i) {
    if (!stub_args[i]) {
      fprintf(stderr, "%s: argument %d is null\n", name, i);
      ++stub_errors;
    }
    for (j = 0; j < i; ++j)
      if (stub_args[i] == stub_args[j]) {
        fprintf(stderr, "%s: arguments %d and %d are the same buffer\n", name, j, i);
        ++stub_errors;
      }
  }
  if (arenaSize > 0 && (!stub_args[n - 1] || !SMC_ARENA_IS_ALIGNED(stub_args[n - 1]))) {
    fprintf(stderr, "%s: the arena is null or not 64-byte aligned\n", name);
    ++stub_errors;
  }
}

#define P(x) ((const void *)(x))

void mnist_serving_default(const float *x, float *output_0, void *arena) {
  int i;
  record("mnist_serving_default", MNIST_SERVING_DEFAULT_ARENA_SIZE, 3, P(x), P(output_0), P(arena));
  for (i = 0; i < MNIST_SERVING_DEFAULT_OUTPUT_0_SIZE; ++i)
    output_0[i] = x[i] + (float)i;
}

void scalars_serving_default(const int64_t *count, const uint8_t *flags, const uint8_t *image,
                             const double *scale, const uint16_t *weights_fp16,
                             uint8_t *all_positive, int32_t *custom_output_name,
                             uint16_t *probabilities, void *arena) {
  int i;
  record("scalars_serving_default", SCALARS_SERVING_DEFAULT_ARENA_SIZE, 9, P(count), P(flags),
         P(image), P(scale), P(weights_fp16), P(all_positive), P(custom_output_name),
         P(probabilities), P(arena));
  *all_positive = 1;
  for (i = 0; i < SCALARS_SERVING_DEFAULT_FLAGS_SIZE; ++i) {
    if (flags[i] > 1) {
      fprintf(stderr, "scalars_serving_default: flags[%d] is %d, not 0 or 1\n", i, flags[i]);
      ++stub_errors;
    }
    *all_positive = (uint8_t)(*all_positive && flags[i]);
  }
  custom_output_name[0] = (int32_t)*count + image[5];
  custom_output_name[1] = (int32_t)(*scale * 10);
  for (i = 0; i < SCALARS_SERVING_DEFAULT_PROBABILITIES_SIZE; ++i)
    probabilities[i] = (uint16_t)(weights_fp16[i % 3] + i);
}

/* The variables of acme::vision, shared by its functions. */
static float acme_total = 0;

void acme_vision_serving_default(const float *image, float *logits, float *probabilities,
                                 void *arena) {
  int i;
  record("acme_vision_serving_default", ACME_VISION_SERVING_DEFAULT_ARENA_SIZE, 4, P(image),
         P(logits), P(probabilities), P(arena));
  for (i = 0; i < 5; ++i) {
    logits[i] = image[i];
    probabilities[i] = image[ACME_VISION_SERVING_DEFAULT_IMAGE_SIZE - 1 - i];
  }
}

void acme_vision_predict(const float *x, float *output_0, void *arena) {
  record("acme_vision_predict", ACME_VISION_PREDICT_ARENA_SIZE, 3, P(x), P(output_0), P(arena));
  output_0[0] = x[0] + x[1] + x[2];
}

void acme_vision_reset(void *arena) {
  record("acme_vision_reset", ACME_VISION_RESET_ARENA_SIZE, 1, P(arena));
  acme_total = 0;
}

void acme_vision_train_step(const float *delta, int64_t *counter, void *arena) {
  record("acme_vision_train_step", ACME_VISION_TRAIN_STEP_ARENA_SIZE, 3, P(delta), P(counter),
         P(arena));
  acme_total += *delta;
  *counter = (int64_t)(acme_total * 10);
}

void names_default(const int32_t *_1st, const int32_t *NAMES_ARENA_SIZE_2,
                   const int32_t *SMC_ALIGNAS_, const int32_t *__restrict_, const int32_t *a_b_0,
                   const int32_t *a_b_0_2, const int32_t *arena_2, const int32_t *class_,
                   const float *empty, const int32_t *int32_t_, const int32_t *p__th,
                   const int32_t *what___, const int32_t *x_, float *default_, int32_t *int_,
                   void *arena) {
  record("names_default", NAMES_DEFAULT_ARENA_SIZE, 16, P(_1st), P(NAMES_ARENA_SIZE_2),
         P(SMC_ALIGNAS_), P(__restrict_), P(a_b_0), P(a_b_0_2), P(arena_2), P(class_), P(empty),
         P(int32_t_), P(p__th), P(what___), P(x_), P(default_), P(int_), P(arena));
  default_[0] = (float)(*class_ + *x_);
  int_[0] = a_b_0[0] + a_b_0_2[1];
  int_[1] = *_1st;
}

void names_Predict(const float *parallel_2, const float *x, float *y, void *arena) {
  record("names_Predict", NAMES_PREDICT_ARENA_SIZE, 4, P(parallel_2), P(x), P(y), P(arena));
  y[0] = 2 * x[0] + parallel_2[0];
  y[1] = 2 * x[1];
}

/* A parallel entry point: the hook is recorded after the arena (it may be null). */
const smc_parallel *stub_hook = 0;
void names_Predict_parallel(const float *parallel_2, const float *x, float *y, void *arena,
                            const smc_parallel *parallel) {
  record("names_Predict_parallel", NAMES_PREDICT_ARENA_SIZE, 4, P(parallel_2), P(x), P(y),
         P(arena));
  stub_hook = parallel;
  y[0] = 5 * x[0] + parallel_2[0];
  y[1] = 5 * x[1];
}

void names_predict(const float *x, float *y, void *arena) {
  record("names_predict", NAMES_PREDICT_2_ARENA_SIZE, 3, P(x), P(y), P(arena));
  y[0] = 3 * x[0];
  y[1] = 3 * x[1];
}

void names_kArenaSize(void *arena) {
  record("names_kArenaSize", NAMES_KARENASIZE_ARENA_SIZE, 1, P(arena));
}
void names_foo_io(void *arena) { record("names_foo_io", NAMES_FOO_IO_ARENA_SIZE, 1, P(arena)); }
void names_foo(void *arena) { record("names_foo", NAMES_FOO_ARENA_SIZE, 1, P(arena)); }
void names_foo_parallel(void *arena, const smc_parallel *parallel) {
  record("names_foo_parallel", NAMES_FOO_ARENA_SIZE, 1, P(arena));
  stub_hook = parallel;
}

void tiny_serving_default(const int32_t *x, int32_t *y, void *arena) {
  int i;
  record("tiny_serving_default", TINY_SERVING_DEFAULT_ARENA_SIZE, 3, P(x), P(y), P(arena));
  for (i = 0; i < TINY_SERVING_DEFAULT_Y_SIZE; ++i)
    y[i] = 2 * x[i];
}

void tiny_identity(const float *x, float *output_0, void *arena) {
  record("tiny_identity", TINY_IDENTITY_ARENA_SIZE, 3, P(x), P(output_0), P(arena));
  *output_0 = *x;
}
