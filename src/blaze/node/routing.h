// What a core routes with: WorkerVersion (one built, immutable version of a worker), the
// WorkerRoute of a worker (the versions of its active deployment and their shares of traffic),
// and the RoutingSnapshot that maps hosts to routes. A snapshot is immutable and shared by every
// core as shared_ptr<const RoutingSnapshot>; a deploy builds a new one and swaps the pointer
// (CoreHandler::Swap), so a request reads one snapshot from start to end.
//
// Gradual deployments (Cloudflare's "percentage" strategy): a worker has one version at 100 % or
// two splitting its traffic. Each request picks one with the core's own RNG (PickShare), unless
// its `Cloudflare-Workers-Version-Overrides: <worker>="<version-id>"` header (a Structured Fields
// Dictionary, RFC 8941) names a version of the active deployment: then that one, as on
// Cloudflare. An override naming anything else is ignored.
//
// Threads: everything here is immutable once published, except VersionCounters (atomics the
// cores add to) and the TailChannel a version points at (its own lock).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/http/router.h"
#include "blaze/runtime/engine/invocation.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::node {

class TailChannel;

// Requests a version answered and how many were errors (a 5xx answer: an exception, exceeded
// CPU or memory, a version that could not be built). Updated by every core, relaxed.
struct VersionCounters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> errors{0};

  void Record(int status) {
    requests.fetch_add(1, std::memory_order_relaxed);
    if (status >= 500) errors.fetch_add(1, std::memory_order_relaxed);
  }
};

struct WorkerVersion {
  std::string name;
  std::shared_ptr<const engine::WorkerBundle> bundle;
  engine::WorkerConfig config;
  // `blaze serve` only (empty/null under `blaze dev`):
  std::string version_id;
  std::shared_ptr<VersionCounters> counters;
  std::shared_ptr<TailChannel> tail;  // the worker's `blaze tail` subscribers
};

// Shares are cumulative, in millionths: a request draws r in [0, kShareScale) and takes the
// first share with r < upto.
inline constexpr std::uint32_t kShareScale = 1'000'000;

struct VersionShare {
  std::string version_id;
  std::uint32_t upto = kShareScale;
  std::shared_ptr<const WorkerVersion> version;  // null: the version could not be built
  std::string unavailable;                       // why, when `version` is null
  std::shared_ptr<VersionCounters> counters;     // may be null (dev)
};

struct WorkerRoute {
  std::vector<VersionShare> shares;  // one or two, in the deployment's order
};

// One version at 100 %.
WorkerRoute SingleVersionRoute(std::shared_ptr<const WorkerVersion> version);
// The `upto` of each share from the deployment's percentages (which sum to 100).
std::vector<std::uint32_t> CumulativeShares(const std::vector<double>& percentages);

struct RoutingSnapshot {
  std::shared_ptr<const http::Router> router;  // may be null (dev: everything to `fallback`)
  std::map<std::string, WorkerRoute> workers;
  std::shared_ptr<const WorkerVersion> fallback;  // `blaze dev`: the one project
};

inline constexpr std::string_view kVersionOverridesHeader = "cloudflare-workers-version-overrides";

// The version id `header` pins for `worker`, if it names one. Lenient about what it cannot use:
// a malformed member is skipped, not an error (the request is served as if it had no override).
std::optional<std::string> FindVersionOverride(std::string_view header, std::string_view worker);

// The share of `route` a request takes: the one `overrides` (the header's value, may be empty)
// pins if it is in the route, else the one `random` falls into.
const VersionShare& PickShare(const WorkerRoute& route, std::string_view worker,
                              std::string_view overrides, std::uint64_t random);

// A small, fast PRNG (splitmix64) for a core's traffic split: one per core, no locks.
class SplitRng {
 public:
  explicit SplitRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

}  // namespace blaze::node
