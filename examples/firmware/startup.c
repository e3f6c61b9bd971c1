/* Start-up code of the firmware example (a Cortex-M or RISC-V core on a QEMU board): the
 * vector table or entry point, the reset handler (copy .data, clear .bss, enable the FPU where
 * there is one, run main, report its result through semihosting), and the three memory functions a freestanding image must define
 * because smc's object references them (docs/firmware.md). */
#include <stddef.h>
#include <stdint.h>

#include "semihosting.h"

int main(void);

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

void reset_handler(void);
void reset_c(void);

#if defined(__riscv)
/* RISC-V: execution starts at the image's first byte (QEMU's virt board with -bios none jumps
 * to the start of RAM, where the linker script puts .vectors): set the stack, go to C. */
__attribute__((naked, section(".vectors"))) void reset_handler(void) {
  __asm__ volatile("la sp, __stack_top\n j reset_c");
}

__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void) {
  semihosting_write("firmware: trap\n");
  semihosting_exit(1);
}
#else
static void fault_handler(void) {
  semihosting_write("firmware: hard fault\n");
  semihosting_exit(1);
}

/* Cortex-M: the initial stack pointer, then the reset and fault handlers. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))__stack_top, reset_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, fault_handler};

void reset_handler(void) { reset_c(); }
#endif

void reset_c(void) {
  for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;)
    *dst++ = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end;)
    *dst++ = 0;
#if defined(__riscv)
  /* (CSR instructions are Zicsr; GCC 12's -march=rv32imac, which selects libgcc's multilib,
   * does not name it.) */
  __asm__ volatile(".option push\n .option arch, +zicsr\n csrw mtvec, %0\n .option pop" ::"r"(
      trap_handler));
#if defined(__riscv_flen)
  /* mstatus.FS = Initial: the F registers and instructions usable, before any float code. */
  __asm__ volatile(".option push\n .option arch, +zicsr\n csrs mstatus, %0\n .option pop" ::"r"(
      1u << 13));
#endif
#elif defined(__ARM_FP)
  /* CPACR: full access to the coprocessors 10 and 11 (the FPU), before any float code. */
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  semihosting_exit(main());
}

/* The memory functions, byte by byte (a product would use optimised ones). GCC and smc's
 * object may call them; the attribute keeps GCC from turning these loops into calls of
 * themselves. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memcpy(void *d, const void *s,
                                                                           size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  while (n--)
    *dp++ = *sp++;
  return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memmove(void *d, const void *s,
                                                                            size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  if (dp < sp)
    while (n--)
      *dp++ = *sp++;
  else
    while (n--)
      dp[n] = sp[n];
  return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memset(void *d, int c,
                                                                           size_t n) {
  unsigned char *dp = d;
  while (n--)
    *dp++ = (unsigned char)c;
  return d;
}

#if !defined(__riscv)
/* The Arm EABI's forms of memset that LLVM calls for zeroing on ARM (docs/header-abi.md):
 * __aeabi_memclr(dest, n) and its 4- and 8-byte-aligned variants. */
void __aeabi_memclr(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr8(void *d, size_t n) { memset(d, 0, n); }
#endif
