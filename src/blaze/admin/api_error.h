// The admin API's answers: JSON bodies, and errors in the shape docs/admin-api.md fixes,
//   {"error": "<message>", "code": "<code>", "status": <status>}
// with the API's own code table (it differs from base/error.cc's HTTP column: a refused
// precondition is 409 here, an oversized version 413).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "blaze/base/error.h"
#include "blaze/http/message.h"

namespace blaze::admin {

struct ApiErrorInfo {
  int status;
  std::string_view code;  // "invalid_argument"
};

// The status and code string of an ErrorCode (docs/admin-api.md, "Errors").
ApiErrorInfo ApiErrorFor(ErrorCode code);

// A JSON response; invalid UTF-8 in strings (a child's stderr, say) is replaced, never thrown.
http::HttpResponse JsonResponse(int status, const nlohmann::json& body);
// The error shape for `error`; the message is the error's (callers never put secrets in one).
http::HttpResponse ErrorResponse(const Error& error);
// The same shape for the answers no ErrorCode names (405).
http::HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message);

}  // namespace blaze::admin
