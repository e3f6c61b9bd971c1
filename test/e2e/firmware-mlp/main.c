/* The MLP of the test models on a bare-metal core: one call on the two inputs TensorFlow
 * recorded ([2, 64]), each of the 20 probabilities compared with TensorFlow's. Prints through
 * semihosting; exits 0 when all are within 1e-5 and the painted stack stayed within the
 * header's bound. */
#include "mlp_model.h"
#include "semihosting.h"

#include <stdint.h>

extern const float features[], tf_probabilities[];
extern const int32_t tf_probabilities_count;
extern uint32_t __stack_bottom[];

SMC_ALIGNAS(SMC_ARENA_ALIGNMENT) static unsigned char arena[MLP_SERVING_DEFAULT_ARENA_SIZE + 1];

static const char *utoa(uint32_t v, char *end) {
  *--end = '\0';
  do
    *--end = (char)('0' + v % 10);
  while (v /= 10);
  return end;
}

static void print_count(const char *before, uint32_t v, const char *after) {
  char buf[12];
  semihosting_write(before);
  semihosting_write(utoa(v, buf + sizeof buf));
  semihosting_write(after);
}

static uint32_t *stack_pointer(void) {
  uint32_t *sp;
#if defined(__riscv)
  __asm__ volatile("mv %0, sp" : "=r"(sp));
#else
  __asm__ volatile("mov %0, sp" : "=r"(sp));
#endif
  return sp;
}

int main(void) {
  uint32_t *top = stack_pointer() - 16;
  for (volatile uint32_t *p = __stack_bottom; p < top; ++p)
    *p = 0xDEADBEEFu;
  float probabilities[MLP_SERVING_DEFAULT_PROBABILITIES_SIZE];
  mlp_serving_default(features, probabilities, arena);
  int n = tf_probabilities_count, close = 0;
  float maxDiff = 0;
  for (int i = 0; i < n; ++i) {
    float d = probabilities[i] > tf_probabilities[i] ? probabilities[i] - tf_probabilities[i]
                                                     : tf_probabilities[i] - probabilities[i];
    close += d <= 1e-5f;
    if (!(d <= maxDiff))
      maxDiff = d == d ? d : 1e30f;
  }
  const volatile uint32_t *low = __stack_bottom;
  while (low < top && *low == 0xDEADBEEFu)
    ++low;
  uint32_t used = (uint32_t)((top + 16 - (const uint32_t *)low) * 4);
  int stackOk = used <= MLP_SERVING_DEFAULT_STACK_BYTES;
  semihosting_write("mlp on " FIRMWARE_CORE_NAME ": ");
  print_count("", (uint32_t)close, "");
  print_count("/", (uint32_t)n, " probabilities within 1e-5 of TensorFlow's, ");
  print_count("max difference ", (uint32_t)(maxDiff * 1e9f + 0.999f > 4e9f ? 4e9f : maxDiff * 1e9f + 0.999f), "e-9\n");
  print_count("stack: ", used, " bytes used, ");
  print_count("the header states ", MLP_SERVING_DEFAULT_STACK_BYTES, stackOk ? ": within\n" : ": EXCEEDED\n");
  return close == n && stackOk ? 0 : 1;
}
