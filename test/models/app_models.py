"""More keras.applications classifiers, the ones whose layers the 224x224 four (image_models.py)
lack: grouped and depthwise-as-grouped convolutions, LayerNormalization, exact (erf) GELU,
layer scale, hard-swish, squeeze-and-excitation blocks, fused MBConv blocks and stochastic depth
in inference. One variant each, at SIZE x SIZE (small enough that the parity test runs them
under qemu-aarch64 too), weights=None and 1000 classes:

  convnext_tiny_export       ConvNeXtTiny, Keras 3 model.export: 7x7 depthwise convolutions
                             written as Conv2D(groups=channels) (TF Conv2D, filter [7, 7, 1, C]),
                             LayerNormalization, Dense, GELU (erf), LayerScale; the 4x4 stride-4
                             stem and 2x2 stride-2 downsampling convolutions; softmax output
  mobilenet_v3_large_export  MobileNetV3Large (minimalistic=False), Keras 3 model.export:
                             hard-swish and hard-sigmoid, squeeze-and-excitation blocks,
                             depthwise 3x3 and 5x5 convolutions; Rescaling preprocessing
  efficientnet_v2_b0_export  EfficientNetV2B0, Keras 3 model.export: fused MBConv blocks, SE
                             blocks with swish, stochastic depth (Dropout with a noise shape,
                             off in inference); Rescaling and Normalization preprocessing
  regnetx002_tf_save         RegNetX002 from tf_keras, tf.saved_model.save: grouped 3x3
                             convolutions of group width 8 (3 to 46 groups); logits output
                             (tf_keras' RegNet head has no softmax)

All take pixels uniform in [0, 255] (each includes its own preprocessing). As in
image_models.py, freshly initialized weights would make a weak reference, so after the seeded
initialization:

1. Normalization layers: every BatchNormalization and LayerNormalization gets random gamma and
   beta; ConvNeXt's LayerScale factors (1e-6 at initialization, which would reduce every block
   to its residual connection and hide a wrong depthwise convolution) become
   U(LAYER_SCALE) per channel.
2. Batch-norm moving statistics are calibrated on CALIBRATION seeded images (a training-mode
   pass with momentum 0 and dropout off) and then jittered per channel, as
   image_models._calibrate_batch_norm does.
3. The classifier (the last Dense; MobileNetV3's 1x1 conv "logits") is centered over the
   calibration images and scaled to logit standard deviation LOGIT_STD (spread_logits).

Reference inputs: one batch of BATCH = 20 seeded images (io/serving_default/inputs), with
TensorFlow's outputs; every row's top-1 is more than keras_models.MIN_TOP2_GAP above the
runner-up and the batch has at least MIN_CLASSES distinct top-1 classes
(image_models._test_images; the input seed used is in the manifest entry).
"""

import gc
import os

import keras
import numpy as np
import tensorflow as tf
import tf_keras

import image_models as im
import keras_models as km
import model_utils as mu

SEED = 29
SIZE = 64
BATCH = im.BATCH
CALIBRATION = 16
LOGIT_STD = 2.0
LAYER_SCALE = (0.2, 0.6)


def _pixels(rng, n):
    return rng.uniform(0.0, 255.0, (n, SIZE, SIZE, 3)).astype(np.float32)


# name -> (Keras module, factory(), classifier layer name or None for the last Dense, how it
#          is saved: "export" (Keras 3 model.export) or "tf_save" (tf.saved_model.save))
SPECS = {
    "convnext_tiny_export": (
        keras, lambda: keras.applications.ConvNeXtTiny(weights=None, input_shape=(SIZE, SIZE, 3)),
        None, "export"),
    "mobilenet_v3_large_export": (
        keras, lambda: keras.applications.MobileNetV3Large(weights=None,
                                                           input_shape=(SIZE, SIZE, 3)),
        "logits", "export"),
    "efficientnet_v2_b0_export": (
        keras, lambda: keras.applications.EfficientNetV2B0(weights=None,
                                                           input_shape=(SIZE, SIZE, 3)),
        None, "export"),
    "regnetx002_tf_save": (
        tf_keras, lambda: tf_keras.applications.RegNetX002(weights=None,
                                                           input_shape=(SIZE, SIZE, 3)),
        None, "tf_save"),
}


def _all_layers(model):
    """Every layer, nested ones (ConvNeXt's Sequential stem and downsampling blocks) included."""
    return list(model._flatten_layers(include_self=False, recursive=True))  # pylint: disable=protected-access


def _randomize_normalization(k, model, rng):
    for layer in _all_layers(model):
        if isinstance(layer, (k.layers.BatchNormalization, k.layers.LayerNormalization)):
            n = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
            layer.beta.assign(rng.normal(0.0, 0.1, n).astype(np.float32))
        elif type(layer).__name__ == "LayerScale":
            n = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(*LAYER_SCALE, n).astype(np.float32))


def _calibrate_batch_norm(k, model, images, rng):
    """image_models._calibrate_batch_norm for either Keras (k)."""
    layers = _all_layers(model)
    bns = [l for l in layers if isinstance(l, k.layers.BatchNormalization)]
    drops = [l for l in layers if isinstance(l, k.layers.Dropout)]
    momenta, rates = [l.momentum for l in bns], [l.rate for l in drops]
    for layer in bns:
        layer.momentum = 0.0
    for layer in drops:
        layer.rate = 0.0
    model(images, training=True)
    for layer, momentum in zip(bns, momenta):
        layer.momentum = momentum
    for layer, rate in zip(drops, rates):
        layer.rate = rate
    for layer in bns:
        mean = np.asarray(layer.moving_mean.numpy(), np.float64)
        var = np.asarray(layer.moving_variance.numpy(), np.float64)
        n = mean.shape[0]
        layer.moving_mean.assign((mean + rng.normal(0.0, im.BN_MEAN_JITTER, n) * np.sqrt(var))
                                 .astype(np.float32))
        layer.moving_variance.assign((var * rng.uniform(*im.BN_VAR_JITTER, n)).astype(np.float32))


def _spread_logits(k, model, layer, images):
    """keras_models.spread_logits for either Keras (k) and a layer object."""
    features = k.Model(model.input, layer.input)(images, training=False)
    features = np.asarray(features, np.float64).reshape(images.shape[0], -1)
    kernel = layer.kernel.numpy()
    w = kernel.reshape(features.shape[1], -1).astype(np.float64)
    mean = features.mean(axis=0)
    scale = LOGIT_STD / ((features - mean) @ w).std()
    layer.kernel.assign((kernel * scale).astype(np.float32))
    layer.bias.assign((-scale * (mean @ w)).astype(np.float32))


def _build(out, name):
    k, factory, classifier, how = SPECS[name]
    keras.backend.clear_session()
    tf_keras.backend.clear_session()
    mu.seed_everything(SEED, with_keras=True)
    tf_keras.utils.set_random_seed(SEED)
    model = factory()
    _randomize_normalization(k, model, np.random.default_rng((SEED, 3)))
    calibration = _pixels(np.random.default_rng((SEED, 0)), CALIBRATION)
    _calibrate_batch_norm(k, model, calibration, np.random.default_rng((SEED, 2)))
    head = (model.get_layer(classifier) if classifier else
            [l for l in model.layers if isinstance(l, k.layers.Dense)][-1])
    _spread_logits(k, model, head, calibration)
    images, seed = im._test_images(name, model, _pixels)  # pylint: disable=protected-access

    path = mu.fresh_dir(os.path.join(out, name))
    if how == "export":
        model.export(path, verbose=False)
        kind, producer = "keras3_export", "Keras 3 model.export"
    else:
        tf.saved_model.save(model, path)
        kind, producer = "tf2", "tf_keras (Keras 2) model, tf.saved_model.save"
    exp_dir = os.path.join(out, name + ".expected")
    mu.write_expected(path, exp_dir, none_dim=BATCH, seed=SEED,
                      inputs=km.signature_inputs(path, images))
    km.check_top1(exp_dir)
    entry = mu.manifest_entry(out, name, kind, producer,
                              reference_inputs=f"{BATCH} images {SIZE}x{SIZE}, pixels uniform in "
                                               f"[0, 255]; numpy seed {list(seed)}")
    del model
    keras.backend.clear_session()
    tf_keras.backend.clear_session()
    gc.collect()
    return entry


MODELS = [lambda out, n=name: _build(out, n) for name in SPECS]
