// Router: which worker a request is for. An immutable snapshot, built once from the deployed
// routes and shared read-only by every core as shared_ptr<const Router>; a new deployment
// builds a new Router and swaps the pointer (that swap is the node layer's business).
//
// Two ways in, tried in this order:
//  1. Route patterns, as in wrangler's `routes`: "example.com/api/*", "*.example.com/*",
//     "example.com/exact" (an optional "http://" or "https://" prefix is ignored). "*" may lead
//     the host (any prefix) and end the path (any rest, query included); nowhere else. As on
//     Cloudflare the most specific pattern wins: an exact host beats a wildcard host, a longer
//     wildcard host suffix beats a shorter one; then an exact path beats a wildcard path, and a
//     longer path prefix beats a shorter one. Paths compare against path + query.
//  2. `<worker>.<base_domain>` (base domain "localhost" by default): "my-worker.localhost:8787"
//     → "my-worker". One label only; it must be a valid worker name.
// Hosts compare case-insensitively, without port or trailing dot.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::http {

struct Route {
  std::string pattern;  // "example.com/api/*"
  std::string worker;   // "api-worker"
};

struct RouterConfig {
  std::string base_domain = "localhost";
  std::vector<Route> routes;
};

// Lowercase, port and trailing dot removed: "My-Worker.LocalHost.:8787" → "my-worker.localhost".
// Bracketed IPv6 literals keep their brackets: "[::1]:8787" → "[::1]".
std::string NormalizeHost(std::string_view host);

class Router {
 public:
  // InvalidArgument naming the pattern for a malformed pattern, an invalid worker name or a
  // duplicate pattern.
  static Result<std::shared_ptr<const Router>> Build(RouterConfig config);

  // The worker for (Host header, request-target), or nullopt: answer UnknownHostResponse.
  std::optional<std::string> Match(std::string_view host, std::string_view target) const;

  const std::string& base_domain() const { return base_domain_; }

 private:
  struct CompiledRoute {
    std::string host;  // without the leading "*" when host_wildcard
    bool host_wildcard = false;
    std::string path;  // without the trailing "*" when path_wildcard
    bool path_wildcard = false;
    std::string worker;
  };
  static Result<CompiledRoute> Compile(const Route& route);
  static bool MoreSpecific(const CompiledRoute& a, const CompiledRoute& b);
  std::optional<std::string> MatchSubdomain(std::string_view host) const;

  std::string base_domain_;
  std::vector<CompiledRoute> routes_;  // most specific first
};

}  // namespace blaze::http
