/* bench/qemu_insn_count.c: a QEMU TCG plugin that counts the guest instructions executed and prints
 * "instructions: N" at exit. With the argument `fma=PREFIX[:PREFIX...]` (`-plugin
 * qemu_insn_count.so,fma=fmla`) it also counts the executed instructions whose disassembly starts
 * with one of the prefixes and prints "fma: N" (AArch64 `fmla`, Arm `vfma`/`vmla`). QEMU's plugin API (docs/devel/tcg-plugins in QEMU) is a C ABI of
 * a few functions; Debian's QEMU has plugin support but ships no header, so the declarations
 * used are written here (API version 1, QEMU 7.x). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                                  qemu_plugin_vcpu_tb_trans_cb_t cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
                                                     enum qemu_plugin_op op, void *ptr,
                                                     uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                           void *userdata);
extern void qemu_plugin_outs(const char *string);
extern struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
extern char *qemu_plugin_insn_disas(const struct qemu_plugin_insn *insn);
extern void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                       enum qemu_plugin_op op, void *ptr,
                                                       uint64_t imm);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t count, fmaCount;
static char fmaPrefixes[256]; /* "fmla:vfma" */

static int isFma(const char *disas) {
  const char *p = fmaPrefixes;
  while (*p) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 0 && strncmp(disas, p, n) == 0)
      return 1;
    p += n + (end ? 1 : 0);
  }
  return 0;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  /* Each execution of the block adds its instruction count (inline, no callback). */
  size_t n = qemu_plugin_tb_n_insns(tb);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &count, n);
  if (!fmaPrefixes[0])
    return;
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    char *disas = qemu_plugin_insn_disas(insn); /* g_malloc'd: glib's allocator is malloc */
    if (disas && isFma(disas))
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &fmaCount, 1);
    free(disas);
  }
}

static void on_exit_(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[64];
  snprintf(line, sizeof line, "instructions: %" PRIu64 "\n", count);
  qemu_plugin_outs(line);
  if (fmaPrefixes[0]) {
    snprintf(line, sizeof line, "fma: %" PRIu64 "\n", fmaCount);
    qemu_plugin_outs(line);
  }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                               const qemu_info_t *info, int argc,
                                                               char **argv) {
  (void)info;
  for (int i = 0; i < argc; ++i)
    if (strncmp(argv[i], "fma=", 4) == 0)
      snprintf(fmaPrefixes, sizeof fmaPrefixes, "%s", argv[i] + 4);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_, NULL);
  return 0;
}
