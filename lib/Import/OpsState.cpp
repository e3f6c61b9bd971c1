//===- OpsState.cpp - Constants, identities, placeholders, variables ------===//

#include "Importer.h"

#include "absl/strings/str_cat.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

LogicalResult constOp(NodeContext &c) {
  const auto *value = c.attr("value");
  if (!value || !value->has_tensor())
    return c.error() << "has no value";
  auto tensor = ::smc::tensorFromProto(value->tensor());
  if (!tensor.ok())
    return c.error() << std::string(tensor.status().message());
  Type elem = elementTypeFor(c.ctx(), tensor->dtype);
  if (!elem)
    return c.error() << "constants of dtype " << ::smc::dtypeName(tensor->dtype)
                     << " are not supported";
  auto type = RankedTensorType::get(tensor->shape, elem);
  auto attr = attrFromTensor(type, *tensor);
  if (failed(attr))
    return c.error() << "the stored value does not match its shape";
  c.output(c.builder().create<arith::ConstantOp>(c.loc, *attr));
  return success();
}

/// Identity and friends: outputs are the inputs (variable handles pass through, except that
/// Identity of a TF1 reference reads it).
LogicalResult identityOp(NodeContext &c) {
  for (size_t i = 0; i < c.numInputs(); ++i) {
    if (c.node.op() != "IdentityN" && i > 0)
      break;
    Value v = c.input(i);
    if (!v)
      return failure();
    c.output(v);
  }
  return success();
}

LogicalResult resourceIdentityOp(NodeContext &c) {
  // An Identity of a TensorList not yet typed passes it on.
  if (c.numInputs() > 0 && c.inputVal(0).list) {
    c.outputs.push_back(c.inputVal(0));
    return success();
  }
  // An Identity on a DT_RESOURCE keeps the handle.
  if (c.typeAttr("T") == tensorflow::DT_RESOURCE) {
    const Resource *r = c.resourceInput(0);
    if (!r)
      return failure();
    c.outputs.push_back(Val::ofResource(*r));
    return success();
  }
  return identityOp(c);
}

LogicalResult noOp(NodeContext &) { return success(); }

/// Assert (condition, data...): control only. A condition known at compile time is checked
/// here (false is an error naming the node); one computed at run time cannot be raised by the
/// generated code, which has no way to report an error, so the assertion is dropped (as smc
/// clamps run-time indices instead of failing; docs/architecture.md).
LogicalResult assertOp(NodeContext &c) {
  auto cond = c.constantInput(0);
  if (!cond)
    return success();
  if (!cond->getElementType().isInteger(1))
    return c.error() << "the condition must be a bool tensor, got " << cond->getType();
  for (bool v : cond->getValues<bool>())
    if (!v)
      return c.error() << "the assertion is false at compile time (TensorFlow would fail here)";
  return success();
}

LogicalResult placeholderOp(NodeContext &c) {
  return c.error() << "is not an input of the compiled signature, but the outputs depend on it";
}

LogicalResult placeholderWithDefaultOp(NodeContext &c) { return identityOp(c); }

/// VarHandleOp / VariableV2 in the top-level graph: the checkpoint value bound to this node.
template <bool Ref> LogicalResult variableOp(NodeContext &c) {
  auto binding = c.state.bindings.lookup(c.node.name());
  if (!binding.ok())
    return c.error() << std::string(binding.status().message());
  auto sym = c.state.globalFor((*binding)->checkpointKey, c.loc);
  if (failed(sym))
    return failure();
  c.outputs.push_back(Val::ofResource({*sym, Ref}));
  return success();
}

mlir::smc::GlobalOp globalOf(NodeContext &c, const Resource &r) {
  return c.state.module.lookupSymbol<mlir::smc::GlobalOp>(r.global);
}

LogicalResult readVariableOp(NodeContext &c) {
  const Resource *r = c.resourceInput(0);
  if (!r)
    return failure();
  auto global = globalOf(c, *r);
  c.output(c.builder().create<mlir::smc::GlobalLoadOp>(c.loc, global.getType(), r->global));
  return success();
}

enum class Update { Set, Add, Sub };

/// AssignVariableOp, AssignAdd/SubVariableOp and their TF1 forms Assign, AssignAdd, AssignSub.
template <Update Kind, bool Ref> LogicalResult assignOp(NodeContext &c) {
  const Resource *r = c.resourceInput(0);
  if (!r)
    return failure();
  Resource handle = *r;
  Value value = c.input(1);
  if (!value)
    return failure();
  auto global = globalOf(c, handle);
  if (Kind != Update::Set) {
    Value old = c.builder().create<mlir::smc::GlobalLoadOp>(c.loc, global.getType(), handle.global);
    value = Kind == Update::Add ? c.createOrFold<mlir::smc::AddOp>(nullptr, old, value)
                                : c.createOrFold<mlir::smc::SubOp>(nullptr, old, value);
    if (!value)
      return failure();
  }
  if (value.getType() != global.getType())
    return c.error() << "assigns a value of type " << value.getType() << " to variable '"
                     << handle.global << "' of type " << global.getType();
  c.builder().create<mlir::smc::GlobalStoreOp>(c.loc, handle.global, value);
  if (Ref)
    c.outputs.push_back(Val::ofResource(handle));
  return success();
}

} // namespace

void ::smc::import::registerStateOps(std::map<std::string, Handler> &t) {
  t["Const"] = constOp;
  t["Identity"] = resourceIdentityOp;
  t["IdentityN"] = identityOp;
  t["StopGradient"] = identityOp;
  t["PreventGradient"] = identityOp;
  t["Snapshot"] = identityOp;
  t["EnsureShape"] = identityOp;
  t["CheckNumerics"] = identityOp;
  t["NoOp"] = noOp;
  t["Assert"] = assertOp;
  t["Placeholder"] = placeholderOp;
  t["PlaceholderWithDefault"] = placeholderWithDefaultOp;
  t["VarHandleOp"] = variableOp<false>;
  t["VariableV2"] = variableOp<true>;
  t["Variable"] = variableOp<true>;
  t["ReadVariableOp"] = readVariableOp;
  t["AssignVariableOp"] = assignOp<Update::Set, false>;
  t["AssignAddVariableOp"] = assignOp<Update::Add, false>;
  t["AssignSubVariableOp"] = assignOp<Update::Sub, false>;
  t["Assign"] = assignOp<Update::Set, true>;
  t["AssignAdd"] = assignOp<Update::Add, true>;
  t["AssignSub"] = assignOp<Update::Sub, true>;
}
