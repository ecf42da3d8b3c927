#include "blaze/admin/admin_handler.h"

#include "blaze/admin/api_error.h"
#include "blaze/admin/api_router.h"
#include "blaze/admin/endpoints.h"
#include "blaze/admin/request_body.h"

namespace blaze::admin {

void AdminHandler::Handle(http::HttpRequest request, http::Respond respond) {
  ApiContext& ctx = core_->ctx();
  if (ctx.stopping()) {
    return respond(ErrorResponse(Unavailable("the server is stopping")));
  }
  RouteResult route = MatchRoute(request.method, request.target);
  if (route.kind == RouteResult::Kind::kNotFound) {
    std::string path = request.target.substr(0, request.target.find('?'));
    return respond(ErrorResponse(NotFound("no such endpoint: " + request.method + " " + path)));
  }
  if (route.kind == RouteResult::Kind::kMethodNotAllowed) {
    http::HttpResponse response = ErrorResponse(
        405, "method_not_allowed", request.method + " is not allowed here (allowed: " + route.allow + ")");
    response.headers.push_back({"allow", route.allow});
    return respond(std::move(response));
  }
  ApiCall call;
  call.route = std::move(route.match);
  call.respond = std::move(respond);
  if (call.route.endpoint == Endpoint::kHealth) return Dispatch(*core_, std::move(call));

  auto authorization = request.header("authorization");
  auto principal = ctx.control().tokens().Authenticate(authorization.value_or(""));
  if (!principal) return call.respond(ErrorResponse(principal.error()));
  call.principal = std::move(*principal);

  if (!TakesBody(call.route.endpoint)) return Dispatch(*core_, std::move(call));
  std::weak_ptr<CoreState> weak = core_;
  auto pending = std::make_shared<ApiCall>(std::move(call));
  ReadBody(std::move(request.body), ctx.tuning().max_body_bytes, core_->post(),
           [weak, pending](Result<std::string> body) {
             auto core = weak.lock();
             if (!core) return;  // the core is going away; the session answers 500 or is gone
             if (!body) return pending->respond(ErrorResponse(body.error()));
             pending->body = std::move(*body);
             Dispatch(*core, std::move(*pending));
           });
}

}  // namespace blaze::admin
