// Error: a code from a fixed table plus a human message. The table maps every code to the HTTP
// status the server answers with, the exit code the CLI ends with, and the JS error class a
// binding throws, so a failure is described once and surfaces the same way everywhere.
#pragma once

#include <string>
#include <string_view>

namespace blaze {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kDeadlineExceeded,
  kDataLoss,
  kInternal,
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;      // "NotFound"
  int http_status;            // 404
  int exit_code;              // CLI process exit code
  std::string_view js_class;  // "Error", "TypeError", "RangeError"
};

// The code table. Every ErrorCode has exactly one row.
const ErrorCodeInfo& InfoFor(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  int http_status() const { return InfoFor(code_).http_status; }
  int exit_code() const { return InfoFor(code_).exit_code; }
  std::string_view js_class() const { return InfoFor(code_).js_class; }

  // Returns a copy whose message is "<context>: <message>"; the code is kept.
  Error WithContext(std::string_view context) const;

  // "NotFound: database 'x' not found".
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
};

Error InvalidArgument(std::string message);
Error NotFound(std::string message);
Error AlreadyExists(std::string message);
Error PermissionDenied(std::string message);
Error Unauthenticated(std::string message);
Error ResourceExhausted(std::string message);
Error FailedPrecondition(std::string message);
Error Aborted(std::string message);
Error Unavailable(std::string message);
Error DeadlineExceeded(std::string message);
Error DataLoss(std::string message);
Error Internal(std::string message);

}  // namespace blaze
