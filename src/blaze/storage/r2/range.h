// Which bytes of an object a get returns, with Cloudflare's rules (pinned against wrangler dev):
//   {offset, length}: length is clamped to the end; offset >= size or length <= 0 is
//     InvalidRange (10039), so every range on an empty object is unsatisfiable;
//   {offset}: to the end; {length}: from 0;
//   {suffix}: the last `suffix` bytes (all of them when suffix > size); suffix <= 0 is
//     InvalidRange.
// A Range header ("bytes=2-5", "bytes=8-", "bytes=-3") selects bytes only when it holds exactly
// one satisfiable range; anything else (several ranges, bad syntax, past the end) is ignored
// and the whole object is returned, as wrangler dev does.
// Argument shapes the JS API refuses (negative or fractional numbers, suffix with offset) are
// the binding's business; here they are InvalidRange.
#pragma once

#include <optional>
#include <string_view>

#include "blaze/base/result.h"
#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

Result<ByteRange> ResolveRange(const RangeRequest& request, std::int64_t size);

// nullopt: the header does not pick one satisfiable range (the caller returns everything).
std::optional<ByteRange> ParseRangeHeader(std::string_view header, std::int64_t size);

// The range a get answers with: from the request, else the header, else the whole object.
Result<ByteRange> SelectRange(const GetOptions& options, std::int64_t size);

}  // namespace blaze::r2
