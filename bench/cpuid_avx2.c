// cpuid_avx2.so: run an unmodified program on an AVX-512 machine as if the CPU had only AVX2.
//
// The AVX2 view of bench/run.py needs every peer (XNNPACK, ONNX Runtime's MLAS, oneDNN, OpenBLAS)
// to pick its AVX2 kernels. They choose from the CPUID instruction, and most offer no switch. On
// Linux a process can ask the kernel to make CPUID fault (arch_prctl(ARCH_SET_CPUID, 0), where the
// CPU or hypervisor supports CPUID faulting); this preloaded library does that in its constructor
// and answers each faulting CPUID in its SIGSEGV handler: it runs the real instruction with
// faulting briefly off, clears the AVX-512, AMX, AVX-VNNI and AVX10 feature bits (what a Haswell
// does not have) and steps over the instruction.
//
//   LD_PRELOAD=build/bench/cpuid_avx2.so program ...
//   CPUID_AVX2_LOG=1: print to stderr, at exit, how many CPUID instructions were answered.
//   CPUID_AVX2_REQUIRE=1: exit 3 at start-up when CPUID faulting is not available (rather than
//                         silently running with the real CPUID).
//
// The setting is per thread, inherited by threads and forks, and reset by execve (LD_PRELOAD then
// applies the library again). A program that installs its own SIGSEGV handler through sigaction
// or signal gets it recorded instead, and it is called for every fault that is not a CPUID.
// What stays: code that glibc selected before this constructor ran (its string functions), and
// code compiled for AVX-512 unconditionally; neither applies to the kernels measured.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static atomic_long answered;
static struct sigaction appHandler;  // the program's own SIGSEGV disposition
static int (*realSigaction)(int, const struct sigaction *, struct sigaction *);

static long setCpuidFaulting(int on) {
  return syscall(SYS_arch_prctl, ARCH_SET_CPUID, on ? 0 : 1);
}

static void maskHaswell(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  enum { A, B, C, D };
  if (leaf == 7 && sub == 0) {
    // EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31.
    r[B] &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) |
              (1u << 30) | (1u << 31));
    // ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14.
    r[C] &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
    // EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, AVX512-FP16 23, AMX-TILE 24,
    // AMX-INT8 25.
    r[D] &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) |
              (1u << 25));
  } else if (leaf == 7 && sub == 1) {
    // EAX: AVX-VNNI 4, AVX512-BF16 5, AMX-FP16 21, AVX-IFMA 23.
    r[A] &= ~((1u << 4) | (1u << 5) | (1u << 21) | (1u << 23));
    // EDX: AVX-VNNI-INT8 4, AVX-NE-CONVERT 5, AMX-COMPLEX 8, AVX10 19.
    r[D] &= ~((1u << 4) | (1u << 5) | (1u << 8) | (1u << 19));
  } else if (leaf == 0xd && sub == 0) {
    // Supported XCR0 state: opmask 5, ZMM_Hi256 6, Hi16_ZMM 7, AMX 17-18.
    r[A] &= ~((1u << 5) | (1u << 6) | (1u << 7) | (1u << 17) | (1u << 18));
  } else if (leaf == 0x1d || leaf == 0x1e || leaf == 0x24) {
    r[A] = r[B] = r[C] = r[D] = 0;  // AMX tile and AVX10 enumeration
  }
}

static void onSegv(int sig, siginfo_t *info, void *ctx) {
  ucontext_t *uc = (ucontext_t *)ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  const unsigned char *ip = (const unsigned char *)g[REG_RIP];
  if (info->si_code == SI_KERNEL && ip[0] == 0x0f && ip[1] == 0xa2) {
    uint32_t leaf = (uint32_t)g[REG_RAX], sub = (uint32_t)g[REG_RCX], r[4];
    setCpuidFaulting(0);
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
    setCpuidFaulting(1);
    maskHaswell(leaf, sub, r);
    g[REG_RAX] = r[0];
    g[REG_RBX] = r[1];
    g[REG_RCX] = r[2];
    g[REG_RDX] = r[3];
    g[REG_RIP] += 2;
    atomic_fetch_add(&answered, 1);
    return;
  }
  // Not a CPUID: what the program asked for, else the default action (a core dump, as without us).
  if (appHandler.sa_flags & SA_SIGINFO && appHandler.sa_sigaction) {
    appHandler.sa_sigaction(sig, info, ctx);
    return;
  }
  if (appHandler.sa_handler != SIG_DFL && appHandler.sa_handler != SIG_IGN &&
      appHandler.sa_handler) {
    appHandler.sa_handler(sig);
    return;
  }
  signal(SIGSEGV, SIG_DFL);  // re-executing the instruction faults again, now fatally
}

// The program's own sigaction(SIGSEGV, ...) is recorded, not installed, so that ours stays.
int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (!realSigaction) realSigaction = dlsym(RTLD_NEXT, "sigaction");
  if (sig != SIGSEGV) return realSigaction(sig, act, old);
  if (old) *old = appHandler;
  if (act) appHandler = *act;
  return 0;
}

sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction act, old;
  memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  act.sa_flags = SA_RESTART;
  if (sigaction(sig, &act, &old) != 0) return SIG_ERR;
  return old.sa_handler;
}

static void report(void) {
  fprintf(stderr, "cpuid_avx2: answered %ld CPUID instructions (pid %d)\n",
          atomic_load(&answered), (int)getpid());
}

__attribute__((constructor)) static void start(void) {
  realSigaction = dlsym(RTLD_NEXT, "sigaction");
  appHandler.sa_handler = SIG_DFL;
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_sigaction = onSegv;
  act.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&act.sa_mask);
  const char *require = getenv("CPUID_AVX2_REQUIRE");
  if (realSigaction(SIGSEGV, &act, NULL) != 0 || setCpuidFaulting(1) != 0) {
    fprintf(stderr, "cpuid_avx2: CPUID faulting is not available here; the CPU is not masked\n");
    if (require && *require == '1') _exit(3);
    return;
  }
  const char *log = getenv("CPUID_AVX2_LOG");
  if (log && *log == '1') atexit(report);
}
