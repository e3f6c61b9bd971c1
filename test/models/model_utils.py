"""Shared helpers of the test-model generators: seeding, output directories, and the reference
data ("<name>.expected/") that the C++ tests compare smc against.

Reference data layout, per SavedModel directory D (written by `write_expected`):

checkpoint.json
    A list of {"key", "dtype", "shape", "npy" | "strings"}: every key of the checkpoint
    D/variables/variables except _CHECKPOINTABLE_OBJECT_GRAPH, sorted by key, with the value
    TensorFlow reads (tf.train.load_variable). "dtype" is the DataType enum name (DT_FLOAT...).
    Numeric values are in checkpoint/<nnn>_<slug>.npy; DT_BFLOAT16 values are stored as uint16
    bit patterns; DT_STRING values are inlined as "strings", a flat row-major list of the bytes
    decoded as latin-1 (one code point per byte).
signatures.json
    {"<comma-joined sorted tags>": {"<signature key>": [variable, ...]}}: for every meta graph and
    signature (except __saved_model_init_op), the variables its computation reads, as
    {"name", "checkpoint_key", "dtype", "shape", "npy" | "strings"}. The value is the
    checkpoint's, so "npy" points into checkpoint/. How the variables are found is documented in
    signature_variables_tf2 and signature_variables_tf1.
io/<sig>/inputs/<key>.npy|.json, io/<sig>/outputs/<key>.npy|.json
    Seeded inputs of every signature and TensorFlow's outputs on them, computed by calling
    tf.saved_model.load(D, tags).signatures[sig](**inputs) on a freshly loaded model (so that a
    signature that mutates state cannot affect another one's reference). String tensors are
    .json files {"dtype": "DT_STRING", "shape", "strings"}. With several meta graphs, io/ belongs
    to the first one (tags "serve") and the others' get io@<tags>/ (e.g. io@gpu,serve/).
io/sequence.json
    (Stateful models only.) An ordered list of calls on ONE loaded object, with their inputs and
    outputs inlined as nested lists; see guide_models.py.
"""

import json
import os
import random
import re
import shutil

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import types_pb2
from tensorflow.core.protobuf import trackable_object_graph_pb2
from tensorflow.python.saved_model import loader_impl

import bundle_index

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
INIT_OP_KEY = "__saved_model_init_op"


# --- Small utilities ------------------------------------------------------------------------

def seed_everything(seed, with_keras=False):
    """Fixes every random source a model builder may use."""
    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)
    if with_keras:
        import keras  # pylint: disable=import-outside-toplevel  (slow to import; only if needed)
        keras.utils.set_random_seed(seed)


def fresh_dir(path):
    """Removes `path` if present and returns it; the caller (or TF) recreates it."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return path


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def dtype_name(dtype):
    """TF DataType enum name of a tf/numpy dtype, e.g. DT_FLOAT."""
    return types_pb2.DataType.Name(tf.as_dtype(dtype).as_datatype_enum)


def _slug(text, limit=60):
    """File-name-safe rendering of a checkpoint key or variable name (for humans; not parsed)."""
    text = text.replace("/.ATTRIBUTES/VARIABLE_VALUE", "")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:limit] or "value"


def _check_file_key(key):
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", key):
        raise ValueError(f"signature/tensor key {key!r} is not usable as a file name")


def encode_value(value, dtype, base_dir, rel_npy):
    """Stores one tensor value and returns its JSON description.

    Returns {"dtype", "shape", "npy": rel_npy} (the array written to base_dir/rel_npy), or for
    DT_STRING {"dtype", "shape", "strings": [...]} with nothing written.
    """
    dtype = tf.as_dtype(dtype)
    if dtype == tf.string:
        array = np.asarray(value, dtype=object)
        strings = [bytes(s).decode("latin-1") for s in array.reshape(-1)]
        return {"dtype": "DT_STRING", "shape": list(array.shape), "strings": strings}
    array = np.asarray(value)
    if dtype == tf.bfloat16:
        array = array.astype(tf.bfloat16.as_numpy_dtype).view(np.uint16)
    else:
        array = array.astype(dtype.as_numpy_dtype, copy=False)
    path = os.path.join(base_dir, rel_npy)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, array, allow_pickle=False)
    return {"dtype": dtype_name(dtype), "shape": list(array.shape), "npy": rel_npy}


def _json_value(tensor):
    """A tensor as plain JSON (nested lists; strings decoded as latin-1) for sequence.json."""
    array = np.asarray(tensor.numpy() if hasattr(tensor, "numpy") else tensor)
    if array.dtype == object:
        return np.vectorize(lambda s: bytes(s).decode("latin-1"), otypes=[object])(array).tolist()
    if array.dtype == tf.bfloat16.as_numpy_dtype:
        array = array.astype(np.float32)
    return array.tolist()


def call_record(name, inputs, outputs):
    """One step of io/sequence.json."""
    return {
        "call": name,
        "inputs": {k: _json_value(v) for k, v in inputs.items()},
        "outputs": {k: _json_value(v) for k, v in (outputs or {}).items()},
    }


# --- checkpoint.json ------------------------------------------------------------------------

def write_checkpoint_json(model_dir, exp_dir):
    """Dumps every checkpoint entry (as TF reads it) to checkpoint.json + checkpoint/*.npy.

    Returns {checkpoint key: (json entry, numpy value)} for signatures.json.
    """
    prefix = os.path.join(model_dir, "variables", "variables")
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    entries, by_key = [], {}
    keys = sorted(k for k, _ in tf.train.list_variables(prefix) if k != OBJECT_GRAPH_KEY)
    for i, key in enumerate(keys):
        value = tf.train.load_variable(prefix, key)
        entry = {"key": key}
        rel_npy = f"checkpoint/{i:03d}_{_slug(key)}.npy"
        entry.update(encode_value(value, dtypes[key], exp_dir, rel_npy))
        entries.append(entry)
        by_key[key] = (entry, value)
    write_json(os.path.join(exp_dir, "checkpoint.json"), entries)
    return by_key


# --- signatures.json ------------------------------------------------------------------------

def _checkpoint_keys_of_loaded_objects(model_dir, loaded):
    """Maps id(object) -> checkpoint key for the variables of a loaded TF2 SavedModel.

    The checkpoint's own TrackableObjectGraph gives, for each node, its children (by local name)
    and the checkpoint key of its VARIABLE_VALUE attribute. Walking it from the root in parallel
    with the loaded Python objects (Trackable._trackable_children, the edges TF follows when it
    restores) pairs every restored variable with the key its value came from.
    """
    prefix = os.path.join(model_dir, "variables", "variables")
    graph = trackable_object_graph_pb2.TrackableObjectGraph()
    graph.ParseFromString(tf.train.load_checkpoint(prefix).get_tensor(OBJECT_GRAPH_KEY))
    objects, queue = {0: loaded}, [0]
    while queue:
        node_id = queue.pop(0)
        children = objects[node_id]._trackable_children()  # pylint: disable=protected-access
        for ref in graph.nodes[node_id].children:
            if ref.node_id not in objects and ref.local_name in children:
                objects[ref.node_id] = children[ref.local_name]
                queue.append(ref.node_id)
    keys = {}
    for node_id, obj in objects.items():
        for attr in graph.nodes[node_id].attributes:
            if attr.name == "VARIABLE_VALUE":
                keys[id(obj)] = attr.checkpoint_key
    return keys


def _variable_entry(name, key, ckpt):
    entry, _ = ckpt[key]
    out = {"name": name, "checkpoint_key": key}
    out.update({k: v for k, v in entry.items() if k != "key"})
    return out


def signature_variables_tf2(model_dir, loaded, ckpt):
    """Variables read by each signature of a TF2 SavedModel.

    Obtained from TF: `loaded.signatures[k].variables` is the list of variables the signature's
    concrete function captures (in capture order, i.e. the order of its bound inputs). Each is
    paired with its checkpoint key (see _checkpoint_keys_of_loaded_objects), and we check that the
    loaded value equals the checkpoint value. "name" is the variable's TF name without ":0".
    """
    keys = _checkpoint_keys_of_loaded_objects(model_dir, loaded)
    result = {}
    for sig_key in sorted(loaded.signatures):
        variables = []
        for var in loaded.signatures[sig_key].variables:
            key = keys.get(id(var))
            if key is None or key not in ckpt:
                raise RuntimeError(
                    f"{model_dir}: no checkpoint key for variable {var.name} of {sig_key}")
            value = var.numpy()
            if not np.array_equal(np.asarray(value), np.asarray(ckpt[key][1])):
                raise RuntimeError(
                    f"{model_dir}: loaded value of {var.name} differs from checkpoint {key}")
            variables.append(_variable_entry(var.name.rsplit(":", 1)[0], key, ckpt))
        result[sig_key] = variables
    return result


def signature_variables_tf1(meta_graph, ckpt):
    """Variables read by each signature of a TF1 meta graph, computed from its GraphDef.

    (TF's TF1-in-TF2 loader inlines VariableV2 values, so `signatures[k].variables` is empty there.)
    We walk data edges backwards from the signature's output tensors, stopping at the tensors the
    signature feeds (its inputs, which may be intermediate tensors), and collect the variable ops
    met.
    Control edges are not followed: they order side effects but do not carry values. TF1 checkpoint
    keys are the variable op names.
    """
    nodes = {n.name: n for n in meta_graph.graph_def.node}

    def tensor_name(name):
        return name if ":" in name else name + ":0"

    result = {}
    for sig_key, sig in sorted(meta_graph.signature_def.items()):
        if sig_key == INIT_OP_KEY:
            continue
        fed = {tensor_name(t.name) for t in sig.inputs.values()}
        seen, found = set(), set()
        stack = [tensor_name(t.name) for t in sig.outputs.values()]
        while stack:
            tensor = stack.pop()
            if tensor in fed or tensor in seen:
                continue
            seen.add(tensor)
            node = nodes[tensor.rsplit(":", 1)[0]]
            if node.op in ("VariableV2", "Variable", "VarHandleOp"):
                found.add(node.name)
            stack.extend(tensor_name(i) for i in node.input if not i.startswith("^"))
        result[sig_key] = [_variable_entry(name, name, ckpt) for name in sorted(found)]
    return result


def tags_key(tags):
    return ",".join(sorted(tags))


# --- io/ ------------------------------------------------------------------------------------

def default_input(spec, rng, none_dim, unknown_rank_shape):
    """A seeded input for a TensorSpec (None dims -> none_dim, unknown rank -> that shape)."""
    if spec.shape.rank is None:
        shape = list(unknown_rank_shape)
    else:
        shape = [none_dim if d is None else d for d in spec.shape.as_list()]
    dtype = spec.dtype
    if dtype.is_floating:
        return tf.constant(rng.standard_normal(shape).astype(np.float32), dtype=dtype)
    if dtype.is_integer:
        return tf.constant(rng.integers(0, 10, size=shape), dtype=dtype)
    if dtype == tf.bool:
        return tf.constant(rng.integers(0, 2, size=shape).astype(bool))
    raise ValueError(f"no default input for {spec}; pass one explicitly")


def write_tensors(folder, tensors):
    """Writes a dict of tensors to folder/<key>.npy (or .json for strings)."""
    for key, tensor in sorted(tensors.items()):
        _check_file_key(key)
        tensor = tf.convert_to_tensor(tensor)
        value = tensor.numpy()
        if tensor.dtype == tf.string:
            write_json(os.path.join(folder, key + ".json"),
                       encode_value(value, tf.string, folder, ""))
        else:
            encode_value(value, tensor.dtype, folder, key + ".npy")


def write_signature_io(model_dir, exp_dir, tags=None, io_dir="io", inputs=None, none_dim=1,
                       unknown_rank_shape=(), seed=0):
    """Computes and stores inputs/outputs of every signature of one meta graph (see module doc).

    `inputs` optionally maps signature key -> {input key: value}; other inputs are generated by
    default_input, in sorted input-key order, from a generator seeded with `seed` afresh for
    every signature (so signatures with the same input specs, e.g. a Keras model's two SavedModel
    variants, get the same inputs).
    """
    sig_keys = sorted(tf.saved_model.load(model_dir, tags=tags).signatures)
    for sig_key in sig_keys:
        rng = np.random.default_rng(seed)
        _check_file_key(sig_key)
        # A fresh load per signature: a stateful signature must not change another one's reference.
        fn = tf.saved_model.load(model_dir, tags=tags).signatures[sig_key]
        specs = fn.structured_input_signature[1]
        given = (inputs or {}).get(sig_key, {})
        args = {}
        for key in sorted(specs):
            if key in given:
                args[key] = tf.constant(given[key], dtype=specs[key].dtype)
            else:
                args[key] = default_input(specs[key], rng, none_dim, unknown_rank_shape)
        outputs = fn(**args)
        base = os.path.join(exp_dir, io_dir, sig_key)
        write_tensors(os.path.join(base, "inputs"), args)
        write_tensors(os.path.join(base, "outputs"), outputs)


# --- Putting it together --------------------------------------------------------------------

def read_meta_graphs(model_dir):
    """[(tags as written, MetaGraphDef)] of a SavedModel (saved_model.pb or .pbtxt)."""
    saved_model = loader_impl.parse_saved_model(model_dir)
    return [(list(mg.meta_info_def.tags), mg) for mg in saved_model.meta_graphs]


def write_expected(model_dir, exp_dir, tf1=False, inputs=None, none_dim=1, unknown_rank_shape=(),
                   seed=0):
    """Writes checkpoint.json, signatures.json and io/ for the SavedModel at model_dir."""
    fresh_dir(exp_dir)
    os.makedirs(exp_dir)
    ckpt = write_checkpoint_json(model_dir, exp_dir)
    signatures = {}
    meta_graphs = read_meta_graphs(model_dir)
    for index, (tags, meta_graph) in enumerate(meta_graphs):
        if tf1:
            signatures[tags_key(tags)] = signature_variables_tf1(meta_graph, ckpt)
        else:
            loaded = tf.saved_model.load(model_dir, tags=tags)
            signatures[tags_key(tags)] = signature_variables_tf2(model_dir, loaded, ckpt)
        io_dir = "io" if index == 0 else "io@" + tags_key(tags)
        write_signature_io(model_dir, exp_dir, tags=tags, io_dir=io_dir, inputs=inputs,
                           none_dim=none_dim, unknown_rank_shape=unknown_rank_shape, seed=seed)
    write_json(os.path.join(exp_dir, "signatures.json"), signatures)


def _init_op(meta_graph):
    """Where the meta graph names its initialization op, and the op's name (None if it has none).

    TF2 always writes the signature __saved_model_init_op (a NoOp when there is nothing to
    initialize); TF1 builders use the collections saved_model_main_op or legacy_init_op.
    """
    if INIT_OP_KEY in meta_graph.signature_def:
        outputs = meta_graph.signature_def[INIT_OP_KEY].outputs
        return {"source": "signature " + INIT_OP_KEY, "name": outputs[INIT_OP_KEY].name}
    for collection in ("saved_model_main_op", "legacy_init_op"):
        if collection in meta_graph.collection_def:
            names = list(meta_graph.collection_def[collection].node_list.value)
            return {"source": "collection " + collection, "name": names[0] if names else None}
    return None


def manifest_entry(out_dir, name, kind, producer, model_dir=None, **extra):
    """The manifest.json record of one model, read back from the written SavedModel."""
    model_dir = model_dir or os.path.join(out_dir, name)
    meta_graphs = [{
        "tags": tags,
        "signature_keys": sorted(k for k in mg.signature_def if k != INIT_OP_KEY),
        "init_op": _init_op(mg),
    } for tags, mg in read_meta_graphs(model_dir)]
    entry = {
        "name": name,
        "path": name,
        "expected": name + ".expected",
        "kind": kind,
        "producer": producer,
        "tag_sets": [m["tags"] for m in meta_graphs],
        "meta_graphs": meta_graphs,
        "checkpoint": bundle_index.describe_checkpoint(os.path.join(model_dir, "variables")),
    }
    entry.update(extra)
    return entry
