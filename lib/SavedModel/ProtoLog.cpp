//===- ProtoLog.cpp - Protobuf's parse complaints, kept for our errors ----===//

#include "ProtoLog.h"

#include <google/protobuf/stubs/logging.h>

namespace smc {

namespace {

/// The innermost live capture (smc parses on one thread at a time).
ProtoLogCapture *active = nullptr;
std::string *activeFirst = nullptr;

google::protobuf::LogHandler *previous = nullptr;

void keep(google::protobuf::LogLevel level, const char *file, int line,
          const std::string &message) {
  // A failed check inside protobuf (FATAL) is not a parse complaint: it goes where it went.
  if (level >= google::protobuf::LOGLEVEL_FATAL && previous) {
    previous(level, file, line, message);
    return;
  }
  if (activeFirst && activeFirst->empty())
    *activeFirst = message;
}

} // namespace

ProtoLogCapture::ProtoLogCapture() : outer_(active) {
  previousHandler_ = reinterpret_cast<void *>(google::protobuf::SetLogHandler(&keep));
  if (!outer_)
    previous = reinterpret_cast<google::protobuf::LogHandler *>(previousHandler_);
  active = this;
  activeFirst = &first_;
}

ProtoLogCapture::~ProtoLogCapture() {
  google::protobuf::SetLogHandler(
      reinterpret_cast<google::protobuf::LogHandler *>(previousHandler_));
  active = outer_;
  activeFirst = outer_ ? &outer_->first_ : nullptr;
}

std::string ProtoLogCapture::problem() const {
  if (first_.empty())
    return "";
  // "String field 'tensorflow.NodeDef.name' contains invalid UTF-8 data when parsing a
  // protocol buffer. Use the 'bytes' type if you intend to send raw bytes."
  const std::string prefix = "String field '";
  if (first_.rfind(prefix, 0) == 0 && first_.find("invalid UTF-8") != std::string::npos) {
    size_t end = first_.find('\'', prefix.size());
    if (end != std::string::npos)
      return ": the string field '" + first_.substr(prefix.size(), end - prefix.size()) +
             "' is not valid UTF-8";
  }
  return ": " + first_;
}

} // namespace smc
