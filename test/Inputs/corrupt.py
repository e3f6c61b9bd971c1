"""corrupt.py MODE FILE [ARG]: damages FILE for the bad-input tests.
  truncate N   keep the first N bytes
  flip OFFSET  invert the byte at OFFSET (negative: from the end)
  garbage      replace the content with text that is no protocol buffer"""
import sys

mode, path = sys.argv[1], sys.argv[2]
data = bytearray(open(path, "rb").read())
if mode == "truncate":
    data = data[: int(sys.argv[3])]
elif mode == "flip":
    data[int(sys.argv[3])] ^= 0xFF
elif mode == "garbage":
    data = bytearray(b"this is not a protocol buffer\n" * 4)
else:
    sys.exit("unknown mode " + mode)
open(path, "wb").write(data)
