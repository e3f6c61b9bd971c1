//===- OpsMath.cpp - Linear algebra, reductions, casts --------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cctype>

using namespace mlir;
using namespace ::smc::import;

namespace {

LogicalResult matmul(NodeContext &c) {
  Value a = c.input(0), b = c.input(1);
  if (!a || !b)
    return failure();
  auto op = c.createOrFold<mlir::smc::MatMulOp>(nullptr, a, b, c.boolAttr("transpose_a"),
                                                c.boolAttr("transpose_b"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult batchMatmul(NodeContext &c) {
  Value x = c.input(0), y = c.input(1);
  if (!x || !y)
    return failure();
  auto op = c.createOrFold<mlir::smc::BatchMatMulOp>(nullptr, x, y, c.boolAttr("adj_x"),
                                                     c.boolAttr("adj_y"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult biasAdd(NodeContext &c) {
  Value v = c.input(0), b = c.input(1);
  if (!v || !b)
    return failure();
  std::string format = c.strAttr("data_format", "NHWC");
  if (format != "NHWC")
    return c.error() << "data_format " << format << " is not supported (only NHWC)";
  auto op = c.createOrFold<mlir::smc::BiasAddOp>(v.getType(), v, b);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool Log> LogicalResult softmax(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto op = c.createOrFold<mlir::smc::SoftmaxOp>(x.getType(), x, Log);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// Reduction axes from input `i`: constant, negative ones wrapped, sorted, distinct.
FailureOr<std::vector<int64_t>> axesOf(NodeContext &c, size_t i, int64_t rank) {
  auto axes = c.constantInts(i, "the reduction axes");
  if (failed(axes))
    return failure();
  std::vector<int64_t> out;
  for (int64_t a : *axes) {
    int64_t w = a < 0 ? a + rank : a;
    if (w < 0 || w >= rank) {
      c.error() << "axis " << a << " is out of range for rank " << rank;
      return failure();
    }
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

template <mlir::smc::ReduceKind Kind> LogicalResult reduce(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto axes = axesOf(c, 1, typeOf(x).getRank());
  if (failed(axes))
    return failure();
  auto op = c.createOrFold<mlir::smc::ReduceOp>(nullptr, x, Kind, *axes, c.boolAttr("keep_dims"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool Min> LogicalResult argMax(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto dim = c.constantInts(1, "the dimension");
  if (failed(dim))
    return failure();
  int64_t rank = typeOf(x).getRank();
  if (dim->size() != 1 || (*dim)[0] < -rank || (*dim)[0] >= rank)
    return c.error() << "dimension must be one value in [" << -rank << ", " << rank << ")";
  int64_t axis = (*dim)[0] < 0 ? (*dim)[0] + rank : (*dim)[0];
  int outType = c.typeAttr("output_type");
  Type elem = elementTypeFor(c.ctx(), outType ? outType : tensorflow::DT_INT64);
  auto shape = mlir::smc::reducedShape(typeOf(x).getShape(), {axis}, false);
  auto op = c.createOrFold<mlir::smc::ArgMaxOp>(RankedTensorType::get(shape, elem), x, axis, Min);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult castOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  int dst = c.typeAttr("DstT");
  Type elem = elementTypeFor(c.ctx(), dst);
  if (!elem)
    return c.error() << "cast to " << ::smc::dtypeName(dst) << " is not supported";
  auto op = c.createOrFold<mlir::smc::CastOp>(RankedTensorType::get(typeOf(x).getShape(), elem), x);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool V2> LogicalResult select(NodeContext &c) {
  Value cond = c.input(0), t = c.input(1), f = c.input(2);
  if (!cond || !t || !f)
    return failure();
  auto ct = typeOf(cond), tt = typeOf(t);
  if (!V2 && ct.getRank() == 1 && tt.getRank() > 1) {
    // Select (v1) with a vector condition picks whole rows of the first dimension.
    SmallVector<int64_t> shape(tt.getRank(), 1);
    shape[0] = ct.getDimSize(0);
    auto r = c.createOrFold<mlir::smc::ReshapeOp>(RankedTensorType::get(shape, ct.getElementType()),
                                                  cond);
    if (!r)
      return failure();
    cond = r;
  }
  auto op = c.createOrFold<mlir::smc::SelectOp>(nullptr, cond, t, f);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// An Einsum index: a letter is its character; the k-th of the E dimensions that `...` covers
/// (aligned at the right across operands, as numpy broadcasts them) is kEllipsis + k.
constexpr int kEllipsis = 256;

std::string labelName(int label) {
  return label < kEllipsis ? std::string(1, static_cast<char>(label)) : std::string("...");
}

/// One term of the equation: its letters and the position of its `...` among them (-1: none).
struct EinsumTerm {
  std::string letters;
  int ellipsisAt = -1;
};

/// Parses one term ("abc", "...b", "a...c"); nullopt after an error.
std::optional<EinsumTerm> parseTerm(NodeContext &c, const std::string &term,
                                    const std::string &eq) {
  EinsumTerm t;
  for (size_t i = 0; i < term.size(); ++i) {
    char ch = term[i];
    if (ch == '.') {
      if (term.compare(i, 3, "...") != 0) {
        c.error() << "equation '" << eq << "': '.' outside an ellipsis '...'";
        return std::nullopt;
      }
      if (t.ellipsisAt >= 0) {
        c.error() << "equation '" << eq << "': term '" << term << "' has more than one '...'";
        return std::nullopt;
      }
      t.ellipsisAt = t.letters.size();
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(ch))) {
      t.letters.push_back(ch);
    } else {
      c.error() << "equation '" << eq << "': invalid character '" << ch << "'";
      return std::nullopt;
    }
  }
  return t;
}

/// The labels of a term whose `...` covers `covered` of the `total` broadcast dimensions.
SmallVector<int> labelsOf(const EinsumTerm &t, int64_t covered, int64_t total) {
  SmallVector<int> labels;
  for (int i = 0; i <= static_cast<int>(t.letters.size()); ++i) {
    if (i == t.ellipsisAt)
      for (int64_t k = 0; k < covered; ++k)
        labels.push_back(kEllipsis + (total - covered) + k);
    if (i < static_cast<int>(t.letters.size()))
      labels.push_back(t.letters[i]);
  }
  return labels;
}

/// `x` (whose dims carry `labels`) transposed so that they carry `want`; `labels` updated.
Value permute(NodeContext &c, Value x, SmallVector<int> &labels, ArrayRef<int> want) {
  if (ArrayRef<int>(labels) == want)
    return x;
  SmallVector<int64_t> perm;
  for (int l : want)
    perm.push_back(llvm::find(labels, l) - labels.begin());
  labels.assign(want.begin(), want.end());
  return c.createOrFold<mlir::smc::TransposeOp>(nullptr, x, perm);
}

/// The labels of `from` that satisfy `pred`, in `from`'s order.
template <typename Pred> SmallVector<int> labelsWhere(ArrayRef<int> from, Pred pred) {
  SmallVector<int> out;
  for (int l : from)
    if (pred(l))
      out.push_back(l);
  return out;
}

/// Einsum over one or two operands, lowered to existing ops: indices summed that only one
/// operand has are reduced first (smc.reduce); two operands then become one (batch) matrix
/// product whose batch dims are the indices both operands and the output share, its rows and
/// columns the other output indices (flattened), its reduction the shared indices the output
/// drops. The layout of each side (operand order, adjoint flags, index order) is chosen to
/// need the fewest transposes. Diagonals (an index twice in one term) are not supported.
LogicalResult einsum(NodeContext &c) {
  std::string eq;
  for (char ch : c.strAttr("equation"))
    if (!std::isspace(static_cast<unsigned char>(ch)))
      eq.push_back(ch);
  size_t arrow = eq.find("->");
  if (arrow == std::string::npos)
    return c.error() << "equation '" << eq
                     << "' has no '->' (TF's Einsum needs an explicit output)";
  std::string lhs = eq.substr(0, arrow), rhs = eq.substr(arrow + 2);
  std::vector<std::string> termText;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    termText.push_back(lhs.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  size_t n = c.numInputs();
  if (termText.size() != n)
    return c.error() << "equation '" << eq << "' has " << termText.size() << " input terms for "
                     << n << " operands";
  if (n != 1 && n != 2)
    return c.error() << "equation '" << eq << "' has " << n << " operands; smc supports one or two";
  SmallVector<Value> xs;
  SmallVector<EinsumTerm> terms;
  for (size_t i = 0; i < n; ++i) {
    Value x = c.input(i);
    auto t = parseTerm(c, termText[i], eq);
    if (!x || !t)
      return failure();
    xs.push_back(x);
    terms.push_back(*t);
  }
  auto outTerm = parseTerm(c, rhs, eq);
  if (!outTerm)
    return failure();

  // Ranks, and how many broadcast dims each `...` covers.
  SmallVector<int64_t> covered(n, 0);
  int64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t rank = typeOf(xs[i]).getRank(), named = terms[i].letters.size();
    if (terms[i].ellipsisAt >= 0 ? rank < named : rank != named)
      return c.error() << "equation '" << eq << "': operand " << i << " has type " << typeOf(xs[i])
                       << " but its term '" << termText[i] << "' names " << named << " dimensions";
    if (terms[i].ellipsisAt >= 0)
      covered[i] = rank - named;
    total = std::max(total, covered[i]);
  }
  if (outTerm->ellipsisAt < 0 && total > 0)
    return c.error() << "equation '" << eq << "': the operands' '...' cover " << total
                     << " dimensions but the output has no '...'";

  SmallVector<SmallVector<int>> labels;
  for (size_t i = 0; i < n; ++i)
    labels.push_back(labelsOf(terms[i], covered[i], total));
  SmallVector<int> out = labelsOf(*outTerm, total, total);

  // Every index once per term; sizes agree (broadcast dims may be 1 on one side).
  std::map<int, int64_t> size;
  for (size_t i = 0; i <= n; ++i) {
    ArrayRef<int> ls = i < n ? ArrayRef<int>(labels[i]) : ArrayRef<int>(out);
    std::set<int> seen;
    for (size_t d = 0; d < ls.size(); ++d) {
      int l = ls[d];
      if (!seen.insert(l).second) {
        if (i < n)
          return c.error() << "equation '" << eq << "': index '" << labelName(l)
                           << "' appears twice in operand " << i << " ('" << termText[i]
                           << "'); diagonals are not supported";
        return c.error() << "equation '" << eq << "': index '" << labelName(l)
                         << "' appears twice in the output";
      }
      if (i == n) {
        if (!size.count(l))
          return c.error() << "equation '" << eq << "': output index '" << labelName(l)
                           << "' appears in no operand";
        continue;
      }
      int64_t s = typeOf(xs[i]).getDimSize(d);
      auto [it, fresh] = size.insert({l, s});
      if (fresh || it->second == s)
        continue;
      if (l >= kEllipsis && (it->second == 1 || s == 1)) {
        it->second = std::max(it->second, s);
        continue;
      }
      return c.error() << "equation '" << eq << "': index '" << labelName(l) << "' has size "
                       << it->second << " in operand 0 but " << s << " in operand 1";
    }
  }
  auto inOut = [&](int l) { return llvm::is_contained(out, l); };

  // Sum the indices only one operand has and the output drops.
  for (size_t i = 0; i < n; ++i) {
    auto elsewhere = [&](int l) {
      return inOut(l) || (n == 2 && llvm::is_contained(labels[1 - i], l));
    };
    SmallVector<int64_t> axes;
    for (size_t d = 0; d < labels[i].size(); ++d)
      if (!elsewhere(labels[i][d]))
        axes.push_back(d);
    if (axes.empty())
      continue;
    xs[i] = c.createOrFold<mlir::smc::ReduceOp>(nullptr, xs[i], mlir::smc::ReduceKind::sum, axes,
                                                false);
    if (!xs[i])
      return failure();
    labels[i] = labelsWhere(labels[i], elsewhere);
  }

  if (n == 1) {
    Value r = permute(c, xs[0], labels[0], out);
    if (!r)
      return failure();
    c.output(r);
    return success();
  }

  // Two operands: result[batch, rows, cols] = sum over k of first[batch, rows, k] *
  // second[batch, k, cols]. Pick the layout with the fewest transposes (ties: the first found).
  auto inBoth = [&](int l) { return llvm::is_contained(labels[1], l); };
  SmallVector<int> batchOut =
      labelsWhere(out, [&](int l) { return llvm::is_contained(labels[0], l) && inBoth(l); });
  auto isBatch = [&](int l) { return llvm::is_contained(batchOut, l); };
  SmallVector<int> contract = labelsWhere(labels[0], [&](int l) { return inBoth(l) && !inOut(l); });
  auto isContract = [&](int l) { return llvm::is_contained(contract, l); };
  struct Layout {
    bool swap, adjFirst, adjSecond;
    SmallVector<int> batch, rows, cols, k;
    int cost;
  };
  std::optional<Layout> best;
  auto orderOf = [&](ArrayRef<int> from, auto pred) { return labelsWhere(from, pred); };
  auto concat = [](std::initializer_list<ArrayRef<int>> parts) {
    SmallVector<int> r;
    for (auto p : parts)
      r.append(p.begin(), p.end());
    return r;
  };
  SmallVector<SmallVector<int>> batchOrders = {batchOut, orderOf(labels[0], isBatch),
                                               orderOf(labels[1], isBatch)};
  SmallVector<SmallVector<int>> kOrders = {orderOf(labels[0], isContract),
                                           orderOf(labels[1], isContract)};
  for (bool swap : {false, true}) {
    ArrayRef<int> first = labels[swap ? 1 : 0], second = labels[swap ? 0 : 1];
    auto freeIn = [&](ArrayRef<int> of) {
      return [&, of](int l) { return llvm::is_contained(of, l) && !isBatch(l) && !isContract(l); };
    };
    SmallVector<SmallVector<int>> rowOrders = {orderOf(out, freeIn(first)),
                                               orderOf(first, freeIn(first))};
    SmallVector<SmallVector<int>> colOrders = {orderOf(out, freeIn(second)),
                                               orderOf(second, freeIn(second))};
    for (bool adjFirst : {false, true})
      for (bool adjSecond : {false, true})
        for (auto &batch : batchOrders)
          for (auto &rows : rowOrders)
            for (auto &cols : colOrders)
              for (auto &k : kOrders) {
                auto a = adjFirst ? concat({batch, k, rows}) : concat({batch, rows, k});
                auto b = adjSecond ? concat({batch, cols, k}) : concat({batch, k, cols});
                auto r = concat({batch, rows, cols});
                int cost = (ArrayRef<int>(a) != first) + (ArrayRef<int>(b) != second) + (r != out);
                if (!best || cost < best->cost)
                  best = Layout{swap, adjFirst, adjSecond, batch, rows, cols, k, cost};
              }
  }
  const Layout &L = *best;
  int fi = L.swap ? 1 : 0, si = 1 - fi;
  auto product = [&](ArrayRef<int> ls) {
    int64_t p = 1;
    for (int l : ls)
      p *= size[l];
    return p;
  };
  auto dimsOf = [&](Value x, ArrayRef<int> own, ArrayRef<int> batch) {
    SmallVector<int64_t> shape;
    for (int l : batch)
      shape.push_back(typeOf(x).getDimSize(llvm::find(own, l) - own.begin()));
    return shape;
  };
  Value a = permute(c, xs[fi], labels[fi],
                    L.adjFirst ? concat({L.batch, L.k, L.rows}) : concat({L.batch, L.rows, L.k}));
  Value b = permute(c, xs[si], labels[si],
                    L.adjSecond ? concat({L.batch, L.cols, L.k}) : concat({L.batch, L.k, L.cols}));
  if (!a || !b)
    return failure();
  SmallVector<int64_t> aShape = dimsOf(a, labels[fi], L.batch);
  SmallVector<int64_t> bShape = dimsOf(b, labels[si], L.batch);
  int64_t rows = product(L.rows), cols = product(L.cols), k = product(L.k);
  aShape.append(L.adjFirst ? std::initializer_list<int64_t>{k, rows}
                           : std::initializer_list<int64_t>{rows, k});
  bShape.append(L.adjSecond ? std::initializer_list<int64_t>{cols, k}
                            : std::initializer_list<int64_t>{k, cols});
  a = reshape(c, a, aShape);
  b = reshape(c, b, bShape);
  if (!a || !b)
    return failure();
  Value prod =
      L.batch.empty()
          ? c.createOrFold<mlir::smc::MatMulOp>(nullptr, a, b, L.adjFirst, L.adjSecond)
          : c.createOrFold<mlir::smc::BatchMatMulOp>(nullptr, a, b, L.adjFirst, L.adjSecond);
  if (!prod)
    return failure();
  SmallVector<int> resultLabels = concat({L.batch, L.rows, L.cols});
  SmallVector<int64_t> resultShape;
  for (int l : resultLabels)
    resultShape.push_back(size[l]);
  Value r = reshape(c, prod, resultShape);
  if (!r)
    return failure();
  r = permute(c, r, resultLabels, out);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// MatrixBandPart: keeps the elements of each innermost matrix with -num_lower <= j - i <=
/// num_upper (a negative bound keeps that whole triangle), zeroes the rest. A select with a
/// constant mask, so a NaN or infinity outside the band is dropped and one inside is kept
/// (a multiply by the mask would turn 0 * inf into NaN); a constant input folds.
LogicalResult matrixBandPart(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto lower = c.constantInts(1, "num_lower");
  if (failed(lower))
    return failure();
  auto upper = c.constantInts(2, "num_upper");
  if (failed(upper))
    return failure();
  auto t = typeOf(x);
  if (t.getRank() < 2)
    return c.error() << "input has type " << t << "; it needs rank >= 2";
  if (lower->size() != 1 || upper->size() != 1)
    return c.error() << "num_lower and num_upper must be scalars";
  int64_t m = t.getDimSize(t.getRank() - 2), n = t.getDimSize(t.getRank() - 1);
  int64_t lo = (*lower)[0], up = (*upper)[0];
  if (lo > m)
    return c.error() << "num_lower " << lo << " must be negative or at most the number of rows ("
                     << m << ")";
  if (up > n)
    return c.error() << "num_upper " << up << " must be negative or at most the number of columns ("
                     << n << ")";
  OpBuilder &b = c.builder();
  SmallVector<bool> band;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      band.push_back((lo < 0 || i - j <= lo) && (up < 0 || j - i <= up));
  Value mask = b.create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(RankedTensorType::get({m, n}, b.getI1Type()), band));
  Type e = t.getElementType();
  TypedAttr zero =
      isa<FloatType>(e) ? TypedAttr(b.getFloatAttr(e, 0.0)) : TypedAttr(b.getIntegerAttr(e, 0));
  Value zeros = b.create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(RankedTensorType::get({}, e), zero));
  auto op = c.createOrFold<mlir::smc::SelectOp>(nullptr, mask, x, zeros);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

} // namespace

void ::smc::import::registerMathOps(std::map<std::string, Handler> &t) {
  t["MatMul"] = matmul;
  t["BatchMatMul"] = batchMatmul;
  t["BatchMatMulV2"] = batchMatmul;
  t["BatchMatMulV3"] = batchMatmul;
  t["Einsum"] = einsum;
  t["MatrixBandPart"] = matrixBandPart;
  t["BiasAdd"] = biasAdd;
  t["Softmax"] = softmax<false>;
  t["LogSoftmax"] = softmax<true>;
  t["Sum"] = reduce<mlir::smc::ReduceKind::sum>;
  t["Mean"] = reduce<mlir::smc::ReduceKind::mean>;
  t["Max"] = reduce<mlir::smc::ReduceKind::max>;
  t["Min"] = reduce<mlir::smc::ReduceKind::min>;
  t["Prod"] = reduce<mlir::smc::ReduceKind::prod>;
  t["All"] = reduce<mlir::smc::ReduceKind::all>;
  t["Any"] = reduce<mlir::smc::ReduceKind::any>;
  t["ArgMax"] = argMax<false>;
  t["ArgMin"] = argMax<true>;
  t["Cast"] = castOp;
  t["Select"] = select<false>;
  t["SelectV2"] = select<true>;
}
