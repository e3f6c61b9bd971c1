"""hostile_graph.py MODE N DIR: writes DIR/saved_model.pbtxt, a SavedModel whose signature
'serving_default' (x: float [2] -> y) is hostile to an importer that inlines calls:
  fanout N   f0 ... f(N-1): each f(i) adds two calls of f(i+1) (2^N nodes once inlined)
  chain N    f0 ... f(N-1): each f(i) calls f(i+1) once (calls nested N deep)"""
import os
import sys

mode, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = {"fanout": 2, "chain": 1}[mode]

functions = []
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
