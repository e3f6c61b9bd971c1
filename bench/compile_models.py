"""The compile-time benchmark's extra models, and TensorFlow Lite's converter timed on SavedModels.

usage: compile_models.py --out DIR --models densenet121,...     build the SavedModels
       compile_models.py --time-tflite DIR... [--repeats N]   time the converter on each; prints
                                                              JSON {dir: [seconds, ...]}

Models (built with tf_keras, weights seeded, never downloaded, saved with tf.saved_model.save
with a static batch of 1; compile time does not depend on the weights' values, so they are not
calibrated as bench/models.py's are, and these models are only compiled, never timed):
  densenet121    keras.applications DenseNet121, input "image" [1, 224, 224, 3]
  nasnet_mobile  keras.applications NASNetMobile, input "image" [1, 224, 224, 3]
  xception       keras.applications Xception, input "image" [1, 299, 299, 3]

The converter's time is tf.lite.TFLiteConverter.from_saved_model(DIR, signature_keys=
["serving_default"]) and convert() (float32, no optimizations: what bench/models.py makes),
in one Python process that has already imported TensorFlow and converted one small model, so
that neither TensorFlow's import nor its first-use set-up is counted.
"""

import argparse
import json
import os
import shutil
import time

SEED = 7
COMPILE_MODELS = {
    "densenet121": ("DenseNet121", 224),
    "nasnet_mobile": ("NASNetMobile", 224),
    "xception": ("Xception", 299),
}


def build(name, out, tf, tf_keras):
    ctor, size = COMPILE_MODELS[name]
    tf_keras.backend.clear_session()
    tf_keras.utils.set_random_seed(SEED)
    image = tf_keras.Input(shape=(size, size, 3), batch_size=1, name="image")
    model = getattr(tf_keras.applications, ctor)(weights=None, input_tensor=image)
    path = os.path.join(out, name)
    if os.path.exists(path):
        shutil.rmtree(path)
    tf.saved_model.save(model, path)
    meta = {"name": name, "signature": "serving_default", "input": "image",
            "input_shape": [1, size, size, 3], "compile_only": True,
            "description": f"keras.applications {ctor}, {size}x{size}, batch 1"}
    with open(os.path.join(out, name + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    print(f"[compile_models] {name}: {meta['description']}", flush=True)


def time_tflite(tf, dirs, repeats):
    def convert(path):
        converter = tf.lite.TFLiteConverter.from_saved_model(
            path, signature_keys=["serving_default"])
        converter.optimizations = []
        return converter.convert()

    # First use: TensorFlow's and the converter's one-time set-up, not counted.
    class Tiny(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([1, 4], tf.float32, name="x")])
        def serve(self, x):
            return {"y": x * 2.0}

    tiny = Tiny()
    scratch = os.path.join(os.path.dirname(os.path.abspath(dirs[0])), ".tflite_warmup")
    tf.saved_model.save(tiny, scratch, signatures={"serving_default": tiny.serve})
    convert(scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    times = {}
    for d in dirs:
        times[d] = []
        for _ in range(repeats):
            start = time.monotonic()
            convert(d)
            times[d].append(time.monotonic() - start)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out")
    ap.add_argument("--models", default=",".join(COMPILE_MODELS))
    ap.add_argument("--time-tflite", nargs="+", metavar="DIR")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    import tensorflow as tf  # pylint: disable=import-outside-toplevel  (slow)
    if args.time_tflite:
        print(json.dumps(time_tflite(tf, args.time_tflite, args.repeats)))
        return
    import tf_keras  # pylint: disable=import-outside-toplevel
    if not args.out:
        ap.error("--out is required to build models")
    os.makedirs(args.out, exist_ok=True)
    for name in args.models.split(","):
        if name not in COMPILE_MODELS:
            raise SystemExit(f"unknown model {name!r}; known: {', '.join(COMPILE_MODELS)}")
        build(name, args.out, tf, tf_keras)


if __name__ == "__main__":
    main()
