#include "blaze/storage/r2/conditional.h"

namespace blaze::r2 {
namespace {

enum class Comparison { kStrong, kWeak };

bool Includes(const std::vector<EtagMatch>& list, const std::string& etag, Comparison cmp) {
  for (const EtagMatch& m : list) {
    if (m.kind == EtagMatch::Kind::kWildcard) return true;
    if (m.value != etag) continue;
    if (m.kind == EtagMatch::Kind::kStrong || cmp == Comparison::kWeak) return true;
  }
  return false;
}

std::int64_t Truncate(std::int64_t ms, bool seconds) {
  if (!seconds) return ms;
  return ms >= 0 ? ms / 1000 * 1000 : -((-ms + 999) / 1000 * 1000);
}

}  // namespace

bool ConditionHolds(const Conditional& c, const ObjectInfo* object) {
  if (object == nullptr) return !c.etag_matches && !c.uploaded_after_ms;
  bool if_match = !c.etag_matches || Includes(*c.etag_matches, object->etag, Comparison::kStrong);
  bool if_none_match =
      !c.etag_does_not_match || !Includes(*c.etag_does_not_match, object->etag, Comparison::kWeak);
  std::int64_t uploaded = Truncate(object->uploaded_ms, c.seconds_granularity);
  bool modified_since = !c.uploaded_after_ms ||
                        Truncate(*c.uploaded_after_ms, c.seconds_granularity) < uploaded ||
                        (c.etag_does_not_match && if_none_match);
  bool unmodified_since = !c.uploaded_before_ms ||
                          uploaded < Truncate(*c.uploaded_before_ms, c.seconds_granularity) ||
                          (c.etag_matches && if_match);
  return if_match && if_none_match && modified_since && unmodified_since;
}

}  // namespace blaze::r2
