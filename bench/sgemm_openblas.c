/* The OpenBLAS baseline of the matmul_1024 benchmark: y = x @ W with cblas_sgemm (row-major,
 * float32), timed like the other systems.
 *
 * usage: sgemm_openblas X.npy W.npy Y.npy RUNS WARMUP
 *
 * Reads x [M, K] and W [K, N] (float32 .npy, C order), runs WARMUP untimed calls, then RUNS calls
 * each timed with CLOCK_MONOTONIC, writes y [M, N] to Y.npy and prints one JSON object:
 * {"times_ns": [...], "openblas_config": "...", "openblas_core": "...", "threads": T}.
 * bench/run.py runs it as `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1`.
 */
#define _POSIX_C_SOURCE 200112L /* clock_gettime */
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Declared by OpenBLAS's cblas.h; repeated here for other cblas.h copies. */
char *openblas_get_config(void);
char *openblas_get_corename(void);
int openblas_get_num_threads(void);

static void fail(const char *what, const char *path) {
  fprintf(stderr, "sgemm_openblas: %s: %s\n", path, what);
  exit(2);
}

/* A float32 C-order .npy of rank 2 (format version 1 or 2). */
static float *read_npy(const char *path, long *rows, long *cols) {
  FILE *f = fopen(path, "rb");
  if (!f)
    fail("cannot open", path);
  unsigned char magic[12];
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0)
    fail("not an .npy file", path);
  size_t header_len = magic[8] | (magic[9] << 8);
  if (magic[6] >= 2) {
    if (fread(magic + 10, 1, 2, f) != 2)
      fail("truncated header", path);
    header_len |= ((size_t)magic[10] << 16) | ((size_t)magic[11] << 24);
  }
  char *header = calloc(header_len + 1, 1);
  if (!header || fread(header, 1, header_len, f) != header_len)
    fail("truncated header", path);
  if (!strstr(header, "'descr': '<f4'") || strstr(header, "'fortran_order': True"))
    fail("not a C-order float32 array", path);
  const char *shape = strstr(header, "'shape': (");
  if (!shape || sscanf(shape, "'shape': (%ld, %ld)", rows, cols) != 2)
    fail("not a rank-2 array", path);
  free(header);
  size_t count = (size_t)*rows * (size_t)*cols;
  float *data = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
  if (!data || fread(data, sizeof(float), count, f) != count)
    fail("truncated data", path);
  fclose(f);
  return data;
}

static void write_npy(const char *path, const float *data, long rows, long cols) {
  char header[128];
  int n = snprintf(header, sizeof header,
                   "{'descr': '<f4', 'fortran_order': False, 'shape': (%ld, %ld), }", rows, cols);
  while ((10 + n + 1) % 64)
    header[n++] = ' ';
  header[n++] = '\n';
  FILE *f = fopen(path, "wb");
  if (!f)
    fail("cannot write", path);
  unsigned char prefix[10] = {
      0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 0xff), (unsigned char)(n >> 8)};
  fwrite(prefix, 1, 10, f);
  fwrite(header, 1, (size_t)n, f);
  fwrite(data, sizeof(float), (size_t)rows * (size_t)cols, f);
  fclose(f);
}

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: sgemm_openblas X.npy W.npy Y.npy RUNS WARMUP\n");
    return 2;
  }
  long m, k, k2, n;
  float *x = read_npy(argv[1], &m, &k);
  float *w = read_npy(argv[2], &k2, &n);
  if (k != k2)
    fail("inner dimensions differ", argv[2]);
  int runs = atoi(argv[4]), warmup = atoi(argv[5]);
  float *y = aligned_alloc(64, ((size_t)m * n * sizeof(float) + 63) / 64 * 64);
  int64_t *times = malloc(sizeof(int64_t) * (size_t)(runs > 0 ? runs : 1));
  if (!y || !times)
    fail("out of memory", argv[3]);
  for (int i = 0; i < warmup + runs; ++i) {
    int64_t start = now_ns();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, x, (int)k,
                w, (int)n, 0.0f, y, (int)n);
    int64_t end = now_ns();
    if (i >= warmup)
      times[i - warmup] = end - start;
  }
  write_npy(argv[3], y, m, n);
  printf("{\"times_ns\": [");
  for (int i = 0; i < runs; ++i)
    printf("%s%lld", i ? ", " : "", (long long)times[i]);
  printf("], \"openblas_config\": \"%s\", \"openblas_core\": \"%s\", \"threads\": %d}\n",
         openblas_get_config(), openblas_get_corename(), openblas_get_num_threads());
  return 0;
}
