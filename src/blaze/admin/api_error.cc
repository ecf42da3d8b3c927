#include "blaze/admin/api_error.h"

namespace blaze::admin {

ApiErrorInfo ApiErrorFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {400, "invalid_argument"};
    case ErrorCode::kUnauthenticated:
      return {401, "unauthenticated"};
    case ErrorCode::kPermissionDenied:
      return {403, "permission_denied"};
    case ErrorCode::kNotFound:
      return {404, "not_found"};
    case ErrorCode::kAlreadyExists:
      return {409, "already_exists"};
    case ErrorCode::kFailedPrecondition:
      return {409, "failed_precondition"};
    case ErrorCode::kAborted:
      return {409, "aborted"};
    case ErrorCode::kResourceExhausted:
      return {413, "resource_exhausted"};
    case ErrorCode::kDataLoss:
      return {500, "data_loss"};
    case ErrorCode::kInternal:
      return {500, "internal"};
    case ErrorCode::kUnavailable:
      return {503, "unavailable"};
    case ErrorCode::kDeadlineExceeded:
      return {504, "deadline_exceeded"};
  }
  return {500, "internal"};
}

http::HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  http::HttpResponse response;
  response.status = status;
  response.headers.push_back({"content-type", "application/json"});
  response.headers.push_back({"cache-control", "no-store"});
  response.body =
      http::Body(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  return response;
}

http::HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  http::HttpResponse response =
      JsonResponse(status, {{"error", message}, {"code", code}, {"status", status}});
  if (status == 401) response.headers.push_back({"www-authenticate", "Bearer"});
  return response;
}

http::HttpResponse ErrorResponse(const Error& error) {
  ApiErrorInfo info = ApiErrorFor(error.code());
  return ErrorResponse(info.status, info.code, error.message());
}

}  // namespace blaze::admin
