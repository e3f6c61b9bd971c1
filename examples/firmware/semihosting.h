/* Arm semihosting (what QEMU's -semihosting serves): text to the host's stdout, and the exit
 * of the simulation with the program's status. */
#ifndef FIRMWARE_SEMIHOSTING_H
#define FIRMWARE_SEMIHOSTING_H

static inline int semihosting_call(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
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
