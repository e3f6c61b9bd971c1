"""Functional control flow written as users write it in tf.function (issue: control flow and
recurrent models), and the TF1 counter of TF Serving's examples.

control: one tf.Module, one signature per construct (inputs seeded per signature):
  cond             tf.cond on an input-dependent predicate (sum(x) > 0): x*2 or x-1 (If /
                   StatelessIf with two branch functions)
  cond_scalar      a Python `if` on a scalar input (autograph -> If), returning two outputs
  while_fixed      tf.while_loop with a fixed trip count (10 steps of x = 0.5*x + 1)
  while_data       tf.while_loop whose trip count depends on the data: doubles x until
                   sum(|x|) exceeds a limit (at most 64 steps, so it terminates on any input)
  tensor_array     `for i in tf.range(n)` writing x[i]**2 + i into a tf.TensorArray, stacked
  nested_loops     a loop inside a loop (3 x 4 steps) accumulating a matrix product
  loop_in_branch   a tf.cond whose true branch runs a while loop, the false branch does not
  case             tf.switch_case on an int32 branch index (Case / StatelessCase)
counter_tf1: tf.compat.v1 graph with a VariableV2 counter and signatures incr (assign_add 1),
  incr_by (assign_add by a scalar input), reset (assign the reset value 10) and get (read), each
  returning the ref tensor of its Assign* op, as TF Serving's saved_model_half_plus_two_counter
  style examples do. io/sequence.json records incr, incr, incr_by(2.5), get, reset, get on one
  session.
"""

import os
import tempfile

import numpy as np
import tensorflow as tf

import model_utils as mu

SEED = 13


def spec(shape, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype)


class ControlModule(tf.Module):

    @tf.function(input_signature=[spec([4, 3])])
    def cond(self, x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0)

    @tf.function(input_signature=[spec([]), spec([5])])
    def cond_scalar(self, t, x):
        if t > 0.0:
            y, z = x * t, tf.reduce_sum(x)
        else:
            y, z = x + t, tf.reduce_max(x)
        return {"y": y, "z": z}

    @tf.function(input_signature=[spec([6])])
    def while_fixed(self, x):
        _, y = tf.while_loop(lambda i, v: i < 10, lambda i, v: (i + 1, 0.5 * v + 1.0),
                             (tf.constant(0), x))
        return y

    @tf.function(input_signature=[spec([6])])
    def while_data(self, x):
        def cond(i, v):
            return tf.logical_and(i < 64, tf.reduce_sum(tf.abs(v)) < 1000.0)
        steps, y = tf.while_loop(cond, lambda i, v: (i + 1, v * 2.0), (tf.constant(0), x))
        return {"steps": steps, "y": y}

    @tf.function(input_signature=[spec([7, 3])])
    def tensor_array(self, x):
        ta = tf.TensorArray(tf.float32, size=7)
        for i in tf.range(7):
            ta = ta.write(i, x[i] * x[i] + tf.cast(i, tf.float32))
        return ta.stack()

    @tf.function(input_signature=[spec([3, 3])])
    def nested_loops(self, m):
        acc = tf.eye(3)
        for _ in tf.range(3):
            for _ in tf.range(4):
                acc = tf.matmul(acc, m) * 0.5
        return acc

    @tf.function(input_signature=[spec([4])])
    def loop_in_branch(self, x):
        def loop():
            return tf.while_loop(lambda i, v: i < 5, lambda i, v: (i + 1, v + x),
                                 (tf.constant(0), x))[1]
        return tf.cond(x[0] > 0, loop, lambda: -x)

    @tf.function(input_signature=[spec([], tf.int32), spec([3])])
    def case(self, branch, x):
        return tf.switch_case(branch, [lambda: x + 1.0, lambda: x * x, lambda: -x],
                              default=lambda: x)


def _control_inputs(rng):
    """Per signature, inputs that take both sides of the data-dependent branches across the
    batch of recorded calls (one recorded call per signature; the sign is seeded)."""
    return {
        "cond": {"x": rng.standard_normal((4, 3)).astype(np.float32)},
        "cond_scalar": {"t": np.float32(-0.5), "x": rng.standard_normal(5).astype(np.float32)},
        "while_fixed": {"x": rng.standard_normal(6).astype(np.float32)},
        "while_data": {"x": rng.standard_normal(6).astype(np.float32)},
        "tensor_array": {"x": rng.standard_normal((7, 3)).astype(np.float32)},
        "nested_loops": {"m": rng.standard_normal((3, 3)).astype(np.float32)},
        "loop_in_branch": {"x": np.abs(rng.standard_normal(4)).astype(np.float32)},
        "case": {"branch": np.int32(1), "x": rng.standard_normal(3).astype(np.float32)},
    }


def build_control(out):
    name = "control"
    mu.seed_everything(SEED)
    module = ControlModule()
    signatures = {k: getattr(module, k) for k in _control_inputs(np.random.default_rng(0))}
    path = mu.fresh_dir(os.path.join(out, name))
    tf.saved_model.save(module, path, signatures=signatures)
    mu.write_expected(path, os.path.join(out, name + ".expected"), seed=SEED,
                      inputs=_control_inputs(np.random.default_rng(SEED)))
    return mu.manifest_entry(out, name, "tf2", "tf.Module with tf.cond / tf.while_loop / "
                             "tf.TensorArray / tf.switch_case signatures")


COUNTER_START = 5.0
COUNTER_RESET = 10.0


def _write_counter(path):
    v1 = tf.compat.v1
    with tf.Graph().as_default() as graph:
        counter = v1.Variable(COUNTER_START, name="counter", use_resource=False)
        delta = v1.placeholder(tf.float32, [], name="delta")
        incr = v1.assign_add(counter, 1.0, name="incr")
        incr_by = v1.assign_add(counter, delta, name="incr_by")
        reset = v1.assign(counter, COUNTER_RESET, name="reset")
        get = tf.identity(counter, name="get")
        sm = v1.saved_model

        def signature(inputs, output):
            info = sm.utils.build_tensor_info
            return sm.signature_def_utils.build_signature_def(
                {k: info(v) for k, v in inputs.items()}, {"output": info(output)},
                sm.signature_constants.PREDICT_METHOD_NAME)

        signatures = {
            "incr": signature({}, incr),
            "incr_by": signature({"delta": delta}, incr_by),
            "reset": signature({}, reset),
            "get": signature({}, get),
        }
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            builder = sm.Builder(path)
            builder.add_meta_graph_and_variables(sess, [sm.SERVING],
                                                 signature_def_map=signatures,
                                                 clear_devices=True)
            builder.save()
        # The reference sequence, on one session as TF Serving would hold it.
        sequence = []
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            for sig, feed in [("incr", {}), ("incr", {}), ("incr_by", {"delta": 2.5}),
                              ("get", {}), ("reset", {}), ("get", {})]:
                fetch = {"incr": incr, "incr_by": incr_by, "reset": reset, "get": get}[sig]
                value = sess.run(fetch, {delta: feed["delta"]} if feed else None)
                sequence.append(mu.call_record(sig, {k: np.float32(v) for k, v in feed.items()},
                                               {"output": np.float32(value)}))
    return sequence


def _counter_expected(path, exp_dir):
    """write_expected for a graph whose signatures return ref tensors, which TF2's loader
    refuses ("has a reference type float_ref"): the io/ references come from a TF1 session that
    loads the model afresh for each signature, as TF Serving would."""
    v1 = tf.compat.v1
    mu.fresh_dir(exp_dir)
    os.makedirs(exp_dir)
    ckpt = mu.write_checkpoint_json(path, exp_dir)
    (tags, meta_graph), = mu.read_meta_graphs(path)
    mu.write_json(os.path.join(exp_dir, "signatures.json"),
                  {mu.tags_key(tags): mu.signature_variables_tf1(meta_graph, ckpt)})
    for sig_key, sig in meta_graph.signature_def.items():
        feeds = {k: np.float32(2.5) for k in sig.inputs}
        with tf.Graph().as_default(), v1.Session() as sess:
            v1.saved_model.load(sess, tags, path)
            outputs = sess.run({k: v.name for k, v in sig.outputs.items()},
                               {sig.inputs[k].name: v for k, v in feeds.items()})
        base = os.path.join(exp_dir, "io", sig_key)
        mu.write_tensors(os.path.join(base, "inputs"), feeds)
        mu.write_tensors(os.path.join(base, "outputs"),
                         {k: np.float32(v) for k, v in outputs.items()})


def build_counter_tf1(out):
    name = "counter_tf1"
    path = os.path.abspath(mu.fresh_dir(os.path.join(out, name)))
    with tempfile.TemporaryDirectory() as scratch:
        cwd = os.getcwd()
        os.chdir(scratch)
        try:
            sequence = _write_counter(path)
        finally:
            os.chdir(cwd)
    exp_dir = os.path.join(out, name + ".expected")
    _counter_expected(path, exp_dir)
    mu.write_json(os.path.join(exp_dir, "io", "sequence.json"), {
        "note": "signature calls in order on one session; incr/incr_by/reset assign the counter",
        "steps": sequence,
    })
    return mu.manifest_entry(out, name, "tf1", "tf.compat.v1 VariableV2 counter with assign_add "
                             "signatures (saved_model.Builder)")


MODELS = [build_control, build_counter_tf1]
