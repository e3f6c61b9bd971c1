"""check_host_facts.py FILE: checks `smc compile --print-target` output for the host against
/proc/cpuinfo (x86 Linux): AVX-512F -> 512 bits and 32 registers, AVX -> 256 and 16, else
128; fma as the cpu's fma flag. Elsewhere it only checks that the facts are there."""
import platform
import sys

facts = dict(line.split(": ", 1) for line in open(sys.argv[1]).read().splitlines() if ": " in line)
for key in ("vector-bits", "vector-registers", "fma", "smc-pipeline"):
    if key not in facts:
        sys.exit("check_host_facts: no '%s' in %s" % (key, sys.argv[1]))
if platform.machine() not in ("x86_64", "AMD64"):
    sys.exit(0)
flags = set()
for line in open("/proc/cpuinfo"):
    if line.startswith("flags"):
        flags = set(line.split(":", 1)[1].split())
        break
bits, regs = (512, 32) if "avx512f" in flags else (256, 16) if "avx" in flags else (128, 16)
expected = {"vector-bits": str(bits), "vector-registers": str(regs),
            "fma": "1" if "fma" in flags else "0"}
wrong = ["%s: %s, but /proc/cpuinfo says %s" % (k, facts[k], v)
         for k, v in expected.items() if facts[k] != v]
if wrong:
    sys.exit("check_host_facts: " + "; ".join(wrong))
