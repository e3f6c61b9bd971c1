"""Trains the digits demo's model and writes everything the demo app reads (all committed):

  cnn/                     the SavedModel (tf.saved_model.save of a tf_keras model), signature
                           serving_default: input `pixels` float32 [None, 8, 8, 1] -> output
                           `probabilities` float32 [None, 10] (softmax)
  test_images.npy          the held-out digits, float32 [N, 8, 8, 1], pixels scaled to [0, 1]
  test_labels.npy          their labels, int32 [N]
  tf_probabilities.npy     TensorFlow's outputs of cnn/ on test_images.npy, float32 [N, 10]

The data is scikit-learn's digits set (1,797 8x8 images of handwritten digits, 16 grey levels;
bundled with scikit-learn, no download). The model is a small CNN (NHWC):

  8x8x1 -> Conv2D 16 3x3 SAME -> BatchNorm -> relu -> MaxPool 2x2 -> 4x4x16
        -> Conv2D 32 3x3 VALID -> BatchNorm -> relu -> 2x2x32 -> GlobalAveragePooling -> 32
        -> Dense 10 softmax

(in the SavedModel: Conv2D, FusedBatchNormV3, Relu, MaxPool, Mean, MatMul, BiasAdd, Softmax),
trained with fixed seeds and deterministic ops on a fixed stratified split. Keras 3 models cannot
reliably be saved with tf.saved_model.save, so it is built with tf_keras (Keras 2). What is saved
is a fresh copy of the trained model without the optimizer, so that the checkpoint holds only
the weights (and the batch norms' moving statistics), and without fingerprint.pb (a random
UUID), so that rerunning this gives the same files.

Run it with the pinned venv (only to regenerate the committed files):
  PY=$(scripts/setup-venv.sh) && $PY examples/digits/train_digits.py
"""
import os
import random
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

SEED = 0
TEST_FRACTION = 0.2
EPOCHS = 40
BATCH = 32
# The demo's test requires smc's top-1 to equal TensorFlow's on every test digit. float32
# differences between two correct implementations (summation order) are ~1e-6 on these
# probabilities; a gap this wide between the two largest ones leaves no room for a flip.
MIN_TOP2_MARGIN = 1e-3
MIN_ACCURACY = 0.96


def build(k):
    inputs = k.Input(shape=(8, 8, 1), name="pixels")
    x = inputs
    for i, (filters, padding) in enumerate(((16, "same"), (32, "valid")), start=1):
        x = k.layers.Conv2D(filters, 3, padding=padding, use_bias=False, name=f"conv{i}")(x)
        x = k.layers.BatchNormalization(name=f"bn{i}")(x)
        x = k.layers.ReLU(name=f"relu{i}")(x)
        if i == 1:
            x = k.layers.MaxPooling2D(2, name="pool1")(x)
    x = k.layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = k.layers.Dense(10, activation="softmax", name="probabilities")(x)
    return k.Model(inputs, outputs, name="digits_cnn")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    random.seed(SEED)
    np.random.seed(SEED)
    tf_keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()

    digits = load_digits()
    # grey levels 0..16 -> [0, 1], exact in float32; rows of 64 -> 8x8 images, one channel
    x = (digits.data / 16.0).astype(np.float32).reshape(-1, 8, 8, 1)
    y = digits.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y)

    model = build(tf_keras)
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH, shuffle=True, verbose=0)

    # A fresh model with the trained weights: no optimizer state in the checkpoint.
    inference = build(tf_keras)
    inference.set_weights(model.get_weights())
    out = os.path.join(here, "cnn")
    shutil.rmtree(out, ignore_errors=True)
    tf.saved_model.save(inference, out)
    fingerprint = os.path.join(out, "fingerprint.pb")
    if os.path.exists(fingerprint):
        os.remove(fingerprint)

    # TensorFlow's own outputs, from the saved signature as any TF user would call it.
    serve = tf.saved_model.load(out).signatures["serving_default"]
    probabilities = serve(pixels=tf.constant(x_test))["probabilities"].numpy()
    predictions = probabilities.argmax(axis=1)
    accuracy = float(np.mean(predictions == y_test))
    top2 = np.sort(probabilities, axis=1)[:, -2:]
    margin = float(np.min(top2[:, 1] - top2[:, 0]))

    np.save(os.path.join(here, "test_images.npy"), x_test)
    np.save(os.path.join(here, "test_labels.npy"), y_test)
    np.save(os.path.join(here, "tf_probabilities.npy"), probabilities.astype(np.float32))

    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
    print(f"wrote {out} ({size} bytes) and the test set: {len(y_test)} digits, "
          f"TensorFlow accuracy {accuracy:.4f}, smallest top-2 margin {margin:.3g}")
    if accuracy < MIN_ACCURACY:
        sys.exit(f"accuracy {accuracy:.4f} is below {MIN_ACCURACY}")
    if margin < MIN_TOP2_MARGIN:
        sys.exit(f"a test digit has its two largest probabilities within {margin:.3g} "
                 f"(< {MIN_TOP2_MARGIN}); the demo test could flip on it: change SEED or EPOCHS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
