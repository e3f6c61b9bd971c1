"""Keras models with seeded random weights, each written twice:

  <name>_tf_save   tf.saved_model.save(model, path) as the SavedModel guide does. Keras 3 models
                   are not reliably savable that way, so this variant is built with tf_keras
                   (Keras 2) and gets the Keras 3 model's weights (get_weights/set_weights; the
                   layer structures are identical, so the weight lists line up one to one).
  <name>_export    Keras 3's model.export(path) (format "tf_saved_model": signature
                   serving_default plus the endpoint function `serve`).

Models: mlp (64 -> Dense 32 relu -> Dense 16 relu -> Dense 10 softmax) and cnn (8x8x1 -> Conv 8 ->
MaxPool -> Conv 16 -> GlobalAveragePooling -> Dense 10 softmax). The 224x224 keras.applications
classifiers (MobileNet, MobileNetV2, ResNet50, EfficientNetB0) are in image_models.py, which
reuses build_pair/save_pair from here. Batch-norm layers get random gamma/beta/moving
mean/moving variance so that inference-mode batch norm is not an identity.

Reference inputs: mlp uses batch 2 (each signature's leading None dimension) of standard-normal
values. cnn, a toy image classifier, gets one batch of CNN_BATCH = 20 images uniform in [0, 1]
(pixel intensities); its classifier is centered and scaled on 20 other such images
(spread_logits) so that the top class depends on the image, and its recorded outputs are checked
to have a well-defined top-1 in every row (check_top1). Both variants of a model must compute
the same function; build_pair checks their outputs agree before saving.
"""

import os

import keras
import numpy as np
import tensorflow as tf
import tf_keras

import model_utils as mu

SEED = 2
BATCH = 2
CNN_BATCH = 20
CNN_LOGIT_STD = 2.0
# A classifier's recorded outputs must have, in every row, a top probability that exceeds the
# runner-up by more than this, so that the parity test's top-1 comparison is well defined.
MIN_TOP2_GAP = 1e-4


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


def randomize_batch_norm(model, rng):
    """Gives every BatchNormalization layer non-trivial gamma, beta and moving statistics."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            n = layer.moving_mean.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
            layer.beta.assign(rng.normal(0.0, 0.1, n).astype(np.float32))
            layer.moving_mean.assign(rng.normal(0.0, 0.1, n).astype(np.float32))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))


def spread_logits(model, classifier, images, logit_std):
    """Makes a random classifier's top class depend on the image: with f the input features of
    the layer `classifier` (Dense, or a 1x1 Conv2D) on `images`, its kernel W and bias become
    s*W and -s*mean(f)@W, so that the logits are centered over the images (random features share
    a large common component, which otherwise decides the top class for every image), and s
    makes their standard deviation logit_std (a softmax that is peaked but not saturated)."""
    layer = model.get_layer(classifier)
    features = keras.Model(model.input, layer.input)(images, training=False)
    features = np.asarray(features, np.float64).reshape(images.shape[0], -1)
    kernel = layer.kernel.numpy()
    w = kernel.reshape(features.shape[1], -1).astype(np.float64)
    mean = features.mean(axis=0)
    scale = logit_std / ((features - mean) @ w).std()
    layer.kernel.assign((kernel * scale).astype(np.float32))
    layer.bias.assign((-scale * (mean @ w)).astype(np.float32))


def build_pair(factory, adjust=None, seed=SEED, rtol=1e-5):
    """Keras 3 model with seeded weights and a tf_keras twin with the same weights.

    adjust(model3), if given, runs after the batch-norm randomization, before the weights are
    copied. The twins' outputs must agree within rtol (and atol 1e-6): Keras 3 and tf_keras
    implement some layers with different TF ops (batch norm: arithmetic vs. FusedBatchNormV3),
    whose rounding differences grow through a deep network; a mismatched weight would differ by
    far more."""
    mu.seed_everything(seed, with_keras=True)
    tf_keras.utils.set_random_seed(seed)
    model3 = factory(keras)
    randomize_batch_norm(model3, np.random.default_rng(seed))
    if adjust:
        adjust(model3)
    model2 = factory(tf_keras)
    weights3, weights2 = model3.get_weights(), model2.get_weights()
    if [w.shape for w in weights3] != [w.shape for w in weights2]:
        raise RuntimeError(f"{model3.name}: Keras 3 and tf_keras weight lists differ")
    model2.set_weights(weights3)
    for layer in model2.layers:  # e.g. Normalization derives its constants from its weights
        if isinstance(layer, tf_keras.layers.Normalization):
            layer.finalize_state()
    # Same function? (Compare in inference mode on a seeded batch.)
    x = np.random.default_rng(seed).random((BATCH,) + tuple(model3.input_shape[1:]), np.float32)
    out3, out2 = model3(x, training=False), model2(x, training=False)
    if not np.allclose(np.asarray(out3), np.asarray(out2), rtol=rtol, atol=1e-6):
        raise RuntimeError(f"{model3.name}: Keras 3 and tf_keras outputs differ")
    return model3, model2


def signature_inputs(model_dir, value):
    """{signature key: {input key: value}} for every signature of a SavedModel whose signatures
    all take one input (as a Keras model's do), for mu.write_expected(inputs=...)."""
    inputs = {}
    for _, meta_graph in mu.read_meta_graphs(model_dir):
        for sig_key, sig in meta_graph.signature_def.items():
            if sig_key == mu.INIT_OP_KEY:
                continue
            if len(sig.inputs) != 1:
                raise RuntimeError(f"{model_dir}: signature {sig_key} has {len(sig.inputs)} inputs")
            inputs[sig_key] = {next(iter(sig.inputs)): value}
    return inputs


def top2_gaps(probabilities):
    """Per row: the top probability minus the runner-up."""
    top2 = np.sort(np.asarray(probabilities, np.float64), axis=-1)[..., -2:]
    return top2[..., 1] - top2[..., 0]


def check_top1(exp_dir):
    """Raises unless every recorded float output of every signature in exp_dir/io has a
    well-defined argmax in every row (top-2 gap > MIN_TOP2_GAP)."""
    io_dir = os.path.join(exp_dir, "io")
    for sig_key in sorted(os.listdir(io_dir)):
        outputs = os.path.join(io_dir, sig_key, "outputs")
        for file in sorted(os.listdir(outputs)):
            gaps = top2_gaps(np.load(os.path.join(outputs, file)))
            if gaps.min() <= MIN_TOP2_GAP:
                raise RuntimeError(f"{exp_dir}: {sig_key}/{file}: top-2 probabilities within "
                                   f"{gaps.min():.3g} of each other (row {gaps.argmin()})")


def save_pair(out, name, factory, adjust=None, inputs=None, seed=SEED, classifier=False,
              models=None, **extra):
    """Writes <name>_tf_save and <name>_export with their reference data; returns their manifest
    entries (extra keys are added to both).

    inputs: an array fed to every signature (its batch fixes the recorded batch); default: the
    seeded standard-normal inputs of mu.write_expected with batch BATCH. classifier: check that
    every recorded output row has a well-defined top-1 (check_top1). models: the pair, if the
    caller built it already (build_pair); factory and adjust are then not used.
    """
    model3, model2 = models or build_pair(factory, adjust, seed)
    entries = []

    def expected(path, exp_dir):
        mu.write_expected(path, exp_dir, none_dim=BATCH, seed=seed,
                          inputs=None if inputs is None else signature_inputs(path, inputs))
        if classifier:
            check_top1(exp_dir)

    tf_save = name + "_tf_save"
    path = mu.fresh_dir(os.path.join(out, tf_save))
    tf.saved_model.save(model2, path)
    expected(path, os.path.join(out, tf_save + ".expected"))
    entries.append(mu.manifest_entry(out, tf_save, "tf2",
                                     "tf_keras (Keras 2) model, tf.saved_model.save", **extra))

    export = name + "_export"
    path = mu.fresh_dir(os.path.join(out, export))
    model3.export(path, verbose=False)
    expected(path, os.path.join(out, export + ".expected"))
    entries.append(mu.manifest_entry(out, export, "keras3_export", "Keras 3 model.export",
                                     **extra))
    return entries


def build_mlp(out):
    return save_pair(out, "mlp", _mlp)


def build_cnn(out):
    def images(seed):
        rng = np.random.default_rng(seed)
        return rng.uniform(0.0, 1.0, (CNN_BATCH, 8, 8, 1)).astype(np.float32)

    def adjust(model):
        spread_logits(model, "probabilities", images((SEED, 0)), CNN_LOGIT_STD)

    return save_pair(out, "cnn", _cnn, adjust, inputs=images((SEED, 1)), classifier=True,
                     reference_inputs=f"{CNN_BATCH} images, pixels uniform in [0, 1]")


MODELS = [build_mlp, build_cnn]
