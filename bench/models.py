"""Builds the benchmark models as SavedModels, with one seeded input each (bench/run.py's step 1).

usage: models.py --out DIR --models mobilenet,mlp,...

For each model NAME it writes, under DIR:
  NAME/              the SavedModel (tf.saved_model.save), signature serving_default, one input
                     and one output, float32, batch 1
  NAME.input.npy     the input every system is fed
  NAME.meta.json     signature keys and shapes: {"signature", "input", "output", "input_shape",
                     "output_shape", "description", "gflop" (for matmul_1024), "weights" (an .npy
                     of the matmul's W, for the OpenBLAS baseline)}
  NAME.tflite        for LiteRT: tf.lite.TFLiteConverter.from_saved_model(NAME, signature
                     serving_default), float32, no optimizations (no quantization)
  NAME.onnx          for ONNX Runtime: tf2onnx (python -m tf2onnx.convert --saved-model NAME
                     --signature_def serving_default --opset ONNX_OPSET), in this interpreter;
                     where NAME marks function calls _XlaMustCompile (tf_keras' grouped Conv2D:
                     ConvNeXt's depthwise convolutions), tf2onnx reads a copy of NAME without
                     the marks, so that it inlines those calls and converts their grouped Conv2D
                     to an ONNX Conv with a group attribute (without_xla_must_compile); then
                     Erfc nodes, which tf2onnx copies through but ONNX lacks, become 1 - Erf
                     (expand_erfc)

Models (weights seeded, never downloaded):
  mobilenet, mobilenet_v2, resnet50, efficientnet_b0, convnext_tiny
      tf_keras.applications.X(weights=None), 224x224x3, 1000 classes. Freshly initialised weights
      make activations vanish or explode through dozens of layers (denormals would then distort
      the timings), so, like a trained model, batch norm's moving statistics are set to the batch
      statistics of a few seeded images (one training-mode pass with momentum 0, dropout off) and
      the classifier is rescaled so that its logits have standard deviation 2 (a peaked but not
      saturated softmax, so that comparing outputs across systems means something).
      EfficientNet's Normalization layer gets ImageNet's channel mean and variance. The saved
      model has a static batch of 1 (input "image" [1, 224, 224, 3]; the weights are copied into
      the architecture built with that input), so that no system sees a dynamic batch: with the
      default [None, 224, 224, 3], LiteRT keeps Shape/StridedSlice/Pack/Reshape ops for the
      batch-dependent reshapes, which XNNPACK does not take, splitting the delegated graph.
  mlp          64 -> Dense 32 relu -> Dense 16 relu -> Dense 10 softmax (test/models' mlp), input
               "features" [1, 64]
  matmul_1024  a tf.Module whose signature computes x @ W, x a [1024, 1024] input and W a
               [1024, 1024] float32 variable
  lstm         a sequence classifier (keyword spotting / sensor windows): input "frames"
               [1, 64, 40] (64 steps of 40 features) -> LSTM 128 -> Dense 12 softmax
  gru          the same with GRU 128 (reset_after, Keras' default)
  transformer  a Keras encoder block on input "tokens" [1, 128, 256]: learned positions,
               MultiHeadAttention (4 heads of 64), residual + LayerNormalization, Dense 1024
               gelu -> Dense 256, residual + LayerNormalization
The models are built with tf_keras (Keras 2) and saved with tf.saved_model.save, as the
"<name>_tf_save" test models are; this file does not import test/models, whose helpers change
with the tests.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

SEED = 7
CALIBRATION = 8
LOGIT_STD = 2.0
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
MATMUL_N = 1024
ONNX_OPSET = 17


def _uniform(low, high):
    return lambda rng, n: rng.uniform(low, high, (n, 224, 224, 3)).astype(np.float32)


def _caffe(rng, n):
    # resnet50.preprocess_input ("caffe") of pixels uniform in [0, 255]: RGB -> BGR, means off.
    pixels = rng.uniform(0.0, 255.0, (n, 224, 224, 3)).astype(np.float32)
    return (pixels[..., ::-1] - np.array([103.939, 116.779, 123.68], np.float32)).copy()


# name -> (tf_keras.applications constructor name, classifier layer, input sampler, description)
IMAGE_MODELS = {
    "mobilenet": ("MobileNet", "conv_preds", _uniform(-1.0, 1.0),
                  "keras.applications MobileNet (alpha 1.0), input uniform in [-1, 1]"),
    "mobilenet_v2": ("MobileNetV2", "predictions", _uniform(-1.0, 1.0),
                     "keras.applications MobileNetV2 (alpha 1.0), input uniform in [-1, 1]"),
    "resnet50": ("ResNet50", "predictions", _caffe,
                 "keras.applications ResNet50, input: caffe preprocessing of uniform pixels"),
    "efficientnet_b0": ("EfficientNetB0", "predictions", _uniform(0.0, 255.0),
                        "keras.applications EfficientNetB0 (with its preprocessing layers), "
                        "pixels uniform in [0, 255]"),
    "convnext_tiny": ("ConvNeXtTiny", "convnext_tiny_head_dense", _uniform(0.0, 255.0),
                      "keras.applications ConvNeXtTiny (with its preprocessing layer; layer "
                      "scales drawn from [0.5, 1.5] instead of 1e-6), pixels uniform in [0, 255]"),
}
MODELS = list(IMAGE_MODELS) + ["mlp", "matmul_1024", "lstm", "gru", "transformer"]
RNN_STEPS, RNN_FEATURES, RNN_UNITS, RNN_CLASSES = 64, 40, 128, 12


def _seed(tf, tf_keras):
    np.random.seed(SEED)
    tf.random.set_seed(SEED)
    tf_keras.utils.set_random_seed(SEED)


def _calibrate(model, tf_keras, images):
    """Batch norm's moving statistics := the batch statistics of `images` at every layer."""
    bns = [l for l in model.layers if isinstance(l, tf_keras.layers.BatchNormalization)]
    drops = [l for l in model.layers if isinstance(l, tf_keras.layers.Dropout)]
    saved = [(l, l.momentum) for l in bns], [(l, l.rate) for l in drops]
    for layer in bns:
        layer.momentum = 0.0
    for layer in drops:
        layer.rate = 0.0
    model(images, training=True)
    for layer, momentum in saved[0]:
        layer.momentum = momentum
    for layer, rate in saved[1]:
        layer.rate = rate


def _spread_logits(model, tf_keras, classifier, images):
    """Centers the classifier's logits over `images` and scales them to std LOGIT_STD."""
    layer = model.get_layer(classifier)
    features = tf_keras.Model(model.input, layer.input)(images, training=False)
    features = np.asarray(features, np.float64).reshape(images.shape[0], -1)
    kernel = layer.kernel.numpy()
    w = kernel.reshape(features.shape[1], -1).astype(np.float64)
    mean = features.mean(axis=0)
    scale = LOGIT_STD / max(((features - mean) @ w).std(), 1e-30)
    layer.kernel.assign((kernel * scale).astype(np.float32))
    layer.bias.assign((-scale * (mean @ w)).astype(np.float32))


def build_image(name, path, tf, tf_keras):
    ctor, classifier, sample, description = IMAGE_MODELS[name]
    tf_keras.backend.clear_session()
    _seed(tf, tf_keras)
    model = getattr(tf_keras.applications, ctor)(weights=None)
    for layer in model.layers:
        # ConvNeXt's layer scales start at 1e-6 (every block ~ its residual): give them weight.
        if "layer_scale" in layer.name:
            for w in layer.weights:
                w.assign(np.random.default_rng((SEED, 2)).uniform(0.5, 1.5, w.shape)
                         .astype(np.float32))
        # EfficientNet's Normalization is adapted (set it to ImageNet's); ConvNeXt's is fixed.
        if isinstance(layer, tf_keras.layers.Normalization) and hasattr(layer, "adapt_mean"):
            layer.adapt_mean.assign(np.array(IMAGENET_MEAN, np.float32))
            layer.adapt_variance.assign(np.square(np.array(IMAGENET_STD, np.float32)))
            layer.finalize_state()
    calibration = sample(np.random.default_rng((SEED, 0)), CALIBRATION)
    _calibrate(model, tf_keras, calibration)
    _spread_logits(model, tf_keras, classifier, calibration)
    # The saved model: the same weights in the same architecture with a static batch of 1.
    image = tf_keras.Input(shape=(224, 224, 3), batch_size=1, name="image")
    static = getattr(tf_keras.applications, ctor)(weights=None, input_tensor=image)
    static.set_weights(model.get_weights())
    for layer in static.layers:
        if isinstance(layer, tf_keras.layers.Normalization):
            layer.finalize_state()
    x = sample(np.random.default_rng((SEED, 1)), 1)
    want, got = model(x, training=False), static(x, training=False)
    if not np.allclose(np.asarray(want), np.asarray(got), rtol=1e-5, atol=1e-6):
        raise RuntimeError(f"{name}: the static-batch model differs from the calibrated one")
    tf.saved_model.save(static, path)
    return x, description, {}


def build_mlp(path, tf, tf_keras):
    tf_keras.backend.clear_session()
    _seed(tf, tf_keras)
    inputs = tf_keras.Input(shape=(64,), batch_size=1, name="features")
    h = tf_keras.layers.Dense(32, activation="relu", name="dense_1")(inputs)
    h = tf_keras.layers.Dense(16, activation="relu", name="dense_2")(h)
    outputs = tf_keras.layers.Dense(10, activation="softmax", name="probabilities")(h)
    tf.saved_model.save(tf_keras.Model(inputs, outputs, name="mlp"), path)
    x = np.random.default_rng((SEED, 1)).standard_normal((1, 64)).astype(np.float32)
    return x, "MLP 64 -> 32 (relu) -> 16 (relu) -> 10 (softmax), as test/models' mlp", {}


def build_matmul(path, tf, _):
    n = MATMUL_N
    w = np.random.default_rng((SEED, 0)).uniform(-1.0, 1.0, (n, n)).astype(np.float32)

    class MatMul(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(w, name="w")

        @tf.function(input_signature=[tf.TensorSpec([n, n], tf.float32, name="x")])
        def serve(self, x):
            return {"y": tf.matmul(x, self.w)}

    module = MatMul()
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    np.save(path + ".w.npy", w)
    x = np.random.default_rng((SEED, 1)).uniform(-1.0, 1.0, (n, n)).astype(np.float32)
    return x, f"tf.Module: y = x @ W, x [{n}, {n}] input, W [{n}, {n}] variable (float32)", {
        "gflop": 2.0 * n ** 3 / 1e9, "weights": os.path.basename(path) + ".w.npy"}


def build_rnn(name, path, tf, tf_keras):
    tf_keras.backend.clear_session()
    _seed(tf, tf_keras)
    inputs = tf_keras.Input(shape=(RNN_STEPS, RNN_FEATURES), batch_size=1, name="frames")
    layer = tf_keras.layers.LSTM if name == "lstm" else tf_keras.layers.GRU
    h = layer(RNN_UNITS, name=name)(inputs)
    outputs = tf_keras.layers.Dense(RNN_CLASSES, activation="softmax", name="probabilities")(h)
    tf.saved_model.save(tf_keras.Model(inputs, outputs, name=name), path)
    x = np.random.default_rng((SEED, 1)).standard_normal(
        (1, RNN_STEPS, RNN_FEATURES)).astype(np.float32)
    what = "LSTM" if name == "lstm" else "GRU (reset_after)"
    return x, (f"[1, {RNN_STEPS}, {RNN_FEATURES}] -> {what} {RNN_UNITS} -> Dense {RNN_CLASSES} "
               "softmax (tf_keras, tf.saved_model.save)"), {}


def build_transformer(path, tf, tf_keras):
    steps, width, heads = 128, 256, 4
    tf_keras.backend.clear_session()
    _seed(tf, tf_keras)

    class AddPosition(tf_keras.layers.Layer):
        def build(self, input_shape):
            self.table = self.add_weight(name="positions", shape=(steps, width),
                                         initializer="random_normal")

        def call(self, x):
            return x + self.table

    inputs = tf_keras.Input(shape=(steps, width), batch_size=1, name="tokens")
    x = AddPosition(name="add_position")(inputs)
    a = tf_keras.layers.MultiHeadAttention(heads, width // heads, name="attention")(x, x)
    x = tf_keras.layers.LayerNormalization(name="norm1")(x + a)
    f = tf_keras.layers.Dense(4 * width, activation="gelu", name="ff1")(x)
    f = tf_keras.layers.Dense(width, name="ff2")(f)
    outputs = tf_keras.layers.LayerNormalization(name="norm2")(x + f)
    tf.saved_model.save(tf_keras.Model(inputs, outputs, name="transformer"), path)
    x = np.random.default_rng((SEED, 1)).standard_normal((1, steps, width)).astype(np.float32)
    return x, (f"encoder block: [1, {steps}, {width}], MultiHeadAttention {heads} x "
               f"{width // heads}, LayerNormalization, Dense {4 * width} gelu -> {width} "
               "(tf_keras, tf.saved_model.save)"), {}


def to_tflite(tf, path, out):
    converter = tf.lite.TFLiteConverter.from_saved_model(path, signature_keys=["serving_default"])
    converter.optimizations = []  # float32 as saved: no quantization
    with open(out + ".tmp", "wb") as f:
        f.write(converter.convert())
    os.replace(out + ".tmp", out)


def to_onnx(path, out):
    with tempfile.TemporaryDirectory(prefix=os.path.basename(out) + ".",
                                     dir=os.path.dirname(os.path.abspath(out))) as scratch:
        source = without_xla_must_compile(path, os.path.join(scratch, "saved_model"))
        subprocess.run([sys.executable, "-m", "tf2onnx.convert", "--saved-model", source,
                        "--tag", "serve", "--signature_def", "serving_default",
                        "--opset", str(ONNX_OPSET), "--output", out + ".tmp"], check=True)
    expand_erfc(out + ".tmp")
    os.replace(out + ".tmp", out)


def without_xla_must_compile(path, scratch):
    """`path`, or if its graph marks function calls _XlaMustCompile, a copy in `scratch` without.

    tf_keras' Conv2D with groups > 1 (ConvNeXt's 7x7 depthwise convolutions) computes through a
    tf.function(jit_compile=True): the SavedModel calls it with a PartitionedCall marked
    _XlaMustCompile=true, as is the FunctionDef. tf2onnx inlines function calls with Grappler,
    which leaves calls marked for XLA alone; tf2onnx then copies the PartitionedCall through and
    ONNX Runtime rejects the graph ("No Op registered for PartitionedCall"). The mark only asks
    TensorFlow to compile the call with XLA: the function's body is the convolution itself, a
    Conv2D whose filter has fewer input channels than its input (C groups of one channel), which
    tf2onnx converts to an ONNX Conv with group = C. The copy is saved_model.pb with the marks
    removed and every other file of the SavedModel linked (fingerprint.pb, a hash of the original
    saved_model.pb, left out): the same graph and the same variables. Only tf2onnx reads it; the
    other systems get the SavedModel as saved.
    """
    from tensorflow.core.protobuf import saved_model_pb2  # pylint: disable=import-outside-toplevel

    key = "_XlaMustCompile"
    saved_model = saved_model_pb2.SavedModel()
    with open(os.path.join(path, "saved_model.pb"), "rb") as f:
        saved_model.ParseFromString(f.read())
    marked = 0
    for meta_graph in saved_model.meta_graphs:
        functions = meta_graph.graph_def.library.function
        nodes = list(meta_graph.graph_def.node) + [n for f in functions for n in f.node_def]
        for attrs in [f.attr for f in functions] + [n.attr for n in nodes]:
            if key in attrs and attrs[key].b:
                del attrs[key]
                marked += 1
    if not marked:
        return path
    os.makedirs(scratch)
    for entry in os.listdir(path):
        if entry not in ("saved_model.pb", "fingerprint.pb"):
            os.symlink(os.path.abspath(os.path.join(path, entry)), os.path.join(scratch, entry))
    with open(os.path.join(scratch, "saved_model.pb"), "wb") as f:
        f.write(saved_model.SerializeToString())
    print(f"[models] {path}: {marked} {key} marks removed for tf2onnx", flush=True)
    return scratch


def expand_erfc(onnx_path):
    """Rewrites each Erfc node as Sub(1, Erf(x)) in place.

    ONNX has no Erfc op and tf2onnx has no handler for TensorFlow's: it copies the node through,
    and ONNX Runtime then rejects the graph (INVALID_GRAPH "No Op registered for Erfc"). Keras'
    exact gelu is 0.5 * x * erfc(-x / sqrt(2)) (tf.nn.gelu, approximate=False), so the
    transformer has one. erfc(x) = 1 - erf(x) exactly; in float32 the two differ only where
    erfc(x) is below ~3e-8 (x > ~3.9), where 1 - erf(x) rounds to 0: gelu(x) for x < ~-5.5 is
    then 0 instead of a value below 1e-7 * |x|.
    """
    import onnx  # pylint: disable=import-outside-toplevel  (tf2onnx's dependency)
    from onnx import helper, numpy_helper  # pylint: disable=import-outside-toplevel

    model = onnx.load(onnx_path)
    graph = model.graph
    if not any(node.op_type == "Erfc" for node in graph.node):
        return
    one = "smc_bench_erfc_one"
    graph.initializer.append(numpy_helper.from_array(np.array(1.0, np.float32), one))
    nodes = []
    for node in graph.node:
        if node.op_type != "Erfc":
            nodes.append(node)
            continue
        erf = node.output[0] + "_erf"
        nodes.append(helper.make_node("Erf", [node.input[0]], [erf], name=node.name + "_erf"))
        nodes.append(helper.make_node("Sub", [one, erf], [node.output[0]], name=node.name))
    del graph.node[:]
    graph.node.extend(nodes)
    # Other nodes tf2onnx could not convert (as ConvNeXt's grouped convolutions were before
    # without_xla_must_compile) make the graph invalid either way: the graph is saved as is and
    # ONNX Runtime's refusal goes in the report.
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as e:
        print(f"[models] {onnx_path}: still not a valid ONNX graph: {str(e).splitlines()[0]}")
    onnx.save(model, onnx_path)


def build(name, out):
    import tensorflow as tf  # pylint: disable=import-outside-toplevel  (slow; only when needed)
    import tf_keras  # pylint: disable=import-outside-toplevel

    path = os.path.join(out, name)
    if os.path.exists(path):
        shutil.rmtree(path)
    if name in IMAGE_MODELS:
        x, description, extra = build_image(name, path, tf, tf_keras)
    elif name == "mlp":
        x, description, extra = build_mlp(path, tf, tf_keras)
    elif name in ("lstm", "gru"):
        x, description, extra = build_rnn(name, path, tf, tf_keras)
    elif name == "transformer":
        x, description, extra = build_transformer(path, tf, tf_keras)
    else:
        x, description, extra = build_matmul(path, tf, tf_keras)
    fn = tf.saved_model.load(path).signatures["serving_default"]
    specs = fn.structured_input_signature[1]
    if len(specs) != 1 or len(fn.structured_outputs) != 1:
        raise RuntimeError(f"{name}: expected one input and one output")
    (in_key,), (out_key,) = list(specs), list(fn.structured_outputs)
    y = fn(**{in_key: tf.constant(x)})[out_key].numpy()
    if not np.all(np.isfinite(y)):
        raise RuntimeError(f"{name}: non-finite outputs")
    np.save(os.path.join(out, name + ".input.npy"), x)
    meta = {"name": name, "signature": "serving_default", "input": in_key, "output": out_key,
            "input_shape": list(x.shape), "output_shape": list(y.shape),
            "description": description}
    meta.update(extra)
    to_tflite(tf, path, path + ".tflite")
    to_onnx(path, path + ".onnx")
    with open(os.path.join(out, name + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    print(f"[models] {name}: {description}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", default=",".join(MODELS))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.models.split(","):
        if name not in MODELS:
            raise SystemExit(f"unknown model {name!r}; known: {', '.join(MODELS)}")
        build(name, args.out)


if __name__ == "__main__":
    main()
