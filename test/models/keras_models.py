"""Keras models with seeded random weights, each written twice:

  <name>_tf_save   tf.saved_model.save(model, path) as the SavedModel guide does. Keras 3 models
                   are not reliably savable that way, so this variant is built with tf_keras
                   (Keras 2) and gets the Keras 3 model's weights (get_weights/set_weights; the
                   layer structures are identical, so the weight lists line up one to one).
  <name>_export    Keras 3's model.export(path) (format "tf_saved_model": signature
                   serving_default plus the endpoint function `serve`).

Models: mlp (64 -> Dense 32 relu -> Dense 16 relu -> Dense 10 softmax), cnn (8x8x1 -> Conv 8 ->
MaxPool -> Conv 16 -> GlobalAveragePooling -> Dense 10 softmax), mobilenet
(keras.applications.MobileNet(weights=None), 224x224x3, alpha 1.0). Batch-norm layers get random
gamma/beta/moving mean/moving variance so that inference-mode batch norm is not an identity, and
MobileNet's classifier kernel is scaled by LOGIT_SCALE so that its softmax is not nearly uniform.
Reference inputs use batch 2 (each signature's leading None dimension). Both variants of a model
must compute the same function; build() checks their outputs agree before saving.
"""

import os

import keras
import numpy as np
import tensorflow as tf
import tf_keras

import model_utils as mu

SEED = 2
BATCH = 2
LOGIT_SCALE = 10.0


def _mlp(k):
    """The same architecture for k = keras (3) or tf_keras (2); explicit names keep keys stable."""
    inputs = k.Input(shape=(64,), name="features")
    h = k.layers.Dense(32, activation="relu", name="dense_1")(inputs)
    h = k.layers.Dense(16, activation="relu", name="dense_2")(h)
    outputs = k.layers.Dense(10, activation="softmax", name="probabilities")(h)
    return k.Model(inputs, outputs, name="mlp")


def _cnn(k):
    inputs = k.Input(shape=(8, 8, 1), name="image")
    h = k.layers.Conv2D(8, 3, activation="relu", name="conv_1")(inputs)
    h = k.layers.MaxPooling2D(name="pool")(h)
    h = k.layers.Conv2D(16, 3, activation="relu", padding="same", name="conv_2")(h)
    h = k.layers.GlobalAveragePooling2D(name="gap")(h)
    outputs = k.layers.Dense(10, activation="softmax", name="probabilities")(h)
    return k.Model(inputs, outputs, name="cnn")


def _mobilenet(k):
    return k.applications.MobileNet(weights=None)


def _spread_mobilenet_logits(model):
    """With random weights, MobileNet's 1000 softmax outputs are all close to 1/1000, which makes a
    weak reference; scaling the classifier (1x1 conv "conv_preds") spreads the logits."""
    kernel = model.get_layer("conv_preds").kernel
    kernel.assign(kernel * LOGIT_SCALE)


def _randomize_batch_norm(model, rng):
    """Gives every BatchNormalization layer non-trivial gamma, beta and moving statistics."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.moving_mean.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
            layer.beta.assign(rng.normal(0.0, 0.1, n).astype(np.float32))
            layer.moving_mean.assign(rng.normal(0.0, 0.1, n).astype(np.float32))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))


def _build_pair(factory, adjust=None):
    """Keras 3 model with seeded weights and a tf_keras twin with the same weights."""
    mu.seed_everything(SEED, with_keras=True)
    tf_keras.utils.set_random_seed(SEED)
    model3 = factory(keras)
    _randomize_batch_norm(model3, np.random.default_rng(SEED))
    if adjust:
        adjust(model3)
    model2 = factory(tf_keras)
    weights3, weights2 = model3.get_weights(), model2.get_weights()
    if [w.shape for w in weights3] != [w.shape for w in weights2]:
        raise RuntimeError(f"{model3.name}: Keras 3 and tf_keras weight lists differ")
    model2.set_weights(weights3)
    # Same function? (Compare in inference mode on a seeded batch.)
    x = np.random.default_rng(SEED).random((BATCH,) + tuple(model3.input_shape[1:]), np.float32)
    out3, out2 = model3(x, training=False), model2(x, training=False)
    if not np.allclose(np.asarray(out3), np.asarray(out2), rtol=1e-5, atol=1e-6):
        raise RuntimeError(f"{model3.name}: Keras 3 and tf_keras outputs differ")
    return model3, model2


def _save_pair(out, name, factory, adjust=None):
    model3, model2 = _build_pair(factory, adjust)
    entries = []

    tf_save = name + "_tf_save"
    path = mu.fresh_dir(os.path.join(out, tf_save))
    tf.saved_model.save(model2, path)
    mu.write_expected(path, os.path.join(out, tf_save + ".expected"), none_dim=BATCH, seed=SEED)
    entries.append(mu.manifest_entry(out, tf_save, "tf2",
                                     "tf_keras (Keras 2) model, tf.saved_model.save"))

    export = name + "_export"
    path = mu.fresh_dir(os.path.join(out, export))
    model3.export(path, verbose=False)
    mu.write_expected(path, os.path.join(out, export + ".expected"), none_dim=BATCH, seed=SEED)
    entries.append(mu.manifest_entry(out, export, "keras3_export", "Keras 3 model.export"))
    return entries


def build_mlp(out):
    return _save_pair(out, "mlp", _mlp)


def build_cnn(out):
    return _save_pair(out, "cnn", _cnn)


def build_mobilenet(out):
    return _save_pair(out, "mobilenet", _mobilenet, _spread_mobilenet_logits)


MODELS = [build_mlp, build_cnn, build_mobilenet]
