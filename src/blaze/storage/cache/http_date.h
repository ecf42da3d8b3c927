// HTTP dates (RFC 9110 §5.6.7): the preferred IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
// and, when parsing, the obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
// ("Sun Nov  6 08:49:37 1994") forms a recipient must still accept. The cache reads Expires,
// Last-Modified and If-Modified-Since with these and writes Date.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/clock.h"

namespace blaze::cache {

// nullopt for anything that is not one of the three forms or names an impossible instant.
std::optional<Clock::WallTime> ParseHttpDate(std::string_view text);

// IMF-fixdate, whole seconds (the fraction is dropped).
std::string FormatHttpDate(Clock::WallTime t);

}  // namespace blaze::cache
