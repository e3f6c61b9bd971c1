"""npz_bomb.py OUT N: writes OUT, a small .npz whose central directory lists N members 'm0' ...
that all point at one deflated member of 64 MiB (a float32 array of zeros), then one real
member 'x' (float32 [1, 1] = 7). numpy.load inflates a member only when it is indexed; so must
smc run."""
import struct
import sys
import zlib

out, n = sys.argv[1], int(sys.argv[2])


def npy(shape, data):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


members = []  # (name, local offset, crc, compressed size, size, method)
blob = bytearray()
for name, raw, method in [("big.npy", npy("(16777216,)", bytes(64 << 20)), 8),
                          ("x.npy", npy("(1, 1)", struct.pack("<f", 7.0)), 0)]:
    if method == 8:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = c.compress(raw) + c.flush()
    else:
        body = raw
    crc = zlib.crc32(raw) & 0xFFFFFFFF
    offset = len(blob)
    nb = name.encode()
    blob += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(body), len(raw),
                        len(nb), 0) + nb + body
    members.append((name, offset, crc, len(body), len(raw), method))

big = members[0]
entries = [("m%d.npy" % i,) + big[1:] for i in range(n)] + [members[1]]
cd = bytearray()
for name, offset, crc, csize, size, method in entries:
    nb = name.encode()
    cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, csize, size,
                      len(nb), 0, 0, 0, 0, 0, offset) + nb
eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), len(blob), 0)
open(out, "wb").write(bytes(blob) + bytes(cd) + eocd)
