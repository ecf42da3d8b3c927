// The endpoints of docs/admin-api.md, called by AdminHandler once a request is routed,
// authenticated and its body read. Reads and token/audit calls run inline (short SQLite
// transactions); anything that calls the Runtime (Check, Probe, Refresh, Stats) or runs a child
// process is offloaded to the pool through CoreState.
//
// Scopes: the ControlPlane checks its own operations' scopes; reads check `read` here, and
// deploy/exec check before offloading, so a caller without the scope never costs a compile.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "blaze/admin/api_router.h"
#include "blaze/admin/core_state.h"
#include "blaze/control/token_store.h"
#include "blaze/http/message.h"

namespace blaze::admin {

struct ApiCall {
  control::Principal principal;
  RouteMatch route;
  std::string body;
  http::Respond respond;
};

// Runs the endpoint `call.route.endpoint` (not health: that needs no principal).
void Dispatch(CoreState& core, ApiCall call);

// POST workers/{w}/deploy (deploy.cc).
void HandleDeploy(CoreState& core, ApiCall call);

// 200 with the JSON, or the error's answer.
http::HttpResponse Answer(const Result<nlohmann::json>& result);

// Runtime::Refresh after a stored change; its error says the change is stored but not served.
Status RefreshAfter(ApiContext& ctx, std::string_view what);

}  // namespace blaze::admin
