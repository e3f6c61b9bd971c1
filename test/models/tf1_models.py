"""A TF1-style SavedModel, written in graph mode with tf.compat.v1.saved_model.Builder.

tf1_builder: y = x @ a + b with reference (VariableV2) variables a [3,2], b [2] and c [2,1].
  Meta graph tags ["serve"] (add_meta_graph_and_variables), signatures:
    serving_default   predict   inputs {"x": x [None,3] float}            outputs {"y"}
    predict_features  predict   inputs {"features": the parsed-features tensor, an Identity of
                                ParseExample's output, i.e. an intermediate non-placeholder tensor
                                (TF1 exports did this); feeding it bypasses the parsing}
                                                                           outputs {"y"}
    classify          classify  inputs {"inputs": serialized tf.Example [None] string}
                                outputs {"classes": label strings [batch,2] looked up in a table
                                initialized from the asset labels.txt, "scores": softmax [batch,2]}
    regress           regress   inputs {"inputs": serialized tf.Example}  outputs {"outputs":
                                (features @ a + b) @ c, [batch,1]}
  Meta graph tags ["serve", "gpu"] (add_meta_graph; same graph and variables): signatures
    serving_default and regress.
  Both: clear_devices=True; the asset labels.txt (collection saved_model_assets); main op
  (collection saved_model_main_op) = tables_initializer, which fills the label table from the asset.
The tf.Example feature is "x": FixedLenFeature([3], float32). Reference inputs: batch 2; the
serialized examples of the string inputs are built from seeded values (see _example_inputs).
"""

import os
import tempfile

import numpy as np
import tensorflow as tf

import model_utils as mu

SEED = 3
LABELS = ["negative", "positive"]


def _example(values):
    feature = {"x": tf.train.Feature(float_list=tf.train.FloatList(value=values))}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def _example_inputs(rng):
    examples = [_example(rng.standard_normal(3).astype(np.float32).tolist()) for _ in range(2)]
    return {"classify": {"inputs": examples}, "regress": {"inputs": examples}}


def _write_model(path, rng):
    """Builds the graph and writes the SavedModel; runs in a scratch working directory."""
    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph:
        v1.set_random_seed(SEED)
        # The graph keeps the asset's file name as given here (TF substitutes the assets/ path at
        # load time), so a relative name keeps the model free of build paths and byte-identical
        # across runs.
        vocab = "labels.txt"
        with open(vocab, "w", encoding="utf-8") as f:
            f.write("\n".join(LABELS) + "\n")

        serialized = v1.placeholder(tf.string, [None], name="tf_example")
        parsed = tf.io.parse_example(serialized, {"x": tf.io.FixedLenFeature([3], tf.float32)})
        features = tf.identity(parsed["x"], name="features")
        x = v1.placeholder(tf.float32, [None, 3], name="x")

        def variable(value, var_name):
            return v1.Variable(np.asarray(value, np.float32), name=var_name, use_resource=False)

        a = variable(rng.standard_normal((3, 2)), "a")
        b = variable(rng.standard_normal(2), "b")
        c = variable(rng.standard_normal((2, 1)), "c")

        y = tf.add(tf.matmul(x, a), b, name="y")
        y_features = tf.add(tf.matmul(features, a), b, name="y_features")
        scores = tf.nn.softmax(y_features, name="scores")
        # The label table reads the asset; TextFileInitializer adds the file name constant to the
        # ASSET_FILEPATHS collection, which the builder turns into the saved_model_assets
        # collection.
        table = v1.lookup.StaticHashTable(
            v1.lookup.TextFileInitializer(vocab, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER,
                                          tf.string, tf.lookup.TextFileIndex.WHOLE_LINE),
            default_value="UNKNOWN")
        labels = table.lookup(tf.range(len(LABELS), dtype=tf.int64))
        classes = tf.tile(labels[tf.newaxis, :], [tf.shape(serialized)[0], 1], name="classes")
        predictions = tf.matmul(y_features, c, name="predictions")

        sm = v1.saved_model
        signatures = {
            "serving_default": sm.predict_signature_def({"x": x}, {"y": y}),
            "predict_features": sm.predict_signature_def({"features": features}, {"y": y_features}),
            "classify": sm.classification_signature_def(serialized, classes, scores),
            "regress": sm.regression_signature_def(serialized, predictions),
        }
        assets = v1.get_collection(v1.GraphKeys.ASSET_FILEPATHS)
        if len(assets) != 1:
            raise RuntimeError(f"expected one asset, got {assets}")
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            builder = sm.Builder(path)
            builder.add_meta_graph_and_variables(
                sess, [sm.SERVING], signature_def_map=signatures, assets_collection=assets,
                main_op=v1.tables_initializer(), clear_devices=True)
            # The main op and assets are graph collections already; the second meta graph inherits
            # them (passing main_op again is refused: "Graph already contains one or more main
            # ops").
            builder.add_meta_graph(
                [sm.SERVING, sm.GPU],
                signature_def_map={k: signatures[k] for k in ("serving_default", "regress")},
                clear_devices=True)
            builder.save()


def build_tf1_builder(out):
    name = "tf1_builder"
    path = os.path.abspath(mu.fresh_dir(os.path.join(out, name)))
    rng = np.random.default_rng(SEED)
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            _write_model(path, rng)
        finally:
            os.chdir(cwd)
    mu.write_expected(path, os.path.join(out, name + ".expected"), tf1=True, none_dim=2,
                      inputs=_example_inputs(rng), seed=SEED)
    return mu.manifest_entry(out, name, "tf1", "tf.compat.v1.saved_model.Builder (graph mode)")


MODELS = [build_tf1_builder]
