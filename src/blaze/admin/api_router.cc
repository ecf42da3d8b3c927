#include "blaze/admin/api_router.h"

#include <array>
#include <charconv>
#include <vector>

namespace blaze::admin {
namespace {

constexpr std::string_view kPrefix = "/api/v1/";

struct RouteSpec {
  std::string_view method;
  std::string_view pattern;  // segments; "{w}" the worker, "{p}" the other parameter
  Endpoint endpoint;
};

constexpr std::array<RouteSpec, 19> kRoutes = {{
    {"GET", "health", Endpoint::kHealth},
    {"GET", "workers", Endpoint::kListWorkers},
    {"POST", "workers/{w}/deploy", Endpoint::kDeploy},
    {"POST", "workers/{w}/versions", Endpoint::kUploadVersion},
    {"GET", "workers/{w}/versions", Endpoint::kListVersions},
    {"GET", "workers/{w}/versions/{p}", Endpoint::kGetVersion},
    {"POST", "workers/{w}/deployments", Endpoint::kCreateDeployment},
    {"GET", "workers/{w}/deployments", Endpoint::kListDeployments},
    {"GET", "workers/{w}/deployments/active", Endpoint::kActiveDeployment},
    {"POST", "workers/{w}/rollback", Endpoint::kRollback},
    {"GET", "workers/{w}/tail", Endpoint::kTail},
    {"GET", "workers/{w}/secrets", Endpoint::kListSecrets},
    {"PUT", "workers/{w}/secrets/{p}", Endpoint::kPutSecret},
    {"DELETE", "workers/{w}/secrets/{p}", Endpoint::kDeleteSecret},
    {"GET", "tokens", Endpoint::kListTokens},
    {"POST", "tokens", Endpoint::kCreateToken},
    {"DELETE", "tokens/{p}", Endpoint::kRevokeToken},
    {"GET", "audit", Endpoint::kListAudit},
    {"POST", "exec", Endpoint::kExec},
}};

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether `segments` fit `pattern`; fills the worker and parameter.
bool Fits(std::string_view pattern, const std::vector<std::string>& segments, RouteMatch& match) {
  auto parts = Split(pattern, '/');
  if (parts.size() != segments.size()) return false;
  RouteMatch out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "{w}" || parts[i] == "{p}") {
      if (segments[i].empty()) return false;
      (parts[i] == "{w}" ? out.worker : out.param) = segments[i];
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  match.worker = std::move(out.worker);
  match.param = std::move(out.param);
  return true;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

RouteResult MatchRoute(std::string_view method, std::string_view target) {
  RouteResult result;
  std::string_view path = target;
  std::string_view query;
  if (auto q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  if (path.substr(0, kPrefix.size()) != kPrefix) return result;
  std::vector<std::string> segments;
  for (std::string_view raw : Split(path.substr(kPrefix.size()), '/')) {
    auto decoded = PercentDecode(raw);
    if (!decoded) return result;
    segments.push_back(std::move(*decoded));
  }
  RouteMatch candidate;
  for (const auto& route : kRoutes) {
    if (!Fits(route.pattern, segments, candidate)) continue;
    if (route.method != method) {
      result.allow += (result.allow.empty() ? "" : ", ") + std::string(route.method);
      continue;
    }
    result.kind = RouteResult::Kind::kMatched;
    result.match = std::move(candidate);
    result.match.endpoint = route.endpoint;
    break;
  }
  if (result.kind != RouteResult::Kind::kMatched) {
    result.kind = result.allow.empty() ? RouteResult::Kind::kNotFound
                                       : RouteResult::Kind::kMethodNotAllowed;
    return result;
  }
  result.allow.clear();
  if (!query.empty()) {
    for (std::string_view pair : Split(query, '&')) {
      if (pair.empty()) continue;
      std::size_t eq = pair.find('=');
      auto key = PercentDecode(pair.substr(0, eq), true);
      auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (key && value) result.match.query[*key] = std::move(*value);
    }
  }
  return result;
}

bool TakesBody(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kDeploy:
    case Endpoint::kUploadVersion:
    case Endpoint::kCreateDeployment:
    case Endpoint::kRollback:
    case Endpoint::kPutSecret:
    case Endpoint::kCreateToken:
    case Endpoint::kExec:
      return true;
    default:
      return false;
  }
}

Result<std::size_t> QueryLimit(const RouteMatch& match, std::size_t fallback, std::size_t max) {
  auto it = match.query.find("limit");
  if (it == match.query.end()) return fallback;
  const std::string& text = it->second;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max) {
    return Fail(InvalidArgument("limit must be a whole number from 0 to " + std::to_string(max) +
                                " (got '" + text + "')"));
  }
  return value;
}

}  // namespace blaze::admin
