/* Arm's semihosting, on Arm and RISC-V (what QEMU's -semihosting serves): text to the host's stdout, and the exit
 * of the simulation with the program's status. */
#ifndef FIRMWARE_SEMIHOSTING_H
#define FIRMWARE_SEMIHOSTING_H

static inline int semihosting_call(int op, const void *arg) {
#if defined(__riscv)
  /* RISC-V: the op in a0, its argument in a1, and ebreak between two marker instructions
   * (uncompressed, as the semihosting specification for RISC-V requires). */
  register int a0 __asm__("a0") = op;
  register const void *a1 __asm__("a1") = arg;
  __asm__ volatile(".option push\n .option norvc\n .balign 16\n slli zero, zero, 0x1f\n"
                   " ebreak\n srai zero, zero, 0x7\n .option pop"
                   : "+r"(a0) : "r"(a1) : "memory");
  return a0;
#else
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
#endif
}

/* SYS_WRITE0: a NUL-terminated string. */
static inline void semihosting_write(const char *s) { semihosting_call(0x04, s); }

/* SYS_EXIT: ADP_Stopped_ApplicationExit ends QEMU with status 0; any other reason, 1. */
static inline void semihosting_exit(int status) {
  semihosting_call(0x18, (const void *)(status == 0 ? 0x20026 : 0x20024));
  for (;;) {
  }
}

#endif
