#include "blaze/http/error_body.h"

#include <nlohmann/json.hpp>

namespace blaze::http {

std::string JsonErrorBody(int status, std::string_view message) {
  nlohmann::json body = {{"error", message}, {"status", status}};
  // `replace` keeps invalid UTF-8 (a hostile Host header, say) from throwing.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse ErrorResponse(int status, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.headers.push_back({"content-type", "application/json"});
  response.body = Body(JsonErrorBody(status, message));
  return response;
}

HttpResponse ErrorResponse(const Error& error) {
  return ErrorResponse(error.http_status(), error.message());
}

HttpResponse UnknownHostResponse(std::string_view host) {
  return ErrorResponse(404, "no worker for host " + std::string(host));
}

}  // namespace blaze::http
