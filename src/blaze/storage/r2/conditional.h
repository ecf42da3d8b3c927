// R2's onlyIf, with HTTP's precondition rules (RFC 9110 §13.2.2), as wrangler dev evaluates it:
//   etagMatches (If-Match): strong comparison, "*" matches any object;
//   etagDoesNotMatch (If-None-Match): weak comparison;
//   uploadedBefore (If-Unmodified-Since): ignored when etagMatches is given and holds;
//   uploadedAfter (If-Modified-Since): ignored when etagDoesNotMatch is given and holds;
//   secondsGranularity truncates both sides to whole seconds.
// On a missing object only etagMatches and uploadedAfter can fail (there is nothing to match or
// to be newer); so a put with etagDoesNotMatch "*" creates only.
#pragma once

#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

// true when the operation may proceed. `object` is nullptr for a missing object.
bool ConditionHolds(const Conditional& condition, const ObjectInfo* object);

}  // namespace blaze::r2
