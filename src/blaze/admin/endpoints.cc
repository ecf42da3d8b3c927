#include "blaze/admin/endpoints.h"

#include "blaze/admin/api_error.h"
#include "blaze/admin/api_requests.h"
#include "blaze/admin/exec.h"
#include "blaze/admin/json_views.h"
#include "blaze/admin/tail.h"
#include "blaze/base/log.h"
#include "blaze/control/control_plane.h"

namespace blaze::admin {

using nlohmann::json;
using control::Scope;

namespace {

constexpr std::size_t kMaxListLimit = 10'000;

// ---- reads (inline) ----------------------------------------------------------------------

Result<json> ListWorkers(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kRead));
  auto& versions = ctx.control().versions();
  BLAZE_TRY(auto names, versions.ListWorkers());
  json out = json::array();
  for (const auto& name : names) {
    BLAZE_TRY(auto active, versions.Active(name));
    out.push_back({{"name", name}, {"deployment", DeploymentJson(active)}});
  }
  return out;
}

Result<json> ListVersions(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kRead));
  BLAZE_TRY(std::size_t limit, QueryLimit(call.route, 100, kMaxListLimit));
  BLAZE_TRY(auto list, ctx.control().versions().ListVersions(call.route.worker, limit));
  return JsonArray(list, VersionJson);
}

Result<json> GetVersion(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kRead));
  BLAZE_TRY(auto info, ctx.control().versions().GetVersionInfo(call.route.worker, call.route.param));
  return VersionJson(info);
}

Result<json> ListDeployments(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kRead));
  BLAZE_TRY(std::size_t limit, QueryLimit(call.route, 10, kMaxListLimit));
  BLAZE_TRY(auto list, ctx.control().versions().ListDeployments(call.route.worker, limit));
  return JsonArray(list, [](const control::Deployment& d) { return DeploymentJson(d); });
}

Result<json> ActiveDeployment(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kRead));
  BLAZE_TRY(auto active, ctx.control().versions().Active(call.route.worker));
  if (!active) {
    return Fail(NotFound("worker '" + call.route.worker + "' has no deployment"));
  }
  return DeploymentJson(*active);
}

Result<json> ListSecrets(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY(auto list, ctx.control().ListSecrets(call.principal, call.route.worker));
  return JsonArray(list, SecretJson);
}

// ---- tokens and audit (inline) -------------------------------------------------------------

Result<json> ListTokens(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY(auto list, ctx.control().ListTokens(call.principal));
  return JsonArray(list, TokenJson);
}

Result<json> CreateToken(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kAdmin));
  BLAZE_TRY(json body, ParseBodyObject(call.body, false));
  BLAZE_TRY(TokenRequest request, ParseTokenRequest(body));
  BLAZE_TRY(auto issued, ctx.control().CreateToken(call.principal, request.name, request.scopes));
  json out = TokenJson(issued.info);
  out["token"] = issued.token;  // shown once
  return out;
}

Result<json> RevokeToken(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY(auto info, ctx.control().RevokeToken(call.principal, call.route.param));
  return TokenJson(info);
}

Result<json> ListAudit(ApiContext& ctx, const ApiCall& call) {
  BLAZE_TRY_VOID(control::RequireScope(call.principal, Scope::kAdmin));
  BLAZE_TRY(std::size_t limit, QueryLimit(call.route, 50, kMaxListLimit));
  control::AuditFilter filter;
  filter.limit = limit;
  const auto& q = call.route.query;
  if (auto it = q.find("actor"); it != q.end()) filter.actor = it->second;
  if (auto it = q.find("action"); it != q.end()) filter.action = it->second;
  auto worker = q.find("worker");
  if (worker == q.end()) {
    BLAZE_TRY(auto list, ctx.control().ListAudit(call.principal, filter));
    return JsonArray(list, AuditJson);
  }
  // A worker's records: target "w" (deploys, rollbacks) or "w/NAME" (its secrets).
  filter.limit = 0;
  BLAZE_TRY(auto all, ctx.control().ListAudit(call.principal, filter));
  const std::string& w = worker->second;
  json out = json::array();
  for (const auto& entry : all) {
    if (limit != 0 && out.size() >= limit) break;
    if (entry.target == w || entry.target.starts_with(w + "/")) out.push_back(AuditJson(entry));
  }
  return out;
}

// ---- changes that the Runtime must pick up (offloaded) -------------------------------------

// What an offloaded change keeps of its call: everything but the Respond, which stays on the
// event loop.
struct ChangeCall {
  control::Principal principal;
  RouteMatch route;
  std::string body;
};
using Change = Result<json> (*)(ApiContext& ctx, const ChangeCall& call);

// Runs `change` off the event loop; its result is the answer.
void OffloadChange(CoreState& core, ApiCall call, Change change) {
  ApiContext& ctx = core.ctx();
  core.Offload(std::move(call.respond),
               [&ctx, change,
                c = ChangeCall{std::move(call.principal), std::move(call.route),
                               std::move(call.body)}]() -> http::HttpResponse {
                 return Answer(change(ctx, c));
               });
}

Result<json> UploadVersion(ApiContext& ctx, const ChangeCall& call) {
  BLAZE_TRY(json parsed, ParseBodyObject(call.body, false));
  BLAZE_TRY(NewVersionRequest request, ParseNewVersion(parsed, call.route.worker, false));
  BLAZE_TRY_VOID(ctx.runtime().Check(request.version));
  BLAZE_TRY(auto info, ctx.control().UploadVersion(call.principal, request.version));
  return VersionJson(info);
}

Result<json> CreateDeployment(ApiContext& ctx, const ChangeCall& call) {
  BLAZE_TRY(json parsed, ParseBodyObject(call.body, false));
  BLAZE_TRY(DeploymentRequestBody request, ParseDeploymentRequest(parsed));
  BLAZE_TRY(auto deployment, ctx.control().DeployVersions(call.principal, call.route.worker,
                                                           request.traffic, request.message));
  BLAZE_TRY_VOID(RefreshAfter(ctx, "the deployment"));
  return DeploymentJson(deployment);
}

Result<json> Rollback(ApiContext& ctx, const ChangeCall& call) {
  BLAZE_TRY(json parsed, ParseBodyObject(call.body, true));
  BLAZE_TRY(control::RollbackRequest request, ParseRollbackRequest(parsed));
  BLAZE_TRY(auto deployment,
            ctx.control().Rollback(call.principal, call.route.worker, std::move(request)));
  BLAZE_TRY_VOID(RefreshAfter(ctx, "the rollback"));
  return DeploymentJson(deployment);
}

// A secret change makes and activates a version; the answer names the deployment, if any.
Result<json> SecretChangeJson(ApiContext& ctx, const ChangeCall& call,
                              const control::SecretChange& change) {
  std::optional<control::Deployment> deployment;
  if (change.published) {
    deployment = change.published->deployment;
    BLAZE_TRY_VOID(RefreshAfter(ctx, "the secret change"));
  }
  return json{{"name", call.route.param}, {"deployment", DeploymentJson(deployment)}};
}

Result<json> PutSecret(ApiContext& ctx, const ChangeCall& call) {
  BLAZE_TRY(json parsed, ParseBodyObject(call.body, false));
  BLAZE_TRY(std::string value, ParseSecretValue(parsed));
  BLAZE_TRY(auto change,
            ctx.control().PutSecret(call.principal, call.route.worker, call.route.param, value));
  return SecretChangeJson(ctx, call, change);
}

Result<json> DeleteSecret(ApiContext& ctx, const ChangeCall& call) {
  BLAZE_TRY(auto change,
            ctx.control().DeleteSecret(call.principal, call.route.worker, call.route.param));
  return SecretChangeJson(ctx, call, change);
}

// ---- exec and tail -------------------------------------------------------------------------

void Exec(CoreState& core, ApiCall call) {
  ApiContext& ctx = core.ctx();
  auto prepared = [&]() -> Result<std::pair<ExecRequest, ExecVerb>> {
    BLAZE_TRY(json parsed, ParseBodyObject(call.body, false));
    BLAZE_TRY(ExecRequest request, ParseExecRequest(parsed));
    BLAZE_TRY(ExecVerb verb, ClassifyExec(request.argv));
    BLAZE_TRY_VOID(control::RequireScope(call.principal, verb.scope));
    return std::pair{std::move(request), std::move(verb)};
  }();
  call.body.clear();
  if (!prepared) return call.respond(ErrorResponse(prepared.error()));
  core.Offload(std::move(call.respond),
               [&ctx, principal = call.principal,
                prepared = std::move(*prepared)]() -> http::HttpResponse {
                 const auto& [request, verb] = prepared;
                 ExecSettings settings;
                 settings.blaze_binary = ctx.options().blaze_binary;
                 settings.data_dir = ctx.options().data_dir;
                 settings.timeout = ctx.tuning().exec_timeout;
                 settings.max_output_bytes = ctx.tuning().exec_max_output_bytes;
                 settings.cancelled = [&ctx] { return ctx.stopping(); };
                 Result<json> result = RunExec(request, settings);
                 if (verb.scope != Scope::kRead) {
                   // The change happened in the child; its record names the verb and the
                   // resource, never argv values (SQL, values) or file contents.
                   json detail = {{"verb", verb.path}};
                   if (result) {
                     detail["exit_code"] = (*result)["exit_code"];
                   } else {
                     detail["error"] = std::string(ApiErrorFor(result.error().code()).code);
                   }
                   auto appended = ctx.control().audit().Append(control::ActorOf(principal),
                                                                "exec", verb.target, detail);
                   if (!appended) {
                     log::Error("admin.exec_audit_failed",
                                {{"target", verb.target}, {"error", appended.error().ToString()}});
                   }
                 }
                 return Answer(result);
               },
               Lane::kExec);
}

void Tail(CoreState& core, ApiCall call) {
  ApiContext& ctx = core.ctx();
  if (auto s = control::RequireScope(call.principal, Scope::kRead); !s) {
    return call.respond(ErrorResponse(s.error()));
  }
  // Unknown workers are 404 (ListVersions says "not found" for them).
  if (auto known = ctx.control().versions().ListVersions(call.route.worker, 1); !known) {
    return call.respond(ErrorResponse(known.error()));
  }
  call.respond(TailStream::Start(core, call.route.worker));
}

}  // namespace

http::HttpResponse Answer(const Result<json>& result) {
  if (!result) return ErrorResponse(result.error());
  return JsonResponse(200, *result);
}

Status RefreshAfter(ApiContext& ctx, std::string_view what) {
  Status refreshed = ctx.runtime().Refresh();
  if (!refreshed) {
    log::Error("admin.refresh_failed", {{"error", refreshed.error().ToString()}});
    return Fail(Error(refreshed.error().code(),
                      std::string(what) + " is stored, but the server could not switch to it: " +
                          refreshed.error().message()));
  }
  return Ok();
}

void Dispatch(CoreState& core, ApiCall call) {
  ApiContext& ctx = core.ctx();
  auto inline_answer = [&](Result<json> (*fn)(ApiContext&, const ApiCall&)) {
    call.respond(Answer(fn(ctx, call)));
  };
  switch (call.route.endpoint) {
    case Endpoint::kHealth:
      return call.respond(JsonResponse(200, {{"status", "ok"}, {"version", ctx.options().version}}));
    case Endpoint::kListWorkers:
      return inline_answer(ListWorkers);
    case Endpoint::kDeploy:
      return HandleDeploy(core, std::move(call));
    case Endpoint::kUploadVersion:
      if (auto s = control::RequireScope(call.principal, Scope::kDeploy); !s) {
        return call.respond(ErrorResponse(s.error()));
      }
      return OffloadChange(core, std::move(call), UploadVersion);
    case Endpoint::kListVersions:
      return inline_answer(ListVersions);
    case Endpoint::kGetVersion:
      return inline_answer(GetVersion);
    case Endpoint::kCreateDeployment:
      return OffloadChange(core, std::move(call), CreateDeployment);
    case Endpoint::kListDeployments:
      return inline_answer(ListDeployments);
    case Endpoint::kActiveDeployment:
      return inline_answer(ActiveDeployment);
    case Endpoint::kRollback:
      return OffloadChange(core, std::move(call), Rollback);
    case Endpoint::kTail:
      return Tail(core, std::move(call));
    case Endpoint::kListSecrets:
      return inline_answer(ListSecrets);
    case Endpoint::kPutSecret:
      return OffloadChange(core, std::move(call), PutSecret);
    case Endpoint::kDeleteSecret:
      return OffloadChange(core, std::move(call), DeleteSecret);
    case Endpoint::kListTokens:
      return inline_answer(ListTokens);
    case Endpoint::kCreateToken:
      return inline_answer(CreateToken);
    case Endpoint::kRevokeToken:
      return inline_answer(RevokeToken);
    case Endpoint::kListAudit:
      return inline_answer(ListAudit);
    case Endpoint::kExec:
      return Exec(core, std::move(call));
  }
}

}  // namespace blaze::admin
