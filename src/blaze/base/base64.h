// Base64 (RFC 4648), the one codec every folder uses: the admin API's exec bytes, KV and R2 list
// cursors, binary values in `kv bulk` files, API tokens (base64url).
//
// Two decoders because the inputs differ: what Blaze's own clients send must be exact (a
// mangled body is refused, not half-read), while files and cursors wrangler or a user wrote are
// read the way Node's Buffer.from(text, 'base64') reads them, as wrangler does.
// Threads: pure functions, safe from any core.
#pragma once

#include <string>
#include <string_view>

#include "blaze/base/result.h"

namespace blaze {

// Standard alphabet ('+', '/'), padded with '=' to a multiple of 4.
std::string Base64Encode(std::string_view bytes);
// URL alphabet ('-', '_'), no padding.
std::string Base64UrlEncode(std::string_view bytes);

// Padded standard base64 and nothing else: no whitespace, no URL alphabet, length a multiple
// of 4, '=' only at the end. Anything else is InvalidArgument "<what> is not valid base64".
Result<std::string> Base64DecodeStrict(std::string_view text, std::string_view what);

// Never fails, like Node's Buffer.from(text, 'base64'): characters outside the alphabet are
// skipped, the URL-safe '-' and '_' are accepted, decoding stops at the first '=', and a
// trailing lone character (6 bits, not a byte) is dropped.
std::string Base64DecodeLenient(std::string_view text);

}  // namespace blaze
