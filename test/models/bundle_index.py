"""A small, TensorFlow-independent reader of TensorBundle index files (variables.index).

Used by the generators only to describe what TF wrote (manifest.json "checkpoint" field): the
number of data shards and, for every block of the index SSTable, its compression type byte
(0 = none, 1 = Snappy). Format: LevelDB table (see docs' SavedModel format reference, section 2.1).
It also checks block CRCs and decodes the BundleHeaderProto's num_shards, as a cross-check of the
format notes the C++ reader follows.
"""

import glob
import os
import re
import struct

from tensorflow.core.protobuf import tensor_bundle_pb2

_MAGIC = 0xdb4775248b80fb57
_COMPRESSION = {0: "none", 1: "snappy"}


def _crc32c_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _unmask(masked):
    rot = (masked - 0xA282EAD8) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


def _varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def snappy_decompress(data):
    """Raw (unframed) Snappy decompression; only needed if TF wrote a compressed block."""
    length, pos = _varint(data, 0)
    out = bytearray()
    while pos < len(data):
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal
            size = tag >> 2
            if size >= 60:
                extra = size - 59
                size = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            size += 1
            out += data[pos:pos + size]
            pos += size
            continue
        if kind == 1:
            size, offset = ((tag >> 2) & 7) + 4, ((tag >> 5) << 8) | data[pos]
            pos += 1
        elif kind == 2:
            size, offset = (tag >> 2) + 1, int.from_bytes(data[pos:pos + 2], "little")
            pos += 2
        else:
            size, offset = (tag >> 2) + 1, int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
        for _ in range(size):  # byte by byte: copies may overlap their own output
            out.append(out[-offset])
    if len(out) != length:
        raise ValueError("snappy: bad length")
    return bytes(out)


def _read_block(data, offset, size):
    """Returns (contents, compression type byte) of the block at offset, checking its CRC."""
    raw = data[offset:offset + size]
    kind = data[offset + size]
    (masked,) = struct.unpack_from("<I", data, offset + size + 1)
    if _unmask(masked) != crc32c(raw + bytes([kind])):
        raise ValueError(f"bad block CRC at offset {offset}")
    if kind == 1:
        raw = snappy_decompress(raw)
    elif kind != 0:
        raise ValueError(f"unknown block compression {kind}")
    return raw, kind


def _block_entries(block):
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    end = len(block) - 4 - 4 * num_restarts
    pos, key = 0, b""
    while pos < end:
        shared, pos = _varint(block, pos)
        non_shared, pos = _varint(block, pos)
        value_len, pos = _varint(block, pos)
        key = key[:shared] + block[pos:pos + non_shared]
        pos += non_shared
        yield key, block[pos:pos + value_len]
        pos += value_len


def read_index(path):
    """Parses an index file: {"entries": [(key, value bytes)], "blocks": {...compression types}}."""
    with open(path, "rb") as f:
        data = f.read()
    footer = data[-48:]
    if struct.unpack_from("<Q", footer, 40)[0] != _MAGIC:
        raise ValueError(f"{path}: bad table magic")
    meta_offset, pos = _varint(footer, 0)
    meta_size, pos = _varint(footer, pos)
    index_offset, pos = _varint(footer, pos)
    index_size, pos = _varint(footer, pos)
    _, meta_kind = _read_block(data, meta_offset, meta_size)
    index_block, index_kind = _read_block(data, index_offset, index_size)
    entries, data_kinds = [], []
    for _, handle in _block_entries(index_block):
        offset, pos = _varint(handle, 0)
        size, _ = _varint(handle, pos)
        block, kind = _read_block(data, offset, size)
        data_kinds.append(kind)
        entries.extend(_block_entries(block))
    return {
        "entries": entries,
        "blocks": {
            "data": [_COMPRESSION[k] for k in data_kinds],
            "index": _COMPRESSION[index_kind],
            "metaindex": _COMPRESSION[meta_kind],
        },
    }


def describe_checkpoint(variables_dir):
    """Summary of <variables_dir>/variables.{index,data-*} for manifest.json."""
    index = read_index(os.path.join(variables_dir, "variables.index"))
    header = tensor_bundle_pb2.BundleHeaderProto()
    if index["entries"][0][0] != b"":
        raise ValueError("first index entry is not the header")
    header.ParseFromString(index["entries"][0][1])
    pattern = os.path.join(variables_dir, "variables.data-*")
    files = sorted(os.path.basename(p) for p in glob.glob(pattern))
    for name in files:
        match = re.fullmatch(r"variables\.data-(\d{5})-of-(\d{5})", name)
        if not match or int(match.group(2)) != header.num_shards:
            raise ValueError(f"{variables_dir}: unexpected data file {name}")
    shard_ids = set()
    for _, value in index["entries"][1:]:
        entry = tensor_bundle_pb2.BundleEntryProto()
        entry.ParseFromString(value)
        shard_ids.add(entry.shard_id)
    return {
        "num_shards": header.num_shards,
        "data_files": files,
        "shards_used": sorted(shard_ids),
        "num_entries": len(index["entries"]) - 1,
        "index_block_compression": index["blocks"],
    }
