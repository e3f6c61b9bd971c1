"""The 224x224x3 ImageNet classifiers of keras.applications (weights=None, 1000 classes, softmax
output "predictions"), with seeded weights, each written as <name>_tf_save (tf_keras,
tf.saved_model.save) and <name>_export (Keras 3 model.export) exactly like keras_models.py's
models (keras_models.save_pair: same weights in both, checked to compute the same function):

  mobilenet        MobileNet (alpha 1.0)
  mobilenet_v2     MobileNetV2 (alpha 1.0)
  resnet50         ResNet50
  efficientnet_b0  EfficientNetB0 (with its Rescaling and Normalization preprocessing layers)

Freshly initialized weights make a weak reference: activations vanish or explode through dozens
of layers, batch norm is an identity, and the pooled features hardly depend on the image, so
every input gets the same nearly uniform softmax (a compiler that ignored its input would pass).
So, after the seeded initialization and before the weights are copied to the twin:

1. Preprocessing: EfficientNet's Normalization layer (left at mean 0, variance 1 by weights=None)
   gets ImageNet's per-channel mean and variance, as a user's model has them.
2. Batch norm: gamma and beta are random (keras_models.randomize_batch_norm); the moving mean and
   variance are then calibrated, as training would: one training-mode pass with momentum 0 over
   CALIBRATION seeded images sets them to the batch statistics of every layer's input (dropout
   off), and each is then jittered per channel (mean + N(0, BN_MEAN_JITTER) * std, variance *
   U(BN_VAR_JITTER)), so that every BatchNormalization layer has its own non-trivial,
   non-identity statistics and folding bugs cannot hide, while activations stay well scaled.
3. Classifier (the last Dense "predictions"; MobileNet's 1x1 conv "conv_preds"): logits are
   centered over the calibration images and scaled to standard deviation LOGIT_STD
   (keras_models.spread_logits), so that the top class depends on the image and the softmax is
   peaked but not saturated.

Reference inputs: ONE batch of BATCH = 20 seeded images per model, io/<sig>/inputs/<key>.npy of
shape [20, 224, 224, 3] (float32), with TensorFlow's outputs in io/<sig>/outputs/, in the range
each model expects (keras.applications' MobileNet, MobileNetV2 and ResNet50 do not include their
preprocess_input; EfficientNet does):

  mobilenet, mobilenet_v2  uniform in [-1, 1] (what their preprocess_input, mode "tf", gives)
  resnet50                 resnet50.preprocess_input of pixels uniform in [0, 255] (mode "caffe":
                           RGB -> BGR, ImageNet channel means subtracted)
  efficientnet_b0          pixels uniform in [0, 255]

Every row of the recorded outputs must have a top-1 probability more than
keras_models.MIN_TOP2_GAP above the runner-up, and the batch must have at least MIN_CLASSES
distinct top-1 classes; if an input seed misses that, the next one is tried (the seed used is in
the manifest entry, "reference_inputs"). Each model's Keras name counters are reset first
(clear_session), so its input keys do not depend on which models were built before it.
"""

import gc

import keras
import numpy as np
import tf_keras

import keras_models as km

SEED = km.SEED
BATCH = 20
CALIBRATION = 16
BN_MEAN_JITTER = 0.1
BN_VAR_JITTER = (0.7, 1.4)
LOGIT_STD = 2.0
MIN_CLASSES = 5
INPUT_ATTEMPTS = 10
# Keras 3 and tf_keras MobileNetV2 differ by up to ~1.3e-4 relative (rounding; see build_pair).
TWIN_RTOL = 1e-3
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def _uniform(low, high):
    return lambda rng, n: rng.uniform(low, high, (n, 224, 224, 3)).astype(np.float32)


def _caffe(rng, n):
    pixels = rng.uniform(0.0, 255.0, (n, 224, 224, 3)).astype(np.float32)
    return np.asarray(keras.applications.resnet50.preprocess_input(pixels), np.float32)


# name -> (factory(k) for k = keras or tf_keras, classifier layer, input sampler(rng, n),
#          description of the inputs)
SPECS = {
    "mobilenet": (lambda k: k.applications.MobileNet(weights=None), "conv_preds",
                  _uniform(-1.0, 1.0), "uniform in [-1, 1]"),
    "mobilenet_v2": (lambda k: k.applications.MobileNetV2(weights=None), "predictions",
                     _uniform(-1.0, 1.0), "uniform in [-1, 1]"),
    "resnet50": (lambda k: k.applications.ResNet50(weights=None), "predictions", _caffe,
                 "resnet50.preprocess_input (caffe) of pixels uniform in [0, 255]"),
    "efficientnet_b0": (lambda k: k.applications.EfficientNetB0(weights=None), "predictions",
                        _uniform(0.0, 255.0), "pixels uniform in [0, 255]"),
}


def _imagenet_normalization(model):
    for layer in model.layers:
        if isinstance(layer, keras.layers.Normalization):
            layer.adapt_mean.assign(np.array(IMAGENET_MEAN, np.float32))
            layer.adapt_variance.assign(np.square(np.array(IMAGENET_STD, np.float32)))
            layer.finalize_state()


def _calibrate_batch_norm(model, images, rng):
    """Moving statistics := each layer's batch statistics on `images`, then jittered."""
    bns = [l for l in model.layers if isinstance(l, keras.layers.BatchNormalization)]
    drops = [l for l in model.layers if isinstance(l, keras.layers.Dropout)]
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
        layer.moving_mean.assign((mean + rng.normal(0.0, BN_MEAN_JITTER, n) * np.sqrt(var))
                                 .astype(np.float32))
        layer.moving_variance.assign((var * rng.uniform(*BN_VAR_JITTER, n)).astype(np.float32))


def _test_images(name, model, sample):
    """The first seeded batch whose outputs have a clear top-1 in every row and MIN_CLASSES
    distinct top-1 classes; returns (images, seed used)."""
    for attempt in range(INPUT_ATTEMPTS):
        seed = (SEED, 1, attempt)
        images = sample(np.random.default_rng(seed), BATCH)
        probabilities = np.asarray(model(images, training=False))
        gaps = km.top2_gaps(probabilities)
        classes = len(set(probabilities.argmax(axis=-1).tolist()))
        if gaps.min() > km.MIN_TOP2_GAP and classes >= MIN_CLASSES:
            return images, seed
        print(f"[image_models] {name}: input seed {seed}: smallest top-2 gap {gaps.min():.3g}, "
              f"{classes} classes; trying another", flush=True)
    raise RuntimeError(f"{name}: no input seed of {INPUT_ATTEMPTS} gives a clear top-1")


def _build(out, name):
    factory, classifier, sample, description = SPECS[name]
    keras.backend.clear_session()
    tf_keras.backend.clear_session()
    chosen = {}

    def adjust(model):
        _imagenet_normalization(model)
        calibration = sample(np.random.default_rng((SEED, 0)), CALIBRATION)
        _calibrate_batch_norm(model, calibration, np.random.default_rng((SEED, 2)))
        km.spread_logits(model, classifier, calibration, LOGIT_STD)
        chosen["images"], chosen["seed"] = _test_images(name, model, sample)

    # save_pair builds the pair (adjust runs on the Keras 3 model) before it needs the inputs.
    model3, model2 = km.build_pair(factory, adjust, rtol=TWIN_RTOL)
    images, seed = chosen["images"], chosen["seed"]
    entries = km.save_pair(out, name, factory, inputs=images, classifier=True,
                           models=(model3, model2),
                           reference_inputs=f"{BATCH} images, {description}; "
                                            f"numpy seed {list(seed)}")
    # Free this model's graphs and functions before the next one (they slow Python's GC down).
    del model3, model2, chosen
    keras.backend.clear_session()
    tf_keras.backend.clear_session()
    gc.collect()
    return entries


def build_mobilenet(out):
    return _build(out, "mobilenet")


def build_mobilenet_v2(out):
    return _build(out, "mobilenet_v2")


def build_resnet50(out):
    return _build(out, "resnet50")


def build_efficientnet_b0(out):
    return _build(out, "efficientnet_b0")


# Two families for make_models.py ("images1", "images2"). Measured CPU seconds: ResNet50 51,
# MobileNet 22, EfficientNetB0 55, MobileNetV2 39; the small families (about 20 s) follow images1
# on its core, so both cores finish at about the same time.
MODELS1 = [build_resnet50, build_mobilenet]
MODELS2 = [build_efficientnet_b0, build_mobilenet_v2]
MODELS = MODELS1 + MODELS2
