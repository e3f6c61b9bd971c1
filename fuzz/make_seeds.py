"""make_seeds.py: writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.
Run from the repository root with the system Python (no NumPy needed); the output is committed.
The savedmodel and compile targets also start from examples/digits/cnn/saved_model.pb (the
test passes it), the tensorbundle target from the digits checkpoint, packed as its input
format wants: a 4-byte little-endian index length, the index, the data shard."""
import io
import os
import struct
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def npy(descr, shape, payload, fortran=False, version=1):
    shape_text = "(" + "".join("%d, " % d for d in shape).rstrip(" ") + ")" if len(shape) != 1 \
        else "(%d,)" % shape[0]
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape_text)
    lead = 10 if version == 1 else 12
    header += " " * ((64 - (lead + len(header) + 1) % 64) % 64) + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + payload


f32 = lambda *v: struct.pack("<%df" % len(v), *v)
put("npy", "f32_2x3.npy", npy("<f4", (2, 3), f32(1, 2, 3, 4, 5, 6)))
put("npy", "f64_be_scalar.npy", npy(">f8", (), struct.pack(">d", -2.5)))
put("npy", "i64_fortran.npy", npy("<i8", (2, 2), struct.pack("<4q", 1, -2, 3, 1 << 40), fortran=True))
put("npy", "bool_v2.npy", npy("|b1", (3,), b"\x01\x00\x01", version=2))
put("npy", "f16_empty.npy", npy("<f2", (0, 4), b""))
for name, method in (("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("x.npy", npy("<f4", (2, 2), f32(1, -1, 0.5, 8)))
        z.writestr("ids.npy", npy("<i4", (3,), struct.pack("<3i", 7, 8, 9)))
    put("npy", "two_%s.npz" % name, buf.getvalue())

for i, text in enumerate([
        "x=np.ones((2,3))",
        "a=[1,2.5];b=np.random.rand(3,4)",
        "np.random.seed(3);x=np.random.randn(2,2)",
        "x=np.arange(10,dtype=np.int32).reshape(2,5)",
        "x=np.full((2,2),-1.5,dtype='float16')",
        "x=np.zeros([1,28,28,1]) + 0.5*np.eye(28)[None,:,:,None]",
        "ids=np.array([[1,2],[3,4]],dtype=np.int64);flag=True",
        "x=np.linspace(-1,1,5).astype(np.float32)",
]):
    put("input-exprs", "expr%d.txt" % i, text)

cnn = os.path.join(ROOT, "examples", "digits", "cnn", "variables")
index = open(os.path.join(cnn, "variables.index"), "rb").read()
data = open(os.path.join(cnn, "variables.data-00000-of-00001"), "rb").read()
put("tensorbundle", "digits.bin", struct.pack("<I", len(index)) + index + data)

hostile = os.path.join(ROOT, "test", "Inputs", "hostile_graph.py")
for mode, n in (("elementwise", 3), ("addn", 4), ("chain", 3)):
    out = os.path.join("/tmp", "smc-seed-%s" % mode)
    subprocess.run([sys.executable, hostile, mode, str(n), out], check=True)
    text = open(os.path.join(out, "saved_model.pbtxt"), "rb").read()
    put("savedmodel", "%s.pbtxt" % mode, text)
    put("compile", "%s.pbtxt" % mode, text)
