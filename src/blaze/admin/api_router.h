// The admin API's routes: method + path under /api/v1/ → an Endpoint, with the path's
// parameters (percent-decoded) and the query string. The table is docs/admin-api.md's.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze::admin {

enum class Endpoint {
  kHealth,            // GET    health
  kListWorkers,       // GET    workers
  kDeploy,            // POST   workers/{w}/deploy
  kUploadVersion,     // POST   workers/{w}/versions
  kListVersions,      // GET    workers/{w}/versions
  kGetVersion,        // GET    workers/{w}/versions/{id}
  kCreateDeployment,  // POST   workers/{w}/deployments
  kListDeployments,   // GET    workers/{w}/deployments
  kActiveDeployment,  // GET    workers/{w}/deployments/active
  kRollback,          // POST   workers/{w}/rollback
  kTail,              // GET    workers/{w}/tail
  kListSecrets,       // GET    workers/{w}/secrets
  kPutSecret,         // PUT    workers/{w}/secrets/{name}
  kDeleteSecret,      // DELETE workers/{w}/secrets/{name}
  kListTokens,        // GET    tokens
  kCreateToken,       // POST   tokens
  kRevokeToken,       // DELETE tokens/{id or name}
  kListAudit,         // GET    audit
  kExec,              // POST   exec
};

struct RouteMatch {
  Endpoint endpoint = Endpoint::kHealth;
  std::string worker;  // {w}
  std::string param;   // {id}, {name}, {id or name}
  std::map<std::string, std::string> query;  // decoded; the last of repeated keys wins
};

struct RouteResult {
  enum class Kind { kMatched, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  RouteMatch match;
  std::string allow;  // kMethodNotAllowed: "GET, POST"
};

// `target` is the request-target as received ("/api/v1/workers/api/versions?limit=5").
RouteResult MatchRoute(std::string_view method, std::string_view target);

// Whether the endpoint reads a request body (POST and PUT ones).
bool TakesBody(Endpoint endpoint);

// "%2F" → "/", "+" stays "+" in paths (it is "+" in a query only when `plus_is_space` is false).
// nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space = false);

// ?limit=N: a whole number in [0, max] (0 means "all" where the store allows it); `fallback`
// when absent; InvalidArgument otherwise.
Result<std::size_t> QueryLimit(const RouteMatch& match, std::size_t fallback, std::size_t max);

}  // namespace blaze::admin
