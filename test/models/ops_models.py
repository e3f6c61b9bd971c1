"""ops: one tf.Module whose signatures exercise the TF ops and op variants the Keras models do
not reach, so that each of smc's lowerings is compared with TensorFlow numerically (the parity
test compiles every signature): dilated, strided, explicitly padded and grouped-channel
convolutions, grouped Conv2D (2, 4 and 8 groups; SAME, VALID, explicit padding, strides,
dilations; one input channel per group with multipliers 1 and 2; a folded batch norm and ReLU
after one), depthwise with a multiplier, SAME/VALID average and max pooling, mirror and
constant padding, strided slices with every mask, reductions and arg_max, integer and float
division rules, the less common activations, batched matmuls with broadcasting and adjoints,
casts, select, softmax/log_softmax, fill/pack/concat, split/split_v/unstack,
reverse, constant range and gather, image resizing (bilinear and nearest, every valid
align_corners/half_pixel_centers combination, up and down, odd sizes, float and integer images)
and transposed convolutions (Conv2DBackpropInput: SAME/VALID/explicit padding, strides 1, 2, 3,
dilation, output sizes that are not stride * input).

Inputs are the seeded defaults of model_utils.default_input (standard normal floats, integers in
[0, 10)), except where a signature needs negative or zero-free integers (given explicitly).
"""

import os

import numpy as np
import tensorflow as tf

import model_utils as mu

SEED = 7


def spec(shape, dtype=tf.float32):
    return tf.TensorSpec(shape, dtype)


class OpsModule(tf.Module):

    def __init__(self, rng):
        super().__init__()
        self.f3 = tf.Variable(rng.standard_normal([3, 3, 3, 4]).astype(np.float32))
        self.dw = tf.Variable(rng.standard_normal([3, 3, 3, 2]).astype(np.float32))
        self.w8 = tf.Variable(rng.standard_normal([8, 5]).astype(np.float32))
        self.f35 = tf.Variable(rng.standard_normal([3, 3, 5, 8]).astype(np.float32))
        # Conv2DTranspose filters: [h, w, output channels, input channels].
        self.t33 = tf.Variable(rng.standard_normal([3, 3, 2, 4]).astype(np.float32))
        self.t23 = tf.Variable(rng.standard_normal([2, 3, 2, 4]).astype(np.float32))
        # Grouped Conv2D filters for 8 input channels: [h, w, 8 / groups, output channels].
        self.g2 = tf.Variable(rng.standard_normal([3, 3, 4, 6]).astype(np.float32))
        self.g2w = tf.Variable(rng.standard_normal([3, 3, 4, 16]).astype(np.float32))
        self.g4 = tf.Variable(rng.standard_normal([3, 2, 2, 8]).astype(np.float32))
        self.g2p = tf.Variable(rng.standard_normal([1, 1, 4, 8]).astype(np.float32))
        self.g8 = tf.Variable(rng.standard_normal([3, 3, 1, 8]).astype(np.float32))
        self.g8m = tf.Variable(rng.standard_normal([5, 5, 1, 16]).astype(np.float32))
        self.g_scale = tf.Variable(rng.uniform(0.5, 1.5, [16]).astype(np.float32))
        self.g_shift = tf.Variable(rng.standard_normal([16]).astype(np.float32))

    @tf.function(input_signature=[spec([1, 9, 9, 3])])
    def convs(self, x):
        return {
            "dilated_same": tf.nn.conv2d(x, self.f3, 1, "SAME", dilations=2),
            "strided_valid": tf.nn.conv2d(x, self.f3, 2, "VALID"),
            "explicit": tf.nn.conv2d(x, self.f3, 1, [[0, 0], [1, 2], [2, 0], [0, 0]]),
            "depthwise_mult2": tf.nn.depthwise_conv2d(x, self.dw, [1, 2, 2, 1], "SAME"),
            "depthwise_dilated": tf.nn.depthwise_conv2d(x, self.dw, [1, 1, 1, 1], "VALID",
                                                        dilations=[2, 2]),
        }

    @tf.function(input_signature=[spec([2, 16, 14, 5])])
    def winograd(self, x):
        # 3x3 stride-1 convolutions with even outputs of at least 14x14, which smc computes as
        # Winograd F(2x2, 3x3) on targets with vector units, and one with an odd height, which
        # it computes directly.
        return {
            "same": tf.nn.conv2d(x, self.f35, 1, "SAME"),
            "asymmetric": tf.nn.relu(tf.nn.conv2d(x, self.f35, 1, [[0, 0], [2, 0], [1, 1], [0, 0]])),
            "odd": tf.nn.conv2d(x, self.f35, 1, [[0, 0], [1, 0], [1, 1], [0, 0]]),
        }

    @tf.function(input_signature=[spec([2, 7, 7, 4])])
    def pools(self, x):
        return {
            "avg_same": tf.nn.avg_pool2d(x, 3, 2, "SAME"),
            "avg_valid": tf.nn.avg_pool2d(x, 2, 2, "VALID"),
            "max_same": tf.nn.max_pool2d(x, 3, 2, "SAME"),
            "max_valid_s1": tf.nn.max_pool2d(x, 3, 1, "VALID"),
        }

    @tf.function(input_signature=[spec([2, 4, 5])])
    def pads(self, x):
        p = [[0, 1], [2, 1], [1, 3]]
        return {
            "reflect": tf.pad(x, [[0, 1], [2, 1], [1, 3]], "REFLECT"),
            "symmetric": tf.pad(x, [[1, 1], [3, 2], [0, 5]], "SYMMETRIC"),
            "constant": tf.pad(x, p, constant_values=1.5),
            "zero": tf.pad(x, p),
        }

    @tf.function(input_signature=[spec([3, 6, 5, 4])])
    def slices(self, x):
        return {
            "reverse": x[:, ::-1, 1:5:2],
            "shrink": x[1, 2:, -1],
            "ellipsis_newaxis": x[..., tf.newaxis, 1:3],
            "negative_stride": x[2:0:-1, -2::-2, :, ::-3],
            "slice_op": tf.slice(x, [1, 1, 0, 1], [2, -1, 3, 2]),
            "unstack0": tf.unstack(x, axis=2)[3],
        }

    @tf.function(input_signature=[spec([4, 6, 5])])
    def reductions(self, x):
        return {
            "sum_keep": tf.reduce_sum(x, axis=[0, 2], keepdims=True),
            "mean": tf.reduce_mean(x, axis=-1),
            "max": tf.reduce_max(x, axis=1),
            "min": tf.reduce_min(x, axis=[0, 1]),
            "prod": tf.reduce_prod(x * 0.5 + 1.0, axis=0),
            "argmax": tf.argmax(x, axis=1),
            "argmin32": tf.argmin(x, axis=2, output_type=tf.int32),
            "any": tf.reduce_any(x > 1.0, axis=1),
            "all": tf.reduce_all(x > -2.0, axis=0),
        }

    @tf.function(input_signature=[spec([3, 8]), spec([3, 8])])
    def float_math(self, a, b):
        bz = tf.where(tf.abs(b) < 0.1, tf.ones_like(b), b)
        return {
            "floordiv": tf.math.floordiv(a, bz),
            "floormod": tf.math.floormod(a, bz),
            "pow": tf.pow(tf.abs(a) + 0.5, b),
            "sqdiff": tf.math.squared_difference(a, b),
            "maximum": tf.maximum(a, b),
            "minimum": tf.minimum(a, b),
            "acts": tf.stack([tf.nn.leaky_relu(a, 0.3), tf.nn.elu(a), tf.nn.selu(a),
                              tf.nn.softplus(a), tf.nn.softsign(a), tf.nn.relu6(a * 4.0),
                              tf.sigmoid(a), tf.tanh(a)]),
            "unary": tf.stack([tf.math.erf(a), tf.round(a * 3.0), tf.sign(a), tf.floor(a),
                               tf.math.ceil(a), tf.exp(a), tf.math.log(tf.abs(a) + 1e-3),
                               tf.math.log1p(tf.abs(a)), tf.math.expm1(a),
                               tf.sqrt(tf.abs(a)), tf.math.rsqrt(tf.abs(a) + 0.1),
                               tf.square(a), tf.math.reciprocal(bz), tf.sin(a), tf.cos(a)]),
            "gelu": tf.stack([tf.nn.gelu(a, approximate=False), tf.nn.gelu(a, approximate=True)]),
            "softmaxes": tf.stack([tf.nn.softmax(a), tf.nn.log_softmax(b)]),
            "select": tf.where(a > b, a, b * 2.0),
        }

    @tf.function(input_signature=[spec([3, 8], tf.int32), spec([3, 8], tf.int32)])
    def int_math(self, a, b):
        return {
            "floordiv": tf.math.floordiv(a, b),
            "floormod": tf.math.floormod(a, b),
            "truncdiv": tf.raw_ops.Div(x=a, y=b),
            "maximum": tf.maximum(a, b) * 3 - a,
            "cast_to_float": tf.cast(a, tf.float32) / 3.0,
            "cast_to_bool": tf.cast(a - 2, tf.bool),
            "compare": tf.logical_and(a > b, tf.logical_not(tf.equal(a, 0))),
        }

    @tf.function(input_signature=[spec([2, 3, 4, 8]), spec([8, 5]), spec([3, 5, 8])])
    def matmuls(self, x, y, z):
        return {
            "broadcast": tf.matmul(x, y),
            "adjoint": tf.matmul(x, z, adjoint_b=True),
            "dense": tf.matmul(tf.reshape(x, [-1, 8]), self.w8),
            "transposed": tf.matmul(y, tf.reshape(x, [-1, 8]), transpose_a=True,
                                    transpose_b=True),
        }

    @tf.function(input_signature=[spec([2, 3]), spec([2, 3])])
    def assembly(self, a, b):
        n = tf.shape(a)[0]
        return {
            "pack": tf.stack([a, b, a + b], axis=1),
            "concat": tf.concat([a, b * 2.0], axis=-1),
            "fill": tf.fill([n, 4], 2.5) + tf.reduce_sum(a),
            "transpose": tf.transpose(tf.stack([a, b]), [2, 0, 1]),
            "expand_squeeze": tf.squeeze(tf.expand_dims(a, 1) * b[:, tf.newaxis, :], axis=1),
            "zeros_ones": tf.zeros_like(a) + tf.ones_like(b) * a,
            "add_n": tf.add_n([a, b, a]),
        }

    @tf.function(input_signature=[spec([2, 6, 3])])
    def splits(self, x):
        a, b, c = tf.split(x, 3, axis=1)
        d, e = tf.split(x, [4, -1], axis=-2)
        f, g, h = tf.unstack(x, axis=2)
        return {"a": a, "b": b * 2.0, "c": c, "d": d, "e": e, "f": f, "g": g + h,
                "reverse": tf.reverse(x, [0, 2]),
                "range": tf.cast(tf.range(2, 14, 4), tf.float32) * x[:, :3, 0],
                "gather": tf.gather(x, [5, 0, 5], axis=1) + tf.gather(x, 2, axis=-1)[:, :3, None]}

    @tf.function(input_signature=[spec([2, 5, 7, 3])])
    def resize(self, x):
        # ResizeBilinear / ResizeNearestNeighbor with each combination TF accepts (align_corners
        # with half_pixel_centers is an error in TF), up, down, to odd sizes and to the same size.
        out = {}
        for mode, op in (("bilinear", tf.raw_ops.ResizeBilinear),
                         ("nearest", tf.raw_ops.ResizeNearestNeighbor)):
            for flags, ac, hp in (("legacy", False, False), ("align", True, False),
                                  ("half", False, True)):
                for size_name, size in (("up", [9, 11]), ("down", [3, 4]), ("odd", [4, 13]),
                                        ("one", [1, 2])):
                    out[f"{mode}_{flags}_{size_name}"] = op(images=x, size=size, align_corners=ac,
                                                            half_pixel_centers=hp)
        out["bilinear_same_size"] = tf.raw_ops.ResizeBilinear(images=x, size=[5, 7])
        out["image_resize"] = tf.image.resize(x, [8, 6])
        return out

    @tf.function(input_signature=[spec([2, 5, 7, 3], tf.int32), spec([1, 4, 4, 2], tf.uint8)])
    def resize_int(self, x, u):
        return {
            "bilinear_half": tf.raw_ops.ResizeBilinear(images=x, size=[7, 9], half_pixel_centers=True),
            "bilinear_u8_align": tf.raw_ops.ResizeBilinear(images=u, size=[7, 3], align_corners=True),
            "nearest_half": tf.raw_ops.ResizeNearestNeighbor(images=x, size=[8, 3],
                                                             half_pixel_centers=True),
            "nearest_u8": tf.raw_ops.ResizeNearestNeighbor(images=u, size=[6, 9]),
        }

    @tf.function(input_signature=[spec([1, 5, 6, 4])])
    def conv_transpose(self, x):
        t = lambda shape, s, p, f=None, **kw: tf.nn.conv2d_transpose(
            x, self.t33 if f is None else f, shape, s, p, **kw)
        return {
            "same_s1": t([1, 5, 6, 2], 1, "SAME"),
            "same_s2": t([1, 10, 12, 2], 2, "SAME"),
            "same_s2_odd": t([1, 9, 11, 2], 2, "SAME"),
            "same_s3_odd": t([1, 13, 17, 2], 3, "SAME"),
            "valid_s1": t([1, 7, 8, 2], 1, "VALID"),
            "valid_s2": t([1, 11, 13, 2], 2, "VALID"),
            "valid_s2_extra": t([1, 12, 14, 2], 2, "VALID"),
            "valid_s3_extra": t([1, 17, 20, 2], 3, "VALID"),
            "explicit_s2": t([1, 9, 11, 2], 2, [[0, 0], [1, 2], [2, 0], [0, 0]]),
            "explicit_crop": t([1, 3, 4, 2], 1, [[0, 0], [3, 1], [0, 4], [0, 0]]),
            "dilated_same": t([1, 5, 6, 2], 1, "SAME", dilations=2),
            "rect_s23": t([1, 10, 18, 2], [2, 3], "SAME", f=self.t23),
            "rect_valid_s32": t([1, 14, 13, 2], [3, 2], "VALID", f=self.t23),
        }

    @tf.function(input_signature=[spec([2, 9, 9, 8])])
    def grouped_convs(self, x):
        # Conv2D with a filter of fewer input channels than x (Keras' Conv2D(groups=G)):
        # 8 / filter input channels groups, each reading its own slice of x's channels.
        c = lambda f, s, p, **kw: tf.nn.conv2d(x, f, s, p, **kw)
        return {
            "g2_same": c(self.g2, 1, "SAME"),
            "g2_dilated": c(self.g2w, 1, "SAME", dilations=2),
            "g2_dilated_rect": c(self.g2w, 1, "VALID", dilations=[1, 3]),
            "g4_valid_s2": c(self.g4, 2, "VALID"),
            "g4_explicit_s12": c(self.g4, [1, 2], [[0, 0], [1, 2], [2, 0], [0, 0]]),
            "g2_pointwise": c(self.g2p, 1, "VALID"),
            # batch norm and ReLU after it, folded into the filter / applied to the group loop's
            # result
            "g2_scaled_relu": tf.nn.relu(c(self.g2w, 1, "SAME") * self.g_scale + self.g_shift),
            # one input channel per group: a depthwise convolution, multiplier 1 and 2
            "g8_same_s2": c(self.g8, 2, "SAME"),
            "g8_mult2_dilated": c(self.g8m, 1, "SAME", dilations=[2, 1]),
        }


def build_ops(out):
    name = "ops"
    path = mu.fresh_dir(os.path.join(out, name))
    mu.seed_everything(SEED)
    rng = np.random.default_rng(SEED)
    module = OpsModule(rng)
    sigs = {k: getattr(module, k) for k in
            ["convs", "winograd", "pools", "pads", "slices", "reductions", "float_math", "int_math",
             "matmuls", "assembly", "splits", "resize", "resize_int", "conv_transpose",
             "grouped_convs"]}
    tf.saved_model.save(module, path, signatures=sigs)
    # Integer operands with signs, and divisors without zeros.
    ia = rng.integers(-9, 10, size=[3, 8]).astype(np.int32)
    ib = rng.integers(1, 6, size=[3, 8]).astype(np.int32) * rng.choice([-1, 1], size=[3, 8]).astype(np.int32)
    mu.write_expected(path, os.path.join(out, name + ".expected"), seed=SEED,
                      inputs={"int_math": {"a": ia, "b": ib}})
    return mu.manifest_entry(out, name, "tf2", "tf.Module: one signature per op family")


MODELS = [build_ops]
