"""dtypes: one variable per checkpointable dtype, saved as a checkpoint with several data shards.

Variables (attribute = variable name = checkpoint path) have varied ranks: a scalar, 1-D to 3-D
tensors, a zero-element tensor, and a 300x300 float32 ("big", 360 KB; the data shards hold the
values, so the index stays small either way). Values are seeded and cover each type's range
(negative numbers, extremes, -0.0 and +/-inf for float64, non-ASCII and NUL bytes in strings).

Signatures:
  serving_default  x: float32 [2,3] -> {"f32_plus_x": f32 + x, "f64_sum": sum(f64),
                   "bf16_as_f32": float(bf16), "i64_times_2": 2 * i64, "str_2d": str_2d}
  read_all         no inputs -> every variable's value, output key = variable name

Sharding: tf.saved_model.save merges all variables of one task into a single shard (its
functional saver maps every device of a task to CPU:0, so logical CPU devices do not help), and
MaxShardSizePolicy splits large tensors into slices. We pass our own ShardingCallback that keeps
tensors whole and spreads them over NUM_SHARDS data files deterministically (see ByKeyShards).
"""

import os

import numpy as np
import tensorflow as tf

import model_utils as mu

SEED = 4
NUM_SHARDS = 3


class ByKeyShards(tf.train.experimental.ShardingCallback):
    """Whole tensors, NUM_SHARDS shards: "big" alone in the last shard, the other keys (sorted)
    alternating between the others. The object graph entry is one of those other keys."""

    @property
    def description(self):
        return f"whole tensors in {NUM_SHARDS} shards by checkpoint key"

    def __call__(self, shardable_tensors):
        shards = [{} for _ in range(NUM_SHARDS)]
        small = 0
        for tensor in sorted(shardable_tensors, key=lambda t: t.checkpoint_key):
            if tensor.checkpoint_key.startswith("big/"):
                index = NUM_SHARDS - 1
            else:
                index, small = small % (NUM_SHARDS - 1), small + 1
            shards[index].setdefault(tensor.checkpoint_key, {})[tensor.slice_spec] = tensor.tensor
        return shards


def _values(rng):
    """name -> (numpy value, tf dtype)."""
    def ints(dtype, shape):
        info = np.iinfo(dtype)
        values = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
        values = values.reshape(-1)
        values[:2] = [info.min, info.max][:values.size]  # make sure the extremes occur
        return values.reshape(shape)

    f64 = rng.standard_normal(6) * 1e3
    f64[:3] = [-0.0, np.inf, -np.inf]
    return {
        "f32": (rng.standard_normal((2, 3)).astype(np.float32), tf.float32),
        "f64": (f64, tf.float64),
        "f16": (rng.standard_normal((2, 2, 2)).astype(np.float16), tf.float16),
        "bf16": (rng.standard_normal(5).astype(np.float32), tf.bfloat16),
        "i8": (ints(np.int8, (2, 3)), tf.int8),
        "i16": (np.int16(-12345), tf.int16),
        "i32": (ints(np.int32, (4,)), tf.int32),
        "i64": (ints(np.int64, (2, 2)), tf.int64),
        "u8": (ints(np.uint8, (2, 2, 3)), tf.uint8),
        "u16": (ints(np.uint16, (3,)), tf.uint16),
        "u32": (ints(np.uint32, (2, 2)), tf.uint32),
        "u64": (ints(np.uint64, (3,)), tf.uint64),
        "bool": (rng.integers(0, 2, (2, 3)).astype(bool), tf.bool),
        "c64": ((rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype(np.complex64),
                tf.complex64),
        "c128": (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2)), tf.complex128),
        "str": (np.array([b"a", b"bc", b""], dtype=object), tf.string),
        "str_2d": (np.array([[b"hello", "\u00e9t\u00e9".encode()], [b"", b"x\x00y\xff"]],
                            dtype=object), tf.string),
        "empty": (np.zeros((0, 4), np.float32), tf.float32),
        "big": (rng.standard_normal((300, 300)).astype(np.float32), tf.float32),
    }


class DtypeModule(tf.Module):

    def __init__(self, values):
        super().__init__()
        self.names = sorted(values)
        for var_name, (value, dtype) in values.items():
            setattr(self, var_name, tf.Variable(tf.constant(value, dtype=dtype), name=var_name))

    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
    def serving_default(self, x):
        return {
            "f32_plus_x": self.f32 + x,
            "f64_sum": tf.reduce_sum(self.f64),
            "bf16_as_f32": tf.cast(self.bf16, tf.float32),
            "i64_times_2": self.i64 * 2,
            "str_2d": tf.identity(self.str_2d),
        }

    @tf.function(input_signature=[])
    def read_all(self):
        return {n: getattr(self, n).read_value() for n in self.names}


def build_dtypes(out):
    name = "dtypes"
    path = mu.fresh_dir(os.path.join(out, name))
    mu.seed_everything(SEED)
    module = DtypeModule(_values(np.random.default_rng(SEED)))
    tf.saved_model.save(
        module, path,
        signatures={"serving_default": module.serving_default, "read_all": module.read_all},
        options=tf.saved_model.SaveOptions(experimental_sharding_callback=ByKeyShards()))
    mu.write_expected(path, os.path.join(out, name + ".expected"), seed=SEED)
    entry = mu.manifest_entry(out, name, "tf2", "tf.Module with one variable per dtype, sharded")
    if entry["checkpoint"]["num_shards"] != NUM_SHARDS or \
       entry["checkpoint"]["shards_used"] != list(range(NUM_SHARDS)):
        raise RuntimeError(
            f"dtypes: expected {NUM_SHARDS} used data shards, got {entry['checkpoint']}")
    return entry


MODELS = [build_dtypes]
