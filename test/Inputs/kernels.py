"""kernels.py DIR: writes DIR/saved_model.pbtxt, a TF1-style SavedModel (no TensorFlow needed)
whose signatures are single hot kernels with random constant weights:
  matmul     x [64, 256] @ W [256, 256]            (packed, cache-tiled, rows split where the
                                                    register block does not divide 64)
  conv       Conv2D x [1, 16, 28, 32], W [3, 3, 32, 64], SAME, stride 1
  depthwise  DepthwiseConv2dNative x [1, 16, 28, 64], W [3, 3, 64, 1], SAME
  pointwise  Conv2D x [1, 4, 112, 16], W [1, 1, 16, 96] (MobileNetV2's expansions: a long row
             of pixels, few input channels)
hot_loops.py checks the code smc generates for them."""
import math
import os
import random
import struct
import sys

out = sys.argv[1]
rng = random.Random(7)


def shape_text(shape):
    return " ".join(f"dim {{ size: {d} }}" for d in shape)


def const(name, shape):
    values = [rng.uniform(-1, 1) for _ in range(math.prod(shape))]
    data = struct.pack(f"<{len(values)}f", *values)
    content = "".join(f"\\{b:03o}" for b in data)
    dims = shape_text(shape)
    return (f'node {{ name: "{name}" op: "Const" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} '
            f'attr {{ key: "value" value {{ tensor {{ dtype: DT_FLOAT tensor_shape {{ {dims} }} '
            f'tensor_content: "{content}" }} }} }} }}')


def placeholder(name, shape):
    dims = shape_text(shape)
    return (f'node {{ name: "{name}" op: "Placeholder" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} '
            f'attr {{ key: "shape" value {{ shape {{ {dims} }} }} }} }}')


FLOAT = 'attr { key: "T" value { type: DT_FLOAT } }'
CONV_ATTRS = ('attr { key: "padding" value { s: "SAME" } } '
              'attr { key: "strides" value { list { i: 1 i: 1 i: 1 i: 1 } } } '
              'attr { key: "data_format" value { s: "NHWC" } }')
nodes = [
    placeholder("mx", [64, 256]), const("mw", [256, 256]),
    f'node {{ name: "mm" op: "MatMul" input: "mx" input: "mw" {FLOAT} }}',
    placeholder("cx", [1, 16, 28, 32]), const("cw", [3, 3, 32, 64]),
    f'node {{ name: "conv" op: "Conv2D" input: "cx" input: "cw" {FLOAT} {CONV_ATTRS} }}',
    placeholder("dx", [1, 16, 28, 64]), const("dw", [3, 3, 64, 1]),
    f'node {{ name: "dw_conv" op: "DepthwiseConv2dNative" input: "dx" input: "dw" {FLOAT} {CONV_ATTRS} }}',
    placeholder("px", [1, 4, 112, 16]), const("pw", [1, 1, 16, 96]),
    f'node {{ name: "pw_conv" op: "Conv2D" input: "px" input: "pw" {FLOAT} {CONV_ATTRS} }}',
]
signatures = [("matmul", "mx", [64, 256], "mm", [64, 256]),
              ("conv", "cx", [1, 16, 28, 32], "conv", [1, 16, 28, 64]),
              ("depthwise", "dx", [1, 16, 28, 64], "dw_conv", [1, 16, 28, 64]),
              ("pointwise", "px", [1, 4, 112, 16], "pw_conv", [1, 4, 112, 96])]
sig_text = "\n".join(
    f'''  signature_def {{
    key: "{key}"
    value {{
      inputs {{ key: "x" value {{ name: "{x}:0" dtype: DT_FLOAT tensor_shape {{ {shape_text(xs)} }} }} }}
      outputs {{ key: "y" value {{ name: "{y}:0" dtype: DT_FLOAT tensor_shape {{ {shape_text(ys)} }} }} }}
      method_name: "tensorflow/serving/predict"
    }}
  }}''' for key, x, xs, y, ys in signatures)
text = f"""saved_model_schema_version: 1
meta_graphs {{
  meta_info_def {{ tags: "serve" }}
  graph_def {{
{chr(10).join(nodes)}
  }}
{sig_text}
}}
"""
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "saved_model.pbtxt"), "w") as f:
    f.write(text)
