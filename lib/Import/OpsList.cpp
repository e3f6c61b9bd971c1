//===- OpsList.cpp - TensorLists (tf.TensorArray, Keras' recurrent loops) -===//
//
// A TensorList of known length and element type is a plain tensor [length, element...]:
// FromTensor is its tensor, GetItem a slice, SetItem an insert, Stack the tensor itself. Keras
// reserves its output list with an unknown element shape; such a list is a PendingList until
// the first SetItem or PushBack, whose item types it (a While carrying one learns the type from
// its body; see OpsControl.cpp). The length must be known at compile time: a list that grows in a
// loop cannot be bounded and is an error naming the node.
//
// Indices computed at run time are clamped to [0, length) (see clampedIndex).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "smc/Support/DType.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace ::smc::import;

namespace {
Value zeros(OpBuilder &b, Location loc, RankedTensorType type) {
  Type e = type.getElementType();
  Attribute zero = isa<FloatType>(e) ? Attribute(b.getFloatAttr(e, 0.0))
                                     : Attribute(b.getIntegerAttr(e, 0));
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, zero));
}
} // namespace

namespace smc::import {
Value materializeList(OpBuilder &b, Location loc, const PendingList &list,
                      RankedTensorType element) {
  SmallVector<int64_t> shape{list.length};
  shape.append(element.getShape().begin(), element.getShape().end());
  return zeros(b, loc, RankedTensorType::get(shape, element.getElementType()));
}
} // namespace smc::import

namespace {

/// A list input: the tensor of a typed list, or the PendingList. Emits an error otherwise.
struct ListIn {
  Value value;
  std::optional<PendingList> pending;
  int64_t length() const {
    return value ? typeOf(value).getDimSize(0) : pending->length;
  }
};

FailureOr<ListIn> listInput(NodeContext &c, size_t i) {
  if (i < c.numInputs() && c.inputVal(i).list)
    return ListIn{Value(), c.inputVal(i).list};
  Value v = c.input(i);
  if (!v)
    return failure();
  if (typeOf(v).getRank() < 1)
    return c.error() << "input " << i << " is not a TensorList";
  return ListIn{v, std::nullopt};
}

/// The element type the node's `element_dtype` attribute names; null after an error.
Type elementDType(NodeContext &c) {
  int dtype = c.typeAttr("element_dtype");
  Type e = elementTypeFor(c.ctx(), dtype);
  if (!e)
    c.error() << "element_dtype " << ::smc::dtypeName(dtype) << " is not supported";
  return e;
}

/// A fully known element shape from input `i` (TF's -1 scalar or any -1 dimension: unknown).
std::optional<SmallVector<int64_t>> knownShape(NodeContext &c, size_t i) {
  auto attr = c.constantInput(i);
  if (!attr || !isa<IntegerType>(attr->getElementType()))
    return std::nullopt;
  if (attr->getType().getRank() == 0)
    return std::nullopt; // -1: unknown rank
  SmallVector<int64_t> shape;
  for (const APInt &v : attr->getValues<APInt>()) {
    if (v.isNegative())
      return std::nullopt;
    shape.push_back(v.getSExtValue());
  }
  return shape;
}

RankedTensorType elementOf(RankedTensorType list) {
  return RankedTensorType::get(list.getShape().drop_front(), list.getElementType());
}

/// The list's tensor to hold an item of type `element` (a pending list made zeros of that
/// type); an error when the list's elements have another shape.
FailureOr<Value> typed(NodeContext &c, const ListIn &list, RankedTensorType element) {
  if (!list.value)
    return materializeList(c.builder(), c.loc, *list.pending, element);
  RankedTensorType have = elementOf(typeOf(list.value));
  if (have != element)
    return c.error() << "item of type " << element << " for a list of " << have
                     << " elements; smc needs every element of a list to have one static shape";
  return list.value;
}

/// Index input `i` into a list of `length` elements: an index value clamped to [0, length), or
/// a compile-time constant (checked); failure after an error.
FailureOr<OpFoldResult> listIndex(NodeContext &c, size_t i, int64_t length) {
  if (auto k = c.constantInput(i)) {
    if (k->getNumElements() != 1 || !isa<IntegerType>(k->getElementType()))
      return c.error() << "index must be an integer scalar";
    int64_t v = (*k->getValues<APInt>().begin()).getSExtValue();
    if (v < 0 || v >= length)
      return c.error() << "index " << v << " is out of range for a list of " << length
                       << " elements";
    return OpFoldResult(c.builder().getIndexAttr(v));
  }
  Value index = c.input(i);
  if (!index)
    return failure();
  auto t = typeOf(index);
  if (t.getRank() != 0 || !isa<IntegerType>(t.getElementType()))
    return c.error() << "index must be an integer scalar, not " << t;
  Value v = c.builder().create<tensor::ExtractOp>(c.loc, index, ValueRange{});
  return OpFoldResult(clampedIndex(c, v, length, /*wrapNegative=*/false));
}

/// Offsets / sizes / strides of element `index` of a list of type `t`.
void elementSlice(OpBuilder &b, RankedTensorType t, OpFoldResult index,
                  SmallVector<OpFoldResult> &offsets, SmallVector<OpFoldResult> &sizes,
                  SmallVector<OpFoldResult> &strides) {
  offsets.assign(t.getRank(), b.getIndexAttr(0));
  offsets[0] = index;
  sizes.clear();
  sizes.push_back(b.getIndexAttr(1));
  for (int64_t d : t.getShape().drop_front())
    sizes.push_back(b.getIndexAttr(d));
  strides.assign(t.getRank(), b.getIndexAttr(1));
}

/// TensorListReserve (element_shape, num_elements; element_dtype).
LogicalResult reserveOp(NodeContext &c) {
  Type e = elementDType(c);
  if (!e)
    return failure();
  auto n = c.constantInput(1);
  if (!n || n->getNumElements() != 1 || !isa<IntegerType>(n->getElementType()))
    return c.error() << "num_elements must be a compile-time integer scalar: smc needs lists "
                     << "whose length is known when compiling";
  int64_t length = (*n->getValues<APInt>().begin()).getSExtValue();
  if (length < 0)
    return c.error() << "num_elements is " << length << "; smc needs lists of a known length";
  PendingList list{length, c.typeAttr("element_dtype")};
  if (auto shape = knownShape(c, 0); shape && length > 0) {
    c.output(materializeList(c.builder(), c.loc, list, RankedTensorType::get(*shape, e)));
    return success();
  }
  c.outputs.push_back(Val::ofList(list));
  return success();
}

/// EmptyTensorList (element_shape, max_num_elements; element_dtype): length 0, grown by PushBack.
LogicalResult emptyOp(NodeContext &c) {
  if (!elementDType(c))
    return failure();
  c.outputs.push_back(Val::ofList(PendingList{0, c.typeAttr("element_dtype")}));
  return success();
}

/// TensorListFromTensor (tensor, element_shape): the tensor is the list.
LogicalResult fromTensorOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  if (typeOf(x).getRank() < 1)
    return c.error() << "a list is made from a tensor of rank >= 1, not " << typeOf(x);
  c.output(x);
  return success();
}

/// TensorListGetItem (input_handle, index, element_shape; element_dtype).
LogicalResult getItemOp(NodeContext &c) {
  auto list = listInput(c, 0);
  if (failed(list))
    return failure();
  if (!list->value) {
    // Nothing was set: zeros of the stated element shape.
    Type e = elementDType(c);
    auto shape = knownShape(c, 2);
    if (!e)
      return failure();
    if (!shape)
      return c.error() << "reads a list none of whose elements was set, and its element_shape "
                       << "is not known at compile time";
    c.output(zeros(c.builder(), c.loc, RankedTensorType::get(*shape, e)));
    return success();
  }
  auto t = typeOf(list->value);
  auto index = listIndex(c, 1, t.getDimSize(0));
  if (failed(index))
    return failure();
  SmallVector<OpFoldResult> offsets, sizes, strides;
  elementSlice(c.builder(), t, *index, offsets, sizes, strides);
  c.output(c.builder().create<tensor::ExtractSliceOp>(c.loc, elementOf(t), list->value, offsets,
                                                      sizes, strides));
  return success();
}

/// Checks that `item` can be an element of a list of `e` elements; its type.
FailureOr<RankedTensorType> itemType(NodeContext &c, Value item, Type e) {
  auto t = typeOf(item);
  if (t.getElementType() != e)
    return c.error() << "item of type " << t << " for a list of " << e << " elements";
  return t;
}

/// TensorListSetItem (input_handle, index, item; element_dtype).
LogicalResult setItemOp(NodeContext &c) {
  auto list = listInput(c, 0);
  Value item = c.input(2);
  Type e = elementDType(c);
  if (failed(list) || !item || !e)
    return failure();
  auto it = itemType(c, item, e);
  if (failed(it))
    return failure();
  if (list->length() == 0)
    return c.error() << "sets an element of an empty list";
  auto l = typed(c, *list, *it);
  if (failed(l))
    return failure();
  auto t = typeOf(*l);
  auto index = listIndex(c, 1, t.getDimSize(0));
  if (failed(index))
    return failure();
  SmallVector<OpFoldResult> offsets, sizes, strides;
  elementSlice(c.builder(), t, *index, offsets, sizes, strides);
  c.output(c.builder().create<tensor::InsertSliceOp>(c.loc, item, *l, offsets, sizes, strides));
  return success();
}

/// TensorListPushBack (input_handle, tensor; element_dtype): the list one element longer.
LogicalResult pushBackOp(NodeContext &c) {
  auto list = listInput(c, 0);
  Value item = c.input(1);
  Type e = elementDType(c);
  if (failed(list) || !item || !e)
    return failure();
  auto it = itemType(c, item, e);
  if (failed(it))
    return failure();
  SmallVector<int64_t> one{1};
  one.append(it->getShape().begin(), it->getShape().end());
  Value last = reshape(c, item, one);
  if (!last)
    return failure();
  if (list->length() == 0) {
    c.output(last);
    return success();
  }
  auto l = typed(c, *list, *it);
  if (failed(l))
    return failure();
  Value r = c.createOrFold<mlir::smc::ConcatOp>(nullptr, ValueRange{*l, last}, 0);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// TensorListStack (input_handle, element_shape; element_dtype, num_elements).
LogicalResult stackOp(NodeContext &c) {
  auto list = listInput(c, 0);
  if (failed(list))
    return failure();
  int64_t n = c.intAttr("num_elements", -1);
  if (n >= 0 && n != list->length())
    return c.error() << "num_elements is " << n << " but the list has " << list->length();
  if (list->value) {
    c.output(list->value);
    return success();
  }
  Type e = elementDType(c);
  auto shape = knownShape(c, 1);
  if (!e)
    return failure();
  if (!shape)
    return c.error() << "stacks a list none of whose elements was set, and its element_shape "
                     << "is not known at compile time";
  c.output(materializeList(c.builder(), c.loc, *list->pending, RankedTensorType::get(*shape, e)));
  return success();
}

/// TensorListLength (input_handle): an int32 scalar.
LogicalResult lengthOp(NodeContext &c) {
  auto list = listInput(c, 0);
  if (failed(list))
    return failure();
  auto type = RankedTensorType::get({}, c.builder().getI32Type());
  c.output(c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(type, static_cast<int32_t>(list->length()))));
  return success();
}

/// TensorListElementShape (input_handle; shape_type).
LogicalResult elementShapeOp(NodeContext &c) {
  auto list = listInput(c, 0);
  if (failed(list))
    return failure();
  if (!list->value)
    return c.error() << "asks for the element shape of a list none of whose elements was set";
  auto shape = typeOf(list->value).getShape().drop_front();
  bool i64 = c.typeAttr("shape_type") == tensorflow::DT_INT64;
  Type e = i64 ? c.builder().getI64Type() : c.builder().getI32Type();
  SmallVector<APInt> dims;
  for (int64_t d : shape)
    dims.push_back(APInt(i64 ? 64 : 32, d));
  auto type = RankedTensorType::get({static_cast<int64_t>(shape.size())}, e);
  c.output(c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, dims)));
  return success();
}

} // namespace

void ::smc::import::registerListOps(std::map<std::string, Handler> &t) {
  t["TensorListReserve"] = reserveOp;
  t["EmptyTensorList"] = emptyOp;
  t["TensorListFromTensor"] = fromTensorOp;
  t["TensorListGetItem"] = getItemOp;
  t["TensorListSetItem"] = setItemOp;
  t["TensorListPushBack"] = pushBackOp;
  t["TensorListStack"] = stackOp;
  t["TensorListLength"] = lengthOp;
  t["TensorListElementShape"] = elementShapeOp;
}
