"""The op zoo (issue: transformers, segmentation, audio, ...): Keras models of the kinds people
export beyond CNN classifiers, each written twice like keras_models.py's: <name>_tf_save
(tf_keras, tf.saved_model.save) and <name>_export (Keras 3 model.export), same seeded weights.

Models (batch 20; explicit layer names keep the variable keys stable):
  transformer   an encoder block on [16, 32] token vectors: learned positions, MultiHeadAttention
                (4 heads of 8), residual + LayerNormalization, Dense 64 gelu -> Dense 32,
                residual + LayerNormalization, GlobalAveragePooling1D, Dense 5 softmax
  decoder       the same block with use_causal_mask=True (a GPT-style causal block), then a
                Dense 50 on every position (next-token logits)
  vit           a small ViT on 32x32x3 images: 8x8 patches by a strided Conv2D, Reshape to 16
                tokens, a learned class token in front, learned positions, the encoder block,
                the class token's output -> Dense 10 softmax
  text          a text classifier on 16 int32 token ids in [0, 1000): Embedding 1000 x 16,
                GlobalAveragePooling1D, Dense 4 softmax
  masked        a padded text encoder on 16 int32 token ids (ids in [1, 1000), then 0s from a
                random length in [3, 16] on): Embedding 1000 x 32, learned positions, the
                encoder block with an explicit attention_mask (query and key both non-padding:
                [B, 16, 16] bool from the ids), GlobalAveragePooling1D, Dense 4 softmax
  unet          a U-Net-style segmenter on 32x32x3: Conv2D, MaxPooling2D, Conv2D,
                Conv2DTranspose (stride 2) concatenated with the skip connection,
                UpSampling2D nearest and bilinear, 1x1 convolutions -> 3 classes per pixel
  preprocess    preprocessing layers inside the model: Rescaling(1/255), Normalization (adapted
                to seeded tinted images: per-channel mean and variance as variables), Resizing to 16x16 (bilinear), CenterCrop 12x12,
                Conv2D, GlobalAveragePooling2D, Dense 4 softmax, on 24x24x3 pixels in [0, 255]
"""

import numpy as np
import tensorflow as tf

import keras_models as km

SEED = 23
BATCH = 20
S, D, HEADS = 16, 32, 4
VOCAB = 1000


def _layers(k):
    """Custom layers, written once for Keras 3 and tf_keras (the model's own Keras)."""

    class AddPosition(k.layers.Layer):
        """x + a learned [S, D] position table, looked up by Embedding on 0..S-1."""

        def build(self, input_shape):
            self.table = k.layers.Embedding(input_shape[-2], input_shape[-1], name="positions")
            self.table.build((input_shape[-2],))

        def call(self, x):
            return x + self.table(tf.range(tf.shape(x)[-2]))

    class ClassToken(k.layers.Layer):
        """A learned [1, D] token in front of the sequence."""

        def build(self, input_shape):
            self.token = self.add_weight(name="token", shape=(1, 1, input_shape[-1]),
                                         initializer="random_normal")

        def call(self, x):
            token = tf.tile(self.token, [tf.shape(x)[0], 1, 1])
            return tf.concat([token, x], axis=1)

    class PairMask(k.layers.Layer):
        """[B, S] ids -> [B, S, S] bool: query i may attend to key j if neither is padding."""

        def call(self, ids):
            keep = tf.not_equal(ids, 0)
            return tf.logical_and(keep[:, :, None], keep[:, None, :])

    return AddPosition, ClassToken, PairMask


def _block(k, x, name, causal=False, mask=None):
    attention = k.layers.MultiHeadAttention(HEADS, D // HEADS, name=name + "_attention")
    a = attention(x, x, attention_mask=mask, use_causal_mask=causal)
    x = k.layers.LayerNormalization(name=name + "_norm1")(k.layers.Add(name=name + "_add1")([x, a]))
    f = k.layers.Dense(2 * D, activation="gelu", name=name + "_ff1")(x)
    f = k.layers.Dense(D, name=name + "_ff2")(f)
    return k.layers.LayerNormalization(name=name + "_norm2")(k.layers.Add(name=name + "_add2")([x, f]))


def _transformer(k):
    AddPosition, _, _ = _layers(k)
    inputs = k.Input(shape=(S, D), name="tokens")
    h = _block(k, AddPosition(name="add_position")(inputs), "block")
    h = k.layers.GlobalAveragePooling1D(name="pool")(h)
    return k.Model(inputs, k.layers.Dense(5, activation="softmax", name="probabilities")(h))


def _decoder(k):
    AddPosition, _, _ = _layers(k)
    inputs = k.Input(shape=(S, D), name="tokens")
    h = _block(k, AddPosition(name="add_position")(inputs), "block", causal=True)
    return k.Model(inputs, k.layers.Dense(50, name="logits")(h))


def _vit(k):
    AddPosition, ClassToken, _ = _layers(k)
    inputs = k.Input(shape=(32, 32, 3), name="image")
    h = k.layers.Conv2D(D, 8, strides=8, name="patches")(inputs)
    h = k.layers.Reshape((16, D), name="tokens")(h)
    h = ClassToken(name="class_token")(h)
    h = _block(k, AddPosition(name="add_position")(h), "block")
    h = h[:, 0]
    return k.Model(inputs, k.layers.Dense(10, activation="softmax", name="probabilities")(h))


def _text(k):
    inputs = k.Input(shape=(S,), dtype="int32", name="ids")
    h = k.layers.Embedding(VOCAB, 16, name="embedding")(inputs)
    h = k.layers.GlobalAveragePooling1D(name="pool")(h)
    return k.Model(inputs, k.layers.Dense(4, activation="softmax", name="probabilities")(h))


def _masked(k):
    AddPosition, _, PairMask = _layers(k)
    inputs = k.Input(shape=(S,), dtype="int32", name="ids")
    h = k.layers.Embedding(VOCAB, D, name="embedding")(inputs)
    h = _block(k, AddPosition(name="add_position")(h), "block", mask=PairMask(name="mask")(inputs))
    h = k.layers.GlobalAveragePooling1D(name="pool")(h)
    return k.Model(inputs, k.layers.Dense(4, activation="softmax", name="probabilities")(h))


def _unet(k):
    inputs = k.Input(shape=(32, 32, 3), name="image")
    d1 = k.layers.Conv2D(8, 3, padding="same", activation="relu", name="down1")(inputs)
    p = k.layers.MaxPooling2D(2, name="pool")(d1)
    d2 = k.layers.Conv2D(16, 3, padding="same", activation="relu", name="down2")(p)
    u = k.layers.Conv2DTranspose(8, 3, strides=2, padding="same", name="up")(d2)
    c = k.layers.Concatenate(name="skip")([u, d1])
    o = k.layers.Conv2D(4, 3, padding="same", activation="relu", name="merge")(c)
    near = k.layers.UpSampling2D(2, interpolation="nearest", name="nearest")(d2)
    bilinear = k.layers.UpSampling2D(2, interpolation="bilinear", name="bilinear")(d2)
    near = k.layers.Conv2D(4, 1, name="near_proj")(near)
    bilinear = k.layers.Conv2D(4, 1, name="bilinear_proj")(bilinear)
    h = k.layers.Concatenate(name="heads")([o, near, bilinear])
    return k.Model(inputs, k.layers.Conv2D(3, 1, name="classes")(h))


def _preprocess(k):
    inputs = k.Input(shape=(24, 24, 3), name="pixels")
    h = k.layers.Rescaling(1.0 / 255, name="rescale")(inputs)
    normalize = k.layers.Normalization(name="normalize")
    # adapt() on seeded images with a per-channel tint: the mean and variance become variables.
    sample = np.random.default_rng((SEED, 8)).uniform(0.0, 1.0, (64, 24, 24, 3))
    normalize.adapt((sample * [0.9, 0.7, 0.5] + [0.0, 0.1, 0.2]).astype(np.float32))
    h = normalize(h)
    h = k.layers.Resizing(16, 16, name="resize")(h)
    h = k.layers.CenterCrop(12, 12, name="crop")(h)
    h = k.layers.Conv2D(8, 3, activation="relu", name="conv")(h)
    h = k.layers.GlobalAveragePooling2D(name="pool")(h)
    return k.Model(inputs, k.layers.Dense(4, activation="softmax", name="probabilities")(h))


def _normal(shape, seed):
    return np.random.default_rng(seed).standard_normal((BATCH,) + shape).astype(np.float32)


def _uniform(shape, seed, high):
    return np.random.default_rng(seed).uniform(0.0, high, (BATCH,) + shape).astype(np.float32)


def _ids(seed):
    return np.random.default_rng(seed).integers(0, VOCAB, (BATCH, S)).astype(np.int32)


def _padded_ids(seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, VOCAB, (BATCH, S)).astype(np.int32)
    for row, length in zip(ids, rng.integers(3, S + 1, BATCH)):
        row[length:] = 0
    return ids


# name -> (factory, inputs, description of the inputs)
SPECS = {
    "transformer": (_transformer, lambda: _normal((S, D), (SEED, 1)), "standard normal"),
    "decoder": (_decoder, lambda: _normal((S, D), (SEED, 2)), "standard normal"),
    "vit": (_vit, lambda: _uniform((32, 32, 3), (SEED, 3), 1.0), "uniform in [0, 1]"),
    "text": (_text, lambda: _ids((SEED, 4)), f"token ids uniform in [0, {VOCAB})"),
    "masked": (_masked, lambda: _padded_ids((SEED, 7)),
               f"token ids uniform in [1, {VOCAB}), padded with 0 from a length in [3, {S}]"),
    "unet": (_unet, lambda: _uniform((32, 32, 3), (SEED, 5), 1.0), "uniform in [0, 1]"),
    "preprocess": (_preprocess, lambda: _uniform((24, 24, 3), (SEED, 6), 255.0),
                   "pixels uniform in [0, 255]"),
}


def _builder(name, factory, inputs, what):
    def build(out):
        return km.save_pair(out, name, factory, inputs=inputs(), seed=SEED,
                            reference_inputs=f"{BATCH} inputs, {what}")
    build.__name__ = "build_" + name
    return build


MODELS = [_builder(name, *spec) for name, spec in SPECS.items()]
