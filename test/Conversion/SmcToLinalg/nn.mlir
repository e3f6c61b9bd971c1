// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s
// Convolutions, pooling and padding (NNToLinalg.cpp): linalg's NHWC named ops, whose filter
// layouts are TF's; padding becomes a tensor.pad of the input in front of them; grouped
// convolutions become depthwise ones or a loop of per-group convolutions.

// VALID padding: no tensor.pad, the input goes straight into the convolution.
// CHECK-LABEL: func.func @conv2d_valid
// CHECK-SAME: (%[[IN:.*]]: tensor<1x5x5x3xf32>, %[[F:.*]]: tensor<3x3x3x8xf32>)
func.func @conv2d_valid(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x3x8xf32>) -> tensor<1x3x3x8xf32> {
  // CHECK-NOT: tensor.pad
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x3x3x8xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x3x3x8xf32>)
  // CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[IN]], %[[F]] : tensor<1x5x5x3xf32>, tensor<3x3x3x8xf32>) outs(%[[INIT]] : tensor<1x3x3x8xf32>)
  // CHECK: return %[[CONV]]
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x5x5x3xf32>, tensor<3x3x3x8xf32>) -> tensor<1x3x3x8xf32>
  return %0 : tensor<1x3x3x8xf32>
}

// -----

// SAME padding, stride 1: one zero on every side.
// CHECK-LABEL: func.func @conv2d_same
// CHECK-SAME: (%[[IN:.*]]: tensor<1x5x5x3xf32>, %[[F:.*]]: tensor<3x3x3x8xf32>)
func.func @conv2d_same(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x3x8xf32>) -> tensor<1x5x5x8xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 1, 1, 0] high[0, 1, 1, 0]
  // CHECK: tensor.yield %[[ZERO]] : f32
  // CHECK: } : tensor<1x5x5x3xf32> to tensor<1x7x7x3xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
  // CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[PAD]], %[[F]] : tensor<1x7x7x3xf32>, tensor<3x3x3x8xf32>) outs(%[[INIT]] : tensor<1x5x5x8xf32>)
  // CHECK: return %[[CONV]]
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x5x5x3xf32>, tensor<3x3x3x8xf32>) -> tensor<1x5x5x8xf32>
  return %0 : tensor<1x5x5x8xf32>
}

// -----

// SAME padding with stride 2 pads only after (TF puts the odd cell at the bottom/right);
// explicit, uneven padding with strides and dilations reaches the named op unchanged
// (a 5x5 dilated window over 7x7: 1 row with stride 3, 3 columns with stride 1).
// CHECK-LABEL: func.func @conv2d_strided
// CHECK-SAME: (%[[IN:.*]]: tensor<1x4x4x2xf32>, %[[F:.*]]: tensor<3x3x2x4xf32>)
func.func @conv2d_strided(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x1x3x4xf32>) {
  // CHECK: %[[PAD0:.*]] = tensor.pad %[[IN]] low[0, 0, 0, 0] high[0, 1, 1, 0]
  // CHECK: } : tensor<1x4x4x2xf32> to tensor<1x5x5x2xf32>
  // CHECK: %[[SAME:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD0]], %[[F]] : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
  %0 = smc.conv2d %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x2x2x4xf32>
  // CHECK: %[[PAD1:.*]] = tensor.pad %[[IN]] low[0, 1, 0, 0] high[0, 2, 3, 0]
  // CHECK: } : tensor<1x4x4x2xf32> to tensor<1x7x7x2xf32>
  // CHECK: %[[EXPLICIT:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<[3, 1]> : tensor<2xi64>} ins(%[[PAD1]], %[[F]] : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>)
  %1 = smc.conv2d %x, %w {strides = array<i64: 3, 1>, dilations = array<i64: 2, 2>, padding = array<i64: 1, 2, 0, 3>} : (tensor<1x4x4x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x1x3x4xf32>
  // CHECK: return %[[SAME]], %[[EXPLICIT]]
  return %0, %1 : tensor<1x2x2x4xf32>, tensor<1x1x3x4xf32>
}

// -----

// Channel multiplier 1: the HWC1 filter is collapsed to HWC for the multiplier-free op.
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[IN:.*]]: tensor<1x6x6x4xf32>, %[[F:.*]]: tensor<3x3x4x1xf32>)
func.func @depthwise(%x: tensor<1x6x6x4xf32>, %w: tensor<3x3x4x1xf32>) -> tensor<1x3x3x4xf32> {
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 0, 0, 0] high[0, 1, 1, 0]
  // CHECK: %[[HWC:.*]] = tensor.collapse_shape %[[F]] {{\[\[}}0], [1], [2, 3]] : tensor<3x3x4x1xf32> into tensor<3x3x4xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill
  // CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[HWC]] : tensor<1x7x7x4xf32>, tensor<3x3x4xf32>) outs(%[[INIT]] : tensor<1x3x3x4xf32>)
  // CHECK: return %[[DW]]
  %0 = smc.depthwise_conv2d %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x6x6x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// Channel multiplier 2: the HWCM op gives [N, H, W, C, M], collapsed to output channel c*M + m.
// CHECK-LABEL: func.func @depthwise_multiplier
// CHECK-SAME: (%[[IN:.*]]: tensor<1x4x4x3xf32>, %[[F:.*]]: tensor<3x3x3x2xf32>)
func.func @depthwise_multiplier(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x3x2xf32>) -> tensor<1x2x2x6xf32> {
  // CHECK-NOT: tensor.pad
  // CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x2x2x3x2xf32>
  // CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} ins(%[[IN]], %[[F]] : tensor<1x4x4x3xf32>, tensor<3x3x3x2xf32>) outs(%[[INIT]] : tensor<1x2x2x3x2xf32>)
  // CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[DW]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x2x2x3x2xf32> into tensor<1x2x2x6xf32>
  // CHECK: return %[[OUT]]
  %0 = smc.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x3xf32>, tensor<3x3x3x2xf32>) -> tensor<1x2x2x6xf32>
  return %0 : tensor<1x2x2x6xf32>
}

// -----

// A grouped convolution with one input channel per group (Keras' Conv2D(groups=C), ConvNeXt's
// depthwise 7x7) is a depthwise convolution: the filter [H, W, 1, C] is viewed as HWC and
// lowered exactly like smc.depthwise_conv2d.
// CHECK-LABEL: func.func @grouped_depthwise
// CHECK-SAME: (%[[IN:.*]]: tensor<1x6x6x4xf32>, %[[F:.*]]: tensor<3x3x1x4xf32>)
func.func @grouped_depthwise(%x: tensor<1x6x6x4xf32>, %w: tensor<3x3x1x4xf32>) -> tensor<1x3x3x4xf32> {
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 0, 0, 0] high[0, 1, 1, 0]
  // CHECK: %[[HWC:.*]] = tensor.collapse_shape %[[F]] {{\[\[}}0], [1], [2, 3]] : tensor<3x3x1x4xf32> into tensor<3x3x4xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill
  // CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[HWC]] : tensor<1x7x7x4xf32>, tensor<3x3x4xf32>) outs(%[[INIT]] : tensor<1x3x3x4xf32>)
  // CHECK: return %[[DW]]
  %0 = smc.conv2d %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x6x6x4xf32>, tensor<3x3x1x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// One input channel and M = 2 outputs per group: group c's outputs are channels 2c and 2c + 1,
// as a depthwise convolution's with multiplier 2, so the filter [H, W, 1, 6] is HWCM [H, W, 3, 2].
// CHECK-LABEL: func.func @grouped_multiplier
// CHECK-SAME: (%[[IN:.*]]: tensor<1x4x4x3xf32>, %[[F:.*]]: tensor<3x3x1x6xf32>)
func.func @grouped_multiplier(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x1x6xf32>) -> tensor<1x2x2x6xf32> {
  // CHECK: %[[HWC:.*]] = tensor.collapse_shape %[[F]] {{\[\[}}0], [1], [2, 3]] : tensor<3x3x1x6xf32> into tensor<3x3x6xf32>
  // CHECK: %[[HWCM:.*]] = tensor.expand_shape %[[HWC]] {{\[\[}}0], [1], [2, 3]] output_shape [3, 3, 3, 2] : tensor<3x3x6xf32> into tensor<3x3x3x2xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x2x2x3x2xf32>
  // CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} ins(%[[IN]], %[[HWCM]] : tensor<1x4x4x3xf32>, tensor<3x3x3x2xf32>) outs(%[[INIT]] : tensor<1x2x2x3x2xf32>)
  // CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[DW]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x2x2x3x2xf32> into tensor<1x2x2x6xf32>
  // CHECK: return %[[OUT]]
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x3xf32>, tensor<3x3x1x6xf32>) -> tensor<1x2x2x6xf32>
  return %0 : tensor<1x2x2x6xf32>
}

// -----

// Two groups of 4 input and 3 output channels (dilated, SAME): one loop over the groups, marked
// smc.group_loop; group g convolves input channels [4g, 4g + 4) of the padded input with filter
// columns [3g, 3g + 3) into output channels [3g, 3g + 3) of the carried result, in place.
// CHECK-LABEL: func.func @grouped
// CHECK-SAME: (%[[IN:.*]]: tensor<1x5x5x8xf32>, %[[F:.*]]: tensor<3x3x4x6xf32>)
func.func @grouped(%x: tensor<1x5x5x8xf32>, %w: tensor<3x3x4x6xf32>) -> tensor<1x5x5x6xf32> {
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 2, 2, 0] high[0, 2, 2, 0]
  // CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<1x5x5x6xf32>
  // CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
  // CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
  // CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
  // CHECK: %[[R:.*]] = scf.for %[[G:.*]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<1x5x5x6xf32>) {
  // CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
  // CHECK-DAG: %[[I0:.*]] = arith.muli %[[G]], %[[C4]] : index
  // CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
  // CHECK-DAG: %[[O0:.*]] = arith.muli %[[G]], %[[C3]] : index
  // CHECK: %[[XG:.*]] = tensor.extract_slice %[[PAD]][0, 0, 0, %[[I0]]] [1, 9, 9, 4] [1, 1, 1, 1] : tensor<1x9x9x8xf32> to tensor<1x9x9x4xf32>
  // CHECK: %[[WG:.*]] = tensor.extract_slice %[[F]][0, 0, 0, %[[O0]]] [3, 3, 4, 3] [1, 1, 1, 1] : tensor<3x3x4x6xf32> to tensor<3x3x4x3xf32>
  // CHECK: %[[YG0:.*]] = tensor.extract_slice %[[ACC]][0, 0, 0, %[[O0]]] [1, 5, 5, 3] [1, 1, 1, 1] : tensor<1x5x5x6xf32> to tensor<1x5x5x3xf32>
  // CHECK: %[[YG:.*]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XG]], %[[WG]] : tensor<1x9x9x4xf32>, tensor<3x3x4x3xf32>) outs(%[[YG0]] : tensor<1x5x5x3xf32>)
  // CHECK: %[[NEXT:.*]] = tensor.insert_slice %[[YG]] into %[[ACC]][0, 0, 0, %[[O0]]] [1, 5, 5, 3] [1, 1, 1, 1] : tensor<1x5x5x3xf32> into tensor<1x5x5x6xf32>
  // CHECK: scf.yield %[[NEXT]]
  // CHECK: } {smc.group_loop}
  // CHECK: return %[[R]]
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>} : (tensor<1x5x5x8xf32>, tensor<3x3x4x6xf32>) -> tensor<1x5x5x6xf32>
  return %0 : tensor<1x5x5x6xf32>
}

// -----

// Max pooling pads with -inf (never picked) and starts from -inf.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: (%[[IN:.*]]: tensor<1x4x4x2xf32>)
func.func @max_pool(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 0, 0, 0] high[0, 1, 1, 0]
  // CHECK: tensor.yield %[[NEGINF]] : f32
  // CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
  // CHECK: %[[POOL:.*]] = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WINDOW]] : tensor<1x5x5x2xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x2x2xf32>)
  // CHECK: return %[[POOL]]
  %0 = smc.pool max %x {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// Average pooling sums (zero padding), then divides by the number of window cells inside the
// input at each output position: 4 at the top left, 2 at the edges, 1 in the corner.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[HW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func.func @avg_pool
// CHECK-SAME: (%[[IN:.*]]: tensor<1x3x3x2xf32>)
func.func @avg_pool(%x: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[PAD:.*]] = tensor.pad %[[IN]] low[0, 0, 0, 0] high[0, 1, 1, 0]
  // CHECK: tensor.yield %[[ZERO]] : f32
  // CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<2x2xf32>
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32)
  // CHECK: %[[SUM:.*]] = linalg.pooling_nhwc_sum {{.*}} ins(%[[PAD]], %[[WINDOW]] : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x2x2x2xf32>)
  // CHECK: %[[COUNT:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
  // CHECK: %[[AVG:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[HW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUM]], %[[COUNT]] : tensor<1x2x2x2xf32>, tensor<2x2xf32>)
  // CHECK: ^bb0(%[[S:.*]]: f32, %[[N:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[Q:.*]] = arith.divf %[[S]], %[[N]] : f32
  // CHECK: linalg.yield %[[Q]] : f32
  // CHECK: return %[[AVG]]
  %0 = smc.pool avg %x {window = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// Constant padding is a tensor.pad with the value; unsigned types become signless.
// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[U:.*]]: tensor<4xi8>)
func.func @pad_constant(%x: tensor<2x3xf32>, %u: tensor<4xui8>) -> (tensor<5x4xf32>, tensor<6xui8>) {
  // CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
  // CHECK: %[[P:.*]] = tensor.pad %[[X]] low[1, 0] high[2, 1]
  // CHECK: tensor.yield %[[V]] : f32
  // CHECK: } : tensor<2x3xf32> to tensor<5x4xf32>
  %0 = smc.pad constant %x {low = array<i64: 1, 0>, high = array<i64: 2, 1>, value = 1.5 : f32} : (tensor<2x3xf32>) -> tensor<5x4xf32>
  // CHECK: %[[W:.*]] = arith.constant 7 : i8
  // CHECK: %[[Q:.*]] = tensor.pad %[[U]] low[2] high[0]
  // CHECK: tensor.yield %[[W]] : i8
  // CHECK: } : tensor<4xi8> to tensor<6xi8>
  %1 = smc.pad constant %u {low = array<i64: 2>, high = array<i64: 0>, value = 7 : ui8} : (tensor<4xui8>) -> tensor<6xui8>
  // CHECK: return %[[P]], %[[Q]]
  return %0, %1 : tensor<5x4xf32>, tensor<6xui8>
}

// -----

// Mirror padding: a linalg.generic that reads the input at the reflected index: -i below,
// 2 * (4 - 1) - i above.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @pad_reflect(%x: tensor<4xf32>) -> tensor<7xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<7xf32>
  // CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%[[EMPTY]] : tensor<7xf32>)
  // CHECK: %[[O:.*]] = linalg.index 0 : index
  // CHECK: %[[LOW:.*]] = arith.constant 2 : index
  // CHECK: %[[I:.*]] = arith.subi %[[O]], %[[LOW]] : index
  // CHECK: %[[NEG:.*]] = arith.subi %{{.*}}, %[[I]] : index
  // CHECK: %[[LAST2:.*]] = arith.constant 6 : index
  // CHECK: %[[OVER:.*]] = arith.subi %[[LAST2]], %[[I]] : index
  // CHECK: %[[BELOW:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
  // CHECK: %[[DIM:.*]] = arith.constant 4 : index
  // CHECK: %[[ABOVE:.*]] = arith.cmpi sge, %[[I]], %[[DIM]] : index
  // CHECK: %[[S0:.*]] = arith.select %[[BELOW]], %[[NEG]], %[[I]] : index
  // CHECK: %[[S1:.*]] = arith.select %[[ABOVE]], %[[OVER]], %[[S0]] : index
  // CHECK: %[[E:.*]] = tensor.extract %[[X]][%[[S1]]] : tensor<4xf32>
  // CHECK: linalg.yield %[[E]] : f32
  // CHECK: return %[[R]]
  %0 = smc.pad reflect %x {low = array<i64: 2>, high = array<i64: 1>, value = 0.0 : f32} : (tensor<4xf32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}
