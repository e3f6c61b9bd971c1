//===- PyExprParser.cpp - Tokenizer and parser for --input_exprs ----------===//
//
// A recursive-descent parser for the subset of Python expressions described in PyExpr.h:
// literals as ast.literal_eval reads them, dotted names and calls with keyword arguments.
// Operators are reported as unsupported. Also the splitting of the --input_exprs flag.
//
//===----------------------------------------------------------------------===//

#include "PyExprInternal.h"
#include "smc/Run/PyExpr.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace smc {
namespace pyexpr {
namespace {

/// How deep items may nest (Python's own parser stops at 200 parentheses).
constexpr int kMaxDepth = 100;

class Parser {
public:
  explicit Parser(std::string_view s) : s_(s) {}

  absl::StatusOr<Node> parseAll() {
    auto n = parseTupleOrItem(/*allowEmpty=*/false);
    if (!n.ok())
      return n;
    skipSpace();
    if (p_ != s_.size())
      return error("unexpected '" + std::string(1, s_[p_]) + "'");
    return n;
  }

private:
  absl::Status error(const std::string &what) const {
    if (p_ < s_.size() && std::strchr("+-*/%@<>&|^~", s_[p_]))
      return absl::InvalidArgumentError(
          absl::StrCat("operators are not supported (only literals and NumPy calls): '",
                       std::string(1, s_[p_]), "' at offset ", p_, " of '", abbreviate(s_), "'"));
    std::string where =
        p_ >= s_.size() ? std::string(" at the end") : absl::StrCat(" at offset ", p_);
    return absl::InvalidArgumentError(absl::StrCat(what, where, " of '", abbreviate(s_), "'"));
  }
  void skipSpace() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }
  bool accept(char c) {
    skipSpace();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return p_ < s_.size() && s_[p_] == c;
  }

  /// item (',' item)* [','] — a tuple if there is a comma (Python's top-level and parenthesised
  /// expression lists).
  absl::StatusOr<Node> parseTupleOrItem(bool allowEmpty, char close = 0) {
    size_t start = p_;
    if (allowEmpty && close && peek(close))
      return Node{Node::Kind::Tuple, start};
    auto first = parseItem();
    if (!first.ok())
      return first;
    if (!peek(','))
      return first;
    Node t{Node::Kind::Tuple, start};
    t.items.push_back(std::move(*first));
    while (accept(',')) {
      skipSpace();
      if (p_ == s_.size() || (close && peek(close)))
        break;
      auto next = parseItem();
      if (!next.ok())
        return next;
      t.items.push_back(std::move(*next));
    }
    return t;
  }

  absl::StatusOr<Node> parseItem() {
    skipSpace();
    size_t start = p_;
    // Every nesting ('-', '[', '(', a call's argument) goes through here: bounding it bounds
    // the recursion of the parser, the evaluator and the tree's destructor.
    if (depth_ >= kMaxDepth)
      return absl::InvalidArgumentError(absl::StrCat("nested more than ", kMaxDepth,
                                                     " deep (signs, brackets and calls count)"));
    ++depth_;
    absl::StatusOr<Node> item = parseItemAt(start);
    --depth_;
    return item;
  }

  absl::StatusOr<Node> parseItemAt(size_t start) {
    if (accept('-') || accept('+')) {
      Node n{s_[start] == '-' ? Node::Kind::Neg : Node::Kind::Pos, start};
      auto operand = parseItem();
      if (!operand.ok())
        return operand;
      n.items.push_back(std::move(*operand));
      return n;
    }
    return parsePrimary();
  }

  absl::StatusOr<Node> parsePrimary() {
    skipSpace();
    size_t start = p_;
    if (p_ == s_.size())
      return error("unexpected end of expression");
    char c = s_[p_];
    if (c == '[') {
      ++p_;
      Node list{Node::Kind::List, start};
      while (!accept(']')) {
        auto item = parseItem();
        if (!item.ok())
          return item;
        list.items.push_back(std::move(*item));
        if (!accept(',') && !peek(']'))
          return error("expected ',' or ']'");
      }
      return list;
    }
    if (c == '(') {
      ++p_;
      auto inner = parseTupleOrItem(/*allowEmpty=*/true, ')');
      if (!inner.ok())
        return inner;
      if (!accept(')'))
        return error("expected ')'");
      return inner;
    }
    if (c == '\'' || c == '"')
      return parseString();
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && p_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_ + 1]))))
      return parseNumber();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
      return parseNameOrCall();
    return error("unexpected '" + std::string(1, c) + "'");
  }

  absl::StatusOr<Node> parseString() {
    size_t start = p_;
    char q = s_[p_++];
    Node n{Node::Kind::String, start};
    while (p_ < s_.size() && s_[p_] != q) {
      if (s_[p_] == '\\')
        return error("escape sequences in strings are not supported");
      n.text += s_[p_++];
    }
    if (p_ == s_.size())
      return error("unterminated string");
    ++p_;
    return n;
  }

  /// Python's integer and float literals (underscores, 0x/0o/0b); imaginary ones are errors.
  absl::StatusOr<Node> parseNumber() {
    size_t start = p_;
    auto digitsOf = [&](auto isDigit) {
      std::string out;
      bool lastUnderscore = true; // no leading underscore
      while (p_ < s_.size() && (isDigit(s_[p_]) || (s_[p_] == '_' && !lastUnderscore))) {
        lastUnderscore = s_[p_] == '_';
        if (!lastUnderscore)
          out += s_[p_];
        ++p_;
      }
      if (lastUnderscore && !out.empty())
        --p_; // a trailing underscore is not part of the number
      return out;
    };
    auto isDec = [](char ch) { return ch >= '0' && ch <= '9'; };
    Node n{Node::Kind::Number, start};
    if (s_[p_] == '0' && p_ + 1 < s_.size() && std::strchr("xXoObB", s_[p_ + 1])) {
      char base = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[p_ + 1])));
      p_ += 2;
      if (p_ < s_.size() && s_[p_] == '_')
        ++p_;
      int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
      std::string digits = digitsOf([&](char ch) {
        int v = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                : std::isxdigit(static_cast<unsigned char>(ch))
                    ? std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10
                    : 99;
        return v < radix;
      });
      if (digits.empty())
        return error("invalid number");
      errno = 0;
      unsigned long long v = std::strtoull(digits.c_str(), nullptr, radix);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX))
        return error("integer literal out of the int64 range");
      n.number = PyScalar::ofInt(static_cast<int64_t>(v));
      return finishNumber(n);
    }
    std::string text = digitsOf(isDec);
    bool isFloat = false;
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      isFloat = true;
      text += '.';
      text += digitsOf(isDec);
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      size_t save = p_++;
      std::string exp = "e";
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-'))
        exp += s_[p_++];
      std::string digits = digitsOf(isDec);
      if (digits.empty()) {
        p_ = save;
      } else {
        isFloat = true;
        text += exp + digits;
      }
    }
    if (isFloat) {
      n.number = PyScalar::ofFloat(std::strtod(text.c_str(), nullptr)); // overflow: inf, as Python
      return finishNumber(n);
    }
    if (text.size() > 1 && text[0] == '0' && text.find_first_not_of('0') != std::string::npos)
      return error("leading zeros in decimal integer literals are not permitted");
    errno = 0;
    long long v = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE)
      return error("integer literal out of the int64 range");
    n.number = PyScalar::ofInt(v);
    return finishNumber(n);
  }

  absl::StatusOr<Node> finishNumber(Node n) {
    if (p_ < s_.size() && (s_[p_] == 'j' || s_[p_] == 'J'))
      return error("complex numbers are not supported");
    if (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
      return error("invalid number");
    return n;
  }

  absl::StatusOr<Node> parseNameOrCall() {
    size_t start = p_;
    std::string name;
    for (;;) {
      size_t b = p_;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
        ++p_;
      if (b == p_)
        return error("expected a name");
      name.append(s_.substr(b, p_ - b));
      skipSpace();
      if (p_ < s_.size() && s_[p_] == '.') {
        ++p_;
        skipSpace();
        name += '.';
        continue;
      }
      break;
    }
    if (!accept('('))
      return Node{Node::Kind::Name, start, {}, name};
    Node call{Node::Kind::Call, start, {}, name};
    while (!accept(')')) {
      // keyword argument: NAME '=' item (but not '==')
      skipSpace();
      size_t save = p_;
      std::string kw;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
        kw += s_[p_++];
      skipSpace();
      if (!kw.empty() && !std::isdigit(static_cast<unsigned char>(kw[0])) && p_ < s_.size() &&
          s_[p_] == '=' && (p_ + 1 >= s_.size() || s_[p_ + 1] != '=')) {
        ++p_;
        auto value = parseItem();
        if (!value.ok())
          return value;
        call.kwargs.emplace_back(kw, std::move(*value));
      } else {
        p_ = save;
        if (!call.kwargs.empty())
          return error("positional argument follows keyword argument");
        auto value = parseItem();
        if (!value.ok())
          return value;
        call.items.push_back(std::move(*value));
      }
      if (!accept(',') && !peek(')'))
        return error("expected ',' or ')'");
    }
    return call;
  }

  std::string_view s_;
  size_t p_ = 0;
  int depth_ = 0;
};

} // namespace

absl::StatusOr<Node> parse(std::string_view text) { return Parser(text).parseAll(); }

} // namespace pyexpr

absl::StatusOr<std::vector<InputExpr>> splitInputExprs(const std::string &flag) {
  std::vector<InputExpr> out;
  for (absl::string_view piece : absl::StrSplit(flag, ';', absl::SkipEmpty())) {
    std::string entry(piece);
    auto seed = parseSeedCall(entry);
    if (!seed.ok())
      return seed.status();
    if (*seed) {
      out.push_back({"", entry});
      continue;
    }
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0)
      return absl::InvalidArgumentError("--input_exprs \"" + entry +
                                        "\" format is incorrect: expected "
                                        "<input_key>=<python expression>");
    out.push_back({entry.substr(0, eq), entry.substr(eq + 1)});
  }
  return out;
}

absl::StatusOr<std::optional<uint32_t>> parseSeedCall(std::string_view expr) {
  // Only a whole entry that parses as a call of np.random.seed counts.
  auto tree = pyexpr::parse(expr);
  if (!tree.ok() || tree->kind != pyexpr::Node::Kind::Call)
    return std::optional<uint32_t>();
  std::string fn = tree->text;
  if (fn != "np.random.seed" && fn != "numpy.random.seed")
    return std::optional<uint32_t>();
  if (tree->items.size() != 1 || !tree->kwargs.empty() ||
      tree->items[0].kind != pyexpr::Node::Kind::Number ||
      tree->items[0].number.kind != PyScalar::Kind::Int)
    return absl::InvalidArgumentError("np.random.seed takes one integer (got '" +
                                      std::string(expr) + "')");
  int64_t s = tree->items[0].number.i;
  if (s < 0 || s > int64_t(UINT32_MAX))
    return absl::InvalidArgumentError("Seed must be between 0 and 2**32 - 1");
  return std::optional<uint32_t>(static_cast<uint32_t>(s));
}

} // namespace smc
