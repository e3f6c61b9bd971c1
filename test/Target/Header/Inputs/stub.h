/* stub.h - What stub.c records about the last call of a stub, for use.cpp and use.c. */
#ifndef SMC_TEST_HEADER_STUB_H
#define SMC_TEST_HEADER_STUB_H

#include <smc/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STUB_MAX_ARGS 20

/* The C symbol last called and the pointers it received, in argument order (arena last). */
extern const char *stub_name;
extern const void *stub_args[STUB_MAX_ARGS];
extern int stub_nargs;

/* Contract violations seen so far: a null buffer, two equal buffers, a null or misaligned arena
 * where the function needs one. stub.c prints each to stderr. */
extern int stub_errors;

/* The hook the last `_parallel` entry point received. */
extern const smc_parallel *stub_hook;

#ifdef __cplusplus
}
#endif

#endif
