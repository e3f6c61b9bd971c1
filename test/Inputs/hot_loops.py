"""hot_loops.py ASM --width BITS: checks the hot loops of an assembly file smc wrote
(--emit=asm, x86-64 AT&T or AArch64/ARM syntax).

A hot loop is an innermost loop (a label with a backward branch to it and no other loop inside)
that holds floating-point multiply-adds: vfmadd*ps (x86 FMA), mulps (SSE without FMA), fmla
(AArch64 NEON), vfma.f32/vmla.f32 (ARM NEON). For each it prints
  hot loop at LABEL: N multiply-adds, widest WIDTH bits, S spills
and it fails (exit 1) if there is no hot loop, if any hot loop spills or reloads a register to
or from the stack, or if any of its multiply-adds is narrower than --width."""
import argparse
import re
import sys

WIDTH_X86 = {"xmm": 128, "ymm": 256, "zmm": 512}
MULTIPLY_ADD = re.compile(r"^\s*(vfn?madd\w*ps|mulps|fmla|vfma\.f32|vmla\.f32)\b")
LABEL = re.compile(r"^(\.?L\w+|\w+):")
BRANCH = re.compile(r"^\s*(j\w+|b(\.\w+)?|bne|cbn?z|tbn?z)\s+(?:[\w%]+,\s*)*(\.?L\w+)\s*$")
# A stack access: x86 (%rsp), AArch64 [sp...], or LLVM's spill/reload comments; (%rbp) and
# [x29...] too where the code keeps a frame pointer there (else rbp is one more register).
STACK = re.compile(r"\(%[re]?sp\)|\[sp\b|\bSpill\b|\bReload\b")
FRAME = re.compile(r"\(%[re]?bp\)|\[x29\b")
SETS_FRAME = re.compile(r"^\s*(movq\s+%rsp,\s*%rbp|mov\s+x29,\s*sp|add\s+x29,\s*sp)")


def width(line):
    x86 = re.findall(r"%([xyz]mm)\d+", line)
    if x86:
        return max(WIDTH_X86[r] for r in x86)
    if re.search(r"\bv\d+\.(4s|2d)\b|\bq\d+\b", line):
        return 128
    if re.search(r"\bv\d+\.2s\b|\bd\d+\b", line):
        return 64
    return 32


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("asm")
    parser.add_argument("--width", type=int, required=True)
    args = parser.parse_args()
    lines = open(args.asm).read().splitlines()
    frame = any(SETS_FRAME.match(line) for line in lines)
    def stack(line):
        return STACK.search(line) or (frame and FRAME.search(line))
    labels = {}
    loops = []  # (start, end) line indices of loops: label .. backward branch
    for i, line in enumerate(lines):
        m = LABEL.match(line)
        if m:
            labels[m.group(1)] = i
        b = BRANCH.match(line)
        if b and b.group(3) in labels and labels[b.group(3)] < i:
            loops.append((labels[b.group(3)], i))
    innermost = [(s, e) for s, e in loops
                 if not any((s2, e2) != (s, e) and s <= s2 and e2 <= e for s2, e2 in loops)]
    hot = 0
    failed = False
    for s, e in innermost:
        body = lines[s:e + 1]
        fmas = [line for line in body if MULTIPLY_ADD.match(line)]
        if not fmas:
            continue
        hot += 1
        spills = sum(1 for line in body if stack(line))
        widest = max(width(line) for line in fmas)
        narrow = [line.strip() for line in fmas if width(line) < args.width]
        print(f"hot loop at {lines[s].split(':')[0]}: {len(fmas)} multiply-adds, widest {widest} bits, "
              f"{spills} spills")
        if spills:
            failed = True
            print("  spills or reloads in the loop:")
            for line in body:
                if stack(line):
                    print("    " + line.strip())
        if narrow:
            failed = True
            print(f"  {len(narrow)} multiply-adds narrower than {args.width} bits, e.g. {narrow[0]}")
    if hot == 0:
        print("no hot loop (an innermost loop with multiply-adds) found")
        failed = True
    print(f"{hot} hot loops")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
