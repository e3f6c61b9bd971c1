//===- ProtoLog.h - Protobuf's parse complaints, kept for our errors -----*- C++ -*-===//
//
// Protobuf logs some reasons a parse fails (a string field that is not UTF-8) to stderr and
// then only returns false. While a ProtoLogCapture lives, those messages are kept instead, so
// that smc's error can name the field, and nothing else reaches the user's terminal.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_SAVEDMODEL_PROTOLOG_H
#define SMC_LIB_SAVEDMODEL_PROTOLOG_H

#include <string>

namespace smc {

class ProtoLogCapture {
public:
  ProtoLogCapture();
  ~ProtoLogCapture();
  ProtoLogCapture(const ProtoLogCapture &) = delete;
  ProtoLogCapture &operator=(const ProtoLogCapture &) = delete;

  /// ": " and the first message in words of our errors ("the string field
  /// 'tensorflow.NodeDef.name' is not valid UTF-8"), or "" if protobuf logged nothing.
  std::string problem() const;

private:
  std::string first_;
  ProtoLogCapture *outer_;
  void *previousHandler_;
};

} // namespace smc

#endif // SMC_LIB_SAVEDMODEL_PROTOLOG_H
