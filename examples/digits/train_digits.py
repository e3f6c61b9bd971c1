"""Trains the digits demo's model and writes everything the demo app reads (all committed):

  mlp/                     the SavedModel (tf.saved_model.save of a tf_keras model), signature
                           serving_default: input `pixels` float32 [None, 64] -> output
                           `probabilities` float32 [None, 10] (softmax)
  test_images.npy          the held-out digits, float32 [N, 64], pixels scaled to [0, 1]
  test_labels.npy          their labels, int32 [N]
  tf_probabilities.npy     TensorFlow's outputs of mlp/ on test_images.npy, float32 [N, 10]

The data is scikit-learn's digits set (1,797 8x8 images of handwritten digits, 16 grey levels;
bundled with scikit-learn, no download). The model is a small MLP, 64 -> Dense 32 relu ->
Dense 10 softmax, trained with fixed seeds on a fixed stratified split. Keras 3 models cannot
reliably be saved with tf.saved_model.save, so it is built with tf_keras (Keras 2). What is saved
is a fresh copy of the trained model without the optimizer, so that the checkpoint holds only
the weights, and without fingerprint.pb (a random UUID), so that rerunning this gives the same
files.

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
EPOCHS = 60
BATCH = 32
# The demo's test requires smc's top-1 to equal TensorFlow's on every test digit. float32
# differences between two correct implementations (summation order) are ~1e-6 on these
# probabilities; a gap this wide between the two largest ones leaves no room for a flip.
MIN_TOP2_MARGIN = 1e-3
MIN_ACCURACY = 0.95


def build(k):
    inputs = k.Input(shape=(64,), name="pixels")
    hidden = k.layers.Dense(32, activation="relu", name="hidden")(inputs)
    outputs = k.layers.Dense(10, activation="softmax", name="probabilities")(hidden)
    return k.Model(inputs, outputs, name="digits_mlp")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    random.seed(SEED)
    np.random.seed(SEED)
    tf_keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # grey levels 0..16 -> [0, 1], exact in float32
    y = digits.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y)

    model = build(tf_keras)
    model.compile(optimizer=tf_keras.optimizers.Adam(1e-2),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH, shuffle=True, verbose=0)

    # A fresh model with the trained weights: no optimizer state in the checkpoint.
    inference = build(tf_keras)
    inference.set_weights(model.get_weights())
    out = os.path.join(here, "mlp")
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
