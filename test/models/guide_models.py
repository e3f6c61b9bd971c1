"""tf.Module SavedModels following the TensorFlow SavedModel guide
(https://www.tensorflow.org/guide/saved_model, "Saving a custom model"), plus the variants built on
them: a state-mutating signature, a TF Serving version directory, and a text-format copy.

Models:
module_no_signatures
    tf.saved_model.save(module, path): no signatures, only the restored functions __call__
    (traced for a scalar) and mutate.
module_with_signature
    signatures = __call__ on TensorSpec(None, float32) (unknown rank).
module_multiple_signatures
    {"serving_default": __call__ on TensorSpec(None), "array_input": __call__ on
    TensorSpec([None])}.
module_output_name
    The guide's CustomModuleWithOutputName: output key "custom_output_name".
module_mutate
    {"serving_default": __call__ on TensorSpec([]), "mutate": mutate}. TF 2.21 refuses a
    signature without outputs ("Got a non-Tensor value None for key 'output_0'"), so this
    variant's mutate returns the new value of v (output key "output_0"); the guide's returns
    nothing.
serving/1, serving/2
    A TF Serving base directory: the module with v = 1.0 and v = 2.0, signature serving_default =
    __call__ on TensorSpec([None]).
pbtxt
    module_with_signature with saved_model.pb replaced by saved_model.pbtxt.

Reference inputs: unknown rank (TensorSpec(None)) -> a scalar (shape []), unknown dims -> 1.
Stateful references (io/sequence.json): for module_no_signatures, on one loaded object,
mutate(new_v=2.0) then __call__(x=3.0) -> 6.0 (that last call is also stored as
io/__call__/inputs/x.npy and io/__call__/outputs/output_0.npy); for module_mutate, through the
signatures of one loaded object, serving_default(x=3.0) -> 3.0, mutate(new_v=2.0) -> 2.0,
serving_default(x=3.0) -> 6.0.
"""

import os
import shutil

import tensorflow as tf
from google.protobuf import text_format
from tensorflow.python.saved_model import loader_impl

import model_utils as mu

SEED = 1


# The guide's module. (TF 2.21 needs the first parameter of a method tf.function with an
# input_signature to be named `self`.)
class CustomModule(tf.Module):

    def __init__(self, value=1.):
        super().__init__()
        self.v = tf.Variable(value)

    @tf.function
    def __call__(self, x):
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


class CustomModuleWithOutputName(tf.Module):

    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.)

    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
    def __call__(self, x):
        return {"custom_output_name": x * self.v}


class MutateReturningModule(CustomModule):
    """CustomModule whose mutate returns v's new value, so that it can be a signature."""

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)
        return self.v.read_value()


def _guide_module(cls=CustomModule, **kwargs):
    mu.seed_everything(SEED)
    module = cls(**kwargs)
    module(tf.constant(0.))  # as in the guide: trace __call__ once for a scalar before saving
    return module


def _expected(out, name, model_dir=None, exp_dir=None):
    mu.write_expected(model_dir or os.path.join(out, name),
                      exp_dir or os.path.join(out, name + ".expected"),
                      none_dim=1, unknown_rank_shape=(), seed=SEED)


def build_module_no_signatures(out):
    name = "module_no_signatures"
    path = mu.fresh_dir(os.path.join(out, name))
    tf.saved_model.save(_guide_module(), path)
    _expected(out, name)
    # No signatures: record the guide's call sequence on the loaded object's restored functions.
    exp = os.path.join(out, name + ".expected")
    loaded = tf.saved_model.load(path)
    new_v, x = tf.constant(2.), tf.constant(3.)
    loaded.mutate(new_v)
    result = loaded(x)
    mu.write_tensors(os.path.join(exp, "io", "__call__", "inputs"), {"x": x})
    mu.write_tensors(os.path.join(exp, "io", "__call__", "outputs"), {"output_0": result})
    mu.write_json(os.path.join(exp, "io", "sequence.json"), {
        "note": "calls of the loaded object's restored functions (no signatures), in order, on one "
                "loaded instance; io/__call__ holds the last call (after mutate)",
        "steps": [mu.call_record("mutate", {"new_v": new_v}, None),
                  mu.call_record("__call__", {"x": x}, {"output_0": result})],
    })
    return mu.manifest_entry(out, name, "tf2", "tf.Module, tf.saved_model.save without signatures")


def build_module_with_signature(out):
    name = "module_with_signature"
    path = mu.fresh_dir(os.path.join(out, name))
    module = _guide_module()
    call = module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    tf.saved_model.save(module, path, signatures=call)
    _expected(out, name)
    return mu.manifest_entry(out, name, "tf2", "tf.Module, one signature (unknown-rank input)")


def build_module_multiple_signatures(out):
    name = "module_multiple_signatures"
    path = mu.fresh_dir(os.path.join(out, name))
    module = _guide_module()
    signatures = {
        "serving_default": module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32)),
        "array_input": module.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32)),
    }
    tf.saved_model.save(module, path, signatures=signatures)
    _expected(out, name)
    return mu.manifest_entry(out, name, "tf2", "tf.Module, two signatures")


def build_module_output_name(out):
    name = "module_output_name"
    path = mu.fresh_dir(os.path.join(out, name))
    module = _guide_module(CustomModuleWithOutputName)
    tf.saved_model.save(module, path, signatures={"serving_default": module.__call__})
    _expected(out, name)
    return mu.manifest_entry(out, name, "tf2", "tf.Module, signature with a named output")


def build_module_mutate(out):
    name = "module_mutate"
    path = mu.fresh_dir(os.path.join(out, name))
    module = _guide_module(MutateReturningModule)
    signatures = {
        "serving_default": module.__call__.get_concrete_function(tf.TensorSpec([], tf.float32)),
        "mutate": module.mutate.get_concrete_function(),
    }
    tf.saved_model.save(module, path, signatures=signatures)
    exp = os.path.join(out, name + ".expected")
    mu.write_expected(path, exp, inputs={"serving_default": {"x": 3.}, "mutate": {"new_v": 2.}},
                      seed=SEED)
    # The state change, through the signatures of one loaded object.
    loaded = tf.saved_model.load(path)
    steps, x, new_v = [], tf.constant(3.), tf.constant(2.)
    for sig, args in (("serving_default", {"x": x}), ("mutate", {"new_v": new_v}),
                      ("serving_default", {"x": x})):
        steps.append(mu.call_record(sig, args, loaded.signatures[sig](**args)))
    mu.write_json(os.path.join(exp, "io", "sequence.json"), {
        "note": "signature calls in order on one loaded instance; mutate assigns v",
        "steps": steps,
    })
    return mu.manifest_entry(out, name, "tf2", "tf.Module, signature that assigns a variable")


def build_serving(out):
    """TF Serving layout: <base>/<version>/ SavedModels; readers pick the highest version."""
    name = "serving"
    base = mu.fresh_dir(os.path.join(out, name))
    exp_base = mu.fresh_dir(os.path.join(out, name + ".expected"))
    for version, value in ((1, 1.), (2, 2.)):
        path = os.path.join(base, str(version))
        module = _guide_module(value=value)
        call = module.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32))
        tf.saved_model.save(module, path, signatures=call)
        _expected(out, name, model_dir=path, exp_dir=os.path.join(exp_base, str(version)))
    entry = mu.manifest_entry(out, name, "serving", "TF Serving base dir of tf.Module versions",
                              model_dir=os.path.join(base, "2"),
                              versions=[1, 2], highest_version=2)
    entry["note"] = ("path is the base directory; tag_sets/meta_graphs/checkpoint describe the "
                     "highest version; expected data per version in serving.expected/<version>/")
    return entry


def build_pbtxt(out):
    """module_with_signature again, with the MetaGraph stored as text (saved_model.pbtxt)."""
    name = "pbtxt"
    source = os.path.join(out, "module_with_signature")
    if not os.path.isdir(source):
        build_module_with_signature(out)
    path = mu.fresh_dir(os.path.join(out, name))
    shutil.copytree(source, path)
    saved_model = loader_impl.parse_saved_model(path)
    os.remove(os.path.join(path, "saved_model.pb"))
    with open(os.path.join(path, "saved_model.pbtxt"), "w", encoding="utf-8") as f:
        f.write(text_format.MessageToString(saved_model))
    _expected(out, name)  # through TF's own .pbtxt loading path
    return mu.manifest_entry(out, name, "pbtxt", "module_with_signature as saved_model.pbtxt")


MODELS = [
    build_module_no_signatures,
    build_module_with_signature,
    build_module_multiple_signatures,
    build_module_output_name,
    build_module_mutate,
    build_serving,
    build_pbtxt,
]
