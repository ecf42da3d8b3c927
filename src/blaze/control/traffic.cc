#include "blaze/control/traffic.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

namespace blaze::control {
namespace {

constexpr double kEpsilon = 0.001;

}  // namespace

std::string FormatPercentage(double percentage) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", percentage);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Status ValidateTraffic(const std::vector<TrafficShare>& traffic) {
  if (traffic.empty()) return Fail(InvalidArgument("a deployment needs at least 1 version"));
  if (traffic.size() > kMaxVersionsPerDeployment) {
    return Fail(InvalidArgument("a deployment splits traffic between at most " +
                                std::to_string(kMaxVersionsPerDeployment) + " versions (got " +
                                std::to_string(traffic.size()) + ")"));
  }
  std::set<std::string> seen;
  double total = 0;
  for (const auto& share : traffic) {
    if (share.version_id.empty()) return Fail(InvalidArgument("a version id is empty"));
    if (!seen.insert(share.version_id).second) {
      return Fail(InvalidArgument("version " + share.version_id + " is named twice"));
    }
    if (!std::isfinite(share.percentage) || share.percentage < 0 || share.percentage > 100) {
      return Fail(InvalidArgument("the percentage of version " + share.version_id +
                                  " must be between 0 and 100 (got " +
                                  FormatPercentage(share.percentage) + ")"));
    }
    total += share.percentage;
  }
  if (std::fabs(total - 100) > kEpsilon) {
    return Fail(InvalidArgument("the percentages must add up to 100% (they add up to " +
                                FormatPercentage(total) + "%)"));
  }
  return Ok();
}

Result<std::vector<TrafficShare>> ParseVersionSpecs(const std::vector<std::string>& specs) {
  std::vector<TrafficShare> out;
  std::vector<std::size_t> unassigned;
  double assigned = 0;
  for (const auto& spec : specs) {
    std::size_t at = spec.rfind('@');
    TrafficShare share{spec.substr(0, at), 0};
    if (at == std::string::npos) {
      unassigned.push_back(out.size());
    } else {
      std::string text = spec.substr(at + 1);
      if (!text.empty() && text.back() == '%') text.pop_back();
      double p = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return Fail(InvalidArgument("version spec '" + spec +
                                    "' is not <version-id>@<percentage>% (e.g. " + "'" +
                                    share.version_id + "@90%')"));
      }
      share.percentage = p;
      assigned += p;
    }
    out.push_back(std::move(share));
  }
  if (!unassigned.empty()) {
    double each = (100 - assigned) / static_cast<double>(unassigned.size());
    for (std::size_t i : unassigned) out[i].percentage = each < 0 ? 0 : each;
  }
  BLAZE_TRY_VOID(ValidateTraffic(out));
  return out;
}

}  // namespace blaze::control
