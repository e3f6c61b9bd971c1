"""zoo_ops: a tf.Module whose signatures hold the non-Keras parts of the op zoo (issue:
transformers, segmentation, audio, ...), each compared with TensorFlow by the parity test:
  audio       a log-mel front end: tf.signal.stft (frame 256, step 128, Hann window, RFFT),
              magnitude (ComplexAbs), a 40-band mel matrix (linear_to_mel_weight_matrix,
              16 kHz), log
  spectral    RFFT and IRFFT around it: tf.signal.rfft with fft_length above the frame (a Pad
              before the op), below it (the op crops) and odd, Real/Imag/ComplexAbs of it;
              irfft(rfft(x)) round trips (even and odd lengths); irfft of tf.complex(re, im)
              (the imaginary parts of the DC and Nyquist bins are ignored) with the default,
              an odd, a longer (a Pad of the complex value) and a shorter (the op crops)
              fft_length; complex values moved by Transpose, ReverseV2, ExpandDims, Reshape,
              StridedSlice, Slice, ConcatV2, Pack, Squeeze and Unpack before an IRFFT; an stft
              whose frames are shorter than fft_length
  ids         integer ids: one_hot, top_k (values and indices), sort and argsort, gather_nd,
              cumsum (plain, exclusive, reverse) and cumprod, int floordiv/floormod, bool logic
  scans       Cumsum and Cumprod on float32 and int32 along every axis of a [4, 5, 6] tensor
              (negative axes too), plain, exclusive, reverse and both
  gather_nd   GatherNd with 1-, 2- and 3-component indices (int32 and int64), float32 and
              int32 params; indices in range (TF on CPU fails on others; smc's zeros for them
              are tested in test/Import/scan.test)
  fake_quant  quantisation-aware training's fake quantisation: FakeQuantWithMinMaxArgs,
              FakeQuantWithMinMaxVars (8 and 4 bits, narrow range), ...PerChannel
  sorting     top_k (k = 1, 3, n) on floats and int32, tf.sort and stable tf.argsort in both
              directions (TopKV2 with k = n, after -x for floats and -x - 1 for ints when
              ascending), on inputs with many ties
Inputs: standard normal floats (waveforms scaled to [-1, 1]), integers as stated below.
"""

import os

import numpy as np
import tensorflow as tf

import model_utils as mu

SEED = 29
BATCH = 4
SAMPLES = 2048


def spec(shape, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype)


class ZooOps(tf.Module):

    def __init__(self):
        super().__init__()
        self.mel = tf.constant(tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=40, num_spectrogram_bins=129, sample_rate=16000,
            lower_edge_hertz=20.0, upper_edge_hertz=7600.0))
        self.qmin = tf.Variable(-1.5)
        self.qmax = tf.Variable(2.0)
        self.cmin = tf.Variable([-1.0, -0.5, -2.0, -0.25])
        self.cmax = tf.Variable([1.0, 1.5, 0.5, 0.75])

    @tf.function(input_signature=[spec([BATCH, SAMPLES])])
    def audio(self, wave):
        stft = tf.signal.stft(wave, frame_length=256, frame_step=128, fft_length=256)
        mel = tf.tensordot(tf.abs(stft), self.mel, 1)
        return {"log_mel": tf.math.log(mel + 1e-6)}

    @tf.function(input_signature=[spec([BATCH, 200]), spec([BATCH, 3, 33]), spec([BATCH, 3, 33])])
    def spectral(self, x, re, im):
        z = tf.complex(re, im)
        # Complex values through ops that only move elements: [B, 3, 33] -> [3 * B, 33] with
        # the bins rotated by one, and unstacked along the middle axis.
        moved = tf.reverse(tf.transpose(z, [1, 0, 2]), axis=[0])
        moved = tf.reshape(tf.expand_dims(moved, 0), [3 * BATCH, 33])
        moved = tf.concat([moved[:, 1:], tf.slice(moved, [0, 0], [-1, 1])], axis=1)
        parts = tf.unstack(tf.squeeze(tf.stack([z], axis=1), axis=1), axis=1)
        padded = tf.signal.rfft(x, fft_length=[256])
        cropped = tf.signal.rfft(x, fft_length=[128])
        return {
            "rfft_pad_real": tf.math.real(padded),
            "rfft_pad_imag": tf.math.imag(padded),
            "rfft_crop_real": tf.math.real(cropped),
            "rfft_crop_imag": tf.math.imag(cropped),
            "rfft_odd_abs": tf.abs(tf.signal.rfft(x, fft_length=[63])),
            "round_trip": tf.signal.irfft(tf.signal.rfft(x)),
            "round_trip_odd": tf.signal.irfft(tf.signal.rfft(x[:, :63]), fft_length=[63]),
            "irfft": tf.signal.irfft(z),
            "irfft_odd": tf.signal.irfft(z, fft_length=[65]),
            "irfft_pad": tf.signal.irfft(z, fft_length=[80]),
            "irfft_crop": tf.signal.irfft(z, fft_length=[40]),
            "irfft_moved": tf.signal.irfft(moved),
            "irfft_unstacked": tf.signal.irfft(parts[2]),
            "stft_pad_abs": tf.abs(tf.signal.stft(x, 100, 50, fft_length=128)),
        }

    @tf.function(input_signature=[spec([BATCH, 10], tf.int32), spec([BATCH, 10])])
    def ids(self, ids, scores):
        values, indices = tf.math.top_k(scores, k=3)
        pairs = tf.stack([tf.range(BATCH), ids[:, 0] % 10], axis=1)
        return {
            "one_hot": tf.one_hot(ids % 7, 7, on_value=2.0, off_value=-1.0),
            "top_values": values,
            "top_indices": indices,
            "sorted": tf.sort(scores, direction="DESCENDING"),
            "argsort": tf.argsort(scores, stable=True),
            "gather_nd": tf.gather_nd(scores, pairs),
            "cumsum": tf.cumsum(scores, axis=1),
            "cumsum_exclusive_reverse": tf.cumsum(scores, axis=1, exclusive=True, reverse=True),
            "cumprod": tf.math.cumprod(scores * 0.5 + 1.0, axis=1),
            "int_div": tf.stack([ids // 3, ids % 3, (-ids) // 4, (-ids) % 4]),
            "logic": tf.math.logical_xor(ids > 4, tf.logical_or(ids < 2, tf.equal(ids % 2, 0))),
        }

    @tf.function(input_signature=[spec([BATCH, 5, 6]), spec([BATCH, 5, 6], tf.int32)])
    def scans(self, x, n):
        p = x * 0.25 + 1.0
        return {
            "sum_0": tf.cumsum(x, axis=0),
            "sum_1_exclusive": tf.cumsum(x, axis=1, exclusive=True),
            "sum_last_reverse": tf.cumsum(x, axis=-1, reverse=True),
            "sum_m2_exclusive_reverse": tf.cumsum(x, axis=-2, exclusive=True, reverse=True),
            "prod_2": tf.math.cumprod(p, axis=2),
            "prod_0_exclusive_reverse": tf.math.cumprod(p, axis=0, exclusive=True, reverse=True),
            "int_sum_1": tf.cumsum(n, axis=1),
            "int_sum_0_reverse": tf.cumsum(n, axis=0, reverse=True),
            "int_prod_2_exclusive": tf.math.cumprod(n, axis=2, exclusive=True),
        }

    @tf.function(input_signature=[spec([BATCH, 5, 6]), spec([3, 1], tf.int32),
                                  spec([2, 3, 2], tf.int64), spec([7, 3], tf.int32)])
    def gather_nd(self, params, rows, pairs, points):
        return {
            "rows": tf.gather_nd(params, rows),
            "pairs": tf.gather_nd(params, pairs),
            "points": tf.gather_nd(params, points),
            "int_points": tf.gather_nd(tf.cast(params * 4.0, tf.int32), points),
        }

    @tf.function(input_signature=[spec([BATCH, 6]), spec([BATCH, 6], tf.int32)])
    def sorting(self, x, n):
        top1_values, top1_indices = tf.math.top_k(x, k=1)
        top3_values, top3_indices = tf.math.top_k(n, k=3)
        topn_values, topn_indices = tf.math.top_k(x, k=6)
        return {
            "top1_values": top1_values,
            "top1_indices": top1_indices,
            "top3_int_values": top3_values,
            "top3_int_indices": top3_indices,
            "topn_values": topn_values,
            "topn_indices": topn_indices,
            "sort_ascending": tf.sort(x),
            "sort_descending_int": tf.sort(n, direction="DESCENDING"),
            "sort_ascending_int": tf.sort(n),
            "argsort_ascending": tf.argsort(x, stable=True),
            "argsort_descending": tf.argsort(x, direction="DESCENDING", stable=True),
            "argsort_ascending_int": tf.argsort(n, stable=True),
            "argsort_descending_int": tf.argsort(n, direction="DESCENDING", stable=True),
        }

    @tf.function(input_signature=[spec([BATCH, 6, 4])])
    def fake_quant(self, x):
        return {
            "args": tf.quantization.fake_quant_with_min_max_args(x, -1.0, 1.5, num_bits=8),
            "vars": tf.quantization.fake_quant_with_min_max_vars(x, self.qmin, self.qmax),
            "vars_4bit_narrow": tf.quantization.fake_quant_with_min_max_vars(
                x, self.qmin, self.qmax, num_bits=4, narrow_range=True),
            "per_channel": tf.quantization.fake_quant_with_min_max_vars_per_channel(
                x, self.cmin, self.cmax),
        }


def build_zoo_ops(out):
    name = "zoo_ops"
    path = mu.fresh_dir(os.path.join(out, name))
    mu.seed_everything(SEED)
    module = ZooOps()
    sigs = {k: getattr(module, k)
            for k in ["audio", "spectral", "ids", "fake_quant", "sorting", "scans", "gather_nd"]}
    tf.saved_model.save(module, path, signatures=sigs)
    rng = np.random.default_rng(SEED)
    t = np.arange(SAMPLES) / 16000.0
    wave = (0.5 * np.sin(2 * np.pi * rng.uniform(200, 3000, (BATCH, 1)) * t)
            + 0.1 * rng.standard_normal((BATCH, SAMPLES))).astype(np.float32)
    ids = rng.integers(0, 10, (BATCH, 10)).astype(np.int32)
    # Scores with distinct values, so that top_k and sorting have one answer.
    scores = (rng.permutation(BATCH * 10).reshape(BATCH, 10) * 0.25 - 4.0).astype(np.float32)
    fq = (rng.standard_normal((BATCH, 6, 4)) * 1.5).astype(np.float32)
    # Few distinct values (halves in [-1.5, 1.5], ints in [0, 4]): many ties, which top_k and
    # sorting break by the lower index first.
    sort_x = (rng.integers(-3, 4, (BATCH, 6)) * 0.5).astype(np.float32)
    sort_n = rng.integers(0, 5, (BATCH, 6)).astype(np.int32)
    inputs = {"audio": {"wave": wave}, "ids": {"ids": ids, "scores": scores},
              "fake_quant": {"x": fq},
              "sorting": {"x": sort_x, "n": sort_n},
              "scans": {"x": rng.standard_normal((BATCH, 5, 6)).astype(np.float32),
                        "n": rng.integers(-3, 4, (BATCH, 5, 6)).astype(np.int32)},
              "gather_nd": {
                  "params": rng.standard_normal((BATCH, 5, 6)).astype(np.float32),
                  "rows": rng.integers(0, BATCH, (3, 1)).astype(np.int32),
                  "pairs": np.stack([rng.integers(0, BATCH, (2, 3)),
                                     rng.integers(0, 5, (2, 3))],
                                    axis=-1).astype(np.int64),
                  "points": np.stack([rng.integers(0, BATCH, 7),
                                      rng.integers(0, 5, 7),
                                      rng.integers(0, 6, 7)],
                                     axis=-1).astype(np.int32)}}
    # Drawn after the others, so that theirs stay what they were.
    inputs["spectral"] = {"x": rng.standard_normal((BATCH, 200)).astype(np.float32),
                          "re": rng.standard_normal((BATCH, 3, 33)).astype(np.float32),
                          "im": rng.standard_normal((BATCH, 3, 33)).astype(np.float32)}
    mu.write_expected(path, os.path.join(out, name + ".expected"), seed=SEED, inputs=inputs)
    return mu.manifest_entry(out, name, "tf2",
                             "tf.Module: audio front end, FFTs, integer ids, fake quantisation")


MODELS = [build_zoo_ops]
