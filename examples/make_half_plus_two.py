"""Builds examples/half_plus_two, the small SavedModel the README's demo starts from.

y = a * x + b with variables a = 0.5 and b = 2.0, saved by tf.saved_model.save with a
`serving_default` signature on a float32 [None, 1] input. The output is committed; rerun this
with the pinned venv (scripts/setup-venv.sh) only to regenerate it.
"""
import os
import shutil
import sys

import tensorflow as tf


class HalfPlusTwo(tf.Module):
    def __init__(self):
        super().__init__()
        self.a = tf.Variable(0.5, name="a")
        self.b = tf.Variable(2.0, name="b")

    @tf.function(input_signature=[tf.TensorSpec([None, 1], tf.float32, name="x")])
    def __call__(self, x):
        return {"y": self.a * x + self.b}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "half_plus_two")
    shutil.rmtree(out, ignore_errors=True)
    model = HalfPlusTwo()
    tf.saved_model.save(model, out, signatures={"serving_default": model.__call__})
    # The fingerprint holds a random UUID; drop it so that regenerating gives the same files.
    fp = os.path.join(out, "fingerprint.pb")
    if os.path.exists(fp):
        os.remove(fp)
    print("wrote", out)


if __name__ == "__main__":
    sys.exit(main())
