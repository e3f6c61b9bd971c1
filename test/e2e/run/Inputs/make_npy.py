"""make_npy.py OUT SPEC...: writes small .npy / .npz / pickle files without NumPy, for the
smc run tests of the quick tier (no TensorFlow venv).

  OUT.npy  DESCR SHAPE VALUES       one array, e.g.  x.npy '<f4' 3,1 1.5,2,3
  OUT.npz  NAME DESCR SHAPE VALUES  (repeated) members of an archive
  OUT.pkl                           a pickle (of a list), which smc run must refuse
SHAPE is comma-separated ('' for a scalar); VALUES are comma-separated numbers.
"""
import pickle
import struct
import sys
import zipfile

FORMATS = {"<f4": "f", "<f8": "d", "<i4": "i", "<i8": "q", "|u1": "B", "|b1": "?"}


def npy_bytes(descr, shape, values):
    dims = [int(d) for d in shape.split(",") if d]
    shape_text = "(%s)" % ("%d," % dims[0] if len(dims) == 1 else ", ".join(map(str, dims)))
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    fmt = FORMATS[descr]
    nums = [v for v in values.split(",") if v]
    conv = float if fmt in "fd" else (lambda s: s == "1" or s == "True") if fmt == "?" else int
    data = b"".join(struct.pack("<" + fmt, conv(v)) for v in nums)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def main():
    out, rest = sys.argv[1], sys.argv[2:]
    if out.endswith(".npy"):
        open(out, "wb").write(npy_bytes(*rest))
    elif out.endswith(".npz"):
        with zipfile.ZipFile(out, "w") as z:
            for i in range(0, len(rest), 4):
                z.writestr(rest[i] + ".npy", npy_bytes(*rest[i + 1:i + 4]))
    else:
        open(out, "wb").write(pickle.dumps([[1.0], [2.0]]))


if __name__ == "__main__":
    main()
