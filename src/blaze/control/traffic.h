// Traffic splits of a deployment ("percentage" strategy, Cloudflare's gradual deployments):
// which versions serve a worker and what share of requests each gets.
//
// Rules, as Cloudflare and wrangler apply them: one or two versions, each named once, each at
// 0-100 %, summing to 100 % (within 0.001, wrangler's tolerance for 33.333 + 66.667).
// Errors: InvalidArgument naming the rule broken.
#pragma once

#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::control {

struct TrafficShare {
  std::string version_id;
  double percentage = 100;
  bool operator==(const TrafficShare&) const = default;
};

inline constexpr std::size_t kMaxVersionsPerDeployment = 2;

Status ValidateTraffic(const std::vector<TrafficShare>& traffic);

// wrangler's version specs for `versions deploy`: "<id>@90%", "<id>@90" or "<id>"; versions
// given without a percentage share what the others leave, evenly. The result is validated.
Result<std::vector<TrafficShare>> ParseVersionSpecs(const std::vector<std::string>& specs);

// 90 -> "90", 33.3333 -> "33.333" (wrangler prints at most 3 decimals).
std::string FormatPercentage(double percentage);

}  // namespace blaze::control
