"""check_objects.py undefined LLVM_NM DIR: every object file under DIR may leave undefined only
memcpy, memmove and memset (the freestanding contract of docs/header-abi.md).
check_objects.py freestanding LLVM_NM OBJ...: each object may leave undefined only the memory
functions (memcpy, memmove, memset and ARM EABI's __aeabi_mem*) and the compiler's own float
helpers of soft-float cores (libgcc/compiler-rt: ARM's __aeabi_f*/__aeabi_*2f, RISC-V's
__addsf3 ... __unordsf2): never libm (docs/header-abi.md); prints each object's symbols.
check_objects.py shared-weights LLVM_READELF ONE.o ALL.o: the object compiled for all
signatures holds one copy of the weights: its .rodata is no bigger than the object compiled for
one signature (plus 5% for per-function constants)."""
import os
import re
import subprocess
import sys

ALLOWED = {"memcpy", "memmove", "memset"}
FREESTANDING = re.compile(
    r"^(memcpy|memmove|memset|__aeabi_mem(cpy|move|set|clr)[48]?"
    r"|__aeabi_(fadd|fsub|frsub|fmul|fdiv|fcmp(eq|lt|le|ge|gt|un)|f2iz|f2uiz|f2lz|f2ulz"
    r"|i2f|ui2f|l2f|ul2f)"
    r"|__(add|sub|mul|div)sf3|__(eq|ne|lt|le|gt|ge|unord)sf2|__fix(uns)?sf(si|di)"
    r"|__float(un)?(si|di)sf)$")


def freestanding(nm, objs):
    bad = 0
    for o in objs:
        syms = subprocess.run([nm, "-u", o], capture_output=True, text=True, check=True).stdout.split()
        syms = sorted(s for s in syms if s not in ("U", "w"))
        extra = [s for s in syms if not FREESTANDING.match(s)]
        print("%s: %s" % (os.path.basename(o), " ".join(syms) or "(none)"))
        if extra:
            print("FAIL %s: not freestanding: %s" % (o, ", ".join(extra)))
            bad += 1
    print("checked %d objects, %d not freestanding" % (len(objs), bad))
    return 1 if bad or not objs else 0


def undefined(nm, root):
    objs = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".o")
                  and "CMakeFiles" not in d)
    bad = 0
    for o in objs:
        syms = subprocess.run([nm, "-u", o], capture_output=True, text=True, check=True).stdout.split()
        syms = [s for s in syms if s not in ("U", "w")]
        extra = sorted(set(syms) - ALLOWED)
        if extra:
            print("FAIL %s: undefined %s" % (o, ", ".join(extra)))
            bad += 1
    print("checked %d objects, %d with symbols outside memcpy/memmove/memset" % (len(objs), bad))
    return 1 if bad or not objs else 0


def rodata(readelf, obj):
    out = subprocess.run([readelf, "-S", "-W", obj], capture_output=True, text=True, check=True).stdout
    total = 0
    for line in out.splitlines():
        m = re.search(r"\s(\.rodata\S*)\s+PROGBITS\s+\S+\s+\S+\s+(\S+)", line)
        if m:
            total += int(m.group(2), 16)
    return total


def shared(readelf, one, both):
    a, b = rodata(readelf, one), rodata(readelf, both)
    ok = b <= a * 1.05
    print("%s read-only data: one signature %d bytes, all signatures %d bytes" %
          ("ok" if ok else "FAIL", a, b))
    return 0 if ok else 1


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "freestanding":
        sys.exit(freestanding(sys.argv[2], sys.argv[3:]))
    sys.exit(undefined(*sys.argv[2:4]) if mode == "undefined" else shared(*sys.argv[2:5]))
