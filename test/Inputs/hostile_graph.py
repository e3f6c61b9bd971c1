"""hostile_graph.py MODE N DIR: writes DIR/saved_model.pbtxt, a SavedModel whose signature
'serving_default' (x: float [2] -> y) is hostile to an importer that inlines calls:
  fanout N   f0 ... f(N-1): each f(i) adds two calls of f(i+1) (2^N nodes once inlined)
  chain N    f0 ... f(N-1): each f(i) calls f(i+1) once (calls nested N deep)
  deep N     no graph: a concrete function whose output_signature (a StructuredValue) nests
             N lists deep (protobuf's text parser recursed without limit)
  elementwise N  one function whose body is a chain of N elementwise ops (AddV2 of x, Neg,
             Sub from a constant, Relu, repeated) from its argument to its result
  addn N     one function whose result is an AddN of N inputs (the argument, its negation and
             a constant)
The last two also write DIR/expected.txt, the output for the input X below, computed here from
the chain's definition in float32; 'check DIR Y.npy' compares an output of smc run with it."""
import os
import struct
import sys

X = [1.5, -2.25]  # the input the tests run with: --input_exprs 'x=[1.5,-2.25]'
K = [0.25, 3.0]  # the constant of Sub and AddN


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def read_npy(path):
    """The float32 values of a little-endian float32 .npy file (no NumPy here)."""
    data = open(path, "rb").read()
    assert data[:6] == b"\x93NUMPY", path
    hlen = struct.unpack("<H", data[8:10])[0] if data[6] == 1 else struct.unpack("<I", data[8:12])[0]
    start = (10 if data[6] == 1 else 12) + hlen
    header = data[start - hlen:start].decode()
    assert "'<f4'" in header, header
    body = data[start:]
    return list(struct.unpack("<%df" % (len(body) // 4), body))


mode = sys.argv[1]
if mode == "check":
    expected = [float(v) for v in open(os.path.join(sys.argv[2], "expected.txt")).read().split()]
    got = read_npy(sys.argv[3])
    if got != expected:
        sys.exit(f"{sys.argv[3]}: {got}, expected {expected}")
    print(f"ok {got}")
    sys.exit(0)
n, out = int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
if mode == "deep":
    nested = "list_value { values { " * n + "none_value { }" + " } }" * n
    open(os.path.join(out, "saved_model.pbtxt"), "w").write(
        'saved_model_schema_version: 1\nmeta_graphs {\n  meta_info_def { tags: "serve" }\n'
        '  object_graph_def { concrete_functions { key: "f" value { output_signature { '
        + nested + " } } } }\n}\n")
    sys.exit(0)

def const_node(name, values):
    vals = " ".join(f"float_val: {v}" for v in values)
    return (f'node_def {{ name: "{name}" op: "Const" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} '
            f'attr {{ key: "value" value {{ tensor {{ dtype: DT_FLOAT tensor_shape {{ dim {{ size: '
            f'{len(values)} }} }} {vals} }} }} }} }}')


T = 'attr { key: "T" value { type: DT_FLOAT } }'
functions = []
if mode == "elementwise":
    # y = chain of n ops, cycling through v + x, -v, K - v, relu(v): each cycle adds x + K
    # (clamped at 0), so a dropped or reordered op changes the result; every value is a
    # multiple of 1/4 below 2^13, exact in float32 whatever the order of evaluation.
    body, v, prev = [const_node("k", K)], list(X), "a"
    for i in range(n):
        kind = i % 4
        if kind == 0:
            body.append(f'node_def {{ name: "n{i}" op: "AddV2" input: "{prev}" input: "a" {T} }}')
            v = [f32(p + q) for p, q in zip(v, X)]
        elif kind == 1:
            body.append(f'node_def {{ name: "n{i}" op: "Neg" input: "{prev}" {T} }}')
            v = [-p for p in v]
        elif kind == 2:
            body.append(f'node_def {{ name: "n{i}" op: "Sub" input: "k:output:0" input: "{prev}" {T} }}')
            v = [f32(q - p) for p, q in zip(v, K)]
        else:
            body.append(f'node_def {{ name: "n{i}" op: "Relu" input: "{prev}" {T} }}')
            v = [max(p, 0.0) for p in v]
        prev = f"n{i}:{'z' if kind in (0, 2) else 'y' if kind == 1 else 'activations'}:0"
    ret = prev
elif mode == "addn":
    # y = AddN(a, -a, K, a, -a, K, ...): n inputs; every partial sum is exact in float32.
    body = [const_node("k", K), f'node_def {{ name: "neg" op: "Neg" input: "a" {T} }}']
    names = ["a", "neg:y:0", "k:output:0"]
    inputs = " ".join(f'input: "{names[i % 3]}"' for i in range(n))
    body.append(f'node_def {{ name: "sum" op: "AddN" {inputs} {T} '
                f'attr {{ key: "N" value {{ i: {n} }} }} }}')
    counts = [len(range(r, n, 3)) for r in range(3)]
    v = [f32(counts[0] * x - counts[1] * x + counts[2] * k) for x, k in zip(X, K)]
    ret = "sum:sum:0"
if mode in ("elementwise", "addn"):
    functions.append(
        f'function {{ signature {{ name: "f0" input_arg {{ name: "a" type: DT_FLOAT }} '
        f'output_arg {{ name: "out" type: DT_FLOAT }} }}\n' + "\n".join(body) +
        f'\nret {{ key: "out" value: "{ret}" }} }}')
    open(os.path.join(out, "expected.txt"), "w").write(" ".join(repr(e) for e in v) + "\n")
    n = 0  # no call graph below
calls = {"fanout": 2, "chain": 1, "elementwise": 0, "addn": 0}[mode]
for i in range(n):
    body = []
    if i + 1 < n:
        for c in range(calls):
            body.append(f'node_def {{ name: "c{c}" op: "f{i + 1}" input: "a" }}')
        if calls == 2:
            body.append('node_def { name: "sum" op: "AddV2" input: "c0:out:0" input: "c1:out:0" '
                        'attr { key: "T" value { type: DT_FLOAT } } }')
            ret = "sum:z:0"
        else:
            ret = "c0:out:0"
    else:
        body.append('node_def { name: "id" op: "Identity" input: "a" '
                    'attr { key: "T" value { type: DT_FLOAT } } }')
        ret = "id:output:0"
    functions.append(
        f'function {{ signature {{ name: "f{i}" input_arg {{ name: "a" type: DT_FLOAT }} '
        f'output_arg {{ name: "out" type: DT_FLOAT }} }} {" ".join(body)} '
        f'ret {{ key: "out" value: "{ret}" }} }}')

text = f"""saved_model_schema_version: 1
meta_graphs {{
  meta_info_def {{ tags: "serve" }}
  graph_def {{
    node {{ name: "x" op: "Placeholder" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }}
           attr {{ key: "shape" value {{ shape {{ dim {{ size: 2 }} }} }} }} }}
    node {{ name: "call" op: "PartitionedCall" input: "x"
           attr {{ key: "Tin" value {{ list {{ type: DT_FLOAT }} }} }}
           attr {{ key: "Tout" value {{ list {{ type: DT_FLOAT }} }} }}
           attr {{ key: "f" value {{ func {{ name: "f0" }} }} }} }}
    library {{
{chr(10).join(functions)}
    }}
  }}
  signature_def {{
    key: "serving_default"
    value {{
      inputs {{ key: "x" value {{ name: "x:0" dtype: DT_FLOAT tensor_shape {{ dim {{ size: 2 }} }} }} }}
      outputs {{ key: "y" value {{ name: "call:0" dtype: DT_FLOAT tensor_shape {{ dim {{ size: 2 }} }} }} }}
      method_name: "tensorflow/serving/predict"
    }}
  }}
}}
"""
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "saved_model.pbtxt"), "w").write(text)
