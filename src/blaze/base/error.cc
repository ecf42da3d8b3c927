#include "blaze/base/error.h"

#include <array>
#include <cstdlib>

namespace blaze {
namespace {

// Exit codes: 1 is "something failed" for codes a script rarely branches on; the others are
// distinct so scripts can tell "not found" from "bad usage". 2 matches CLI11's usage errors.
constexpr std::array<ErrorCodeInfo, 12> kTable = {{
    {ErrorCode::kInvalidArgument, "InvalidArgument", 400, 2, "TypeError"},
    {ErrorCode::kNotFound, "NotFound", 404, 3, "Error"},
    {ErrorCode::kAlreadyExists, "AlreadyExists", 409, 4, "Error"},
    {ErrorCode::kPermissionDenied, "PermissionDenied", 403, 5, "Error"},
    {ErrorCode::kUnauthenticated, "Unauthenticated", 401, 6, "Error"},
    {ErrorCode::kResourceExhausted, "ResourceExhausted", 507, 7, "RangeError"},
    {ErrorCode::kFailedPrecondition, "FailedPrecondition", 412, 8, "Error"},
    {ErrorCode::kAborted, "Aborted", 409, 9, "Error"},
    {ErrorCode::kUnavailable, "Unavailable", 503, 10, "Error"},
    {ErrorCode::kDeadlineExceeded, "DeadlineExceeded", 504, 11, "Error"},
    {ErrorCode::kDataLoss, "DataLoss", 500, 12, "Error"},
    {ErrorCode::kInternal, "Internal", 500, 1, "Error"},
}};

}  // namespace

const ErrorCodeInfo& InfoFor(ErrorCode code) {
  for (const auto& row : kTable) {
    if (row.code == code) return row;
  }
  std::abort();  // A code without a row is a bug in this file.
}

Error Error::WithContext(std::string_view context) const {
  return Error(code_, std::string(context) + ": " + message_);
}

std::string Error::ToString() const {
  return std::string(InfoFor(code_).name) + ": " + message_;
}

Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
Error AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
Error PermissionDenied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
Error Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
Error ResourceExhausted(std::string m) { return {ErrorCode::kResourceExhausted, std::move(m)}; }
Error FailedPrecondition(std::string m) { return {ErrorCode::kFailedPrecondition, std::move(m)}; }
Error Aborted(std::string m) { return {ErrorCode::kAborted, std::move(m)}; }
Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
Error DeadlineExceeded(std::string m) { return {ErrorCode::kDeadlineExceeded, std::move(m)}; }
Error DataLoss(std::string m) { return {ErrorCode::kDataLoss, std::move(m)}; }
Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

}  // namespace blaze
