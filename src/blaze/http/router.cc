#include "blaze/http/router.h"

#include <algorithm>

#include "blaze/base/ids.h"

namespace blaze::http {
namespace {

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lowercase(s.substr(0, prefix.size())) == prefix;
}

Error BadPattern(const std::string& pattern, std::string_view why) {
  return InvalidArgument("invalid route pattern '" + pattern + "': " + std::string(why));
}

}  // namespace

std::string NormalizeHost(std::string_view host) {
  std::string_view h = host;
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    if (close != std::string_view::npos) h = h.substr(0, close + 1);
  } else if (auto colon = h.rfind(':'); colon != std::string_view::npos) {
    h = h.substr(0, colon);
  }
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  return Lowercase(h);
}

Result<Router::CompiledRoute> Router::Compile(const Route& route) {
  std::string_view p = route.pattern;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWithIgnoreCase(p, scheme)) p.remove_prefix(scheme.size());
  }
  auto slash = p.find('/');
  if (slash == std::string_view::npos) return Fail(BadPattern(route.pattern, "missing a path"));
  std::string_view host = p.substr(0, slash);
  std::string_view path = p.substr(slash);
  CompiledRoute out;
  out.host_wildcard = !host.empty() && host.front() == '*';
  if (out.host_wildcard) host.remove_prefix(1);
  if (host.empty()) return Fail(BadPattern(route.pattern, "missing a host"));
  if (host.find_first_of("*:?#") != std::string_view::npos) {
    return Fail(BadPattern(route.pattern, "'*' may only lead the host; no port"));
  }
  out.path_wildcard = path.back() == '*';
  if (out.path_wildcard) path.remove_suffix(1);
  if (path.find_first_of("*?#") != std::string_view::npos) {
    return Fail(BadPattern(route.pattern, "'*' may only end the path; no query"));
  }
  out.host = Lowercase(host);
  out.path = std::string(path);
  if (auto valid = ValidateName(route.worker, "worker name"); !valid) {
    return Fail(valid.error().WithContext("route '" + route.pattern + "'"));
  }
  out.worker = route.worker;
  return out;
}

bool Router::MoreSpecific(const CompiledRoute& a, const CompiledRoute& b) {
  if (a.host_wildcard != b.host_wildcard) return !a.host_wildcard;
  if (a.host.size() != b.host.size()) return a.host.size() > b.host.size();
  if (a.host != b.host) return a.host < b.host;  // unrelated hosts: any fixed order
  if (a.path_wildcard != b.path_wildcard) return !a.path_wildcard;
  if (a.path.size() != b.path.size()) return a.path.size() > b.path.size();
  return a.path < b.path;
}

Result<std::shared_ptr<const Router>> Router::Build(RouterConfig config) {
  auto router = std::shared_ptr<Router>(new Router());
  router->base_domain_ = NormalizeHost(config.base_domain);
  for (const Route& route : config.routes) {
    BLAZE_TRY(CompiledRoute compiled, Compile(route));
    router->routes_.push_back(std::move(compiled));
  }
  auto& routes = router->routes_;
  std::sort(routes.begin(), routes.end(), MoreSpecific);
  for (std::size_t i = 1; i < routes.size(); ++i) {
    const auto& a = routes[i - 1];
    const auto& b = routes[i];
    if (a.host_wildcard == b.host_wildcard && a.host == b.host &&
        a.path_wildcard == b.path_wildcard && a.path == b.path) {
      return Fail(InvalidArgument("duplicate route pattern for workers '" + a.worker + "' and '" +
                                  b.worker + "'"));
    }
  }
  return std::shared_ptr<const Router>(std::move(router));
}

std::optional<std::string> Router::Match(std::string_view host, std::string_view target) const {
  std::string h = NormalizeHost(host);
  for (const CompiledRoute& r : routes_) {
    bool host_ok = r.host_wildcard ? h.ends_with(r.host) : h == r.host;
    if (!host_ok) continue;
    bool path_ok = r.path_wildcard ? target.starts_with(r.path) : target == r.path;
    if (path_ok) return r.worker;
  }
  return MatchSubdomain(h);
}

std::optional<std::string> Router::MatchSubdomain(std::string_view h) const {
  if (base_domain_.empty() || h.size() <= base_domain_.size() + 1) return std::nullopt;
  if (!h.ends_with(base_domain_)) return std::nullopt;
  std::string_view label = h.substr(0, h.size() - base_domain_.size());
  if (!label.ends_with('.')) return std::nullopt;
  label.remove_suffix(1);
  if (!ValidateName(label, "worker name")) return std::nullopt;  // also rejects "a.b"
  return std::string(label);
}

}  // namespace blaze::http
