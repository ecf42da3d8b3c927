// The one shape of every error the HTTP layer (and the node layer above it) answers with:
//   {"error":"<short message>","status":<N>}   content-type: application/json
// Messages are short, fixed phrases plus at most a name; never a body, secret or stack.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/error.h"
#include "blaze/http/message.h"

namespace blaze::http {

// `{"error":"...","status":N}` with the message JSON-escaped.
std::string JsonErrorBody(int status, std::string_view message);

// A complete response carrying JsonErrorBody and content-type: application/json.
HttpResponse ErrorResponse(int status, std::string_view message);

// Maps a blaze::Error through the code table (NotFound → 404 ...) and uses its message.
HttpResponse ErrorResponse(const Error& error);

// 404 for a Host that no worker is routed for; the body names the host (as received).
HttpResponse UnknownHostResponse(std::string_view host);

}  // namespace blaze::http
